import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { Vault } from '../crypto/vault.js';
import { sealedPerson } from '../modules/persons/sealed-person.js';
import { putSealed } from '../modules/documents/sealed-blobs.js';
import { sealedField } from '../crypto/sealed-fields.js';
import { hashPassword } from '../modules/auth/password.js';
import { samplePdf, sampleJpeg, samplePng } from '../modules/documents/sample-files.js';
import { newTotpSecret, totpEnrollment } from '../modules/mfa/totp.js';
import { insertPerson } from '../modules/persons/person.repository.js';
import { insertCase } from '../modules/cases/case.repository.js';
import { isoDay } from '../clock.js';
import { addDays, instructionDeadline } from '../policy/case-deadlines.js';
import { insertMandateProof } from '../modules/persons/mandate-proof.repository.js';
import { insertDocument } from '../modules/documents/document.repository.js';
import { insertEntry } from '../modules/case-entries/entry.repository.js';
import {
  getPersonIdOfCase,
  insertSeededAccount,
  insertSeededRight,
  insertSeededTotp,
} from './demo.repository.js';

/**
 * How the demo seed writes each kind of record (accounts, persons, cases, documents, entries):
 * sealed as the application seals them, through the repositories the application writes with.
 */

/** One line of demo-accounts.json. */
export interface DemoAccount {
  id: string;
  kind: 'usager' | 'staff' | 'operateur';
  role: string | null;
  team: string | null;
  tenant: string | null;
  email: string;
  password: string;
  displayName: string;
  /** What this account is for in the demo, to pick it from scripts. */
  label: string;
  /**
   * Staff: the TOTP secret (base32) of their second factor, to type into an authenticator app,
   * and the otpauth:// URI to turn into a QR code. The operator registers a passkey instead.
   */
  totpSecret?: string;
  totpUri?: string;
  /**
   * A usager with no file yet: the invitation letter the accueil printed for a person filed on
   * paper, with the birth date that person proves at the claim.
   */
  invitation?: { code: string; birthDate: string; expiresAt: string };
}

let nirSeq = 0;

/** A made-up NIR of the right shape (sex, year, month, département, sequence); not a real one. */
export function demoNir(birth: string, dept: string): string {
  nirSeq += 1;
  return `2${birth.slice(2, 4)}${birth.slice(5, 7)}${dept}${String(100 + nirSeq).padStart(3, '0')}${String(nirSeq).padStart(3, '0')}`;
}

/** What the seed writes with, and the accounts it made so far. */
export interface DemoContext {
  db: Db;
  blobs: BlobStore;
  vault: Vault;
  now: Date;
  accounts: DemoAccount[];
  /** The age key pair of the demo's export recipient (demo-exports.ts). */
  exportRecipient: { identity: string; recipient: string };
}

function password(): string {
  return randomBytes(15).toString('base64url');
}

/** An active account with a random password, listed in demo-accounts.json; staff get a TOTP. */
export async function addAccount(
  ctx: DemoContext,
  a: Omit<DemoAccount, 'id' | 'password'>,
  tenantId: string | null,
): Promise<string> {
  const id = randomUUID();
  const pw = password();
  await insertSeededAccount(ctx.db, {
    id,
    tenant_id: tenantId,
    kind: a.kind,
    role: a.role,
    team: a.team,
    email: a.email,
    display_name: a.displayName,
    password_hash: await hashPassword(pw),
    status: 'active',
    created_at: ctx.now.toISOString(),
    last_login_at: null,
    mfa_enrolled_at: a.kind === 'staff' ? ctx.now.toISOString() : null,
    // Demo addresses are the seed's own: nothing to verify.
    email_verified_at: ctx.now.toISOString(),
  });
  const totp = a.kind === 'staff' && tenantId ? await addTotp(ctx, id, tenantId, a.email) : {};
  ctx.accounts.push({ ...a, id, password: pw, ...totp });
  return id;
}

