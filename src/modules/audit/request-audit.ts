import type { CompiledQuery, QueryResult } from 'kysely';
import { currentCommitHook, type CommitHook } from '../../db/commit-hooks.js';
import type { AppDeps } from '../../deps.js';
import { appendAudit, appendWith, type AuditEntry } from './audit-log.js';
import { auditActor } from './record.js';
import { timeAuditAppend } from '../../metrics/metrics.js';
import type { Actor } from '../../policy/actor.js';
import type { AccessNote } from '../../policy/authorize.js';
import type { RequestContext } from '../request-context.js';

/** Tables whose writes are the bookkeeping of a request, not the change it makes. */
const BOOKKEEPING = new Set(['audit_events', 'security_events', 'login_throttle', 'mail_throttle']);

/** Purpose of an access made only through a break-glass grant. */
const BREAK_GLASS_PURPOSE = 'accès exceptionnel (bris de glace)';

/**
 * The audit record of one request to an action route. A write is recorded by the commit hook in
 * the transaction of its first change (src/db/commit-hooks.ts); a read, or a write that changed
 * nothing through a transaction, by `recordUnlessDone` before the answer leaves. Services and
 * the policy add what only they know: the object created, on whose behalf, why.
 */
export class RequestAudit implements CommitHook {
  done: boolean;
  recorded = false;
  readonly ignoredTables = BOOKKEEPING;
  objectType: string | null;
  objectId: string | null;
  onBehalfOf: string | null = null;
  purpose: string | null = null;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock'>,
    private readonly request: RequestContext & { readonly actor: Actor },
    private readonly action: string,
    isWrite: boolean,
    /** The object named by the route's path, until a service says which one it created. */
    object: { objectType: string | null; objectId: string | null },
  ) {
    // A read is recorded before it is answered, never by a commit it happens to make.
    this.done = !isWrite;
    this.objectType = object.objectType;
    this.objectId = object.objectId;
  }

  entry(): AuditEntry {
    const actor = auditActor(this.request.actor);
    return {
      at: this.deps.clock.now().toISOString(),
      ...actor,
      purpose: this.purpose ?? actor.purpose,
      onBehalfOf: this.onBehalfOf,
      action: this.action,
      objectType: this.objectType,
      objectId: this.objectId,
      outcome: 'allowed',
      ip: this.request.ip,
      route: this.request.route,
    };
  }

  async run(execute: (query: CompiledQuery) => Promise<QueryResult<unknown>>): Promise<void> {
    // Inside the request's own commit: the time the append adds to it.
    await timeAuditAppend(() => appendWith(this.deps.db, execute, this.entry()));
    this.recorded = true;
  }

  /** Before the answer leaves: throws when it cannot record (the answer becomes an error). */
  async recordUnlessDone(): Promise<void> {
    if (this.recorded) return;
    await appendAudit(this.deps.db, this.entry());
    this.recorded = true;
  }
}

function current(): RequestAudit | undefined {
  const hook = currentCommitHook();
  return hook instanceof RequestAudit ? hook : undefined;
}

/** The object a request created (its id was not in the URL). */
export function noteAuditedObject(objectType: string, objectId: string): void {
  const audit = current();
  if (audit) {
    audit.objectType = objectType;
    audit.objectId = objectId;
  }
}

/** A usager acting for a person they represent: the record names that person. */
function noteOnBehalfOf(personId: string): void {
  const audit = current();
  if (audit) audit.onBehalfOf = `person:${personId}`;
}

/** The access holds only through a break-glass grant: the record says so. */
function noteBreakGlassAccess(): void {
  const audit = current();
  if (audit) audit.purpose = BREAK_GLASS_PURPOSE;
}

/** Records what an allowed decision tells the audit (the policy's AccessNote). */
export function noteAccess(note: AccessNote): void {
  if (note.onBehalfOf !== null) noteOnBehalfOf(note.onBehalfOf);
  if (note.breakGlass) noteBreakGlassAccess();
}
