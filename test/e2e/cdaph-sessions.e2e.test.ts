import { expect, it } from 'vitest';
import { readWorld } from '../harness/world.js';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  signIn,
  describeInBrowser,
} from './browser.js';

/**
 * The CDAPH session of the demo, planned today with a case awaiting the commission: its member
 * finds it in "mes séances" with the case's synthesis; the secretariat opens it, records both
 * decisions with their validity and motive, and closes it with its minutes.
 */
describeInBrowser('CDAPH sessions: the member’s agenda, the secretariat’s sitting', {}, (suite) => {
  const demoSession = () => {
    const world = readWorld(suite.server.dbFile);
    const tenant = world.tenants.find((t) => t.code === '44')!;
    const session = world.cdaphSessions.find(
      (s) => s.tenant_id === tenant.id && s.status === 'planned',
    )!;
    const item = world.cdaphAgenda.find((a) => a.session_id === session.id)!;
    return { session, c: world.cases.find((c) => c.id === item.case_id)! };
  };

  it('the member reads the agenda of the session they sit in, and the case’s synthesis', async () => {
    const { c } = demoSession();
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('cdaph', '44'));
    await page.getByRole('link', { name: 'Mes séances' }).first().click();
    await expectHeading(page, 'Mes séances');
    await expectAccessible(page, 'cdaph: mes séances');
    await page.getByRole('table').getByRole('link').first().click();
    await expectHeading(page, /^Séance CDAPH du /);
    await page.getByRole('link', { name: c.reference }).click();
    await expectHeading(page, `Dossier ${c.reference}`);
    // A synthesis: no documents, messages or notes.
    expect(await page.getByText('Notes internes').count()).toBe(0);
    await expectAccessible(page, 'cdaph: synthèse d’un dossier à l’ordre du jour');
    await expectCleanPage(watch);
    await context.close();
  });

  it('the secretariat opens the session, decides each right, and closes it with minutes', async () => {
    const { session, c } = demoSession();
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('responsable', '44'));
    await page.getByRole('link', { name: 'Séances CDAPH' }).first().click();
    await expectHeading(page, 'Séances CDAPH');
    await expectAccessible(page, 'responsable: séances CDAPH');
    await page.goto(`${suite.server.baseUrl}/instruction/seances/${session.id}`);
    await expectHeading(page, /^Séance CDAPH du /);
    await page.getByRole('button', { name: 'Ouvrir la séance' }).click();
    await page
      .getByText(/En cours/)
      .first()
      .waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const until = `${Number(today.slice(0, 4)) + 5}-12-31`;
    await page.getByLabel('Décision pour AAH', { exact: true }).selectOption('accord');
    await page.getByLabel('Début de validité pour AAH').fill(today);
    await page.getByLabel('Fin de validité pour AAH').fill(until);
    await page.getByRole('button', { name: 'Enregistrer la décision pour AAH' }).click();
    await page.getByText('Décision enregistrée.').first().waitFor();
    await page.getByLabel('Décision pour PCH', { exact: true }).selectOption('rejet');
    await page.getByLabel('Motif de la décision pour PCH').fill('Critères non remplis.');
    await page.getByRole('button', { name: 'Enregistrer la décision pour PCH' }).click();
    await expect.poll(() => page.getByText('Décision enregistrée.').count()).toBe(2);
    await expectAccessible(page, 'responsable: séance en cours');
    await page.getByLabel('Procès-verbal').fill('Quorum atteint ; un dossier examiné.');
    await page.getByRole('button', { name: 'Clore la séance' }).click();
    await page.getByRole('heading', { name: 'Procès-verbal' }).waitFor();
    const after = readWorld(suite.server.dbFile);
    expect(after.cdaphSessions.find((s) => s.id === session.id)?.status).toBe('closed');
    expect(after.caseRights.filter((r) => r.case_id === c.id).map((r) => r.right_code)).toEqual(
      expect.arrayContaining(['AAH', 'PCH']),
    );
    await expectCleanPage(watch);
    await context.close();
  });
});
