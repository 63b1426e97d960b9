import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { Vault } from '../crypto/vault.js';
import type { AppDeps } from '../deps.js';
import { sealedPerson } from '../modules/persons/sealed-person.js';
import { putSealed } from '../modules/documents/sealed-blobs.js';
import { sealedField } from '../crypto/sealed-fields.js';
import { hashPassword } from '../modules/auth/password.js';
import { AGENT_ROLES } from '../modules/staff/agent-roles.js';
import { samplePdf, sampleJpeg, samplePng } from '../modules/documents/sample-files.js';
import { newTotpSecret, totpEnrollment } from '../modules/mfa/totp.js';
import { seedDecoy } from '../modules/decoys/decoy-seed.js';

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
}

export function demoAccountsPath(dataDir: string): string {
  return path.join(dataDir, 'demo-accounts.json');
}

let nirSeq = 0;

/** A made-up NIR of the right shape (sex, year, month, département, sequence); not a real one. */
function demoNir(birth: string, dept: string): string {
  nirSeq += 1;
  return `2${birth.slice(2, 4)}${birth.slice(5, 7)}${dept}${String(100 + nirSeq).padStart(3, '0')}${String(nirSeq).padStart(3, '0')}`;
}

const TENANTS = [
  { code: '44', name: 'MDPH de Loire-Atlantique' },
  { code: '85', name: 'MDPH de la Vendée' },
] as const;

const STAFF = [
  { label: 'accueil', role: 'accueil', team: null, name: 'Agent d’accueil' },
  { label: 'instructeur', role: 'instructeur', team: 'equipe-nord', name: 'Instructeur Nord' },
  { label: 'instructeur-sud', role: 'instructeur', team: 'equipe-sud', name: 'Instructeur Sud' },
  { label: 'evaluateur', role: 'evaluateur', team: null, name: 'Dr Évaluatrice' },
  { label: 'evaluateur-2', role: 'evaluateur', team: null, name: 'Dr Évaluateur bis' },
  { label: 'responsable', role: 'responsable', team: null, name: 'Responsable de pôle' },
  { label: 'cdaph', role: 'cdaph', team: null, name: 'Membre CDAPH' },
  { label: 'dpo', role: 'dpo', team: null, name: 'Déléguée à la protection des données' },
  { label: 'admin', role: 'admin', team: null, name: 'Administrateur du département' },
  // A second admin: approvals (integration tokens, staff grants, disabling the DPO, re-enabling
  // an agent) need another person. With two, neither admin can be disabled: two must remain.
  { label: 'admin-2', role: 'admin', team: null, name: 'Administratrice adjointe' },
] as const;

interface Ctx {
  db: Db;
  blobs: BlobStore;
  vault: Vault;
  now: Date;
  accounts: DemoAccount[];
}

function password(): string {
  return randomBytes(15).toString('base64url');
}

async function addAccount(
  ctx: Ctx,
  a: Omit<DemoAccount, 'id' | 'password'>,
  tenantId: string | null,
): Promise<string> {
  const id = randomUUID();
  const pw = password();
  await ctx.db
    .insertInto('accounts')
    .values({
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
    })
    .execute();
  const totp = a.kind === 'staff' && tenantId ? await addTotp(ctx, id, tenantId, a.email) : {};
  ctx.accounts.push({ ...a, id, password: pw, ...totp });
  return id;
}

/** A confirmed TOTP factor, as if the agent had scanned the QR code at their first login. */
async function addTotp(ctx: Ctx, accountId: string, tenantId: string, email: string) {
  const secret = newTotpSecret();
  const sealed = await ctx.vault.sealCredential(
    ctx.db,
    tenantId,
    sealedField.totpSecret(accountId),
    secret,
  );
  await ctx.db
    .insertInto('totp_credentials')
    .values({
      account_id: accountId,
      secret_enc: sealed,
      created_at: ctx.now.toISOString(),
      confirmed_at: ctx.now.toISOString(),
      last_step: 0,
    })
    .execute();
  const { secret: totpSecret, uri: totpUri } = totpEnrollment(secret, email);
  return { totpSecret, totpUri };
}

async function addPerson(
  ctx: Ctx,
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
    await trx
      .insertInto('persons')
      .values(
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
      )
      .execute();
  });
  return id;
}

interface CaseSeed {
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
}

async function addCase(ctx: Ctx, tenant: { id: string; code: string }, seq: number, c: CaseSeed) {
  const id = randomUUID();
  const at = ctx.now.toISOString();
  const cipher = await ctx.vault.forPerson(ctx.db, tenant.id, c.personId);
  await ctx.db
    .insertInto('cases')
    .values({
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
    })
    .execute();
  for (const code of c.rights) {
    const decision = c.decisions?.[code];
    const rightId = randomUUID();
    await ctx.db
      .insertInto('case_rights')
      .values({
        id: rightId,
        tenant_id: tenant.id,
        case_id: id,
        right_code: code,
        decision: decision?.[0] ?? null,
        decision_reason_enc: cipher.sealOptional(
          sealedField.decisionReason(rightId),
          decision?.[1],
        ),
        decided_by: decision ? (c.instructeurId ?? null) : null,
        decided_at: decision ? at : null,
      })
      .execute();
  }
  return id;
}

