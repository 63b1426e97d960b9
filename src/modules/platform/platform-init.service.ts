import { randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { Problem, problems } from '../../errors.js';
import { PLATFORM_CHAIN, appendAudit, systemActEntry } from '../audit/audit-log.js';
import { signingKey } from '../audit/log-keys.js';
import { issueToken } from '../auth/one-time-tokens.js';
import { hashPassword } from '../auth/password.js';
import { founderProblem, normaliseFounder, type Founder } from '../tenants/founder.js';
import { hasAnyAccount, insertOperatorAwaitingActivation } from './operator.repository.js';

export interface InitialisedPlatform {
  readonly operatorId: string;
  /** The operator's one-time activation token, in clear this once. */
  readonly activationToken: string;
}

/**
 * Creates the platform on an empty database: its first operator account, awaiting activation,
 * the platform chain's first event and its checkpoint signing key. Refused when any account
 * exists: a second run must never mint a new operator beside a live platform.
 */
export async function initialisePlatform(
  deps: AppDeps,
  operator: Founder,
): Promise<InitialisedPlatform> {
  const problem = founderProblem(operator);
  if (problem) throw problems.validation(problem);
  const { email, displayName } = normaliseFounder(operator);
  const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
  const operatorId = randomUUID();
  const at = deps.clock.now().toISOString();
  const activationToken = await deps.db.transaction().execute(async (trx) => {
    if (await hasAnyAccount(trx))
      throw new Problem(409, 'already-initialised', 'Plateforme déjà initialisée');
    await insertOperatorAwaitingActivation(
      trx,
      { id: operatorId, email, displayName, passwordHash },
      at,
    );
    await appendAudit(
      trx,
      systemActEntry({
        at,
        tenant: null,
        action: 'platform.initialised',
        objectType: 'account',
        objectId: operatorId,
        route: 'cloison init',
      }),
    );
    return issueToken(deps, trx, operatorId, 'activate');
  });
  await signingKey(deps, PLATFORM_CHAIN);
  return { operatorId, activationToken };
}
