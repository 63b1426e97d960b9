import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AppDeps } from '../../deps.js';
import type { DbOrTx } from '../../db/database.js';
import type { AccountRow } from '../../db/schema.js';
import { NotFound, problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import type { BrowserContext, RequestContext, SessionContext } from '../request-context.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { recordSecurityEvent } from '../events/security-events.js';
import {
  clearSecondFactorEnrolment,
  findAccountById,
  markSecondFactorEnrolled,
} from '../auth/account.repository.js';
import { deleteSessionsOfAccountExcept } from '../auth/session.repository.js';
import { reauthenticate } from '../auth/reauthenticate.js';
import { raiseSession } from '../auth/sign-in.js';
import { acceptTotp } from './second-factor.service.js';
import { mustHaveSecondFactor } from './second-factor-state.js';
import { replaceRecoveryCodes } from './recovery-codes.js';
import {
  countRecoveryCodesLeft,
  deleteRecoveryCodesOf,
  hasRecoveryCodes,
} from './recovery-code.repository.js';
import { registrationOptions, verifyRegistration } from './passkeys.js';
import {
  countPasskeysOf,
  deletePasskey,
  findPasskeyOwnership,
  insertPasskey,
  isPasskeyRegistered,
  listPasskeySummariesOf,
} from './passkey.repository.js';
import { newTotpSecret, totpEnrollment } from './totp.js';
import {
  confirmTotpCredential,
  deleteTotpCredential,
  findTotpConfirmation,
  hasConfirmedTotp,
  storePendingTotp,
} from './totp.repository.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { enqueueMail } from '../outbox/enqueue.js';

/**
 * Tells the owner, at their address, that a factor changed: a change they did not make is how a
 * hijacked account shows itself. Nothing in the mail but the fact.
 */
async function notifyOwner(
  db: DbOrTx,
  deps: AppDeps,
  account: AccountRow,
  what: string,
): Promise<void> {
  await enqueueMail(db, deps, {
    tenantId: account.tenant_id,
    topic: 'second-factor-changed',
    to: { accountId: account.id },
    subject: 'Cloison : vos moyens de connexion ont changé',
    text:
      `Bonjour,\n\nSur votre compte Cloison, ${what}.\n\n` +
      'Si ce n’est pas vous, changez votre mot de passe et prévenez sans attendre votre MDPH.\n',
  });
}

/** A code or a registration that does not prove the new factor: recorded, nothing stored. */
async function refuseEnrolment(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  account: AccountRow,
  method: 'totp' | 'passkey',
): Promise<never> {
  await recordSecurityEvent(deps, origin, {
    kind: 'second-factor.failed',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { method, enrolment: true },
  });
  throw problems.badSecondFactor();
}

/**
 * A factor was just registered, which proves it is held: recorded, the owner told, and the
 * session raised (a new id; for an account enrolling, the sign-in completes).
 */
async function factorAdded(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  account: AccountRow,
  method: 'totp' | 'passkey',
): Promise<void> {
  await recordSecurityEvent(deps, ctx, {
    kind: 'second-factor.added',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { method },
  });
  await notifyOwner(
    deps.db,
    deps,
    account,
    method === 'totp'
      ? 'une application d’authentification a été ajoutée'
      : 'une clé d’accès a été ajoutée',
  );
  await raiseSession(deps, ctx, account, method);
}

/** Removing a factor or renewing codes ends every other session of the account. */
async function endOtherSessions(trx: DbOrTx, ctx: SessionContext, accountId: string) {
  await deleteSessionsOfAccountExcept(trx, accountId, ctx.session?.idHash ?? null);
}

async function ownAccount(deps: AppDeps, actor: Actor): Promise<AccountRow> {
  if (actor.kind === 'anonymous' || actor.kind === 'integration') throw problems.unauthenticated();
  const account = await findAccountById(deps.db, actor.accountId);
  if (!account) throw problems.unauthenticated();
  return account;
}

async function factorCount(db: DbOrTx, accountId: string): Promise<number> {
  const totp = await hasConfirmedTotp(db, accountId);
  const keys = await countPasskeysOf(db, accountId);
  return (totp ? 1 : 0) + keys;
}

/** Keeps accounts.mfa_enrolled_at in step with the factors, in the caller's transaction. */
async function syncEnrolment(db: DbOrTx, accountId: string, now: string): Promise<void> {
  const count = await factorCount(db, accountId);
  if (count === 0) {
    await clearSecondFactorEnrolment(db, accountId);
    await deleteRecoveryCodesOf(db, accountId);
  } else {
    await markSecondFactorEnrolled(db, accountId, now);
  }
}

/** First factor added: recovery codes come with it (shown once). Later ones add none. */
async function recoveryCodesOnFirstFactor(db: DbOrTx, accountId: string, now: string) {
  return (await hasRecoveryCodes(db, accountId)) ? [] : replaceRecoveryCodes(db, accountId, now);
}

/** The account's second factors as its owner sees them (no secret, no public key). */
export async function describeFactors(deps: AppDeps, actor: Actor) {
  const account = await ownAccount(deps, actor);
  const totp = await findTotpConfirmation(deps.db, account.id);
  const keys = await listPasskeySummariesOf(deps.db, account.id);
  return {
    required: mustHaveSecondFactor(account.kind),
    totp: !totp
      ? ('none' as const)
      : totp.confirmed_at
        ? ('active' as const)
        : ('pending' as const),
    passkeys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      createdAt: k.created_at,
      lastUsedAt: k.last_used_at,
    })),
    recoveryCodesLeft: await countRecoveryCodesLeft(deps.db, account.id),
  };
}

