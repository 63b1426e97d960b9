import { expect, it } from 'vitest';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  openPage,
  signIn,
  webStorage,
  describeInBrowser,
} from './browser.js';

describeInBrowser('the web application shell', {}, (suite) => {
  it('serves the public home under a strict CSP, with nothing from another origin', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    const response = await page.goto('/');
    // Written out here, not imported: weakening the server's policy must fail this test.
    expect(response?.headers()['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'; object-src 'none'",
    );
    await expectHeading(page, /Vos démarches auprès de la MDPH/);
    await expectAccessible(page, 'accueil public');
    // The public pages of the footer, and a page that does not exist, each checked by axe;
    // no link anywhere leads to another site.
    for (const [path, title] of [
      ['/accessibilite', 'Déclaration d’accessibilité'],
      ['/mentions-legales', 'Mentions légales'],
      ['/donnees-personnelles', 'Données personnelles'],
      ['/plan-du-site', 'Plan du site'],
      ['/pas-de-page-ici', 'Page non trouvée'],
    ] as const) {
      await page.goto(path);
      await expectHeading(page, title);
      await expectAccessible(page, title);
      const foreign = await page.evaluate(
        `[...document.querySelectorAll('a[href]')].map((a) => a.href).filter((h) => !h.startsWith(location.origin + '/'))`,
      );
      expect(foreign, `links to other sites on ${path}`).toEqual([]);
    }
    await expectCleanPage(watch);
    await context.close();
  });

  it('shows a département’s live retention schedule to anyone, from the footer and the sign-up page', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await page.goto('/inscription');
    await page.getByRole('main').getByRole('link', { name: 'conservation des données' }).click();
    await expectHeading(page, 'Conservation des données');
    await page.getByLabel('Numéro de votre département').fill('44');
    await page.getByRole('button', { name: 'Afficher les durées' }).click();
    await expectHeading(page, 'Conservation des données : MDPH 44');
    const table = page.getByRole('table', { name: 'Durées de conservation de la MDPH 44' });
    // The draft rule in plain French, with the default's source; read from the live schedule.
    const draft = table.getByRole('row', { name: /jamais déposées/ });
    await expect
      .poll(() => draft.textContent())
      .toMatch(
        /Conservées 3 mois à compter de la dernière modification du brouillon, puis supprimées/,
      );
    await expect.poll(() => draft.textContent()).toMatch(/Démarches simplifiées/);
    expect(await table.getByRole('row').count()).toBe(10);
    await expect
      .poll(() => page.textContent('main'))
      .toMatch(/Demander l’effacement de vos données/);
    await expectAccessible(page, 'conservation des données');
    // The footer leads there from every page; an unknown département is said to be unknown.
    await page.goto('/');
    await page
      .locator('#pied-de-page')
      .getByRole('link', { name: 'Conservation des données' })
      .click();
    await expectHeading(page, 'Conservation des données');
    await page.goto('/conservation-des-donnees/99');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBeTruthy();
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page, 'département inconnu');
    await expectCleanPage(watch);
    await context.close();
  });

  it('lets the DPO change a duration within its bounds, which the public page shows at once', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('dpo', '85'));
    await page.getByRole('link', { name: 'Conservation' }).first().click();
    await expectHeading(page, 'Durées de conservation');
    await expectAccessible(page, 'durées de conservation (DPO)');
    const draft = page.getByRole('form', { name: /jamais déposées/ });
    await draft.getByLabel('Jours en base active').fill('10');
    await draft.getByLabel('Motif du changement').fill('Essai d’une durée trop courte');
    await draft.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => draft.getByRole('alert').first().textContent())
      .toMatch(/entre 30 et 365 jours/);
    await draft.getByLabel('Jours en base active').fill('120');
    await draft.getByLabel('Motif du changement').fill('Délibération de la commission du 3 mars');
    await draft.getByRole('button', { name: 'Enregistrer' }).click();
    const saved = page.getByRole('form', { name: /jamais déposées/ });
    await expect
      .poll(() => saved.textContent())
      .toMatch(/Conservées 4 mois .* Durées fixées par le DPO/);
    await page.goto('/conservation-des-donnees/85');
    const row = page.getByRole('row', { name: /jamais déposées/ });
    await expect.poll(() => row.textContent()).toMatch(/Conservées 4 mois/);
    await expectCleanPage(watch);
    await context.close();
  });

  it('signs a staff member in with the second factor, keeping nothing in web storage', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    // Asked for signed out, "Mon compte" comes after the sign-in (`?suite=`).
    await signIn(page, suite.server, suite.server.account('instructeur'), '/compte');
    await expectHeading(page, 'Mon compte');
    const storage = await webStorage(page);
    expect(storage).toEqual({ local: [], session: [], cookie: '' });
    const cookies = await context.cookies();
    // The session, and the known-device cookie that spares this browser a stranger's lock-out.
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]).sort()).toEqual([
      [expect.stringContaining('cloison_device'), true, 'Strict'],
      [expect.stringContaining('cloison_session'), true, 'Strict'],
    ]);
    await expectAccessible(page, 'mon compte');

    // A wrong current password is a refusal to explain, not a lost session (both are 401).
    await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
    await page.getByLabel('Nouveau mot de passe').fill('une phrase de passe toute neuve');
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
    await page.getByRole('alert').getByText('Identifiant ou mot de passe incorrect').waitFor();
    await expectHeading(page, 'Mon compte');
    expect(new URL(page.url()).pathname).toBe('/compte');
    await expectCleanPage(watch);
    await context.close();
  });
});
