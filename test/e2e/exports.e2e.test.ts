import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  screenshot,
  signIn,
} from './browser.js';

/**
 * THREATS.md T3 in the browser: the responsable orders an export through the form, the DPO
 * (in their own browser) reads what, why, to whom and how many, and approves it; the server's
 * job runs it and the responsable downloads the encrypted file through a plain same-origin
 * link. Health data asked for without a medical recipient is refused by the server, and the
 * page says why. Every new page is checked with axe.
 */

/** The export job runs every few seconds; on a loaded two-core machine, allow a minute. */
const JOB_WAIT = { timeout: 60_000 };

let work: string;
let recipient: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-export-e2e-'));
  const identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Ticks a DSFR checkbox or radio as a person does, by its label (the input itself sits under
 * the label, which takes the click), then checks that it took.
 */
async function tick(page: Page, label: string): Promise<void> {
  await page.locator('label').filter({ hasText: label }).first().click();
  expect(await page.getByLabel(label).first().isChecked(), label).toBe(true);
}

/** Fills what every instruction needs: purpose, legal basis, recipient, the scope by status. */
async function fillInstruction(page: Page, recipientName: string): Promise<void> {
  await page.getByLabel('Finalité').fill('Reprise des dossiers notifiés par le nouveau logiciel');
  await page.getByLabel('Base légale').fill('Mission d’intérêt public (RGPD art. 6.1.e)');
  await page.getByLabel('Nom du destinataire').fill(recipientName);
  await page.getByLabel('Contact du destinataire').fill('dsi@cd44.example.fr');
  await page.getByLabel('Clé publique age du destinataire').fill(recipient);
  await tick(page, 'Les dossiers qui répondent à un filtre');
  await tick(page, 'Notifié');
  await tick(page, 'Numéro du dossier');
  await tick(page, 'Statut du dossier');
}

/** The JSON of a GET made by the page itself (its session cookie, its origin). */
function fetchJson<T>(page: Page, url: string): Promise<T> {
  // A string: the test code is typed for Node, this runs in the page.
  return page.evaluate(`fetch(${JSON.stringify(url)}).then((r) => r.json())`) as Promise<T>;
}

