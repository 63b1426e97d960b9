import { expect, it } from 'vitest';
import { Client } from '../harness/client.js';
import { totpNow } from '../harness/second-factor.js';
import { queryDb, readWorld } from '../harness/world.js';
import { eventually } from '../support/storage.js';
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
 * The admin and DPO console (issue 6 item 4): a new agent asked for by one admin, approved by
 * another, activated from the mailed link with a password and an authenticator app; the DPO's
 * audit search, verification and alert inbox. Every page is checked with axe.
 */

describeInBrowser(
  'the admin and DPO console',
  { mailbox: true, env: { CLOISON_ALERT_REFUSALS_PER_MINUTE: '3' } },
  (suite) => {
    // The longest journey (two admins, a disabling, an offboarding, an activation with TOTP
    // enrolment, axe on every page, and up to 30 s waiting for a fresh TOTP step): two minutes,
    // since on a loaded two-core machine it has run past the default minute.
    it(
      'an admin asks for an agent, a second admin approves, the agent activates and enrols',
      {
        timeout: 120_000,
      },
      async () => {
        const email = 'camille.nouvel@cd44.example.fr';
        const { page, watch, context } = await openPage(suite.browser, suite.server);
        await signIn(page, suite.server, suite.server.account('admin'));
        await expectHeading(page, 'Agents du département');
        await page.getByRole('table').waitFor();
        await expectAccessible(page, 'agents');
        await screenshot(page, 'admin');

        await page.getByLabel('Prénom et nom').fill('Camille Nouvel');
        await page.getByLabel('Adresse électronique professionnelle et personnelle').fill(email);
        await page.getByLabel('Rôle').selectOption('instructeur');
        await page.getByLabel('Équipe (facultatif)').fill('equipe-nord');
        await page.getByRole('button', { name: 'Demander la création du compte' }).click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(
            expect.stringContaining('attend l’approbation d’un autre administrateur'),
          );
        await expectAccessible(page, 'agents (demande envoyée)');

        // The requester cannot approve their own request: the API says so, the page shows it.
        await page.getByRole('link', { name: 'Demandes à approuver' }).first().click();
        await expectHeading(page, 'Demandes à approuver');
        await page
          .getByRole('button', { name: 'Approuver la demande pour Camille Nouvel' })
          .click();
        await page.getByRole('alert').first().waitFor();
        await expectAccessible(page, 'approbations (demandeur)');
        expect(suite.mailbox.to(email)).toEqual([]);

        // Disabling the DPO takes a second admin: the page says so, and the request waits.
        const dpo = suite.server.account('dpo');
        await page.getByRole('link', { name: 'Agents', exact: true }).first().click();
        await expectHeading(page, 'Agents du département');
        await page.getByRole('button', { name: `Gérer le compte de ${dpo.displayName}` }).click();
        await page
          .getByText('sa désactivation doit être approuvée par un second administrateur')
          .waitFor();
        await page
          .getByRole('button', {
            name: `Demander la désactivation du compte de ${dpo.displayName}`,
          })
          .click();
        await page.getByRole('button', { name: 'Envoyer la demande de désactivation' }).click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(expect.stringContaining('Demande de désactivation envoyée'));
        await page.getByText('elle attend la décision d’un autre administrateur').waitFor();
        await expectAccessible(page, 'agents (désactivation demandée)');
        await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
        await expectHeading(page, 'Se connecter à Cloison');
        await expectCleanPage(watch);

        await signIn(page, suite.server, suite.server.account('admin-2'));
        await page.getByRole('link', { name: 'Demandes à approuver' }).first().click();
        await expectHeading(page, 'Demandes à approuver');
        await page
          .getByRole('button', { name: 'Approuver la demande pour Camille Nouvel' })
          .click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(expect.stringContaining('Demande approuvée pour Camille Nouvel'));
        await expectAccessible(page, 'approbations');
        // The second admin refuses disabling the DPO: the DPO stays.
        await page.getByText(`Désactivation du compte (rôle : `).first().waitFor();
        await page
          .getByRole('button', { name: `Refuser la demande pour ${dpo.displayName}` })
          .click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(expect.stringContaining(`Demande refusée pour ${dpo.displayName}`));

        // Offboarding: disabling an account (after a confirmation) ends its live session at once.
        const leaving = suite.server.account('evaluateur-2');
        const leavingSession = await new Client(suite.server.baseUrl).login(leaving);
        expect((await leavingSession.get('/api/v1/me')).status).toBe(200);
        await page.getByRole('link', { name: 'Agents', exact: true }).first().click();
        await expectHeading(page, 'Agents du département');
        await page
          .getByRole('button', { name: `Gérer le compte de ${leaving.displayName}` })
          .click();
        await page.getByRole('heading', { name: `Compte de ${leaving.displayName}` }).waitFor();
        await page
          .getByRole('button', { name: `Désactiver le compte de ${leaving.displayName}` })
          .click();
        await page.getByRole('button', { name: 'Confirmer la désactivation' }).click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(
            expect.stringContaining(`Le compte de ${leaving.displayName} est désactivé`),
          );
        await expectAccessible(page, 'agents (compte désactivé)');
        expect((await leavingSession.get('/api/v1/me')).status).toBe(401);

        // Back from leave: re-enabling is asked here and approved by the other admin.
        await page
          .getByRole('button', { name: `Réactiver le compte de ${leaving.displayName}` })
          .click();
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(expect.stringContaining('Demande de réactivation envoyée'));
        await expectAccessible(page, 'agents (réactivation demandée)');
        const firstAdmin = await new Client(suite.server.baseUrl).login(
          suite.server.account('admin'),
        );
        const inbox = (await firstAdmin.get('/api/v1/staff-requests')).json as {
          items: Array<{ id: string; purpose: string; accountId: string }>;
        };
        const reenable = inbox.items.find(
          (i) => i.purpose === 'enable' && i.accountId === leaving.id,
        );
        expect(
          (await firstAdmin.post(`/api/v1/staff-requests/${reenable!.id}/approve`)).status,
        ).toBe(200);
        expect(
          (await (await new Client(suite.server.baseUrl).login(leaving)).get('/api/v1/me')).status,
        ).toBe(200);
        await expectCleanPage(watch);
        await context.close();

        const mail = await suite.mailbox.waitFor(email);
        const token = /\/activation#jeton=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
        expect(token).toBeTruthy();

        const agent = await openPage(suite.browser, suite.server);
        await agent.page.goto(`/activation#jeton=${token}`);
        await expectHeading(agent.page, 'Activer mon compte d’agent');
        expect(new URL(agent.page.url()).hash).toBe('');
        await expectAccessible(agent.page, 'activation');
        const password = 'Ventoux-Marais-2026-lumiere';
        await agent.page.getByLabel('Nouveau mot de passe', { exact: true }).fill(password);
        await agent.page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(password);
        await agent.page.getByRole('button', { name: 'Activer mon compte' }).click();

        await expectHeading(agent.page, 'Activer la vérification en deux étapes');
        await agent.page.getByLabel('Votre mot de passe actuel', { exact: true }).fill(password);
        await agent.page.getByRole('button', { name: 'Commencer' }).click();
        const secret = (await agent.page.locator('code.cloison-secret').innerText()).replace(
          /\s/g,
          '',
        );
        await expectAccessible(agent.page, 'activation (second facteur)');
        await agent.page
          .getByLabel('Code à 6 chiffres affiché par l’application')
          .fill(totpNow(suite.server.baseUrl, secret));
        await agent.page.getByRole('button', { name: 'Activer', exact: true }).click();
        await agent.page.getByRole('button', { name: 'Continuer' }).click();
        await agent.page.waitForURL(/\/instruction$/);
        await agent.page.getByRole('button', { name: 'Se déconnecter' }).first().waitFor();
        await expectCleanPage(agent.watch);
        await agent.context.close();
      },
    );

    it('the DPO searches and verifies the audit log and acknowledges an alert', async () => {
      // An alert to handle: an usager knocking on a case of another département, refused.
      const world = readWorld(suite.server.dbFile);
      const usager = await new Client(suite.server.baseUrl).login(suite.server.account('usager'));
      const tenant85 = world.tenants.find((t) => t.code === '85')!.id;
      const foreign = world.cases.find((c) => c.tenant_id === tenant85)!;
      for (let i = 0; i < 4; i += 1) await usager.get(`/api/v1/cases/${foreign.id}`);
      expect(
        await eventually(
          () => queryDb(suite.server.dbFile, 'select id from alerts').length > 0,
          10_000,
        ),
      ).toBe(true);

      const { page, watch, context } = await openPage(suite.browser, suite.server);
      await signIn(page, suite.server, suite.server.account('dpo'));
      await expectHeading(page, 'Journal d’audit');
      await page.getByRole('table').waitFor();
      await expectAccessible(page, 'journal d’audit');
      await screenshot(page, 'dpo');

      await page.getByLabel('Action').fill('access.denied');
      await page.getByLabel('Résultat').selectOption('refused');
      await page.getByRole('button', { name: 'Rechercher dans le journal' }).click();
      await page.waitForURL(/action=access\.denied/);
      // Only the refused access.denied events, once the filtered answer replaced the first page.
      const rows = () => page.getByRole('table').locator('tbody tr').allInnerTexts();
      await expect
        .poll(async () => {
          const texts = await rows();
          return (
            texts.length > 0 &&
            texts.every((r) => r.includes('access.denied') && r.includes('Refusé'))
          );
        })
        .toBe(true);
      await expectAccessible(page, 'journal d’audit (filtré)');

      await page.getByRole('button', { name: 'Vérifier l’intégrité du journal' }).click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining('Le journal est intègre'));
      await expectAccessible(page, 'journal d’audit (vérifié)');

      const showNames = page.getByLabel(
        'Montrer aux usagers le nom des agents qui ont consulté leur dossier',
      );
      const wasChecked = await showNames.isChecked();
      // The DSFR switch: its label covers the box; a person tabs to it and presses Space.
      await showNames.focus();
      await page.keyboard.press('Space');
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining('Les usagers'));
      expect(await showNames.isChecked()).toBe(!wasChecked);
      await expectAccessible(page, 'journal d’audit (consultations)');

      await page.getByRole('link', { name: 'Alertes' }).first().click();
      await expectHeading(page, 'Alertes de sécurité');
      await page.getByRole('table').waitFor();
      await expect.poll(() => page.getByRole('table').innerText()).toContain('Ouverte');
      await expectAccessible(page, 'alertes');
      await page.getByRole('button', { name: 'Accuser réception de l’alerte 1' }).click();
      await expect.poll(() => page.getByRole('table').innerText()).toContain('Prise en charge');
      await expectAccessible(page, 'alertes (prise en charge)');

      await page.getByRole('link', { name: 'Bris de glace' }).first().click();
      await expectHeading(page, 'Accès en bris de glace');
      await page.getByText('Aucun accès à examiner.').waitFor();
      await expectAccessible(page, 'bris de glace');

      await page.getByRole('link', { name: 'Revue des accès' }).first().click();
      await expectHeading(page, 'Revue des accès');
      await page.getByRole('button', { name: 'Ouvrir la campagne de revue' }).click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining('Campagne ouverte'));
      await expectAccessible(page, 'revue des accès');
      await expectCleanPage(watch);
      await context.close();
    });

    it('a responsable decides the access review items of their agents, and nothing else', async () => {
      const { page, watch, context } = await openPage(suite.browser, suite.server);
      await signIn(page, suite.server, suite.server.account('responsable'));
      await page.goto('/administration/agents');
      await page.getByText('Cette page n’est pas pour votre rôle').waitFor();
      await page.getByRole('link', { name: 'Revue des accès' }).first().click();
      await expectHeading(page, 'Revue des accès');
      await page.getByRole('table').waitFor();
      expect(await page.getByRole('button', { name: 'Ouvrir la campagne de revue' }).count()).toBe(
        0,
      );
      await expectAccessible(page, 'revue des accès (responsable)');
      const keep = page.getByRole('button', { name: /^Maintenir le rôle de / }).first();
      const name = (await keep.innerText()).replace('Maintenir le rôle de ', '');
      await keep.click();
      await expect
        .poll(() => page.getByRole('status').allInnerTexts())
        .toContainEqual(expect.stringContaining(`Rôle de ${name} maintenu.`));
      await expectAccessible(page, 'revue des accès (décision)');
      await expectCleanPage(watch);
      await context.close();
    });
  },
);
