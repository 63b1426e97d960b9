import { randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { RequestContext } from '../request-context.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { findAccountByEmail } from '../auth/account.repository.js';
import { hashPassword } from '../auth/password.js';
import { sealedPerson } from '../persons/sealed-person.js';
import type { DiscoveredProvider } from './oidc-providers.js';
import { fetchClaims, type ProvenIdentity } from './oidc-exchange.js';
import { insertIdentity } from './identity.repository.js';
import { FederationRefusal } from './refusal.js';
import { insertPerson } from '../persons/person.repository.js';
import { insertUsagerAccount } from '../self-service/self-service.repository.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  const printable = [...trimmed].every((c) => c.charCodeAt(0) >= 0x20);
  return trimmed.length > 0 && trimmed.length <= max && printable ? trimmed : null;
}

/**
 * Creates a usager account (and the person it is) in the flow's département from a FranceConnect
 * identity nobody has linked yet, and links it. Only for an e-mail no account uses: an existing
 * account is never taken over because the provider names its e-mail, verified or not. Its owner
 * signs in with their password and links FranceConnect from there. Returns the new account's id.
 */
export async function signUpFromIdentity(
  deps: AppDeps,
  origin: RequestContext,
  provider: DiscoveredProvider,
  tenantId: string,
  identity: ProvenIdentity,
): Promise<string> {
  const claims = await fetchClaims(deps, provider, identity);
  const email = text(claims.email, 254)?.toLowerCase() ?? null;
  const firstName = text(claims.given_name, 200);
  const lastName = text(claims.family_name, 200);
  const birthDate = text(claims.birthdate, 10);
  if (
    !email ||
    !EMAIL.test(email) ||
    !firstName ||
    !lastName ||
    !birthDate ||
    !DAY.test(birthDate)
  ) {
    throw new FederationRefusal('identity-incomplete', { subject: identity.subjectHash });
  }
  const inUse = new FederationRefusal('email-in-use', { subject: identity.subjectHash });
  if (await findAccountByEmail(deps.db, email)) throw inUse;

  // The account signs in through FranceConnect; its password is random and thrown away, so a
  // password login fails in the usual time until its owner sets one by a reset.
  const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
  const accountId = randomUUID();
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (trx) => {
      // FranceConnect's identity provider vouches for the address it gives.
      await insertUsagerAccount(
        trx,
        {
          id: accountId,
          tenantId,
          email,
          displayName: `${firstName} ${lastName}`,
          passwordHash,
          emailVerifiedAt: now.toISOString(),
        },
        now.toISOString(),
      );
      await insertPerson(
        trx,
        await sealedPerson(deps, trx, {
          id: randomUUID(),
          tenantId,
          accountId,
          firstName,
          lastName,
          birthDate,
          nir: null,
          address: null,
          now,
        }),
      );
      const linked = await insertIdentity(trx, {
        accountId,
        provider: provider.preset.name,
        subjectHash: identity.subjectHash,
        at: now.toISOString(),
      });
      // Two sign-ups of the same identity at once: the second one creates nothing.
      if (!linked) throw new FederationRefusal('link-conflict', { subject: identity.subjectHash });
    });
  } catch (error) {
    if (error instanceof FederationRefusal) throw error;
    // The e-mail taken between the check and the insert: the unique index refused it.
    if (await findAccountByEmail(deps.db, email)) throw inUse;
    throw error;
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'oidc.signed-up',
    actor: { kind: 'usager', accountId, tenantId },
    objectType: 'account',
    objectId: accountId,
    detail: { provider: provider.preset.name, subject: identity.subjectHash },
  });
  return accountId;
}
