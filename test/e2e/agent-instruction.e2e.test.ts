import { beforeAll, expect, it } from 'vitest';
import { samplePdf as pdfBytes } from '../../src/modules/documents/sample-files.js';
import { Client, fileForm } from '../harness/client.js';
import { readWorld, type World } from '../harness/world.js';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  screenshot,
  signIn,
  describeInBrowser,
} from './browser.js';

/**
 * The instructeur works their own queue (note, transition); the responsable assigns an
 * évaluateur médical, who then finds the case in their queue with its medical pieces.
 */
describeInBrowser('agents’ back office: instruction and assignment', {}, (suite) => {
  let world: World;
  const inTenant = (c: { tenant_id: string }) =>
    c.tenant_id === world.tenants.find((t) => t.code === '44')!.id;

  beforeAll(async () => {
    world = readWorld(suite.server.dbFile);
    // A medical certificate on the recevable case, scanned by the accueil (setup).
    const recevable = world.cases.find((c) => inTenant(c) && c.status === 'recevable')!;
    const accueil = await new Client(suite.server.baseUrl).login(
      suite.server.account('accueil', '44'),
    );
    // The certificate carries its date (under 12 months), as any upload of that piece must.
    const issuedOn = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const up = await accueil.post(
      `/api/v1/cases/${recevable.id}/documents?category=medical&piece=certificat_medical&issuedOn=${issuedOn}`,
      { body: fileForm(pdfBytes('Certificat médical'), 'certificat.pdf', 'application/pdf') },
    );
    expect(up.status, up.text).toBe(201);
  });

  it('the instructeur adds a note and closes a notified case of their own', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('instructeur', '44'));
    await expectHeading(page, 'Dossiers');
    await page.getByRole('table').waitFor();
    await screenshot(page, 'agent');
    await page.getByLabel('Affectation').selectOption('me');
    // Entrée in a text field submits the filters, as in any form.
    await page.getByLabel('Équipe').press('Enter');
    await page.waitForURL(/assignee=me/);
    const me = suite.server.account('instructeur', '44');
    const mine = world.cases.filter((c) => inTenant(c) && c.instructeur_id === me.id);
    await expect.poll(() => page.getByRole('row').count()).toBe(mine.length + 1);
    await expectAccessible(page, 'agent: file des dossiers (instructeur, les miens)');

    const notified = mine.find((c) => c.status === 'notifie')!;
    await page.getByRole('link', { name: `Voir le dossier ${notified.reference}` }).click();
    await expectHeading(page, `Dossier ${notified.reference}`);
    await page.getByText('Jamais visibles par l’usager.').waitFor();
    await page.getByLabel('Nouvelle note interne').fill('Appeler la personne pour la CMI.');
    await page.getByRole('button', { name: 'Ajouter la note' }).click();
    await page.getByText('Appeler la personne pour la CMI.').waitFor();
    await page.getByText('Note ajoutée.').waitFor();

    await page.getByRole('button', { name: 'Passer à : Clôturé' }).click();
    await page.getByText('Le dossier est passé au statut « Clôturé ».').waitFor();
    await page.getByText('Clôturé', { exact: true }).first().waitFor();
    await expectAccessible(page, 'agent: dossier (instructeur)');
    const after = readWorld(suite.server.dbFile);
    expect(after.cases.find((c) => c.id === notified.id)?.status).toBe('cloture');
    expect(after.notes.some((n) => n.body === 'Appeler la personne pour la CMI.')).toBe(true);
    await expectCleanPage(watch);
    await context.close();
  });

  it('the responsable assigns an évaluateur, who then sees the case and its medical pieces', async () => {
    const recevable = world.cases.find((c) => inTenant(c) && c.status === 'recevable')!;
    const evaluateur = suite.server.account('evaluateur', '44');
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('responsable', '44'));
    await expectHeading(page, 'Dossiers');
    await page.getByLabel('Statut').selectOption('recevable');
    await page.getByRole('button', { name: 'Filtrer les dossiers' }).click();
    await page.getByRole('link', { name: `Voir le dossier ${recevable.reference}` }).click();
    await expectHeading(page, `Dossier ${recevable.reference}`);
    await page.getByText('Pièces médicales : réservées à l’équipe médicale.').waitFor();
    // The case holds a medical certificate: the API keeps it from the responsable.
    await page.getByText('Aucune pièce n’est encore au dossier.').waitFor();
    expect(await page.getByRole('link', { name: 'Télécharger certificat.pdf' }).count()).toBe(0);
    const select = page.getByLabel('Évaluateur médical');
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
    await expectAccessible(page, 'agent: dossier (responsable)');
    await select.selectOption(evaluateur.id);
    await page.getByRole('button', { name: 'Enregistrer l’affectation' }).click();
    await page.getByText('L’affectation a été enregistrée.').waitFor();
    await page.getByRole('button', { name: 'Passer à : En évaluation' }).waitFor();
    expect(
      readWorld(suite.server.dbFile).cases.find((c) => c.id === recevable.id)?.evaluateur_id,
    ).toBe(evaluateur.id);
    await expectCleanPage(watch);
    await context.close();

    const second = await openPage(suite.browser, suite.server);
    await signIn(second.page, suite.server, evaluateur);
    await expectHeading(second.page, 'Dossiers');
    await second.page.getByRole('link', { name: `Voir le dossier ${recevable.reference}` }).click();
    await expectHeading(second.page, `Dossier ${recevable.reference}`);
    await second.page.getByRole('heading', { name: 'Médical' }).waitFor();
    await second.page.getByRole('link', { name: 'Télécharger certificat.pdf' }).waitFor();
    expect(await second.page.getByText(/réservées à l’équipe médicale/).count()).toBe(0);
    await expectAccessible(second.page, 'agent: dossier (évaluateur)');
    await expectCleanPage(second.watch);
    await second.context.close();
  });
});
