/**
 * The usager's portal in a browser, driven like a person: sign-up with the link read from a real
 * SMTP receiver, identity, a request through every step with uploads and a draft resumed, then the
 * demo usager's case, messages, decisions, consultations and data download. Every page is checked
 * by axe (WCAG 2.1 A/AA), one of them at a phone's size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text.js';
import type { Page } from 'playwright-core';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  samplePdf,
  screenshot,
  signIn,
  describeInBrowser,
} from './browser.js';

function textFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-upload-'));
  const file = path.join(dir, 'notes.txt');
  fs.writeFileSync(file, 'Ceci est un simple texte, pas une pièce acceptée.\n');
  return file;
}

/** The Stepper's title of the current step (an h2). */
async function expectStep(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 2, name: title }).waitFor({ state: 'visible' });
}

describeInBrowser('the usager portal', { mailbox: true }, (suite) => {
  it('signs up, declares an identity, files a request step by step and submits it', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    const email = `lea.moreau.${Date.now()}@example.org`;
    const password = 'Un mot de passe bien long 2026';

    await page.goto('/inscription');
    await expectHeading(page, 'Créer un compte');
    await expectAccessible(page, 'inscription');
    await page.getByLabel('Vos prénom et nom').fill('Léa Moreau');
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByLabel('Numéro de votre département').fill('44');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Vérifiez votre messagerie').waitFor();
    await expectAccessible(page, 'inscription envoyée');

    const mail = await suite.mailbox.waitFor(email);
    const link = /https?:\/\/[^\s]+\/compte\/verifier-adresse#jeton=[A-Za-z0-9_-]+/.exec(
      mail.text,
    )?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    await page.goto(`${url.pathname}${url.hash}`);
    await page.getByText('Adresse confirmée').waitFor();
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('jeton');
    await expectAccessible(page, 'adresse confirmée');

    await signIn(page, suite.server, {
      id: 'nouvelle-usagere',
      kind: 'usager',
      role: null,
      team: null,
      tenant: '44',
      email,
      password,
      displayName: 'Léa Moreau',
      label: 'nouvelle-usagere',
    });
    await expectHeading(page, 'Déclarer votre identité');
    await expectAccessible(page, 'déclarer son identité');
    await page.getByLabel('Prénom').fill('Léa');
    await page.getByLabel('Nom', { exact: true }).fill('Moreau');
    await page.getByLabel('Date de naissance').fill('1990-04-18');
    await page.getByRole('button', { name: 'Enregistrer mon identité' }).click();
    await expectHeading(page, 'Mes demandes');
    await page.getByText('Vous n’avez encore aucune demande').waitFor();
    await expectAccessible(page, 'mes demandes (vide)');

    // Step 1: for whom.
    await page.getByRole('link', { name: 'Faire une nouvelle demande' }).click();
    await expectHeading(page, 'Nouvelle demande');
    await expectStep(page, 'Pour qui est la demande');
    await expectAccessible(page, 'nouvelle demande, étape 1');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    // Step 2: rights (an empty choice is refused on the field).
    await expectStep(page, 'Les droits demandés');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await page.getByText('Cochez au moins un droit.').waitFor();
    // DSFR draws the box in the label: a person clicks the label.
    await page.locator('label', { hasText: 'Allocation aux adultes handicapés (AAH)' }).click();
    await page.locator('label', { hasText: 'Carte mobilité inclusion (CMI)' }).click();
    await expectAccessible(page, 'nouvelle demande, étape 2');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    // Step 3: situation.
    await expectStep(page, 'Votre situation');
    await page
      .getByLabel('Décrivez votre situation et vos besoins')
      .fill('Je me déplace en fauteuil et j’ai besoin d’aide pour les gestes du quotidien.');
    await expectAccessible(page, 'nouvelle demande, étape 3');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    // Step 4: documents, with progress, then a refused file with its reason.
    await expectStep(page, 'Les pièces justificatives');
    await page
      .getByLabel('Formulaire de demande signé (Cerfa 15692)')
      .setInputFiles(samplePdf('formulaire.pdf'));
    await page.getByText('Envoi terminé : 100 %').waitFor();
    await expect.poll(() => page.locator('progress').first().getAttribute('value')).toBe('100');
    await page.getByText('« formulaire.pdf » a bien été envoyé.').waitFor();
    await page.getByLabel('Justificatif d’identité').setInputFiles(textFile());
    await page.getByText('Seuls les fichiers PDF, JPEG et PNG sont acceptés.').waitFor();
    await page.getByText('Type de fichier non accepté', { exact: false }).waitFor();
    // The field itself is in its error state.
    await page
      .locator('.fr-upload-group.fr-input-group--error', { hasText: 'Justificatif d’identité' })
      .waitFor();
    expect(await page.getByLabel('Justificatif d’identité').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await expectAccessible(page, 'nouvelle demande, étape 4');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText(/Brouillon \S+ enregistré/).waitFor();

    // Leave, come back through "Reprendre le brouillon": the documents step again.
    await page.getByRole('link', { name: 'Mes demandes' }).first().click();
    await expectHeading(page, 'Mes demandes');
    const resume = page.getByRole('link', { name: /Reprendre le brouillon \S+/ });
    await resume.waitFor();
    await expectAccessible(page, 'mes demandes (brouillon)');
    const reference = (await resume.textContent())!.replace('Reprendre le brouillon ', '').trim();
    await resume.click();
    await expectHeading(page, 'Reprendre ma demande');
    await expectStep(page, 'Les pièces justificatives');
    await page.getByText('formulaire.pdf (Formulaires et courriers)').waitFor();
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await expectStep(page, 'Récapitulatif');
    await page.getByText('Allocation aux adultes handicapés (AAH), Carte mobilité').waitFor();
    await expectAccessible(page, 'nouvelle demande, récapitulatif');
    await page.getByRole('button', { name: 'Déposer la demande' }).click();

    await expectHeading(page, 'Mes demandes');
    await page.getByText(`Demande ${reference} déposée`).waitFor();
    const card = page.locator('.fr-card', { hasText: `Dossier ${reference}` });
    await card.getByText('Déposé', { exact: true }).waitFor();
    await expectAccessible(page, 'mes demandes (déposée)');
    await expectCleanPage(watch);
    await context.close();
  });

  it('lets the demo usager follow a case, write, read decisions and consultations, and download their data', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('usager'));
    await page.goto('/mon-espace');
    await expectHeading(page, 'Mes demandes');
    const notified = page.getByRole('link', { name: /Voir le dossier \S+/ });
    await notified.first().waitFor();
    await expectAccessible(page, 'mes demandes (usager de démonstration)');
    await screenshot(page, 'usager');

    // The notified case: decisions per right and the decision letter.
    const cards = page.locator('.fr-card', { hasText: 'Notifié' });
    await cards.getByRole('link', { name: /Voir le dossier/ }).click();
    await expectHeading(page, /Dossier \S+/);
    await page.getByRole('cell', { name: 'Accord', exact: true }).waitFor();
    await page.getByText('Mention invalidité pour 5 ans.').waitFor();
    const letter = page.getByRole('link', {
      name: /^Télécharger notification-decision-MDPH44-\d{4}-\d+\.pdf$/,
    });
    expect(await letter.getAttribute('download')).toBe('');
    const href = await letter.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/documents\/[0-9a-f-]+\/content$/);
    // The letter the server generated, read back by an independent PDF parser.
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    const text = await pdfText(await pdf.body());
    expect(text).toContain('Carte mobilité inclusion (CMI)');
    expect(text).toContain('Décision : accord.');
    expect(text).toMatch(/Validité : du \d{1,2}(er)? \S+ \d{4} au \d{1,2}(er)? \S+ \d{4}\./);
    expect(text).toContain('Voies et délais de recours');
    expect(text).toContain('recours administratif préalable obligatoire');
    // Within its window the appeal is offered, with its last day; the renewal too.
    await page.getByRole('heading', { name: 'Contester la décision' }).waitFor();
    await page.getByRole('button', { name: /^Contester la décision du dossier/ }).waitFor();
    await page.getByRole('button', { name: /^Préparer le renouvellement du dossier/ }).waitFor();
    await expectAccessible(page, 'dossier notifié');

    // Messages: write one on the case under evaluation, at a phone's size.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/mon-espace');
    await page
      .locator('.fr-card', { hasText: 'En évaluation' })
      .getByRole('link', { name: /Voir le dossier/ })
      .click();
    await expectHeading(page, /Dossier \S+/);
    await page.getByText('votre dossier est complet et en évaluation').waitFor();
    await page.getByLabel('Votre message à la MDPH').fill('Merci, j’attends la suite.');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Message envoyé.').waitFor();
    await page.getByText('Merci, j’attends la suite.').waitFor();
    await expectAccessible(page, 'dossier en évaluation (téléphone)');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('link', { name: 'Qui a consulté mon dossier' }).first().click();
    await expectHeading(page, 'Qui a consulté mon dossier');
    await page.locator('table, p:has-text("Personne n’a encore consulté")').first().waitFor();
    await expectAccessible(page, 'qui a consulté mon dossier');

    await page.getByRole('link', { name: 'Mes données' }).first().click();
    await expectHeading(page, 'Mes données');
    await expectAccessible(page, 'mes données');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Télécharger mes données/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mes-donnees-cloison.json');
    const file = await download.path();
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      account: { email: string };
      cases: Array<{ case: { reference: string } }>;
    };
    expect(data.account.email).toBe(suite.server.account('usager').email);
    expect(await page.title()).toContain('Mes données');
    expect(data.cases.length).toBeGreaterThan(0);
    expect(data.cases.map((c) => c.case.reference).join(' ')).toMatch(/44-\d{4}-/);
    await expectCleanPage(watch);
    await context.close();
  });
  it('sends the missing pieces, withdraws a request, then resets a forgotten password', async () => {
    const account = suite.server.account('usager-2');
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, account);
    await page.goto('/mon-espace');
    await expectHeading(page, 'Mes demandes');
    await page
      .locator('.fr-card', { hasText: 'En attente de pièces' })
      .getByRole('link', { name: /Voir le dossier/ })
      .click();
    await expectHeading(page, /Dossier \S+/);
    await page.getByRole('heading', { level: 2, name: 'Pièces manquantes' }).waitFor();
    await page.getByText('Justificatif de domicile : manquante').waitFor();
    await expectAccessible(page, 'dossier en attente de pièces');
    await page.getByLabel('Justificatif de domicile').setInputFiles(samplePdf('facture.pdf'));
    await page.getByText('Envoi terminé : 100 %').waitFor();
    await page.getByText('Justificatif de domicile : reçue').waitFor();
    await page.getByRole('button', { name: 'J’ai envoyé les pièces' }).click();
    await page.getByText('La MDPH est prévenue que vos pièces sont envoyées.').waitFor();
    await page.getByText('Déposé', { exact: true }).first().waitFor();

    // Withdrawal asks for a confirmation first.
    await page.getByRole('button', { name: /Retirer ma demande \S+/ }).click();
    await page.getByText(/Voulez-vous vraiment retirer la demande/).waitFor();
    await expectAccessible(page, 'confirmation du retrait');
    await page.getByRole('button', { name: 'Oui, retirer la demande' }).click();
    await expectHeading(page, 'Mes demandes');
    await page.locator('.fr-card', { hasText: 'Retiré' }).first().waitFor();
    await expectCleanPage(watch);
    await context.close();

    // Forgotten password: the same answer for any address, the link from the suite.mailbox.
    const anon = await openPage(suite.browser, suite.server);
    await anon.page.goto('/connexion');
    await anon.page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await expectHeading(anon.page, 'Mot de passe oublié');
    await expectAccessible(anon.page, 'mot de passe oublié');
    const since = suite.mailbox.messages.length;
    await anon.page.getByLabel('Adresse électronique').fill(account.email);
    await anon.page.getByRole('button', { name: 'Recevoir un lien' }).click();
    await anon.page.getByText('Si un compte existe avec cette adresse').waitFor();
    const mail = await suite.mailbox.waitFor(account.email, { since });
    const link = new URL(/https?:\/\/\S+#jeton=[A-Za-z0-9_-]+/.exec(mail.text)![0]);
    await anon.page.goto(`${link.pathname}${link.hash}`);
    await expectHeading(anon.page, 'Choisir un nouveau mot de passe');
    await expectAccessible(anon.page, 'nouveau mot de passe');
    const password = 'Un tout nouveau mot de passe 2026';
    await anon.page.getByLabel('Nouveau mot de passe', { exact: true }).fill(password);
    await anon.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await anon.page.getByText('Mot de passe changé').waitFor();
    await signIn(anon.page, suite.server, { ...account, password });
    await expectHeading(anon.page, 'Mes demandes');
    await expectCleanPage(anon.watch);
    await anon.context.close();
  });
});

/** The text of a PDF, its pages joined, as a reader would hear it. */
