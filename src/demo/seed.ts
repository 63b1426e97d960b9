import { addPendingExportInstruction, demoExportRecipient } from './demo-exports.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../deps.js';
import { AGENT_ROLES } from '../modules/staff/agent-roles.js';
import { seedDecoy } from '../modules/decoys/decoy-seed.js';
import { hasAnyTenant, insertTenant } from '../modules/tenants/tenant.repository.js';
import {
  findDemoCase,
  insertSeededGrant,
  insertSeededMandates,
  linkAccountToGrant,
} from './demo.repository.js';
import {
  addAccount,
  addMandateProof,
  addPerson,
  demoNir,
  type DemoContext,
} from './demo-records.js';
import { seedDemoSessions } from './demo-sessions.js';
import {
  prepareDecisionLetter,
  recordDecisionLetter,
} from '../modules/letters/decision-letter.service.js';
import { seedDemoCases } from './demo-cases.js';
import { addLetterInvitation } from './demo-invitations.js';

export type { DemoAccount } from './demo-records.js';

/** Where the demo's credentials are written (mode 0600). */
export function demoAccountsPath(dataDir: string): string {
  return path.join(dataDir, 'demo-accounts.json');
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

/**
 * The demo staff hold their roles as the staff lifecycle would have left them: an approved grant
 * each (decided by the seed, which says so in `reason`: no admin approved it), a verified e-mail,
 * and agents managed by the tenant's responsable, who reviews them in access reviews.
 */
async function recordDemoGrants(ctx: DemoContext, tenantId: string, staff: Record<string, string>) {
  const at = ctx.now.toISOString();
  const responsable = staff.responsable ?? null;
  for (const s of STAFF) {
    const accountId = staff[s.label]!;
    const grantId = randomUUID();
    await insertSeededGrant(ctx.db, {
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
    });
    const agent = AGENT_ROLES.includes(s.role);
    await linkAccountToGrant(ctx.db, accountId, {
      role_grant_id: grantId,
      email_verified_at: at,
      manager_id: agent ? responsable : null,
    });
  }
}

async function seedTenant(ctx: DemoContext, t: (typeof TENANTS)[number]) {
  const tenantId = randomUUID();
  await insertTenant(ctx.db, {
    id: tenantId,
    code: t.code,
    name: t.name,
    created_at: ctx.now.toISOString(),
  });
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
  // The parent's mandate was verified against the livret de famille they sent.
  const parentMandate = randomUUID();
  const livret = randomUUID();
  await insertSeededMandates(ctx.db, [
    {
      id: parentMandate,
      tenant_id: tenantId,
      representative_account_id: parent.accountId,
      person_id: child,
      kind: 'parent',
      starts_on: '2016-09-01',
      ends_on: '2034-09-01',
      verified_by: staff.accueil ?? null,
      verified_at: ctx.now.toISOString(),
      created_at: ctx.now.toISOString(),
      verified_proof_id: livret,
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
  ]);
  await addMandateProof(ctx, tenantId, {
    id: livret,
    mandateId: parentMandate,
    personId: child,
    uploadedBy: parent.accountId,
    name: 'livret-de-famille.pdf',
  });
  void today;

  const sessionCases = await seedDemoCases(ctx, tenant, suffix, {
    staff,
    alice,
    bruno,
    parent,
    lapsed,
    child,
  });
  await seedDemoSessions(
    ctx,
    tenantId,
    { responsable: staff.responsable!, cdaph: staff.cdaph! },
    sessionCases,
  );
  await addPendingExportInstruction(ctx, tenant, staff.responsable!, ctx.exportRecipient.recipient);
  // Josiane was filed on paper; the letter inviting her online is in demo-accounts.json, on the
  // account she signs up with (no file of its own until she claims hers).
  const newcomer = await addAccount(
    ctx,
    {
      kind: 'usager',
      role: null,
      team: null,
      tenant: t.code,
      email: `nouveau.${t.code}@demo.cloison.test`,
      // Her account is named as she typed it at sign-up; the file's identity is the one the
      // accueil sealed.
      displayName: 'Josiane R.',
      label: 'nouveau',
    },
    tenantId,
  );
  const invitation = await addLetterInvitation(
    ctx,
    tenantId,
    sessionCases.paperPerson.id,
    staff.accueil!,
  );
  const entry = ctx.accounts.find((a) => a.id === newcomer)!;
  entry.invitation = { ...invitation, birthDate: sessionCases.paperPerson.birthDate };

  // The notified case's letter, generated as the notification generates every letter.
  const notified = await findDemoCase(ctx.db, sessionCases.decided);
  const letter = await prepareDecisionLetter(
    ctx,
    notified,
    notified.notified_on ?? today,
    staff.responsable!,
  );
  await recordDecisionLetter(ctx.db, letter);

  // Listed nowhere: whoever opens it had its id from outside the application, hence an alert.
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
  if (await hasAnyTenant(db)) return { seeded: false };
  const exportRecipient = await demoExportRecipient();
  const ctx: DemoContext = { db, blobs, vault, now, accounts: [], exportRecipient };
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
    `${JSON.stringify({ warning: 'Demo credentials. Never use demo mode with real data.', generatedAt: now.toISOString(), accounts: ctx.accounts, exportRecipient }, null, 2)}\n`,
    { mode: 0o600 },
  );
  return { seeded: true };
}
