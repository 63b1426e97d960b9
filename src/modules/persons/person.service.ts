import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { isoDay } from '../../clock.js';
import { problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import {
  findMandateOfTenant,
  findOwnPerson,
  listMandatesOfTenant,
  findPersonsByNirIndex,
  listPersonsOfUsager,
  insertPerson,
  insertMandate,
  markMandateVerified,
} from './person.repository.js';
import { normaliseNir } from '../../crypto/vault.js';
import { openName } from './person-fields.js';
import { sealedField } from '../../crypto/sealed-fields.js';
import { sealedPerson } from './sealed-person.js';
import type {
  DeclareRepresentedBody,
  DeclareSelfBody,
  MandateReview,
  PersonView,
} from './person.schemas.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { requireAuthorized } from '../authorization/require-authorized.js';
import { findLatestProof, latestProofsOf } from './mandate-proof.repository.js';

type Person = Static<typeof PersonView>;

/** The usager's own person and those they represent or asked to represent. */
export async function listMyPersons(deps: AppDeps, actor: Actor): Promise<{ items: Person[] }> {
  if (actor.kind !== 'usager') return { items: [] };
  const { own, represented } = await listPersonsOfUsager(
    deps.db,
    actor.tenantId,
    actor.accountId,
    isoDay(deps.clock.now()),
  );
  const open = async (p: {
    id: string;
    first_name_enc: Buffer;
    last_name_enc: Buffer;
    birth_date_enc: Buffer;
  }) => {
    const cipher = await deps.vault.forPerson(deps.db, actor.tenantId, p.id);
    return {
      id: p.id,
      ...openName(cipher, p),
      birthDate: cipher.open(sealedField.person(p.id, 'birth_date'), p.birth_date_enc),
    };
  };
  const proofs = await latestProofsOf(
    deps.db,
    actor.tenantId,
    represented.map((p) => p.mandate_id),
  );
  const items: Person[] = [];
  for (const p of own) items.push({ ...(await open(p)), relation: 'self', mandate: null });
  for (const p of represented) {
    items.push({
      ...(await open(p)),
      relation: 'represented',
      mandate: {
        id: p.mandate_id,
        kind: p.kind,
        startsOn: p.starts_on,
        endsOn: p.ends_on,
        verified: p.verified_at !== null,
        proof: proofOf(proofs.get(p.mandate_id)),
      },
    });
  }
  return { items };
}

/**
 * A usager declares a person they represent. The mandate starts unverified: until an agent
 * checks the supporting evidence it grants nothing.
 */
export async function declareRepresented(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof DeclareRepresentedBody>,
): Promise<Person> {
  if (actor.kind !== 'usager') throw problems.forbidden();
  if (body.mandate.startsOn > body.mandate.endsOn) {
    throw problems.validation('La date de fin du mandat précède sa date de début.');
  }
  const now = deps.clock.now().toISOString();
  const personId = randomUUID();
  noteAuditedObject('person', personId);
  const mandateId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await insertPerson(
      trx,
      await sealedPerson(deps, trx, {
        id: personId,
        tenantId: actor.tenantId,
        accountId: null,
        firstName: body.firstName,
        lastName: body.lastName,
        birthDate: body.birthDate,
        nir: body.nir ?? null,
        address: null,
        now: deps.clock.now(),
      }),
    );
    await insertMandate(trx, {
      id: mandateId,
      tenant_id: actor.tenantId,
      representative_account_id: actor.accountId,
      person_id: personId,
      kind: body.mandate.kind,
      starts_on: body.mandate.startsOn,
      ends_on: body.mandate.endsOn,
      verified_by: null,
      verified_at: null,
      created_at: now,
    });
  });
  return {
    id: personId,
    firstName: body.firstName,
    lastName: body.lastName,
    birthDate: body.birthDate,
    relation: 'represented',
    mandate: { id: mandateId, ...body.mandate, verified: false, proof: null },
  };
}

/**
 * A usager declares who they are: the person their account is, which they file requests for.
 * Sign-up does not ask for it (unverified addresses hold no personal data); it is done once.
 */