/** A confirmed TOTP factor, as if the agent had scanned the QR code at their first login. */
async function addTotp(ctx: DemoContext, accountId: string, tenantId: string, email: string) {
  const secret = newTotpSecret();
  const sealed = await ctx.vault.sealCredential(
    ctx.db,
    tenantId,
    sealedField.totpSecret(accountId),
    secret,
  );
  await insertSeededTotp(ctx.db, {
    account_id: accountId,
    secret_enc: sealed,
    created_at: ctx.now.toISOString(),
    confirmed_at: ctx.now.toISOString(),
    last_step: 0,
  });
  const { secret: totpSecret, uri: totpUri } = totpEnrollment(secret, email);
  return { totpSecret, totpUri };
}

/** A person, sealed under a new data key of their own. */
export async function addPerson(
  ctx: DemoContext,
  tenantId: string,
  p: {
    accountId: string | null;
    first: string;
    last: string;
    birth: string;
    address: string;
    nir: string;
  },
): Promise<string> {
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertPerson(
      trx,
      await sealedPerson(ctx, trx, {
        id,
        tenantId,
        accountId: p.accountId,
        firstName: p.first,
        lastName: p.last,
        birthDate: p.birth,
        nir: p.nir,
        address: p.address,
        now: ctx.now,
      }),
    );
  });
  return id;
}

/** What the demo says about one case. */
export interface CaseSeed {
  personId: string;
  filedBy: string;
  status: string;
  rights: string[];
  instructeurId?: string;
  evaluateurId?: string;
  team?: string;
  summary?: string;
  decisions?: Record<string, [string, string]>;
  piecesDeadline?: string;
  /** The day it was found complete; a month ago by default for a case past that point. */
  completeOn?: string;
  /** The day its decision was notified; ten days ago by default for a notified case. */
  notifiedOn?: string;
}

const PAST_COMPLETE = [
  'recevable',
  'evaluation',
  'attente_cdaph',
  'decide',
  'notifie',
  'cloture',
  'recours',
];

/** A case with its rights, already in the status the demo wants it in. */
export async function addCase(
  ctx: DemoContext,
  tenant: { id: string; code: string },
  seq: number,
  c: CaseSeed,
) {
  const id = randomUUID();
  const at = ctx.now.toISOString();
  const cipher = await ctx.vault.forPerson(ctx.db, tenant.id, c.personId);
  const today = isoDay(ctx.now);
  const completeOn =
    c.completeOn ?? (PAST_COMPLETE.includes(c.status) ? addDays(today, -30) : null);
  await insertCase(ctx.db, {
    id,
    tenant_id: tenant.id,
    reference: `MDPH${tenant.code}-${ctx.now.getUTCFullYear()}-${String(seq).padStart(6, '0')}`,
    person_id: c.personId,
    filed_by_account_id: c.filedBy,
    status: c.status,
    team: c.team ?? null,
    instructeur_id: c.instructeurId ?? null,
    evaluateur_id: c.evaluateurId ?? null,
    summary_enc: cipher.sealOptional(sealedField.caseSummary(id), c.summary),
    pieces_deadline: c.piecesDeadline ?? null,
    submitted_at: c.status === 'brouillon' ? null : at,
    created_at: at,
    updated_at: at,
    complete_on: completeOn,
    instruction_due_on: completeOn === null ? null : instructionDeadline(completeOn),
    notified_on: c.notifiedOn ?? (c.status === 'notifie' ? addDays(today, -10) : null),
  });
  for (const code of c.rights) {
    const decision = c.decisions?.[code];
    const rightId = randomUUID();
    await insertSeededRight(ctx.db, {
      id: rightId,
      tenant_id: tenant.id,
      case_id: id,
      right_code: code,
      decision: decision?.[0] ?? null,
      decision_reason_enc: cipher.sealOptional(sealedField.decisionReason(rightId), decision?.[1]),
      decided_by: decision ? (c.instructeurId ?? null) : null,
      decided_at: decision ? at : null,
      ...seededValidity(decision?.[0] ?? null, ctx.now),
      session_id: null,
    });
  }
  return id;
}

/**
 * The validity a seeded accord carries: five years from the day it was decided, as the CDAPH
 * commonly grants; a rejection or an undecided right has none.
 */
