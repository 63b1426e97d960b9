import { expect, it } from 'vitest';
import { queryDb } from '../harness/world.js';
import {
  expectAccessible,
  expectCleanPage,
  expectHeading,
  focused,
  openPage,
  tabTo,
  describeInBrowser,
} from './browser.js';

/**
 * A usager who uses no mouse (RGAA 7.3, 12.x): from the public home to a message sent on their
 * case with Tab, Shift+Tab, Enter and typing only. No click, no fill, no locator action: where a
 * control cannot be reached by Tab, tabTo fails and prints where focus went.
 */
describeInBrowser('a usager’s journey with the keyboard alone', {}, (suite) => {
  it('signs in, opens a case, sends a message and signs out without a mouse', async () => {
    const usager = suite.server.account('usager');
    const sent = () =>
      queryDb<{ n: number }>(
        suite.server.dbFile,
        'SELECT count(*) AS n FROM messages WHERE author_account_id = ?',
        usager.id,
      )[0]!.n;
    const before = sent();
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await page.goto('/');
    await expectHeading(page, /Vos démarches/);

    // The first Tab lands on the skip links, and "Contenu" moves focus into the main content.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Contenu');

    await tabTo(page, 'Se connecter');
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Se connecter à Cloison');
    await tabTo(page, 'Adresse électronique');
    await page.keyboard.type(usager.email);
    await tabTo(page, 'Mot de passe');
    await page.keyboard.type(usager.password);
    await page.keyboard.press('Enter'); // submits the form
    await expectHeading(page, 'Mes demandes');
    await expectAccessible(page, 'mes demandes (clavier)');

    await tabTo(page, /^Voir le dossier/);
    const caseLink = (await focused(page)).text;
    await page.keyboard.press('Enter');
    await expectHeading(page, `Dossier ${caseLink.replace('Voir le dossier ', '')}`);
    await tabTo(page, 'Votre message à la MDPH');
    const text = 'Message écrit au clavier seul.';
    await page.keyboard.type(text);
    await tabTo(page, 'Envoyer le message');
    await page.keyboard.press('Enter');
    await page.getByText(text).last().waitFor();
    await expectAccessible(page, 'dossier (clavier)');

    // The message reached the suite.server, from this usager.
    expect(sent()).toBe(before + 1);

    await tabTo(page, 'Se déconnecter', 80, true);
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Se connecter à Cloison');
    await expectCleanPage(watch);
    await context.close();
  });
});