export async function declareSelf(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof DeclareSelfBody>,
): Promise<Person> {
  if (actor.kind !== 'usager') throw problems.forbidden();
  const personId = randomUUID();
  noteAuditedObject('person', personId);
  await deps.db.transaction().execute(async (trx) => {
    // Inside the transaction: two declarations racing find each other.
    const own = await findOwnPerson(trx, actor.tenantId, actor.accountId);
    if (own) throw problems.conflict('person-exists', 'Votre identité est déjà déclarée.');
    await insertPerson(
      trx,
      await sealedPerson(deps, trx, {
        id: personId,
        tenantId: actor.tenantId,
        accountId: actor.accountId,
        firstName: body.firstName,
        lastName: body.lastName,
        birthDate: body.birthDate,
        nir: body.nir ?? null,
        address: body.address ?? null,
        now: deps.clock.now(),
      }),
    );
  });
  return {
    id: personId,
    firstName: body.firstName,
    lastName: body.lastName,
    birthDate: body.birthDate,
    relation: 'self',
    mandate: null,
  };
}

type Review = Static<typeof MandateReview>;

/** The proof on file as lists show it: its kind and date, never its name. */
function proofOf(p: { kind: string; created_at: string } | undefined): Review['proof'] {
  return p
    ? { kind: p.kind as NonNullable<Review['proof']>['kind'], uploadedAt: p.created_at }
    : null;
}

/** Mandates of the agent's département, to verify. */
export async function listMandatesForReview(
  deps: AppDeps,
  actor: Actor,
  pending: boolean,
): Promise<{ items: Review[] }> {
  if (actor.kind !== 'staff') return { items: [] };
  const rows = await listMandatesOfTenant(deps.db, actor.tenantId, pending);
  const proofs = await latestProofsOf(
    deps.db,
    actor.tenantId,
    rows.map((r) => r.id),
  );
  const names = new Map<string, string>();
  for (const r of rows) {
    const cipher = await deps.vault.forPerson(deps.db, actor.tenantId, r.person_id);
    const name = openName(cipher, { ...r, id: r.person_id });
    names.set(r.id, `${name.firstName} ${name.lastName}`);
  }
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      verifiedAt: r.verified_at,
      personId: r.person_id,
      personName: names.get(r.id) ?? '',
      representativeName: r.representative_name,
      proof: proofOf(proofs.get(r.id)),
      verifiedProofId: r.verified_proof_id,
      endedAt: r.ended_at,
    })),
  };
}

/** An agent records that the mandate's evidence was checked. */
export async function verifyMandate(deps: AppDeps, actor: Actor, mandateId: string): Promise<void> {
  const mandate = await requireAuthorized(deps.db, actor, 'mandate.verify', {
    type: 'mandate',
    id: mandateId,
    table: 'mandates',
    find: async () =>
      actor.kind === 'staff' ? findMandateOfTenant(deps.db, actor.tenantId, mandateId) : undefined,
    facts: (row) => ({
      type: 'mandate',
      id: row.id,
      tenantId: row.tenant_id,
      representativeAccountId: row.representative_account_id,
    }),
  });
  // Only staff pass the mandate policy: this narrows the type, it never refuses here.
  const agent = requireStaff(actor);
  if (mandate.verified_at) {
    throw problems.conflict('already-verified', 'Ce mandat est déjà vérifié.');
  }
  if (mandate.ended_at !== null) {
    throw problems.conflict('mandate-ended', 'Ce mandat a pris fin.');
  }
  // A mandate is verified against a proof on file, and the record says which one was in view.
  const proof = await findLatestProof(deps.db, mandate.tenant_id, mandate.id);
  if (!proof) {
    throw problems.conflict('no-proof', 'Aucun justificatif n’est déposé pour ce mandat.');
  }
  await markMandateVerified(deps.db, mandate.tenant_id, mandateId, {
    by: agent.accountId,
    at: deps.clock.now().toISOString(),
    proofId: proof.id,
  });
}

/**
 * Persons of the agent's own département with this NIR. The NIR is never stored in clear: the
 * lookup compares keyed HMACs, and the tenant comes from the session, never from the client.
 */
export async function searchPersonsByNir(deps: AppDeps, actor: Actor, nir: string) {
  if (actor.kind !== 'staff') return { items: [] };
  const index = await deps.vault.blindIndex(deps.db, actor.tenantId, 'nir', normaliseNir(nir));
  const rows = await findPersonsByNirIndex(deps.db, actor.tenantId, index);
  const items = [];
  for (const p of rows) {
    const cipher = await deps.vault.forPerson(deps.db, actor.tenantId, p.id);
    items.push({
      id: p.id,
      ...openName(cipher, p),
      birthDate: cipher.open(sealedField.person(p.id, 'birth_date'), p.birth_date_enc),
    });
  }
  return { items };
}
