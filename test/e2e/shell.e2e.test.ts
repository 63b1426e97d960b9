import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../harness/server.js';
import {
  browserAvailable,
  expectAccessible,
  expectCleanPage,
  expectHeading,
  launchBrowser,
  openPage,
  signIn,
  webStorage,
} from './browser.js';

const run = browserAvailable();

describe.runIf(run)('the web application shell', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the public home under a strict CSP, with nothing from another origin', async () => {
    const { page, watch, context } = await openPage(browser, server);
    const response = await page.goto('/');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    await expectHeading(page, /Vos démarches auprès de la MDPH/);
    await expectAccessible(page, 'accueil public');
    expectCleanPage(watch);
    await context.close();
  });

  it('signs a staff member in with the second factor, keeping nothing in web storage', async () => {
    const { page, watch, context } = await openPage(browser, server);
    await signIn(page, server, server.account('instructeur'));
    const storage = await webStorage(page);
    expect(storage).toEqual({ local: [], session: [], cookie: '' });
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
      [expect.stringContaining('cloison_session'), true, 'Strict'],
    ]);
    expectCleanPage(watch);
    await context.close();
  });
});
