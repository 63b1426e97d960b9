import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Locator } from 'playwright-core';
import { Client } from '../harness/client.js';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  focused,
  openPage,
  signIn,
} from './browser.js';

/**
 * THREATS.md T3, the recipient's side in the browser: once the DPO has approved an export, its
 * orderer mints on the exports page the token of the recipient's system, shown once. With it
 * the recipient downloads that export's encrypted file and nothing else; a second mint replaces
 * it, and the first then stops working. The page is checked with axe at each step.
 */

/** The export job runs every few seconds; on a loaded two-core machine, allow a minute. */
const JOB_WAIT = { timeout: 60_000, interval: 500 };

let recipient: string;
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-export-token-e2e-'));
  const identity = path.join(work, 'recipient.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** What the recipient's system gets with a token: the status and the file's first bytes. */
async function downloadWith(
  baseUrl: string,
  token: string,
  id: string,
): Promise<{ status: number; head: string }> {
  const res = await fetch(`${baseUrl}/api/v1/exports/${id}/content`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, head: new TextDecoder().decode(bytes.slice(0, 21)) };
}

/** The token the page shows in a card, as a person would select it. */
async function tokenIn(card: Locator, id: string): Promise<string> {
  const value = card.locator(`[id="token-value-${id}"]`);
  await value.waitFor();
  return (await value.innerText()).trim();
}

/** The text of what a field's aria-describedby points to (its error message, when it has one). */
async function descriptionOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(
    ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

describeInBrowser('the recipient’s token in the browser', {}, (suite) => {
  it(
    'the orderer mints the recipient’s token, shown once; it downloads that export only, and a new one replaces it',
    { timeout: 240_000 },
    async () => {
      const name = `Système du destinataire ${Date.now()}`;
      const server = suite.server;
      // The browser's sign-in first: the API's own sign-in of the same account waits for a
      // fresh code if it must, the browser's would not know the code was spent.
      const { page, watch, context } = await openPage(suite.browser, server);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await signIn(page, server, server.account('responsable'));

      // The orderer's and the DPO's parts through the API (the form is exports.e2e's).
      const responsable = await new Client(server.baseUrl).login(server.account('responsable'));
      const dpo = await new Client(server.baseUrl).login(server.account('dpo'));
      const order = async (recipientName: string) => {
        const created = await responsable.post('/api/v1/export-instructions', {
          json: {
            kind: 'export',
            purpose: 'Transmission des dossiers notifiés au système du destinataire',
            legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
            recipient: { name: recipientName, contact: 'dsi@example.fr', ageRecipient: recipient },
            scope: { statuses: ['notifie'] },
            fields: ['case.reference', 'case.status'],
            documentCategories: [],
            expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
          },
        });
        expect(created.status, created.text).toBe(201);
        const { id } = created.json as { id: string };
        const approved = await dpo.post(`/api/v1/export-instructions/${id}/approval`);
        expect(approved.status, approved.text).toBe(200);
        return id;
      };
      const id = await order(name);
      const otherId = await order(`Autre destinataire ${Date.now()}`);

      await page.getByRole('link', { name: 'Exports et migrations' }).first().click();
      await expectHeading(page, 'Exports et migrations');
      await page.getByRole('heading', { name: 'Jeton pour le système du destinataire' }).waitFor();
      const card = page.getByRole('region', { name: `Jeton pour ${name}`, exact: true });
      await card.waitFor();
      await card.getByText('télécharger ce seul export').waitFor();
      await card.getByText(id.slice(0, 8)).waitFor();
      await expectAccessible(page, 'exports et migrations (jeton du destinataire)');

      // A range the server cannot read is refused on the field, the line named as typed.
      const ranges = card.getByLabel(`Plages d’adresses autorisées pour ${name} (facultatif)`);
      await ranges.fill('pas une plage');
      await card.getByRole('button', { name: `Créer le jeton pour ${name}` }).click();
      await card.getByRole('alert').getByText('La ligne 1 (« pas une plage »)').waitFor();
      expect(await descriptionOf(ranges)).toContain(
        'La ligne 1 (« pas une plage ») n’est ni une adresse IP ni une plage CIDR',
      );
      await expectAccessible(page, 'exports et migrations (plage refusée)');

      await ranges.fill('127.0.0.0/8\n\n::1/128\n');
      await card.getByRole('button', { name: `Créer le jeton pour ${name}` }).click();
      const first = await tokenIn(card, id);
      expect(first).toMatch(/^clo_/);
      await card.getByText('Il ne sera plus affiché').waitFor();
      await card.getByText(`Authorization: Bearer`).first().waitFor();
      await card.getByText(`GET ${server.baseUrl}/api/v1/exports/${id}/content`).waitFor();
      expect((await focused(page)).text).toBe(`Jeton créé pour ${name}`);
      await expectAccessible(page, 'exports et migrations (jeton affiché)');

      await card.getByRole('button', { name: 'Copier le jeton' }).click();
      await card.getByRole('status').getByText('Jeton copié dans le presse-papiers.').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(first);

      // The recipient's system, with the token alone: this export once it is ready...
      await vi.waitFor(async () => {
        expect(await downloadWith(server.baseUrl, first, id)).toEqual({
          status: 200,
          head: 'age-encryption.org/v1',
        });
      }, JOB_WAIT);
      // ...and no other instruction's, ready or not: it does not exist to this token.
      expect((await downloadWith(server.baseUrl, first, otherId)).status).toBe(404);

      // A second mint replaces the first, which stops working at once.
      await card.getByText('ce dernier cessera aussitôt de fonctionner').waitFor();
      await card.getByRole('button', { name: `Remplacer le jeton pour ${name}` }).click();
      await expect.poll(() => tokenIn(card, id)).not.toBe(first);
      const second = await tokenIn(card, id);
      expect((await downloadWith(server.baseUrl, first, id)).status).toBe(401);
      expect(await downloadWith(server.baseUrl, second, id)).toEqual({
        status: 200,
        head: 'age-encryption.org/v1',
      });
      await expectAccessible(page, 'exports et migrations (jeton remplacé)');

      // The secret lives in the page only: nothing of it kept in the browser's storage.
      await expectCleanPage(watch);
      await context.close();
    },
  );
});
