import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { Client } from '../harness/client.js';
import { makeDataDir, makeKeyFile, type RunningServer } from '../harness/server.js';
import {
  describeInBrowser,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  screenshot,
} from './browser.js';

/**
 * The operator's console: the demo operator, signed in, lands on the départements, creates one
 * whose two admins get their activation links by mail, is refused a shared mailbox on the field
 * itself, and reads the state of the backups (not scheduled on the demo). Every page is checked
 * with axe.
 */

/**
 * The operator's sign-in. The platform's accounts prove their second factor with a passkey only,
 * which the web app cannot register or use yet: the harness signs in over the API with its
 * software passkey (test/harness/second-factor.ts), and the browser gets that session's cookie,
 * as it would have after a sign-in. Then the browser opens the home page.
 */
async function signInAsOperator(
  context: BrowserContext,
  page: Page,
  server: RunningServer,
): Promise<Client> {
  const operator = server.account('operateur', null);
  const client = await new Client(server.baseUrl).login(operator);
  const cookie = client.sessionCookie;
  if (!cookie) throw new Error('the operator’s sign-in set no session cookie');
  const at = cookie.indexOf('=');
  const name = cookie.slice(0, at);
  // A __Host- cookie is Secure with path /, which Chromium keeps for http://127.0.0.1 too
  // (a trustworthy origin); given by host and path, as `url` refuses it over http.
  await context.addCookies([
    {
      name,
      value: cookie.slice(at + 1),
      domain: new URL(server.baseUrl).hostname,
      path: '/',
      httpOnly: true,
      secure: name.startsWith('__Host-'),
      sameSite: 'Strict',
    },
  ]);
  await page.goto('/');
  return client;
}

/** The text of what a field's aria-describedby points to (its error message, when it has one). */
async function descriptionOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(
    ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

/** Fills the form "Créer un département". */
async function fillNewTenant(
  page: Page,
  tenant: { code: string; name: string; admins: Array<{ name: string; email: string }> },
): Promise<void> {
  await page.getByLabel('Code du département').fill(tenant.code);
  await page.getByLabel('Nom de la MDPH').fill(tenant.name);
  for (const [i, legend] of ['Premier administrateur', 'Second administrateur'].entries()) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Prénom et nom').fill(tenant.admins[i]!.name);
    await group
      .getByLabel('Adresse électronique professionnelle et personnelle')
      .fill(tenant.admins[i]!.email);
  }
}

describeInBrowser('the operator’s console', { mailbox: true }, (suite) => {
  it('lists the départements, creates one (links by mail), refuses a shared mailbox on its field, shows the backups', async () => {
    const { context, page, watch } = await openPage(suite.browser, suite.server);
    await signInAsOperator(context, page, suite.server);

    // Home: the départements of the demo.
    await expectHeading(page, 'Départements');
    const table = page.getByRole('table');
    await table.getByRole('row', { name: /44 MDPH de Loire-Atlantique/ }).waitFor();
    await table.getByRole('row', { name: /85 MDPH de la Vendée/ }).waitFor();
    await expectAccessible(page, 'départements');
    await screenshot(page, 'operator-tenants');

    // A shared mailbox as an admin's address: refused, and said on that very field.
    const claire = { name: 'Claire Martin', email: 'claire.martin@cd49.example.fr' };
    const paul = { name: 'Paul Bernard', email: 'paul.bernard@cd49.example.fr' };
    const tenant = { code: '49', name: 'MDPH de Maine-et-Loire' };
    await fillNewTenant(page, {
      ...tenant,
      admins: [{ name: claire.name, email: 'accueil@cd49.example.fr' }, paul],
    });
    await page.getByRole('button', { name: 'Créer le département' }).click();
    await page.getByRole('alert').getByText('Le département n’a pas été créé').waitFor();
    const sharedField = page
      .getByRole('group', { name: 'Premier administrateur' })
      .getByLabel('Adresse électronique professionnelle et personnelle');
    await expect.poll(() => sharedField.getAttribute('aria-describedby')).toBeTruthy();
    expect(await descriptionOf(sharedField)).toMatch(/ressemble à une boîte partagée/);
    const otherField = page
      .getByRole('group', { name: 'Second administrateur' })
      .getByLabel('Adresse électronique professionnelle et personnelle');
    expect(await descriptionOf(otherField)).toBe('');
    await expectAccessible(page, 'départements (refus)');
    expect(suite.mailbox.to('accueil@cd49.example.fr')).toEqual([]);
    expect(suite.mailbox.to(paul.email)).toEqual([]);

    // Corrected: created, each admin mailed their own link, the operator shown none.
    await sharedField.fill(claire.email);
    await page.getByRole('button', { name: 'Créer le département' }).click();
    await expect
      .poll(() => page.getByRole('status').allInnerTexts())
      .toContainEqual(expect.stringContaining('a reçu par courriel son lien d’activation'));
    await table.getByRole('row', { name: /49 MDPH de Maine-et-Loire/ }).waitFor();
    expect(await table.getByRole('row', { name: /49 MDPH de Maine-et-Loire/ }).innerText()).toMatch(
      /2 administrateurs à activer/i,
    );
    for (const admin of [claire, paul]) {
      const mail = await suite.mailbox.waitFor(admin.email);
      expect(mail.text).toContain('MDPH de Maine-et-Loire');
      const token = /\/activation#jeton=([\w-]+)/.exec(mail.text)?.[1];
      expect(token).toBeTruthy();
      expect(await page.content()).not.toContain(token);
    }
    await expectAccessible(page, 'départements (créé)');

    // The backups: the demo has no schedule, and the page says how to turn it on.
    await page.getByRole('link', { name: 'Sauvegardes' }).first().click();
    await expectHeading(page, 'Sauvegardes');
    await page.getByText('Les sauvegardes programmées ne sont pas activées').waitFor();
    await page.getByText('CLOISON_BACKUP_DIR').first().waitFor();
    await page.getByText('CLOISON_BACKUP_RECIPIENT').first().waitFor();
    await expectAccessible(page, 'sauvegardes');
    await screenshot(page, 'operator-backups');
    await expectCleanPage(watch);
  });
});