async function addDocument(
  ctx: Ctx,
  tenantId: string,
  caseId: string,
  d: {
    category: string;
    piece: string | null;
    name: string;
    uploadedBy: string;
    kind?: 'pdf' | 'png' | 'jpeg';
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
  await ctx.db
    .insertInto('documents')
    .values({
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
    })
    .execute();
}

/** The cipher of the person a case is about. */
async function cipherOfCase(ctx: Ctx, tenantId: string, caseId: string) {
  const c = await ctx.db
    .selectFrom('cases')
    .select('person_id')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return ctx.vault.forPerson(ctx.db, tenantId, c.person_id);
}

async function addEntry(
  ctx: Ctx,
  table: 'messages' | 'notes',
  tenantId: string,
  caseId: string,
  author: string,
  body: string,
) {
  const id = randomUUID();
  const cipher = await cipherOfCase(ctx, tenantId, caseId);
  await ctx.db
    .insertInto(table)
    .values({
      id,
      tenant_id: tenantId,
      case_id: caseId,
      author_account_id: author,
      body_enc: cipher.seal(sealedField.entryBody(table, id), body),
      created_at: ctx.now.toISOString(),
    })
    .execute();
}

/**
 * The demo staff hold their roles as the staff lifecycle would have left them: an approved grant
 * each (decided by the seed, which says so in `reason`: no admin approved it), a verified e-mail,
 * and agents managed by the tenant's responsable, who reviews them in access reviews.
 */
async function recordDemoGrants(ctx: Ctx, tenantId: string, staff: Record<string, string>) {
  const at = ctx.now.toISOString();
  const responsable = staff.responsable ?? null;
  for (const s of STAFF) {
    const accountId = staff[s.label]!;
    const grantId = randomUUID();
    await ctx.db
      .insertInto('role_grants')
      .values({
        id: grantId,
        tenant_id: tenantId,
        account_id: accountId,
        purpose: 'create',
        role: s.role,
        team: s.team,
        expires_at: null,
        status: 'approved',
        requested_by: null,
        requested_at: at,
        decided_by: null,
        decided_at: at,
        reason: 'demo-seed',
      })
      .execute();
    const agent = AGENT_ROLES.includes(s.role);
    await ctx.db
      .updateTable('accounts')
      .set({
        role_grant_id: grantId,
        email_verified_at: at,
        manager_id: agent ? responsable : null,
      })
      .where('id', '=', accountId)
      .execute();
  }
}

const FULL_FILE = [
  { category: 'correspondence', piece: 'cerfa_15692', name: 'formulaire-cerfa-15692.pdf' },
  { category: 'medical', piece: 'certificat_medical', name: 'certificat-medical-cerfa-15695.pdf' },
  { category: 'identity', piece: 'identite', name: 'carte-identite.jpg', kind: 'jpeg' as const },
  {
    category: 'address',
    piece: 'domicile',
    name: 'justificatif-domicile.png',
    kind: 'png' as const,
  },
];

async function seedTenant(ctx: Ctx, t: (typeof TENANTS)[number]) {
  const tenantId = randomUUID();
  await ctx.db
    .insertInto('tenants')
    .values({ id: tenantId, code: t.code, name: t.name, created_at: ctx.now.toISOString() })
    .execute();
  const tenant = { id: tenantId, code: t.code };
  const staff: Record<string, string> = {};
  for (const s of STAFF) {
    staff[s.label] = await addAccount(
      ctx,
      {
        kind: 'staff',
        role: s.role,
        team: s.team,
        tenant: t.code,
        email: `${s.label}.${t.code}@demo.cloison.test`,
        displayName: `${s.name} (${t.code})`,
        label: s.label,
      },
      tenantId,
    );
  }
  await recordDemoGrants(ctx, tenantId, staff);
  const usager = async (label: string, first: string, last: string, birth: string) => {
    const accountId = await addAccount(
      ctx,
      {
        kind: 'usager',
        role: null,
        team: null,
        tenant: t.code,
        email: `${label}.${t.code}@demo.cloison.test`,
        displayName: `${first} ${last}`,
        label,
      },
      tenantId,
    );
    const personId = await addPerson(ctx, tenantId, {
      accountId,
      first,
      last,
      birth,
      address: `${t.code} rue de la Demo`,
      nir: demoNir(birth, t.code),
    });
    return { accountId, personId };
  };
  const suffix = t.code === '44' ? 'Loire' : 'Vendee';
  const alice = await usager('usager', 'Camille', `Martin-${suffix}`, '1984-03-12');
  const bruno = await usager('usager-2', 'Bruno', `Durand-${suffix}`, '1975-11-02');
  const parent = await usager('parent', 'Nadia', `Benali-${suffix}`, '1988-06-30');
  const lapsed = await usager('aidant-expire', 'Paul', `Lefort-${suffix}`, '1960-01-15');

  const child = await addPerson(ctx, tenantId, {
    accountId: null,
    first: 'Yanis',
    last: `Benali-${suffix}`,
    birth: '2016-09-01',
    address: `${t.code} rue de la Demo`,
    nir: demoNir('2016-09-01', t.code),
  });
  const today = ctx.now.toISOString().slice(0, 10);
  const year = ctx.now.getUTCFullYear();
  await ctx.db
    .insertInto('mandates')
    .values([
      {
        id: randomUUID(),
        tenant_id: tenantId,
        representative_account_id: parent.accountId,
        person_id: child,
        kind: 'parent',
        starts_on: '2016-09-01',
        ends_on: '2034-09-01',
        verified_by: staff.accueil ?? null,
        verified_at: ctx.now.toISOString(),
        created_at: ctx.now.toISOString(),
      },
      // An expired, once-verified mandate: it must grant nothing today.
      {
        id: randomUUID(),
        tenant_id: tenantId,
        representative_account_id: lapsed.accountId,
        person_id: bruno.personId,
        kind: 'aidant',
        starts_on: `${year - 3}-01-01`,
        ends_on: `${year - 1}-12-31`,
        verified_by: staff.accueil ?? null,
        verified_at: ctx.now.toISOString(),
        created_at: ctx.now.toISOString(),
      },
    ])
    .execute();
  void today;

  let seq = 1;
  const evaluation = await addCase(ctx, tenant, seq++, {
    personId: alice.personId,
    filedBy: alice.accountId,
    status: 'evaluation',
    rights: ['AAH', 'CMI'],
    instructeurId: staff.instructeur,
    evaluateurId: staff.evaluateur,
    team: 'equipe-nord',
    summary: 'Demande d’AAH et de CMI ; évaluation en cours.',
  });
  for (const d of FULL_FILE)
    await addDocument(ctx, tenantId, evaluation, { ...d, uploadedBy: alice.accountId });
  await addDocument(ctx, tenantId, evaluation, {
    category: 'financial',
    piece: null,
    name: 'avis-imposition.pdf',
    uploadedBy: alice.accountId,
  });
  await addDocument(ctx, tenantId, evaluation, {
    category: 'medical',
    piece: null,
    name: 'compte-rendu-consultation.pdf',
    uploadedBy: alice.accountId,
  });
  await addEntry(
    ctx,
    'messages',
    tenantId,
    evaluation,
    alice.accountId,
    'Bonjour, avez-vous bien reçu mon certificat médical ?',
  );
  await addEntry(
    ctx,
    'messages',
    tenantId,
    evaluation,
    staff.instructeur!,
    'Bonjour, oui, votre dossier est complet et en évaluation.',
  );
  await addEntry(
    ctx,
    'notes',
    tenantId,
    evaluation,
    staff.instructeur!,
    'Note interne : vérifier la date du certificat avec l’équipe pluridisciplinaire.',
  );

  // Hers alone until she submits it: no agent lists or opens it, what she typed included.
  const draft = await addCase(ctx, tenant, seq++, {
    personId: alice.personId,
    filedBy: alice.accountId,
    status: 'brouillon',
    rights: ['RQTH'],
    summary: 'Je souhaite une reconnaissance de travailleur handicapé pour adapter mon poste.',
  });
  await addDocument(ctx, tenantId, draft, {
    category: 'other',
    piece: null,
    name: 'cv.pdf',
    uploadedBy: alice.accountId,
  });

  const awaiting = await addCase(ctx, tenant, seq++, {
    personId: bruno.personId,
    filedBy: bruno.accountId,
    status: 'attente_pieces',
    rights: ['PCH'],
    instructeurId: staff['instructeur-sud'],
    team: 'equipe-sud',
    piecesDeadline: `${year + 1}-01-31`,
  });
  await addDocument(ctx, tenantId, awaiting, {
    category: 'correspondence',
    piece: 'cerfa_15692',
    name: 'formulaire.pdf',
    uploadedBy: bruno.accountId,
  });
  await addEntry(
    ctx,
    'messages',
    tenantId,
    awaiting,
    staff['instructeur-sud']!,
    'Merci de transmettre un certificat médical de moins de 12 mois.',
  );

  const cdaph = await addCase(ctx, tenant, seq++, {
    personId: bruno.personId,
    filedBy: bruno.accountId,
    status: 'attente_cdaph',
    rights: ['AAH', 'PCH'],
    instructeurId: staff['instructeur-sud'],
    evaluateurId: staff['evaluateur-2'],
    team: 'equipe-sud',
    summary: 'Synthèse de l’équipe pluridisciplinaire : taux estimé entre 50 et 79 %.',
  });
  for (const d of FULL_FILE)
    await addDocument(ctx, tenantId, cdaph, { ...d, uploadedBy: bruno.accountId });
  await addEntry(
    ctx,
    'notes',
    tenantId,
    cdaph,
    staff['evaluateur-2']!,
    'Note interne : proposition d’accord partiel PCH.',
  );

  const notified = await addCase(ctx, tenant, seq++, {
    personId: alice.personId,
    filedBy: alice.accountId,
    status: 'notifie',
    rights: ['CMI', 'RQTH'],
    instructeurId: staff.instructeur,
    evaluateurId: staff.evaluateur,
    team: 'equipe-nord',
    decisions: {
      CMI: ['accord', 'Mention invalidité pour 5 ans.'],
      RQTH: ['rejet', 'Critères non remplis à la date d’évaluation.'],
    },
  });
  for (const d of FULL_FILE)
    await addDocument(ctx, tenantId, notified, { ...d, uploadedBy: alice.accountId });
  await addDocument(ctx, tenantId, notified, {
    category: 'decision',
    piece: null,
    name: 'notification-decision-cdaph.pdf',
    uploadedBy: staff.instructeur!,
  });

  const childCase = await addCase(ctx, tenant, seq++, {
    personId: child,
    filedBy: parent.accountId,
    status: 'depose',
    rights: ['AEEH', 'ORIENTATION'],
    team: 'equipe-nord',
  });
  for (const d of FULL_FILE)
    await addDocument(ctx, tenantId, childCase, { ...d, uploadedBy: parent.accountId });
  await addEntry(
    ctx,
    'messages',
    tenantId,
    childCase,
    parent.accountId,
    'Dossier de mon fils pour l’AEEH et une orientation scolaire.',
  );

  // Bruno's lapsed carer once filed this: the expired mandate must not reach it.
  await addCase(ctx, tenant, seq++, {
    personId: bruno.personId,
    filedBy: lapsed.accountId,
    status: 'recevable',
    rights: ['CMI'],
    team: 'equipe-sud',
  });

  // A paper request the accueil keys in for a person without an account: that agent's draft
  // until submitted, which the other agents of the département do not see.
  const paperPerson = await addPerson(ctx, tenantId, {
    accountId: null,
    first: 'Josiane',
    last: `Roux-${suffix}`,
    birth: '1949-04-22',
    address: `${t.code} place du Guichet`,
    nir: demoNir('1949-04-22', t.code),
  });
  const paper = await addCase(ctx, tenant, seq++, {
    personId: paperPerson,
    filedBy: staff.accueil!,
    status: 'brouillon',
    rights: ['PCH'],
    summary: 'Saisie au guichet depuis le formulaire papier ; certificat médical à venir.',
  });
  await addDocument(ctx, tenantId, paper, {
    category: 'correspondence',
    piece: 'cerfa_15692',
    name: 'formulaire-papier-numerise.pdf',
    uploadedBy: staff.accueil!,
  });

  // Listed nowhere: whoever opens it had its id from outside the application (issue 5, T6).
  await seedDecoy(ctx, tenantId, ctx.now);
}

/**
 * Seeds two départements with staff of every role, usagers (one parent of a minor, one carer
 * whose mandate expired), cases in many states and documents of every category. Does nothing
 * on a database that already has tenants. Credentials go to demo-accounts.json (mode 0600).
 */
export async function seedDemo(
  deps: Pick<AppDeps, 'db' | 'blobs' | 'vault'>,
  dataDir: string,
  now = new Date(),
): Promise<{ seeded: boolean }> {
  const { db, blobs, vault } = deps;
  const existing = await db.selectFrom('tenants').select('id').limit(1).execute();
  if (existing.length > 0) return { seeded: false };
  const ctx: Ctx = { db, blobs, vault, now, accounts: [] };
  for (const t of TENANTS) await seedTenant(ctx, t);
  await addAccount(
    ctx,
    {
      kind: 'operateur',
      role: null,
      team: null,
      tenant: null,
      email: 'operateur@demo.cloison.test',
      displayName: 'Opérateur de la plateforme',
      label: 'operateur',
    },
    null,
  );
  const file = demoAccountsPath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    file,
    `${JSON.stringify({ warning: 'Demo credentials. Never use demo mode with real data.', generatedAt: now.toISOString(), accounts: ctx.accounts }, null, 2)}\n`,
    { mode: 0o600 },
  );
  return { seeded: true };
}