describeInBrowser('export instructions in the browser', {}, (suite) => {
  it(
    'the responsable orders an export, the DPO approves it, the responsable downloads it',
    { timeout: 180_000 },
    async () => {
      const name = `Système d’information cible ${Date.now()}`;
      const orderer = await openPage(suite.browser, suite.server);
      const page = orderer.page;
      await signIn(page, suite.server, suite.server.account('responsable'));
      await page.getByRole('link', { name: 'Exports et migrations' }).first().click();
      await expectHeading(page, 'Exports et migrations');
      await page.getByRole('heading', { name: 'Nouvelle instruction' }).waitFor();
      await expectAccessible(page, 'exports et migrations');

      await fillInstruction(page, name);
      await expectAccessible(page, 'exports et migrations (formulaire rempli)');
      await page.getByRole('button', { name: 'Enregistrer l’instruction' }).click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining(`Instruction enregistrée pour ${name}`));
      const row = page.getByRole('row').filter({ hasText: name });
      await row.getByText('En attente d’approbation').waitFor();
      await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, 'exports');

      // What the scope covers, as the server counts it: the DPO must see these figures.
      const mine = await fetchJson<{
        items: Array<{
          id: string;
          recipient: { name: string };
          counts: { cases: number; persons: number };
        }>;
      }>(page, '/api/v1/export-instructions');
      const ordered = mine.items.find((i) => i.recipient.name === name)!;
      expect(ordered.counts.cases).toBeGreaterThan(0);

      const dpo = await openPage(suite.browser, suite.server);
      await signIn(dpo.page, suite.server, suite.server.account('dpo'));
      await dpo.page.getByRole('link', { name: 'Exports à approuver' }).first().click();
      await expectHeading(dpo.page, 'Exports à approuver');
      const card = dpo.page.getByRole('region', { name: `Export vers ${name}` });
      await card.waitFor();
      const { cases, persons } = ordered.counts;
      await card
        .getByText(`${cases} dossier${cases > 1 ? 's' : ''}, ${persons} personne`)
        .waitFor();
      await card.getByText('Reprise des dossiers notifiés par le nouveau logiciel').waitFor();
      await card.getByText('Numéro du dossier').waitFor();
      await card.getByText('Destinataire non médical').waitFor();
      await expectAccessible(dpo.page, 'exports à approuver');
      await screenshot(dpo.page, 'exports-a-approuver');

      // The demo's pending instruction: refusing it takes a reason, asked on the field.
      const demo = dpo.page.getByRole('region', { name: /^Export vers Observatoire/ });
      await demo.getByRole('button', { name: /^Refuser l’instruction/ }).click();
      await demo.getByText('Indiquez la raison du refus.').waitFor();
      await expectAccessible(dpo.page, 'exports à approuver (raison manquante)');
      await demo.getByLabel(/^Raison du refus/).fill('Finalité couverte par le rapport national');
      await demo.getByRole('button', { name: /^Refuser l’instruction/ }).click();
      await expect
        .poll(() => dpo.page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining('Instruction refusée pour Observatoire'));

      await card.getByRole('button', { name: `Approuver l’instruction pour ${name}` }).click();
      await expect
        .poll(() => dpo.page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining(`Instruction approuvée pour ${name}`));
      await dpo.page.getByRole('row').filter({ hasText: 'Refusée' }).first().waitFor();
      await expectAccessible(dpo.page, 'exports à approuver (décidées)');

      // Once the responsable refreshes the list, the page follows the job until the file is ready.
      await page.getByRole('button', { name: 'Actualiser la liste' }).click();
      await row.getByText('Prêt à télécharger').waitFor(JOB_WAIT);
      const link = page.getByRole('link', {
        name: new RegExp(`^Télécharger l’export pour ${name}`),
      });
      const href = await link.getAttribute('href');
      expect(href).toBe(`/api/v1/exports/${ordered.id}/content`);
      expect(await link.getAttribute('download')).not.toBeNull();
      await expectAccessible(page, 'exports et migrations (prêt)');
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, 'exports-pret');
      const download = await page.evaluate(
        `fetch(${JSON.stringify(href)}).then(async (r) => ({ status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 21)) }))`,
      );
      expect(download).toEqual({ status: 200, head: 'age-encryption.org/v1' });
      const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(await file.failure()).toBeNull();
      const bytes = fs.readFileSync((await file.path())!);
      expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
      // The hash the page shows is the one of the file the orderer hands to the recipient.
      expect(await row.innerText()).toContain(createHash('sha256').update(bytes).digest('hex'));

      await expectCleanPage(orderer.watch);
      await expectCleanPage(dpo.watch);
      await orderer.context.close();
      await dpo.context.close();
    },
  );

  it('shows the server’s refusal of health data for a recipient who is not medical', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('admin'));
    await page.getByRole('link', { name: 'Exports et migrations' }).first().click();
    await expectHeading(page, 'Exports et migrations');
    await fillInstruction(page, 'Prestataire de statistiques');
    await tick(page, 'Situation et besoins décrits dans la demande');
    // Health data asks for a reason; the recipient stays non-medical, which the server refuses.
    await page.getByLabel('Raison médicale').fill('Étude des besoins de compensation');
    await page.getByRole('button', { name: 'Enregistrer l’instruction' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'destinataire médical' }).first();
    await alert.waitFor();
    await page.locator('.fr-checkbox-group--error, .fr-fieldset--error').first().waitFor();
    await expectAccessible(page, 'exports et migrations (refus du serveur)');
    const listed = await fetchJson<{ items: Array<{ recipient: { name: string } }> }>(
      page,
      '/api/v1/export-instructions',
    );
    expect(listed.items.map((i) => i.recipient.name)).not.toContain('Prestataire de statistiques');
    await expectCleanPage(watch);
    await context.close();
  });
});
