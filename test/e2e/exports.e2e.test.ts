import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { Client } from '../harness/client.js';
import { readWorld } from '../harness/world.js';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  focused,
  openPage,
  screenshot,
  signIn,
} from './browser.js';

/**
 * THREATS.md T3 in the browser: the responsable orders an export through the form, the DPO
 * (in their own browser) reads what, why, to whom and how many, and approves it; the server's
 * job runs it and the responsable downloads the encrypted file through a plain same-origin
 * link. Health data asked for without a medical recipient is refused by the server, and the
 * page says why. At a migration's end the DPO types the recipient's two proofs (the manifest's
 * hash, the receipt code read in the decrypted file), sees the erasure date, and cancels it.
 * Every new page is checked with axe.
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

/** The text of what a field's aria-describedby points to (its error message, when it has one). */
async function descriptionOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(
    ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
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

  it(
    'the DPO confirms a migration’s reception with the recipient’s proofs, then cancels its erasure',
    { timeout: 240_000 },
    async () => {
      const name = `Éditeur de reprise ${Date.now()}`;
      const world = readWorld(suite.server.dbFile);
      const t44 = world.tenants.find((t) => t.code === '44')!.id;
      const decoys = new Set(world.decoys.map((d) => d.case_id));
      const migrated = world.cases.find((c) => c.tenant_id === t44 && !decoys.has(c.id))!;
      // The orderer's part through the API (the form is the first journey's): one case.
      const responsable = await new Client(suite.server.baseUrl).login(
        suite.server.account('responsable'),
      );
      // A migration takes the whole file, its source being erased: every field and category.
      const catalogue = (
        (await responsable.get('/api/v1/export-fields')).json as { items: Array<{ name: string }> }
      ).items.map((f) => f.name);
      const created = await responsable.post('/api/v1/export-instructions', {
        json: {
          kind: 'migration',
          purpose: 'Reprise du dossier par le nouveau logiciel de la MDPH',
          legalBasis: 'Mission d’intérêt public (RGPD art. 6.1.e)',
          recipient: {
            name,
            contact: 'reprise@editeur.example.fr',
            ageRecipient: recipient,
            medical: true,
          },
          medicalReason: 'Le nouveau logiciel reprend tout le dossier, pièces médicales comprises.',
          scope: { caseIds: [migrated.id] },
          fields: catalogue.filter((f) => !f.startsWith('documents.')),
          documentCategories: catalogue
            .filter((f) => f.startsWith('documents.'))
            .map((f) => f.slice('documents.'.length)),
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      });
      expect(created.status, created.text).toBe(201);
      const { id } = created.json as { id: string };

      const { page, watch, context } = await openPage(suite.browser, suite.server);
      await signIn(page, suite.server, suite.server.account('dpo'));
      await page.getByRole('link', { name: 'Exports à approuver' }).first().click();
      await expectHeading(page, 'Exports à approuver');
      await page
        .getByRole('heading', { name: 'Migrations : accusés de réception et effacements' })
        .waitFor();
      await page
        .getByRole('region', { name: `Migration vers ${name}` })
        .getByRole('button', { name: `Approuver l’instruction pour ${name}` })
        .click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining(`Instruction approuvée pour ${name}`));

      // The page follows the job: once the file is ready, the acknowledgement form shows.
      const manifestField = page.getByLabel(`Empreinte SHA-256 du manifeste reçu par ${name}`);
      const receiptField = page.getByLabel(`Code de réception de ${name}`);
      const confirm = page.getByRole('button', { name: `Confirmer la réception par ${name}` });
      await manifestField.waitFor(JOB_WAIT);
      await expectAccessible(page, 'exports à approuver (réception à confirmer)');

      // Nobody has downloaded it yet: the server says so, nothing is recorded.
      await manifestField.fill('f'.repeat(64));
      await receiptField.fill('f'.repeat(32));
      await confirm.click();
      await page.getByRole('alert').filter({ hasText: 'jamais été téléchargé' }).first().waitFor();

      // What the recipient does: download (the orderer, through the API), decrypt, hash.
      const file = path.join(work, `${id}.age`);
      const content = await responsable.get(`/api/v1/exports/${id}/content`);
      expect(content.status).toBe(200);
      fs.writeFileSync(file, content.bytes);
      const tar = execFileSync('/usr/bin/age', [
        '-d',
        '-i',
        path.join(work, 'recipient.txt'),
        file,
      ]);
      fs.writeFileSync(`${file}.tar`, tar);
      const manifest = execFileSync('tar', ['-xOf', `${file}.tar`, 'MANIFEST.json']);
      const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
      const { receipt } = JSON.parse(manifest.toString()) as { receipt: string };
      expect(receipt).toMatch(/^[0-9a-f]{32}$/);

      // A hash cut short: said on the field, which takes the focus; nothing is sent.
      await manifestField.fill(manifestSha256.slice(0, 40));
      await receiptField.fill(receipt);
      await confirm.click();
      await expect.poll(() => descriptionOf(manifestField)).toContain('64 caractères');
      expect((await focused(page)).label).toContain('Empreinte SHA-256 du manifeste');
      expect(await descriptionOf(receiptField)).toBe('');
      // Another file's manifest: the server refuses the pair, and says so on the fields.
      await manifestField.fill('a'.repeat(64));
      await confirm.click();
      await expect
        .poll(() => descriptionOf(manifestField))
        .toContain('ne sont pas ceux de cet export');
      await page
        .getByRole('alert')
        .filter({ hasText: 'La réception n’est pas confirmée' })
        .first()
        .waitFor();
      await expectAccessible(page, 'exports à approuver (empreinte refusée)');
      await manifestField.scrollIntoViewIfNeeded();
      await screenshot(page, 'exports-migration-refus');

      // The manifest's own hash, in capitals as some tools print it, and the receipt.
      await manifestField.fill(manifestSha256.toUpperCase());
      await confirm.click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining(`Réception confirmée pour ${name}`));
      const erasure = page.getByRole('region', { name: `Migration vers ${name}` });
      await erasure.getByText(/Effacement de la source prévu le .* \(dans 14 jours\)/).waitFor();
      expect(await manifestField.count()).toBe(0);
      // The form is gone: the focus moves to what replaced it.
      expect((await focused(page)).text).toBe(`Migration vers ${name}`);
      await erasure.scrollIntoViewIfNeeded();
      await screenshot(page, 'exports-migration-effacement');
      await expectAccessible(page, 'exports à approuver (effacement prévu)');

      type View = {
        status: string;
        migration: { acknowledgedAt: string; erasureDueAt: string; cancelledAt: string | null };
      };
      const recorded = (await responsable.get(`/api/v1/export-instructions/${id}`)).json as View;
      expect(recorded.status).toBe('acknowledged');
      const due = Date.parse(recorded.migration.erasureDueAt);
      expect(due - Date.parse(recorded.migration.acknowledgedAt)).toBe(14 * 86_400_000);
      expect(await erasure.innerText()).toContain(
        new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(
          due,
        ),
      );

      // Cancelling asks first; keeping the erasure changes nothing.
      await erasure.getByRole('button', { name: `Annuler l’effacement pour ${name}` }).click();
      await erasure.getByText(/^Annuler l’effacement de la source/).waitFor();
      await expectAccessible(page, 'exports à approuver (annulation à confirmer)');
      await erasure.getByRole('button', { name: 'Garder l’effacement prévu' }).click();
      const cancel = erasure.getByRole('button', { name: `Annuler l’effacement pour ${name}` });
      await cancel.waitFor();
      expect((await focused(page)).text).toBe(`Annuler l’effacement pour ${name}`);
      await cancel.click();
      await erasure.getByRole('button', { name: 'Confirmer l’annulation de l’effacement' }).click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(
          expect.stringContaining(`Effacement annulé pour la migration vers ${name}`),
        );
      const closed = page
        .getByRole('table', { name: 'Migrations dont la source a été effacée ou gardée' })
        .getByRole('row')
        .filter({ hasText: name });
      await closed.getByText(/^Effacement annulé le /).waitFor();
      expect(await erasure.count()).toBe(0);
      expect((await focused(page)).text).toBe('Migrations closes');
      await expectAccessible(page, 'exports à approuver (effacement annulé)');
      await closed.scrollIntoViewIfNeeded();
      await screenshot(page, 'exports-migration-annulee');

      const after = (await responsable.get(`/api/v1/export-instructions/${id}`)).json as View;
      expect(after.status).toBe('cancelled');
      expect(after.migration.acknowledgedAt).toBe(recorded.migration.acknowledgedAt);
      expect(after.migration.cancelledAt).not.toBeNull();

      await expectCleanPage(watch);
      await context.close();
    },
  );
});
