import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import type { Actor } from '../../policy/actor.js';
import { requireCase } from '../cases/case-access.js';
import { insertEntry, listEntries, type EntryTable } from './entry.repository.js';
import type { EntryView } from './entry.schemas.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { notifyCaseParties } from '../notifications/notify.js';

type Entry = Static<typeof EntryView>;

const ACTIONS = {
  messages: { list: 'message.list', create: 'message.create' },
  notes: { list: 'note.list', create: 'note.create' },
} as const;

/** Messages or notes of a case, after the case policy allowed listing them. */
export async function listCaseEntries(
  deps: AppDeps,
  actor: Actor,
  table: EntryTable,
  caseId: string,
): Promise<{ items: Entry[] }> {
  const { row } = await requireCase(deps, actor, ACTIONS[table].list, caseId);
  const rows = await listEntries(deps.db, table, row.tenant_id, row.id);
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      body: cipher.open(sealedField.entryBody(table, r.id), r.body_enc),
      createdAt: r.created_at,
      author: { name: r.author_name, kind: r.author_kind },
    })),
  };
}

/** Adds a message or a note to a case, after the case policy allowed it. */
export async function addCaseEntry(
  deps: AppDeps,
  actor: Actor,
  table: EntryTable,
  caseId: string,
  body: string,
): Promise<Entry> {
  const { row } = await requireCase(deps, actor, ACTIONS[table].create, caseId);
  const accountId = (actor as { accountId: string }).accountId;
  const cipher = await deps.vault.forPerson(deps.db, row.tenant_id, row.person_id);
  const id = randomUUID();
  noteAuditedObject(table === 'messages' ? 'message' : 'note', id);
  const entry = {
    id,
    tenantId: row.tenant_id,
    caseId: row.id,
    authorId: accountId,
    bodyEnc: cipher.seal(sealedField.entryBody(table, id), body),
    at: deps.clock.now().toISOString(),
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertEntry(trx, table, entry);
    // A message from the MDPH is announced to the usager and their representatives (never
    // its text); a note is internal, and a usager's own message needs no mail to themself.
    if (table === 'messages' && actor.kind === 'staff') {
      await notifyCaseParties(trx, deps, {
        tenantId: row.tenant_id,
        caseId: row.id,
        notice: 'agent-message',
      });
    }
  });
  const [created] = (await listEntries(deps.db, table, row.tenant_id, row.id)).filter(
    (r) => r.id === entry.id,
  );
  return {
    id: entry.id,
    body,
    createdAt: entry.at,
    author: { name: created?.author_name ?? '', kind: created?.author_kind ?? 'staff' },
  };
}
