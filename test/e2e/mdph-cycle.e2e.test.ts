/**
 * The whole MDPH cycle as one browser journey, each actor in their own browser context signed in
 * once (a staff sign-in spends a TOTP step): a paper request for a new person, taken over online
 * by that person, missing pieces asked for and sent, pieces accepted (the medical certificate by
 * the évaluateur médical only), recevable, evaluation, a CDAPH session planned for today with the
 * case on its agenda, read by its member, decided per right, notified; the usager downloads the
 * decision letter and may appeal. Every mail the usager receives is checked for what it must not
 * say: no name, no right, no reference, nothing of the case.
 */
import { expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text.js';
import type { BrowserContext, Page } from 'playwright-core';
import type { DemoAccount } from '../harness/server.js';
import { readWorld } from '../harness/world.js';
import type { ReceivedMail } from '../support/mailbox.js';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  samplePdf,
  signIn,
  type PageWatch,
} from './browser.js';

/** Mails leave through the server's outbox job: generous waits, for a loaded machine. */
const MAIL_WAIT = { timeout: 60_000, intervals: [250, 500, 1000] };
const UI_WAIT = { timeout: 30_000 };

describeInBrowser('the MDPH cycle in the browser', { mailbox: true }, (suite) => {
  const stamp = Date.now();
  const person = {
    firstName: 'Clémence',
    lastName: `Cyclade-${stamp}`,
    birthDate: '1958-04-17',
    // Unique per run: a sex digit, the birth year and month, the département, six digits.
    nir: `2580444${String(stamp % 1_000_000).padStart(6, '0')}`,
  };
  const usager = {
    email: `clemence.${stamp}@exemple.test`,
    password: 'une tuile verte sous la pluie 2026',
  };
  const agentMessage = 'Vous pouvez les déposer en ligne depuis votre espace.';
  const motive = 'Critères de la carte non remplis à ce jour.';

  const staff = (label: string) => suite.server.account(label, '44');
  const contexts: BrowserContext[] = [];
  const watches: PageWatch[] = [];
  /** A fresh context (watched, kept open for the whole journey) signed in as `account`. */
  async function actor(account: DemoAccount, from?: string): Promise<Page> {
    const opened = await openPage(suite.browser, suite.server);
    contexts.push(opened.context);
    watches.push(opened.watch);
    await signIn(opened.page, suite.server, account, from);
    return opened.page;
  }

  it('takes a paper request to its decision letter', { timeout: 240_000 }, async () => {
    // 1. The accueil files the paper request of a person the MDPH does not know yet.
    const accueil = await actor(staff('accueil'));
    await accueil.getByRole('link', { name: 'Demande papier' }).first().click();
    await expectHeading(accueil, 'Déposer une demande papier');
    await accueil.getByLabel('Numéro de sécurité sociale (NIR)').fill(person.nir);
    await accueil.getByRole('button', { name: 'Rechercher' }).click();
    await accueil.getByText('Aucune personne de votre département ne porte ce NIR').waitFor();
    await accueil.getByLabel('Prénom').fill(person.firstName);
    await accueil.getByLabel('Nom', { exact: true }).fill(person.lastName);
    await accueil.getByLabel('Date de naissance').fill(person.birthDate);
    await accueil.getByLabel('NIR (facultatif)').fill(person.nir);
    await accueil.getByRole('button', { name: 'Enregistrer la personne' }).click();
    await accueil.getByText(`${person.firstName} ${person.lastName}`).first().waitFor();
    await accueil.getByRole('button', { name: 'Créer le code d’invitation' }).click();
    const code = (await accueil.locator('.cloison-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await accueil.locator('label', { hasText: 'Allocation aux adultes handicapés (AAH)' }).click();
    await accueil.locator('label', { hasText: 'Carte mobilité inclusion (CMI)' }).click();
    await accueil.getByRole('button', { name: 'Ouvrir la demande papier' }).click();
    await expectHeading(accueil, /^Dossier MDPH44-/);
    const title = await accueil.getByRole('heading', { level: 1 }).innerText();
    const reference = title.replace('Dossier ', '');
    const caseId = /\/instruction\/dossiers\/([0-9a-f-]+)/.exec(accueil.url())![1]!;
    // The form and the identity card came by post: scanned at the desk.
    await scanPiece(accueil, 'cerfa_15692', 'cerfa-scan.pdf');
    await scanPiece(accueil, 'identite', 'identite-scan.pdf');
    await accueil.getByRole('button', { name: 'Passer à : Déposé' }).click();
    await accueil.getByText('Le dossier est passé au statut « Déposé ».').waitFor();

    // 2. The person makes an account on the sign-up page and claims the file with the letter's code.
    const mailsBefore = suite.mailbox.messages.length;
    const usagerPage = await signUp();
    await usagerPage.goto('/mon-espace');
    await expectHeading(usagerPage, 'Déclarer votre identité');
    await usagerPage.getByRole('button', { name: 'J’ai reçu un code d’invitation' }).click();
    await usagerPage.getByLabel('Code d’invitation').fill(code.toLowerCase());
    await usagerPage
      .getByLabel('Date de naissance de la personne concernée')
      .fill(person.birthDate);
    await usagerPage.getByRole('button', { name: 'Retrouver mon dossier' }).click();
    await usagerPage.getByText(reference).first().waitFor();

    // 3. The accueil asks for the two pieces still missing; the usager is told by mail.
    await accueil.reload();
    await expectHeading(accueil, `Dossier ${reference}`);
    const missing = accueil.getByRole('group', { name: 'Pièces à demander' });
    await expect
      .poll(() => missing.getByRole('checkbox', { checked: true }).count(), UI_WAIT)
      .toBe(2);
    await accueil.getByLabel('Message joint à la demande').fill(agentMessage);
    await accueil.getByRole('button', { name: 'Demander les pièces' }).click();
    await accueil.getByText('En attente de pièces', { exact: true }).first().waitFor();
    await expectAccessible(accueil, 'cycle: dossier papier en attente de pièces (accueil)');
    await expectMail(usager.email, 'Des pièces sont attendues pour votre dossier');

    // 4. The usager sends them from their space, the certificate with its date.
    await usagerPage.goto(`/mon-espace/dossiers/${caseId}`);
    await expectHeading(usagerPage, `Dossier ${reference}`);
    await usagerPage.getByRole('heading', { level: 2, name: 'Pièces manquantes' }).waitFor();
    await usagerPage.getByText(agentMessage).first().waitFor();
    await usagerPage.getByLabel('Justificatif de domicile').setInputFiles(samplePdf('facture.pdf'));
    await usagerPage.getByText('« facture.pdf » a bien été envoyé.').waitFor();
    const issuedOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await usagerPage.getByLabel('Date du certificat médical').fill(issuedOn);
    await usagerPage
      .getByLabel('Certificat médical de moins de 12 mois (Cerfa 15695)')
      .setInputFiles(samplePdf('certificat.pdf', 'Certificat medical'));
    await usagerPage.getByText('« certificat.pdf » a bien été envoyé.').waitFor();
    await usagerPage.getByText('Justificatif de domicile : reçue').waitFor();
    await expectAccessible(usagerPage, 'cycle: pièces envoyées (usager)');
    await usagerPage.getByRole('button', { name: 'J’ai envoyé les pièces' }).click();
    await usagerPage.getByText('La MDPH est prévenue que vos pièces sont envoyées.').waitFor();
    await usagerPage.getByText('Déposé', { exact: true }).first().waitFor();

    // 5. The responsable names the évaluateur médical, the only one who may accept the certificate.
    const evaluateurAccount = staff('evaluateur');
    const responsable = await actor(staff('responsable'), `/instruction/dossiers/${caseId}`);
    await expectHeading(responsable, `Dossier ${reference}`);
    const select = responsable.getByLabel('Évaluateur médical');
    await expect.poll(() => select.locator('option').count(), UI_WAIT).toBeGreaterThan(1);
    await select.selectOption(evaluateurAccount.id);
    await responsable.getByRole('button', { name: 'Enregistrer l’affectation' }).click();
    await responsable.getByText('L’affectation a été enregistrée.').waitFor();

    // 6. The accueil accepts the three pieces it may see; the medical one is not shown to it.
    await accueil.reload();
    await expectHeading(accueil, `Dossier ${reference}`);
    expect(await accueil.getByRole('link', { name: 'Télécharger certificat.pdf' }).count()).toBe(0);
    for (const file of ['cerfa-scan.pdf', 'identite-scan.pdf', 'facture.pdf'])
      await accept(accueil, file);
    await accueil.getByText(/Justificatif de domicile : fournie, acceptée/).waitFor();
    await accueil
      .getByText(/Certificat médical .* : fournie, en attente de vérification/)
      .waitFor();

    // 7. The évaluateur accepts the certificate.
    const evaluateur = await actor(evaluateurAccount, `/instruction/dossiers/${caseId}`);
    await expectHeading(evaluateur, `Dossier ${reference}`);
    await evaluateur.getByRole('heading', { name: 'Médical' }).waitFor();
    await accept(evaluateur, 'certificat.pdf');
    await evaluateur.getByText(/Certificat médical .* : fournie, acceptée/).waitFor();

    // 8. Complete: recevable (accueil), evaluation (responsable), ready for the CDAPH (évaluateur).
    await accueil.reload();
    await move(accueil, 'Recevable');
    await responsable.reload();
    await move(responsable, 'En évaluation');
    await evaluateur.reload();
    await move(evaluateur, 'En attente de la CDAPH');

    // 9. The secretariat plans a session today with the member, and puts the case on its agenda.
    const member = staff('cdaph');
    const today = new Date().toISOString().slice(0, 10);
    await responsable.getByRole('link', { name: 'Séances CDAPH' }).first().click();
    await expectHeading(responsable, 'Séances CDAPH');
    await responsable.getByLabel('Date de la séance').fill(today);
    await responsable.getByLabel('Heure de début').fill('16:45');
    await responsable.locator('label', { hasText: member.displayName }).click();
    await responsable.getByRole('button', { name: 'Planifier la séance' }).click();
    await expectHeading(responsable, /^Séance CDAPH du /);
    const sessionUrl = responsable.url();
    await responsable.getByLabel('Dossier en attente de la CDAPH').selectOption(caseId);
    await responsable.getByRole('button', { name: 'Ajouter à l’ordre du jour' }).click();
    await responsable.getByText('Dossier ajouté à l’ordre du jour.').waitFor();
    await responsable.getByRole('link', { name: reference }).waitFor();
    await expectAccessible(responsable, 'cycle: séance planifiée avec son ordre du jour');

    // 10. The member finds the session among theirs, and the case's synthesis on its agenda.
    const cdaph = await actor(member);
    await cdaph.getByRole('link', { name: 'Mes séances' }).first().click();
    await expectHeading(cdaph, 'Mes séances');
    await cdaph
      .getByRole('table')
      .getByRole('link', { name: /à 16:45$/ })
      .click();
    await expectHeading(cdaph, /^Séance CDAPH du /);
    await cdaph.getByRole('link', { name: reference }).click();
    await expectHeading(cdaph, `Dossier ${reference}`);
    await cdaph.getByText('Allocation aux adultes handicapés (AAH)').first().waitFor();
    expect(await cdaph.getByText('Notes internes').count()).toBe(0);
    expect(await cdaph.getByRole('link', { name: /^Télécharger / }).count()).toBe(0);

    // 11. The session opens; each right is decided in it; closed with its minutes; notified.
    await responsable.goto(sessionUrl);
    await responsable.getByRole('button', { name: 'Ouvrir la séance' }).click();
    await responsable
      .getByText(/En cours/)
      .first()
      .waitFor();
    const until = `${Number(today.slice(0, 4)) + 5}-12-31`;
    await responsable.getByLabel('Décision pour AAH', { exact: true }).selectOption('accord');
    await responsable.getByLabel('Début de validité pour AAH').fill(today);
    await responsable.getByLabel('Fin de validité pour AAH').fill(until);
    await responsable.getByRole('button', { name: 'Enregistrer la décision pour AAH' }).click();
    await responsable.getByText('Décision enregistrée.').first().waitFor();
    await responsable.getByLabel('Décision pour CMI', { exact: true }).selectOption('rejet');
    await responsable.getByLabel('Motif de la décision pour CMI').fill(motive);
    await responsable.getByRole('button', { name: 'Enregistrer la décision pour CMI' }).click();
    await expect
      .poll(() => responsable.getByText('Décision enregistrée.').count(), UI_WAIT)
      .toBe(2);
    await responsable.getByLabel('Procès-verbal').fill('Quorum atteint ; un dossier examiné.');
    await responsable.getByRole('button', { name: 'Clore la séance' }).click();
    await responsable.getByRole('heading', { name: 'Procès-verbal' }).waitFor();
    await responsable.goto(`/instruction/dossiers/${caseId}`);
    await expectHeading(responsable, `Dossier ${reference}`);
    await move(responsable, 'Décidé');
    await move(responsable, 'Notifié');
    expect(readWorld(suite.server.dbFile).cases.find((c) => c.id === caseId)?.status).toBe(
      'notifie',
    );
    await expectMail(usager.email, 'Une décision est disponible sur le portail');

    // 12. The usager reads the decisions, downloads the letter, and is offered the appeal.
    await usagerPage.goto(`/mon-espace/dossiers/${caseId}`);
    await expectHeading(usagerPage, `Dossier ${reference}`);
    await usagerPage.getByRole('cell', { name: 'Accord', exact: true }).waitFor();
    const letter = usagerPage.getByRole('link', {
      name: /^Télécharger notification-decision-MDPH44-\d{4}-\d+\.pdf$/,
    });
    expect(await letter.getAttribute('download')).toBe('');
    const href = await letter.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/documents\/[0-9a-f-]+\/content$/);
    const pdf = await usagerPage.request.get(href!);
    expect(pdf.status()).toBe(200);
    const text = await pdfText(await pdf.body());
    expect(text).toContain('Allocation aux adultes handicapés (AAH)');
    expect(text).toContain('Décision : accord.');
    expect(text).toMatch(/Validité : du \d{1,2}(er)? \S+ \d{4} au 31 décembre \d{4}\./);
    expect(text).toContain('Carte mobilité inclusion (CMI)');
    expect(text).toContain(`Motif : ${motive}`);
    expect(text).toContain('Voies et délais de recours');
    expect(text).toContain('recours administratif préalable obligatoire');
    await usagerPage.getByRole('heading', { name: 'Contester la décision' }).waitFor();
    await usagerPage.getByRole('button', { name: /^Contester la décision du dossier/ }).waitFor();
    await expectAccessible(usagerPage, 'cycle: décision notifiée (usager)');

    // 13. Every mail the usager got since signing up said only that something changed.
    const mails = suite.mailbox.messages
      .slice(mailsBefore)
      .filter((m) => m.to.includes(usager.email));
    // One recipient's mails leave in the order they were queued: one per step that tells.
    expect(mails.map((m) => m.subject)).toEqual([
      'Confirmez votre adresse e-mail',
      'Des pièces sont attendues pour votre dossier',
      'Vous avez un nouveau message de votre MDPH',
      'Votre dossier a évolué', // recevable
      'Votre dossier a évolué', // en évaluation
      'Votre dossier a évolué', // décidé
      'Une décision est disponible sur le portail',
    ]);
    for (const mail of mails) expectDiscreet(mail, reference);

    for (const watch of watches) await expectCleanPage(watch);
    for (const context of contexts) await context.close();
  });

  /** The sign-up page, the link of its mail, then the sign-in: the new usager's page. */
  async function signUp(): Promise<Page> {
    const { page, context, watch } = await openPage(suite.browser, suite.server);
    contexts.push(context);
    watches.push(watch);
    await page.goto('/inscription');
    await expectHeading(page, 'Créer un compte');
    await page.getByLabel('Vos prénom et nom').fill(`${person.firstName} ${person.lastName}`);
    await page.getByLabel('Adresse électronique').fill(usager.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(usager.password);
    await page.getByLabel('Numéro de votre département').fill('44');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Vérifiez votre messagerie').waitFor();
    const mail = await suite.mailbox.waitFor(usager.email, { timeoutMs: 60_000 });
    const link = /https?:\/\/\S+\/compte\/verifier-adresse#jeton=[A-Za-z0-9_-]+/.exec(mail.text);
    expect(link, mail.text).not.toBeNull();
    const url = new URL(link![0]);
    await page.goto(`${url.pathname}${url.hash}`);
    await page.getByText('Adresse confirmée').waitFor();
    await signIn(page, suite.server, usager as DemoAccount);
    return page;
  }

  /** Waits for a mail to `to` with this subject. */
  async function expectMail(to: string, subject: string): Promise<void> {
    await expect
      .poll(() => suite.mailbox.to(to).map((m) => m.subject), MAIL_WAIT)
      .toContain(subject);
  }

  /** A mail says that something changed and where to look, never what nor about whom. */
  function expectDiscreet(mail: ReceivedMail, reference: string): void {
    const all = `${mail.subject}\n${mail.text}`;
    const where = `mail « ${mail.subject} »`;
    for (const secret of [...Object.values(person), reference, agentMessage, motive]) {
      expect(all, where).not.toContain(secret);
    }
    expect(all, where).not.toMatch(/\b(AAH|PCH|CMI|RQTH|AEEH|ORIENTATION)\b/i);
    expect(all, where).not.toMatch(
      /allocation|carte mobilité|prestation|certificat|justificatif|accord|rejet/i,
    );
  }
});

/** The accueil's desk scan of one required piece. */
async function scanPiece(page: Page, piece: string, file: string): Promise<void> {
  await page.getByLabel('Pièce obligatoire concernée').selectOption(piece);
  await page.getByLabel('Fichier').setInputFiles(samplePdf(file));
  await page.getByRole('button', { name: 'Envoyer la pièce' }).click();
  await page.getByText(`${file} a été ajouté au dossier.`).waitFor();
  await page.getByRole('link', { name: `Télécharger ${file}` }).waitFor();
}

/** Accepts the piece uploaded as `file`, and waits for its review to read accepted. */
async function accept(page: Page, file: string): Promise<void> {
  const item = page.locator('li', { has: page.getByRole('link', { name: `Télécharger ${file}` }) });
  await item.getByRole('button', { name: 'Accepter' }).click();
  await item.getByText('Vérification : acceptée').waitFor();
}

/** Moves the case shown on this agent's page to the status called `label`. */
async function move(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: `Passer à : ${label}` }).click();
  await page.getByText(`Le dossier est passé au statut « ${label} ».`).waitFor();
}

/** The text of a PDF, its pages joined, as a reader would hear it. */
