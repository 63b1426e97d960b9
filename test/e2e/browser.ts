import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startServer, type DemoAccount, type RunningServer } from '../harness/server.js';
import { startMailbox, type Mailbox } from '../support/mailbox.js';
import { stopAndRemove } from '../support/storage.js';
import { totpNow } from '../harness/second-factor.js';

/**
 * Debian's Chromium, driven by playwright-core (no browser download: the machine has none to
 * give). CI installs it (.ci/run); elsewhere `apt-get install -y chromium`.
 */
export const CHROMIUM = process.env.CLOISON_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser journeys can run here. In CI a missing browser is a failure, never a skip.
 * On a developer's machine without Chromium, they are skipped with the reason printed.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run must install chromium`);
  console.error(`Skipping browser journeys: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

/** What a journey file shares: one server (demo data), one browser, a mailbox when asked. */
export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** The SMTP receiver the server sends to (`mailbox: true`). */
  readonly mailbox: Mailbox;
}

/**
 * A describe block of browser journeys: starts the server (with a real SMTP receiver when
 * `mailbox` is set) and the browser before its tests, stops them after; skipped, with the
 * reason printed, where Chromium is missing outside CI (browserAvailable).
 */
export function describeInBrowser(
  name: string,
  options: { mailbox?: boolean; env?: Record<string, string> },
  body: (suite: BrowserSuite) => void,
): void {
  describe.runIf(browserAvailable())(name, () => {
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let mailbox: Mailbox | undefined;
    const started = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`${what} is not started in "${name}"`);
      return value;
    };
    beforeAll(async () => {
      if (options.mailbox) mailbox = await startMailbox();
      const env = { ...options.env, ...(mailbox ? { CLOISON_SMTP_URL: mailbox.url } : {}) };
      server = await startServer({ env });
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      if (server) await stopAndRemove(server);
      await mailbox?.close();
    });
    body({
      get server() {
        return started(server, 'the server');
      },
      get browser() {
        return started(browser, 'the browser');
      },
      get mailbox() {
        return started(mailbox, 'the mailbox');
      },
    });
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** What a page did that a careful reviewer would want to know about. */
export interface PageWatch {
  readonly page: Page;
  /** Requests to any origin other than the server's (fonts, CDNs, trackers): must stay empty. */
  foreignRequests: string[];
  /** CSP violations, script errors and failed loads the browser reported, with their URL. */
  consoleErrors: Array<{ text: string; url: string }>;
}

/** A fresh context (own cookie jar, no storage) on the server, watched for leaks and errors. */
export async function openPage(
  browser: Browser,
  server: RunningServer,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const origin = new URL(server.baseUrl).origin;
  const watch: PageWatch = { page, foreignRequests: [], consoleErrors: [] };
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) watch.foreignRequests.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      watch.consoleErrors.push({ text: message.text(), url: message.location().url });
    }
  });
  page.on('pageerror', (error) =>
    watch.consoleErrors.push({ text: `pageerror: ${error.message}`, url: page.url() }),
  );
  return { context, page, watch };
}

/**
 * Errors a page may log without a defect: the browser logs every refused API call (4xx) that
 * the page then explains. A missing asset or font (also a 4xx) is a defect: only /api/ passes.
 */
function isExpectedConsoleError(error: { text: string; url: string }, origin: string): boolean {
  return (
    /Failed to load resource: the server responded with a status of 4\d\d/.test(error.text) &&
    error.url.startsWith(`${origin}/api/`)
  );
}

/**
 * No CSP violation, no script error, no third-party request so far on this page, and nothing
 * kept in the browser besides the HttpOnly cookie.
 */
export async function expectCleanPage(watch: PageWatch): Promise<void> {
  const origin = new URL(watch.page.url()).origin;
  expect(watch.foreignRequests, 'requests to another origin').toEqual([]);
  expect(
    watch.consoleErrors.filter((e) => !isExpectedConsoleError(e, origin)),
    'console errors (CSP violations included)',
  ).toEqual([]);
  expect(await webStorage(watch.page), 'web storage').toEqual({
    local: [],
    session: [],
    cookie: '',
  });
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA rules) and fails on any
 * serious or critical violation, listing them with their targets.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(blocking, `accessibility of ${label}`).toEqual([]);
  checkedPages.add(label);
}

/** Pages already checked by axe in this process (the sign-in pages are checked once). */
const checkedPages = new Set<string>();

async function expectAccessibleOnce(page: Page, label: string): Promise<void> {
  if (!checkedPages.has(label)) await expectAccessible(page, label);
}

/** Waits for the page's <h1> to read `title` (pages focus it when they change). */
export async function expectHeading(page: Page, title: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ state: 'visible' });
}

/**
 * Signs in through the login page as a person would: e-mail, password, then for staff the code
 * of their authenticator app (the demo TOTP secret). Codes are single-use: a second sign-in of
 * the same account within 30 s waits for the next one.
 */
export async function signIn(
  page: Page,
  server: RunningServer,
  account: DemoAccount,
  /** A page asked for signed out: the sign-in form comes first, then that page. */
  from = '/connexion',
): Promise<void> {
  await page.goto(from);
  await expectHeading(page, 'Se connecter à Cloison');
  await expectAccessibleOnce(page, 'connexion');
  await page.getByLabel('Adresse électronique').fill(account.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  if (account.totpSecret) {
    await expectHeading(page, 'Vérification en deux étapes');
    await expectAccessibleOnce(page, 'second facteur');
    await page.getByLabel('Code à 6 chiffres').fill(await freshCode(server, account));
    await page.getByRole('button', { name: 'Valider' }).click();
  }
  await page.getByRole('button', { name: 'Se déconnecter' }).first().waitFor({ state: 'attached' });
}

const lastStep = new Map<string, number>();

/** A TOTP code of a step this account has not used yet (waits up to 30 s for the next one). */
async function freshCode(server: RunningServer, account: DemoAccount): Promise<string> {
  const step = () => Math.floor(Date.now() / 30_000);
  if (lastStep.get(account.id) === step()) {
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 300));
  }
  lastStep.set(account.id, step());
  return totpNow(server.baseUrl, account.totpSecret!);
}

/** Saves a screenshot under docs/screenshots when SCREENSHOTS=1 (npm run screenshots). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = path.resolve('docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

/** A small valid PDF to upload, written to a temporary file. */
export function samplePdf(name = 'piece.pdf', text = 'Piece justificative'): string {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloison-upload-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

/** What the page keeps in the browser besides HttpOnly cookies: must stay empty. */
export async function webStorage(
  page: Page,
): Promise<{ local: string[]; session: string[]; cookie: string }> {
  // A string: the test code is typed for Node, this runs in the page.
  return page.evaluate(
    '({ local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie })',
  );
}

/** The focused element as a person hears it: its tag, role and accessible text. */
export async function focused(page: Page): Promise<{ tag: string; text: string; label: string }> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return { tag: '', text: '', label: '' };
    const labelled = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.innerText || (el.type === 'password' ? '' : el.value) || '').trim().replace(/\\s+/g, ' '),
      label: ((el.getAttribute('aria-label') || (labelled && labelled.innerText) || el.getAttribute('title') || '')).trim().replace(/\\s+/g, ' '),
    };
  })()`);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's text or label matches, as a keyboard
 * user would; fails after `max` presses, which is what an unreachable control looks like.
 */
export async function tabTo(
  page: Page,
  name: string | RegExp,
  max = 60,
  back = false,
): Promise<void> {
  const matches = (s: string) => (typeof name === 'string' ? s.includes(name) : name.test(s));
  const seen: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    seen.push(`${f.tag}:${f.label || f.text}`.slice(0, 60));
    if (matches(f.text) || matches(f.label)) return;
  }
  throw new Error(
    `"${String(name)}" not reached with the keyboard; focus went: ${seen.join(' | ')}`,
  );
}