/** A backup directory and the age recipient its backups are encrypted to. */
function backupTarget(): { dir: string; recipient: string; work: string } {
  const work = makeDataDir('cloison-operator-backups-');
  const dir = path.join(work, 'backups');
  fs.mkdirSync(dir);
  const identity = path.join(work, 'identity.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', identity], { stdio: 'ignore' });
  const recipient = execFileSync('/usr/bin/age-keygen', ['-y', identity]).toString().trim();
  return { dir, recipient, work };
}

const target = backupTarget();

describeInBrowser(
  'the operator’s console with scheduled backups',
  {
    env: {
      CLOISON_MASTER_KEY_FILE: makeKeyFile(),
      CLOISON_BACKUP_DIR: target.dir,
      CLOISON_BACKUP_RECIPIENT: target.recipient,
      CLOISON_BACKUP_KEEP: '3',
    },
  },
  (suite) => {
    afterAll(() => fs.rmSync(target.work, { recursive: true, force: true }));

    it('shows the schedule and the last good backup, whose SHA-256 is the file’s', async () => {
      const { context, page, watch } = await openPage(suite.browser, suite.server);
      const operator = await signInAsOperator(context, page, suite.server);
      // The first backup starts as soon as the server listens (none was ever taken).
      type Status = { lastSuccess: { file: string; sha256: string } | null };
      await expect
        .poll(
          async () => ((await operator.get('/api/v1/platform/backups')).json as Status).lastSuccess,
          { timeout: 60_000, interval: 500 },
        )
        .not.toBeNull();
      const { lastSuccess } = (await operator.get('/api/v1/platform/backups')).json as Status;

      await page.getByRole('link', { name: 'Sauvegardes' }).first().click();
      await expectHeading(page, 'Sauvegardes');
      await page.getByText('Une sauvegarde chiffrée est prise tous les jours').waitFor();
      await page.getByRole('heading', { name: 'Dernière sauvegarde réussie' }).waitFor();
      await page.getByText(lastSuccess!.sha256).waitFor();
      const file = path.join(target.dir, path.basename(lastSuccess!.file));
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(
        lastSuccess!.sha256,
      );
      await page.getByRole('table', { name: /Dernières exécutions/ }).waitFor();
      expect(await page.getByRole('table').innerText()).toMatch(/réussie/i);
      // Fresh: no warning.
      expect(await page.getByText('date de plus de 26 heures').count()).toBe(0);
      await expectAccessible(page, 'sauvegardes (programmées)');
      await expectCleanPage(watch);
    });
  },
);
