import { expect, it } from 'vitest';
import { Client } from '../harness/client.js';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  samplePdf,
  signIn,
} from './browser.js';

/**
 * A request that reached the MDPH on paper, in the browser: the accueil finds no one under the
 * NIR, registers the person, prints an invitation code, opens the request and adds the scanned
 * form; the person signs up, types the code and their birth date, and finds their request.
 */
describeInBrowser('paper filing and its invitation', { mailbox: true }, (suite) => {
  const person = {
    firstName: 'Odile',
    lastName: `Guichet-${Date.now()}`,
    birthDate: '1958-04-17',
    nir: '2580444109876',
  };

  it('files a paper request for a new person, who takes it over online with the letter’s code', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('accueil', '44'));
    await page.getByRole('link', { name: 'Demande papier' }).first().click();
    await expectHeading(page, 'Déposer une demande papier');
    await expectAccessible(page, 'agent: demande papier');

    await page.getByLabel('Numéro de sécurité sociale (NIR)').fill(person.nir);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Aucune personne de votre département ne porte ce NIR').waitFor();

    await page.getByLabel('Prénom').fill(person.firstName);
    await page.getByLabel('Nom', { exact: true }).fill(person.lastName);
    await page.getByLabel('Date de naissance').fill(person.birthDate);
    await page.getByLabel('NIR (facultatif)').fill(person.nir);
    await page.getByRole('button', { name: 'Enregistrer la personne' }).click();
    await page.getByText(`${person.firstName} ${person.lastName}`).first().waitFor();

    await page.getByRole('button', { name: 'Créer le code d’invitation' }).click();
    const code = (await page.locator('.cloison-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectAccessible(page, 'agent: demande papier, personne choisie');

    await page.locator('label', { hasText: 'Allocation aux adultes handicapés (AAH)' }).click();
    await page.getByRole('button', { name: 'Ouvrir la demande papier' }).click();
    await expectHeading(page, /^Dossier MDPH44-/);
    const reference = (await page.getByRole('heading', { level: 1 }).innerText()).replace(
      'Dossier ',
      '',
    );
    await page.getByLabel('Pièce obligatoire concernée').selectOption('cerfa_15692');
    await page.getByLabel('Fichier').setInputFiles(samplePdf('cerfa-scan.pdf', 'Cerfa 15692'));
    await page.getByRole('button', { name: 'Envoyer la pièce' }).click();
    await page.getByText('cerfa-scan.pdf a été ajouté au dossier.').waitFor();
    await expectCleanPage(watch);
    await context.close();

    // The person: an account of their own, then the code of the letter.
    const email = `odile-${Date.now()}@exemple.test`;
    const password = 'une tuile verte sous la pluie';
    const anonymous = new Client(suite.server.baseUrl);
    const since = suite.mailbox.messages.length;
    const signUp = await anonymous.post('/api/v1/auth/signup', {
      json: { email, password, displayName: 'Odile', tenant: '44' },
    });
    expect(signUp.status).toBe(202);
    const mail = await suite.mailbox.waitFor(email, { since });
    const token = /#jeton=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect((await anonymous.post('/api/v1/auth/verify-email', { json: { token } })).status).toBe(
      204,
    );

    const usager = await openPage(suite.browser, suite.server);
    await signIn(usager.page, suite.server, {
      email,
      password,
    } as Parameters<typeof signIn>[2]);
    await usager.page.goto('/mon-espace');
    await expectHeading(usager.page, 'Déclarer votre identité');
    await expectAccessible(usager.page, 'usager: identité ou courrier');
    await usager.page.getByRole('button', { name: 'J’ai reçu un code d’invitation' }).click();
    await usager.page.getByLabel('Code d’invitation').fill(code.toLowerCase());
    await usager.page
      .getByLabel('Date de naissance de la personne concernée')
      .fill(person.birthDate);
    await usager.page.getByRole('button', { name: 'Retrouver mon dossier' }).click();
    await usager.page.getByText(reference).first().waitFor();
    await expectCleanPage(usager.watch);
    await usager.context.close();
  });
});
