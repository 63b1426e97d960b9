import { Problem, problems } from '../../errors.js';
import { mayRestoreAdmin } from '../../policy/account.policy.js';
import type { AppDeps } from '../../deps.js';
import { isConstraintViolation } from '../../db/constraint-errors.js';
import { appendAudit, systemActEntry } from '../audit/audit-log.js';
import { findAccountIdByEmail } from '../auth/account.repository.js';
import { founderProblem, normaliseFounder, type Founder } from './founder.js';
import { placeholderPasswordHash, writeFoundingAdmin } from './founding-admin.js';
import { listTenantsWithAdmins } from './tenant.repository.js';

/**
 * Every later grant takes two admins, so a département whose admins left, lapsed or went dormant
 * down to one (or none) could never make another. The operator, at the command line of the
 * server, gives it one new admin awaiting activation, and only then: a département that still
 * has two admins (active or about to activate) makes its own, between the two of them. The act
 * is written in the département's chain, where its DPO reads it, and in the platform's.
 */
export async function restoreTenantAdmin(
  deps: AppDeps,
  code: string,
  admin: Founder,
): Promise<{ accountId: string; email: string; displayName: string; activationToken: string }> {
  const problem = founderProblem(admin);
  if (problem) throw problems.validation(problem);
  const founder = normaliseFounder(admin);
  const tenant = (await listTenantsWithAdmins(deps.db)).find((t) => t.code === code);
  if (!tenant)
    throw new Problem(404, 'not-found', 'Département inconnu', `Aucun département ${code}.`);
  const admins = Number(tenant.active_admins ?? 0) + Number(tenant.admins_to_activate ?? 0);
  if (!mayRestoreAdmin(admins))
    throw new Problem(
      409,
      'enough-admins',
      'Administrateurs suffisants',
      `Le département ${code} a déjà ${admins} administrateurs : ils demandent et approuvent eux-mêmes les comptes.`,
    );
  if (await findAccountIdByEmail(deps.db, founder.email))
    throw new Problem(
      409,
      'email-unavailable',
      'Adresse indisponible',
      'Cette adresse a déjà un compte.',
    );
  const passwordHash = await placeholderPasswordHash();
  const at = deps.clock.now().toISOString();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const made = await writeFoundingAdmin(deps, trx, {
        tenantId: tenant.id,
        founder,
        passwordHash,
        requestedBy: null,
        reason: 'admin-recovery',
        at,
      });
      for (const chain of [tenant.id, null])
        await appendAudit(
          trx,
          systemActEntry({
            at,
            tenant: chain,
            action: 'tenant.admin-restored',
            objectType: 'account',
            objectId: made.accountId,
            route: 'cloison tenants add-admin',
          }),
        );
      return made;
    });
  } catch (error) {
    if (isConstraintViolation(error))
      throw new Problem(
        409,
        'email-unavailable',
        'Adresse indisponible',
        'Cette adresse a déjà un compte.',
      );
    throw error;
  }
}
