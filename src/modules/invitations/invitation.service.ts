import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { Problem, problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { clearFailures, takeAttempt } from '../auth/login-throttle.js';
import { recordSecurityEvent, type EventOrigin } from '../events/security-events.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { findOwnPerson, findPersonWithHolders } from '../persons/person.repository.js';
import { canClaimPerson } from '../../policy/person.policy.js';
import {
  inviterAddressWindowStart,
  isClaimFromInviterAddress,
} from '../../policy/invitation.policy.js';
import { listAddressesOfActorSince } from '../audit/audit-event.repository.js';
import { openName } from '../persons/person-fields.js';
import { newInvitationCode, normaliseInvitationCode } from './invitation-code.js';
import { enqueueInvitationMail } from '../notifications/notify.js';
import {
  claimInvitation,
  countFailedClaim,
  findPendingInvitationByCode,
  insertInvitation,
  revokePendingInvitations,
} from './invitation.repository.js';

const DAY_MS = 86_400_000;
/** A letter takes days to arrive and a person time to act on it; a mail is read sooner. */
export const INVITATION_VALIDITY_DAYS = { letter: 60, email: 30 } as const;
/** Wrong birth dates tried with one good code before that code stops working. */
export const CLAIM_TRIES_PER_INVITATION = 5;

/**
 * One answer for a code unknown, expired, used, revoked or typed with a wrong birth date: the
 * answer never tells a guesser that they found a real code.
 */
function invalidInvitation(): Problem {
  return new Problem(
    400,
    'invitation-invalid',
    'Invitation non reconnue',
    'Ce code n’est pas valide, a expiré, ou la date de naissance ne correspond pas.',
  );
}

/**
 * The accueil invites a person registered on paper to take over their file online. The code
 * exists only in this answer (to be printed on the letter) or in the mail; a new invitation
 * ends the previous one.
 */
export async function invitePerson(
  deps: AppDeps,
  actor: Actor,
  personId: string,
  body: { channel: 'letter' | 'email'; email?: string },
) {
  if ((body.channel === 'email') !== (body.email !== undefined)) {
    throw problems.validation(
      body.channel === 'email'
        ? 'Une invitation par courriel demande l’adresse (email).'
        : 'Une invitation par courrier ne prend pas d’adresse électronique.',
      [{ path: 'body/email', message: 'email is required with channel email, and only then' }],
    );
  }
  const today = isoDay(deps.clock.now());
  const person = await requireAuthorized(deps.db, actor, 'person.invite', {
    type: 'person',
    id: personId,
    table: 'persons',
    find: async () =>
      actor.kind === 'staff'
        ? findPersonWithHolders(deps.db, actor.tenantId, personId, today)
        : undefined,
    facts: (found) => found,
  });
  const agent = requireStaff(actor);
  const now = deps.clock.now();
  const code = newInvitationCode();
  const codeIndex = await deps.vault.blindIndex(
    deps.db,
    person.tenantId,
    'invitation',
    normaliseInvitationCode(code)!,
  );
  const id = randomUUID();
  const expiresAt = new Date(
    now.getTime() + INVITATION_VALIDITY_DAYS[body.channel] * DAY_MS,
  ).toISOString();
  noteAuditedObject('person', person.id);
  await deps.db.transaction().execute(async (trx) => {
    await revokePendingInvitations(trx, person.tenantId, person.id, now.toISOString());
    await insertInvitation(trx, {
      id,
      tenant_id: person.tenantId,
      person_id: person.id,
      channel: body.channel,
      code_index: codeIndex,
      status: 'pending',
      created_by: agent.accountId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      claimed_by: null,
    });
    if (body.channel === 'email') {
      const queued = await enqueueInvitationMail(trx, deps, {
        tenantId: person.tenantId,
        address: body.email!,
        link: `${deps.publicOrigin()}/mon-espace`,
        code,
        expiresOn: expiresAt.slice(0, 10),
      });
      // Rolled back with the invitation: a code nobody can receive must not stay pending.
      if (queued === null) throw problems.mailUnavailable();
    }
  });
  return {
    id,
    channel: body.channel,
    expiresAt,
    // Printed on the letter by the agent; a mailed code is shown to its reader only.
    code: body.channel === 'letter' ? code : null,
  };
}

/**
 * A signed-in usager takes over the file the code was issued for, proving the person's birth
 * date. Attempts are counted per account before anything is checked, and wrong birth dates per
 * invitation, so neither codes nor birth dates can be guessed at speed.
 */
export async function claimPersonInvitation(
  deps: AppDeps,
  origin: EventOrigin,
  actor: Actor,
  body: { code: string; birthDate: string },
) {
  if (actor.kind !== 'usager') throw problems.forbidden();
  // Before the code is looked at: an account that already is a person learns nothing about it.
  if (await findOwnPerson(deps.db, actor.tenantId, actor.accountId)) {
    throw problems.conflict('person-exists', 'Votre identité est déjà déclarée sur ce compte.');
  }
  const subject = `invitation-claim:${actor.accountId}`;
  await takeAttempt(deps, subject);
  const now = deps.clock.now();
  const code = normaliseInvitationCode(body.code);
  const found =
    code === null
      ? undefined
      : await findPendingInvitationByCode(
          deps.db,
          actor.tenantId,
          await deps.vault.blindIndex(deps.db, actor.tenantId, 'invitation', code),
        );
  const fail = async () => {
    await recordSecurityEvent(deps, origin, { kind: 'invitation.claim-failed', actor });
    return invalidInvitation();
  };
  if (!found || found.account_id !== null || Date.parse(found.expires_at) <= now.getTime()) {
    throw await fail();
  }
  const cipher = await deps.vault.forPerson(deps.db, actor.tenantId, found.person_id);
  const birthDate = cipher.open(
    sealedField.person(found.person_id, 'birth_date'),
    found.birth_date_enc,
  );
  if (birthDate !== body.birthDate) {
    await countFailedClaim(deps.db, found.id, CLAIM_TRIES_PER_INVITATION, now.toISOString());
    throw await fail();
  }
  noteAuditedObject('person', found.person_id);
  // Read before the file changes hands: a log that cannot be read must stop the claim rather
  // than let it pass unexamined.
  const fromInviterAddress = isClaimFromInviterAddress(
    { ip: origin?.ip ?? null, at: now },
    await listAddressesOfActorSince(
      deps.db,
      actor.tenantId,
      found.created_by,
      inviterAddressWindowStart(now),
    ),
  );
  const today = isoDay(now);
  await deps.db.transaction().execute(async (trx) => {
    // Decided again on what this transaction reads: a mandate declared, or an identity
    // declared by this account, since the checks above wins over the claim.
    const person = await findPersonWithHolders(trx, actor.tenantId, found.person_id, today);
    const isAlreadyAPerson =
      (await findOwnPerson(trx, actor.tenantId, actor.accountId)) !== undefined;
    if (!person || !canClaimPerson(actor, person, { isAlreadyAPerson })) {
      throw isAlreadyAPerson
        ? problems.conflict('person-exists', 'Votre identité est déjà déclarée sur ce compte.')
        : invalidInvitation();
    }
    const claimed = await claimInvitation(trx, {
      invitationId: found.id,
      tenantId: actor.tenantId,
      personId: found.person_id,
      accountId: actor.accountId,
      at: now.toISOString(),
    });
    // Rolled back whole: neither the invitation nor the person changes on a lost race.
    if (!claimed) throw invalidInvitation();
  });
  await clearFailures(deps, subject);
  // For the DPO's eyes: who took over which paper file, from which invitation (an accueil who
  // claims a file with a code they printed shows here).
  await recordSecurityEvent(deps, origin, {
    kind: 'invitation.claimed',
    actor,
    objectType: 'person',
    objectId: found.person_id,
    detail: { invitationId: found.id },
  });
  if (fromInviterAddress) {
    // Detected, not refused: the person may well have come to the accueil and claimed on its
    // public Wi-Fi, or live with the agent. The DPO checks who holds the account now.
    await recordSecurityEvent(deps, origin, {
      kind: 'invitation.claimed-from-inviter-address',
      actor,
      objectType: 'person',
      objectId: found.person_id,
      detail: { invitationId: found.id, inviterId: found.created_by },
    });
  }
  return {
    id: found.person_id,
    ...openName(cipher, { ...found, id: found.person_id }),
    birthDate,
    relation: 'self' as const,
    mandate: null,
  };
}
