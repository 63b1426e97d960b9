import { beforeAll, expect, it } from 'vitest';
import { samplePdf as pdfBytes } from '../../src/modules/documents/sample-files.js';
import { Client, fileForm } from '../harness/client.js';
import { readWorld } from '../harness/world.js';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  samplePdf,
  signIn,
  describeInBrowser,
} from './browser.js';

/**
 * The agent d'accueil's day: the queue, a submitted case with missing pieces, a paper piece
 * scanned and added, the missing ones asked for with a deadline and a message to the usager.
 */
describeInBrowser('agents’ back office: the accueil', {}, (suite) => {
  let reference: string;
  let caseId: string;

  beforeAll(async () => {
    // The usager files a case with only an identity piece (setup, not the journey).
    const usager = await new Client(suite.server.baseUrl).login(
      suite.server.account('usager', '44'),
    );
    const persons = (await usager.get('/api/v1/persons')).json as {
      items: Array<{ id: string; relation: string }>;
    };
    const self = persons.items.find((p) => p.relation === 'self')!;
    const created = await usager.post('/api/v1/cases', {
      json: { personId: self.id, rights: ['CMI'] },
    });
    expect(created.status, created.text).toBe(201);
    ({ id: caseId, reference } = created.json as { id: string; reference: string });
    const up = await usager.post(
      `/api/v1/cases/${caseId}/documents?category=identity&piece=identite`,
      {
        body: fileForm(pdfBytes('Carte d’identité'), 'identite.pdf', 'application/pdf'),
      },
    );
    expect(up.status, up.text).toBe(201);
    const moved = await usager.post(`/api/v1/cases/${caseId}/transitions`, {
      json: { to: 'depose' },
    });
    expect(moved.status, moved.text).toBe(200);
  });

  it('asks for the missing pieces of a submitted case', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('accueil', '44'));
    await expectHeading(page, 'Dossiers');
    await page.getByRole('table').waitFor();
    await expectAccessible(page, 'agent: file des dossiers (accueil)');

    await page.getByLabel('Statut').selectOption('depose');
    await page.getByRole('button', { name: 'Filtrer les dossiers' }).click();
    await page.waitForURL(/statut=depose/);
    await page.getByRole('link', { name: `Voir le dossier ${reference}` }).click();
    await expectHeading(page, `Dossier ${reference}`);
    await page.getByText('Pièces médicales : réservées à l’équipe médicale.').waitFor();
    await expect.poll(() => page.getByText(/Justificatif d’identité : fournie/).count()).toBe(1);
    expect(await page.getByText(/ : manquante/).count()).toBe(3);
    await expectAccessible(page, 'agent: dossier (accueil)');

    // A paper proof of address, scanned at the desk.
    await page.getByLabel('Pièce obligatoire concernée').selectOption('domicile');
    await page.getByLabel('Fichier').setInputFiles(samplePdf('domicile.pdf', 'Facture'));
    await page.getByRole('button', { name: 'Envoyer la pièce' }).click();
    await page.getByText('domicile.pdf a été ajouté au dossier.').waitFor();
    await page.getByRole('link', { name: 'Télécharger domicile.pdf' }).waitFor();
    await page.getByText(/Justificatif de domicile : fournie/).waitFor();

    // The two pieces still missing are pre-checked.
    const missing = page.getByRole('group', { name: 'Pièces à demander' });
    await expect.poll(() => missing.getByRole('checkbox', { checked: true }).count()).toBe(2);
    expect(await missing.getByRole('checkbox', { name: /Certificat médical/ }).isChecked()).toBe(
      true,
    );
    await page.getByLabel('Date limite de production des pièces').fill('2099-03-31');
    await page.getByLabel('Message joint à la demande').fill('Vous pouvez les déposer en ligne.');
    await page.getByRole('button', { name: 'Demander les pièces' }).click();
    await page.getByText('En attente de pièces', { exact: true }).first().waitFor();
    await page.getByText(/Vous pouvez les déposer en ligne/).waitFor();
    await expectAccessible(page, 'agent: dossier en attente de pièces (accueil)');

    const world = readWorld(suite.server.dbFile);
    expect(world.cases.find((c) => c.id === caseId)?.status).toBe('attente_pieces');
    const message = world.messages.find((m) => m.case_id === caseId)?.body ?? '';
    expect(message).toContain('Certificat médical');
    expect(message).toContain('Formulaire de demande signé');
    expect(message).not.toContain('Justificatif d’identité');
    await expectCleanPage(watch);
    await context.close();
  });

  it('rejects a piece with a reason, which the usager then reads beside it', async () => {
    const reason = 'Copie illisible : renvoyez une photo nette du recto et du verso.';
    const agent = await openPage(suite.browser, suite.server);
    await signIn(agent.page, suite.server, suite.server.account('accueil', '44'));
    await agent.page.goto(`/instruction/dossiers/${caseId}`);
    await expectHeading(agent.page, `Dossier ${reference}`);
    await agent.page.getByRole('button', { name: 'Refuser…' }).first().click();
    await agent.page.getByLabel('Motif du refus').fill(reason);
    await agent.page.getByRole('button', { name: 'Refuser la pièce' }).click();
    await agent.page.getByText(/Justificatif d’identité : fournie, refusée/).waitFor();
    await expectAccessible(agent.page, 'agent: pièce refusée (accueil)');
    await expectCleanPage(agent.watch);
    await agent.context.close();

    const usager = await openPage(suite.browser, suite.server);
    await signIn(usager.page, suite.server, suite.server.account('usager', '44'));
    await usager.page.goto(`/mon-espace/dossiers/${caseId}`);
    await expectHeading(usager.page, `Dossier ${reference}`);
    await usager.page.getByText(`motif : ${reason}`).first().waitFor();
    await expectAccessible(usager.page, 'usager: pièce refusée et son motif');
    await expectCleanPage(usager.watch);
    await usager.context.close();
  });
});
