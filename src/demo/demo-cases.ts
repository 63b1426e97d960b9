import {
  addCase,
  addDocument,
  addEntry,
  addPerson,
  demoNir,
  type DemoContext,
} from './demo-records.js';

const FULL_FILE: ReadonlyArray<{
  category: string;
  piece: string;
  name: string;
  kind?: 'jpeg' | 'png';
}> = [
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

/** The four pieces, each accepted (the certificate by the évaluateur médical), or all pending. */
function fullFile(
  staff: Record<string, string>,
  now: Date,
  state: { accepted: boolean; evaluateur?: string },
) {
  const issuedOn = new Date(now.getTime() - 40 * 86_400_000).toISOString().slice(0, 10);
  return FULL_FILE.map((d) => ({
    ...d,
    ...(d.piece === 'certificat_medical' ? { issuedOn } : {}),
    ...(state.accepted
      ? {
          review: {
            status: 'accepted' as const,
            by: d.category === 'medical' ? (state.evaluateur ?? staff.evaluateur!) : staff.accueil!,
          },
        }
      : {}),
  }));
}

/** The accounts and persons of a tenant its demo cases are about or filed by. */
export interface DemoPeople {
  /** Staff account ids by label (accueil, instructeur, ...). */
  readonly staff: Record<string, string>;
  readonly alice: { accountId: string; personId: string };
  readonly bruno: { accountId: string; personId: string };
  readonly parent: { accountId: string; personId: string };
  readonly lapsed: { accountId: string; personId: string };
  /** The parent's child, a person without an account. */
  readonly child: string;
}

const PAPER_PERSON_BIRTH = '1949-04-22';

/**
 * The demo cases of a tenant, in many states, with documents of every category, messages and
 * notes; and a paper request the accueil keys in for a person without an account. Answers the
 * cases the CDAPH sessions of the demo are about, and that person.
 */

export async function seedDemoCases(
  ctx: DemoContext,
  tenant: { id: string; code: string },
  suffix: string,
  people: DemoPeople,
): Promise<{
  awaitingCdaph: string;
  decided: string;
  paperPerson: { id: string; birthDate: string };
}> {
  const { staff, alice, bruno, parent, lapsed, child } = people;
  const tenantId = tenant.id;
  const year = ctx.now.getUTCFullYear();
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
  for (const d of fullFile(staff, ctx.now, { accepted: true }))
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
  // A piece the accueil rejected, with the reason Bruno reads beside it.
  await addDocument(ctx, tenantId, awaiting, {
    category: 'correspondence',
    piece: 'cerfa_15692',
    name: 'formulaire.pdf',
    uploadedBy: bruno.accountId,
    review: {
      status: 'rejected',
      by: staff.accueil!,
      reason: 'Formulaire non signé : merci de renvoyer la page 8 datée et signée.',
    },
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
  for (const d of fullFile(staff, ctx.now, {
    accepted: true,
    evaluateur: staff['evaluateur-2']!,
  }))
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
  for (const d of fullFile(staff, ctx.now, { accepted: true }))
    await addDocument(ctx, tenantId, notified, { ...d, uploadedBy: alice.accountId });
  // Its notification letter is generated once the session that decided it is seeded (seed.ts).

  const childCase = await addCase(ctx, tenant, seq++, {
    personId: child,
    filedBy: parent.accountId,
    status: 'depose',
    rights: ['AEEH', 'ORIENTATION'],
    team: 'equipe-nord',
  });
  // Submitted, its pieces still to be reviewed.
  for (const d of fullFile(staff, ctx.now, { accepted: false }))
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
    birth: PAPER_PERSON_BIRTH,
    address: `${tenant.code} place du Guichet`,
    nir: demoNir(PAPER_PERSON_BIRTH, tenant.code),
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
  return {
    awaitingCdaph: cdaph,
    decided: notified,
    paperPerson: { id: paperPerson, birthDate: PAPER_PERSON_BIRTH },
  };
}