export function seededValidity(decision: string | null, decidedAt: Date) {
  if (decision !== 'accord' && decision !== 'accord_partiel') {
    return { valid_from: null, valid_until: null };
  }
  const from = decidedAt.toISOString().slice(0, 10);
  const until = new Date(decidedAt);
  until.setUTCFullYear(until.getUTCFullYear() + 5);
  return { valid_from: from, valid_until: until.toISOString().slice(0, 10) };
}

/** A sample file of the case, sealed under its person's key like an upload. */
export async function addDocument(
  ctx: DemoContext,
  tenantId: string,
  caseId: string,
  d: {
    category: string;
    piece: string | null;
    name: string;
    uploadedBy: string;
    kind?: 'pdf' | 'png' | 'jpeg';
    /** An agent's review of the piece (pending when absent); a rejection gives its reason. */
    review?: { status: 'accepted' | 'rejected'; by: string; reason?: string };
    /** A medical certificate's date. */
    issuedOn?: string;
  },
) {
  const bytes =
    d.kind === 'png'
      ? samplePng()
      : d.kind === 'jpeg'
        ? sampleJpeg()
        : samplePdf(`Cloison demo: ${d.name}`);
  const id = randomUUID();
  const cipher = await cipherOfCase(ctx, tenantId, caseId);
  const stored = await putSealed(ctx.blobs, cipher, id, Readable.from([bytes]));
  await insertDocument(ctx.db, {
    id,
    tenant_id: tenantId,
    case_id: caseId,
    category: d.category,
    piece: d.piece,
    original_name_enc: cipher.seal(sealedField.documentName(id), d.name),
    media_type:
      d.kind === 'png' ? 'image/png' : d.kind === 'jpeg' ? 'image/jpeg' : 'application/pdf',
    size_bytes: stored.size,
    sha256_enc: cipher.seal(sealedField.documentHash(id), stored.sha256),
    storage_key: stored.key,
    uploaded_by: d.uploadedBy,
    created_at: ctx.now.toISOString(),
    review_status: d.review?.status ?? 'pending',
    review_reason_enc: cipher.sealOptional(sealedField.documentReviewReason(id), d.review?.reason),
    reviewed_by: d.review?.by ?? null,
    reviewed_at: d.review ? ctx.now.toISOString() : null,
    issued_on_enc: cipher.sealOptional(sealedField.documentIssuedOn(id), d.issuedOn),
  });
  return id;
}

/** The cipher of the person a case is about. */
async function cipherOfCase(ctx: DemoContext, tenantId: string, caseId: string) {
  return ctx.vault.forPerson(ctx.db, tenantId, await getPersonIdOfCase(ctx.db, caseId));
}

/** A message or an internal note of a case, sealed under its person's key. */
export async function addEntry(
  ctx: DemoContext,
  table: 'messages' | 'notes',
  tenantId: string,
  caseId: string,
  author: string,
  body: string,
) {
  const id = randomUUID();
  const cipher = await cipherOfCase(ctx, tenantId, caseId);
  await insertEntry(ctx.db, table, {
    id,
    tenantId,
    caseId,
    authorId: author,
    bodyEnc: cipher.seal(sealedField.entryBody(table, id), body),
    at: ctx.now.toISOString(),
  });
}

/** The proof of a mandate, sealed under the represented person's key like an upload. */
export async function addMandateProof(
  ctx: DemoContext,
  tenantId: string,
  p: { id: string; mandateId: string; personId: string; uploadedBy: string; name: string },
) {
  const cipher = await ctx.vault.forPerson(ctx.db, tenantId, p.personId);
  const stored = await putSealed(
    ctx.blobs,
    cipher,
    p.id,
    Readable.from([samplePdf(`Cloison demo: ${p.name}`)]),
  );
  await insertMandateProof(ctx.db, {
    id: p.id,
    tenant_id: tenantId,
    mandate_id: p.mandateId,
    person_id: p.personId,
    kind: 'livret_famille',
    original_name_enc: cipher.seal(sealedField.mandateProofName(p.id), p.name),
    media_type: 'application/pdf',
    size_bytes: stored.size,
    sha256_enc: cipher.seal(sealedField.mandateProofHash(p.id), stored.sha256),
    storage_key: stored.key,
    uploaded_by: p.uploadedBy,
    created_at: ctx.now.toISOString(),
  });
}