/** Step 1 of TOTP: a new secret, shown once to this session, unusable until a code confirms it. */
export async function startTotp(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  currentPassword: string,
) {
  const account = await ownAccount(deps, actor);
  await reauthenticate(deps, ctx, actor, account, currentPassword);
  if (account.tenant_id === null) {
    throw problems.conflict(
      'totp-unavailable',
      'Les comptes de la plateforme utilisent une clé d’accès (passkey), pas un code TOTP.',
    );
  }
  const existing = await findTotpConfirmation(deps.db, account.id);
  if (existing?.confirmed_at) {
    throw problems.conflict(
      'totp-exists',
      'Retirez l’application actuelle avant d’en ajouter une.',
    );
  }
  const secret = newTotpSecret();
  const sealed = await deps.vault.sealCredential(
    deps.db,
    account.tenant_id,
    sealedField.totpSecret(account.id),
    secret,
  );
  const now = deps.clock.now().toISOString();
  await storePendingTotp(deps.db, account.id, sealed, now);
  const enrollment = totpEnrollment(secret, account.email);
  secret.fill(0);
  return enrollment;
}

/** Step 2 of TOTP: a first good code proves the app holds the secret. */
export async function confirmTotp(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const account = await ownAccount(deps, actor);
  const pending = await findTotpConfirmation(deps.db, account.id);
  if (!pending || pending.confirmed_at) {
    throw problems.conflict(
      'no-totp-pending',
      'Aucune application TOTP en attente de confirmation.',
    );
  }
  if ((await acceptTotp(deps, account, code, false)) !== 'ok') {
    return refuseEnrolment(deps, ctx, actor, account, 'totp');
  }
  const now = deps.clock.now().toISOString();
  const recoveryCodes = await deps.db.transaction().execute(async (trx) => {
    await confirmTotpCredential(trx, account.id, now);
    await syncEnrolment(trx, account.id, now);
    return recoveryCodesOnFirstFactor(trx, account.id, now);
  });
  await factorAdded(deps, ctx, actor, account, 'totp');
  return { recoveryCodes };
}

/** The password again, then the options for registering a new passkey. */
export async function passkeyRegistrationOptions(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  currentPassword: string,
) {
  const account = await ownAccount(deps, actor);
  await reauthenticate(deps, ctx, actor, account, currentPassword);
  return registrationOptions(deps, ctx, account);
}

