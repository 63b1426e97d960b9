import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import { Problem, problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { MIN_ACTIVE_ADMINS } from '../../policy/account.policy.js';
import { appendAudit, systemActEntry, type AuditEntry } from '../audit/audit-log.js';
import { auditActor } from '../audit/record.js';
import { signingKey } from '../audit/log-keys.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findAccountById, findAccountIdByEmail } from '../auth/account.repository.js';
import { writeDecoy } from '../decoys/decoy-seed.js';
import { placeholderPasswordHash, writeFoundingAdmin } from './founding-admin.js';
import { founderFieldProblem, mailboxOf, normaliseFounder, type Founder } from './founder.js';
import { findTenantByCode, insertTenant } from './tenant.repository.js';
import { normaliseTenantName, tenantCodeProblem, tenantNameProblem } from './tenant-identity.js';

/** Who creates a département: the operator over the API, or whoever runs the command line. */
export type TenantCreator = { readonly kind: 'operator'; readonly actor: Actor } | { kind: 'cli' };

export interface NewTenant {
  readonly code: string;
  readonly name: string;
  /** Its first two administrators: every later grant needs one to ask and another to decide. */
  readonly admins: readonly Founder[];
}

export interface CreatedTenant {
  readonly tenant: { id: string; code: string; name: string; createdAt: string };
  /** Each admin's account, awaiting activation, and its one-time activation token (in clear once). */
  readonly admins: ReadonlyArray<{
    accountId: string;
    email: string;
    displayName: string;
    activationToken: string;
  }>;
}

const tenantProblems = {
  /** One sentence for the command line, and each reason on its field for a form. */
  invalid: (reasons: FieldProblem[]) =>
    problems.validation(reasons.map((r) => r.message).join(' '), reasons),
  exists: () =>
    new Problem(409, 'tenant-exists', 'Département déjà créé', 'Ce département existe déjà.'),
  emailUnavailable: () =>
    new Problem(
      409,
      'email-unavailable',
      'Adresse indisponible',
      'Une des adresses des administrateurs a déjà un compte.',
    ),
};

/** One reason a creation is refused, at its place in the request (`body/admins/0/email`). */
interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** Everything wrong with the request, each on its field; empty when it can be created. */
function newTenantProblems(input: NewTenant): FieldProblem[] {
  const at = (path: string, message: string | null) =>
    message === null ? null : { path: `body/${path}`, message };
  const reasons = [
    at('code', tenantCodeProblem(input.code)),
    at('name', tenantNameProblem(normaliseTenantName(input.name))),
    at(
      'admins',
      input.admins.length === MIN_ACTIVE_ADMINS
        ? null
        : 'Indiquez exactement deux administrateurs.',
    ),
    ...input.admins.map((a, i) => {
      const problem = founderFieldProblem(a);
      return problem && at(`admins/${i}/${problem.field}`, problem.message);
    }),
  ];
  const emails = input.admins.map((a) => mailboxOf(a.email));
  if (new Set(emails).size !== emails.length)
    reasons.push(
      at(
        `admins/${emails.length - 1}/email`,
        'Les deux administrateurs doivent être deux personnes distinctes.',
      ),
    );
  return reasons.filter((p): p is FieldProblem => p !== null);
}

/**
 * Creates a département: its tenant key, its row, its first two admins (accounts awaiting
 * activation, their grant approved by the creation itself), its decoy case and the first event of
 * its audit chain, all in one transaction; then its checkpoint signing key. A refusal at any step
 * leaves no row behind. The tenant key made before the transaction is the one part that can
 * outlive a failure: an unused key for a tenant id that exists nowhere, which wraps nothing.
 */
export async function createTenant(
  deps: AppDeps,
  by: TenantCreator,
  input: NewTenant,
  /** More to write in the creation's transaction (the admins' activation mails). */
  alsoInTransaction?: (
    trx: DbOrTx,
    tenant: { id: string; name: string },
    admins: CreatedTenant['admins'],
  ) => Promise<void>,
): Promise<CreatedTenant> {
  const reasons = newTenantProblems(input);
  if (reasons.length > 0) throw tenantProblems.invalid(reasons);
  if (await findTenantByCode(deps.db, input.code)) throw tenantProblems.exists();
  const founders = input.admins.map(normaliseFounder);
  // The operator who creates a département is never one of its admins, under any spelling.
  if (by.kind === 'operator' && by.actor.kind === 'operateur') {
    const operator = await findAccountById(deps.db, by.actor.accountId);
    if (operator && founders.some((f) => mailboxOf(f.email) === mailboxOf(operator.email)))
      throw tenantProblems.invalid([
        {
          path: 'body/admins/0/email',
          message:
            'L’exploitant ne peut pas être administrateur d’un département : indiquez deux autres personnes.',
        },
      ]);
  }
  for (const f of founders)
    if (await findAccountIdByEmail(deps.db, f.email)) throw tenantProblems.emailUnavailable();

  const tenantId = randomUUID();
  noteAuditedObject('tenant', tenantId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const tenant = { id: tenantId, code: input.code, name: normaliseTenantName(input.name) };
  // No password until each admin chooses one: a hash of nothing anyone knows, as for any agent.
  const placeholders = await Promise.all(founders.map(() => placeholderPasswordHash()));
  await deps.keys.ensureTenantKey(tenantId);
  const operatorId = by.kind === 'operator' ? accountIdOf(by.actor) : null;

  let admins: CreatedTenant['admins'];
  try {
    admins = await deps.db.transaction().execute(async (trx) => {
      await insertTenant(trx, { ...tenant, created_at: at });
      const made = [];
      for (const [i, founder] of founders.entries()) {
        made.push(
          await writeFoundingAdmin(deps, trx, {
            tenantId,
            founder,
            passwordHash: placeholders[i]!,
            requestedBy: operatorId,
            reason: 'tenant-creation',
            at,
          }),
        );
      }
      // Filed in the name of the first admin: a département has no accueil yet.
      await writeDecoy({ ...deps, db: trx }, tenant, made[0]!.accountId, now);
      // The first link of the département's chain, and the operator's own record of the act.
      for (const chain of [tenantId, null])
        await appendAudit(trx, creationEntry(by, chain, tenantId, at));
      await alsoInTransaction?.(trx, tenant, made);
      return made;
    });
  } catch (error) {
    // Two creations at once: the unique indexes decide, the loser is told why.
    if (isConstraintViolation(error)) {
      if (await findTenantByCode(deps.db, input.code)) throw tenantProblems.exists();
      throw tenantProblems.emailUnavailable();
    }
    throw error;
  }
  await signingKey(deps, tenantId);
  return { tenant: { ...tenant, createdAt: at }, admins };
}

function accountIdOf(actor: Actor): string | null {
  return actor.kind === 'operateur' ? actor.accountId : null;
}

/** `tenant.created` in a chain: the new tenant's (its first event) or the platform's (null). */
function creationEntry(
  by: TenantCreator,
  chain: string | null,
  tenantId: string,
  at: string,
): AuditEntry {
  const act = {
    at,
    tenant: chain,
    action: 'tenant.created',
    objectType: 'tenant',
    objectId: tenantId,
  };
  if (by.kind === 'cli') return systemActEntry({ ...act, route: 'cloison tenants create' });
  return {
    ...systemActEntry(act),
    ...auditActor(by.actor),
    // The operator's act is about the chain it is written in, whatever their own tenant (none).
    tenant: chain,
    purpose: null,
  };
}