/** Registers a passkey proven by its attestation; recovery codes come with a first factor. */
export async function addPasskey(
  deps: AppDeps,
  ctx: BrowserContext,
  actor: Actor,
  name: string,
  response: RegistrationResponseJSON,
): Promise<{ id: string; recoveryCodes: string[] }> {
  const account = await ownAccount(deps, actor);
  const credential = await verifyRegistration(deps, ctx, response);
  if (!credential) {
    return refuseEnrolment(deps, ctx, actor, account, 'passkey');
  }
  const now = deps.clock.now().toISOString();
  const recoveryCodes = await deps.db.transaction().execute(async (trx) => {
    if (await isPasskeyRegistered(trx, credential.id))
      throw problems.conflict('passkey-exists', 'Cette clé d’accès est déjà enregistrée.');
    await insertPasskey(trx, {
      id: credential.id,
      account_id: account.id,
      name,
      public_key: Buffer.from(credential.publicKey),
      sign_count: credential.counter,
      transports: JSON.stringify(credential.transports ?? []),
      created_at: now,
      last_used_at: null,
    });
    await syncEnrolment(trx, account.id, now);
    return recoveryCodesOnFirstFactor(trx, account.id, now);
  });
  await factorAdded(deps, ctx, actor, account, 'passkey');
  return { id: credential.id, recoveryCodes };
}

/** Staff must keep one factor: removing the last one is refused, not left to a later login. */
async function removeFactor(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  currentPassword: string,
  method: 'totp' | 'passkey',
  remove: (trx: DbOrTx, account: AccountRow) => Promise<boolean>,
): Promise<void> {
  const account = await ownAccount(deps, actor);
  await reauthenticate(deps, ctx, actor, account, currentPassword);
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await endOtherSessions(trx, ctx, account.id);
    if (!(await remove(trx, account))) throw new NotFound();
    if (mustHaveSecondFactor(account.kind) && (await factorCount(trx, account.id)) === 0) {
      throw problems.conflict(
        'last-second-factor',
        'Un compte d’agent garde au moins un second facteur : ajoutez-en un autre avant de retirer celui-ci.',
      );
    }
    await syncEnrolment(trx, account.id, now);
    await notifyOwner(
      trx,
      deps,
      account,
      method === 'totp'
        ? 'l’application d’authentification a été retirée'
        : 'une clé d’accès a été retirée',
    );
  });
  await recordSecurityEvent(deps, ctx, {
    kind: 'second-factor.removed',
    actor,
    objectType: 'account',
    objectId: account.id,
    detail: { method },
  });
}

/** Removes the authenticator app (the password again; staff keep one factor). */
export function removeTotp(deps: AppDeps, ctx: SessionContext, actor: Actor, password: string) {
  return removeFactor(deps, ctx, actor, password, 'totp', (trx, account) =>
    deleteTotpCredential(trx, account.id),
  );
}

/** Removes one of the account's own passkeys (the password again; staff keep one factor). */
export function removePasskey(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  passkeyId: string,
  password: string,
) {
  return removeFactor(deps, ctx, actor, password, 'passkey', async (trx, account) => {
    // Someone else's passkey answers exactly like one that does not exist.
    const passkey = await requireAuthorized(trx, actor, 'mfa.manage', {
      type: 'passkey',
      id: passkeyId,
      table: 'passkeys',
      find: () => findPasskeyOwnership(trx, account.id, passkeyId),
      facts: (row) => ({ type: 'passkey', id: row.id, accountId: row.account_id }),
    });
    await deletePasskey(trx, passkey.id);
    return true;
  });
}

/** New recovery codes for the old ones (the password again); other sessions end. */
export async function renewRecoveryCodes(
  deps: AppDeps,
  ctx: SessionContext,
  actor: Actor,
  currentPassword: string,
): Promise<{ recoveryCodes: string[] }> {
  const account = await ownAccount(deps, actor);
  await reauthenticate(deps, ctx, actor, account, currentPassword);
  if (account.mfa_enrolled_at === null) {
    throw problems.conflict('no-second-factor', 'Ajoutez d’abord un second facteur.');
  }
  const now = deps.clock.now().toISOString();
  const recoveryCodes = await deps.db.transaction().execute(async (trx) => {
    await endOtherSessions(trx, ctx, account.id);
    const codes = await replaceRecoveryCodes(trx, account.id, now);
    await notifyOwner(
      trx,
      deps,
      account,
      'de nouveaux codes de secours ont été créés (les anciens ne marchent plus)',
    );
    return codes;
  });
  await recordSecurityEvent(deps, ctx, {
    kind: 'recovery-codes.renewed',
    actor,
    objectType: 'account',
    objectId: account.id,
  });
  return { recoveryCodes };
}
