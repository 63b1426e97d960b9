import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { Client } from '../harness/client.js';
import { queryDb, readWorld } from '../harness/world.js';
import { expectCleanPage, openPage, signIn, webStorage, describeInBrowser } from './browser.js';

/**
 * A page on another origin of the same site (127.0.0.1, another port): SameSite=Strict does not
 * stop the browser from sending the session cookie there, so only the server's Origin and
 * Sec-Fetch-Site check stands between it and the usager's file. It tries what a hostile page
 * can do without CORS: a no-cors multipart upload (a "simple" request, no preflight) and a
 * plain form post.
 */
function startAttacker(target: string, caseId: string): Promise<http.Server> {
  const page = `<!doctype html><html lang="en"><head><title>prize</title></head><body>
<form id="f" method="post" action="${target}/api/v1/auth/logout"></form>
<script>
  const form = new FormData();
  form.append('file', new Blob(['%PDF-1.4\\n% planted\\n%%EOF\\n'], { type: 'application/pdf' }), 'planted.pdf');
  fetch('${target}/api/v1/cases/${caseId}/documents?category=other', {
    method: 'POST', mode: 'no-cors', credentials: 'include', body: form,
  }).finally(() => { document.title = 'sent'; document.getElementById('f').submit(); });
</script></body></html>`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeInBrowser('the browser side of the security rules', {}, (suite) => {
  it('refuses a change sent from another origin with the usager’s own cookie (CSRF)', async () => {
    const usager = suite.server.account('usager');
    const world = readWorld(suite.server.dbFile);
    const mine = world.cases.find(
      (c) =>
        world.persons.find((p) => p.id === c.person_id)?.account_id === usager.id &&
        ['brouillon', 'depose', 'attente_pieces'].includes(c.status),
    );
    expect(mine, 'a demo case of the usager still open for pieces').toBeDefined();
    const documentsBefore = queryDb<{ n: number }>(
      suite.server.dbFile,
      'SELECT count(*) AS n FROM documents WHERE case_id = ?',
      mine!.id,
    )[0]!.n;

    const { page, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, usager);
    const attacker = await startAttacker(suite.server.baseUrl, mine!.id);
    try {
      const port = (attacker.address() as AddressInfo).port;
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForURL(/\/api\/v1\/auth\/logout$/, { timeout: 10_000 });
      // The upload (sent first) planted nothing in the usager's file...
      const documentsAfter = queryDb<{ n: number }>(
        suite.server.dbFile,
        'SELECT count(*) AS n FROM documents WHERE case_id = ?',
        mine!.id,
      )[0]!.n;
      expect(documentsAfter).toBe(documentsBefore);
      // ...and the form post came back refused as a problem, not as a logout.
      expect(await page.content()).toContain('urn:cloison:problem:cross-origin');
    } finally {
      attacker.close();
    }
    // The session survived the forged logout: the usager's own page still works.
    await page.goto('/compte');
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    const refusals = queryDb<{ n: number }>(
      suite.server.dbFile,
      "SELECT count(*) AS n FROM security_events WHERE kind = 'request.cross-origin'",
    )[0]!.n;
    expect(refusals).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it('enforces the CSP in the browser: an injected inline script does not run', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // As an injection would: an inline <script> and an inline style attribute in the page.
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s);
      const d = document.createElement('div');
      d.setAttribute('style', 'display:none');
      d.id = 'styled';
      document.body.appendChild(d);
    })()`);
    expect(await page.evaluate('window.__injected === true')).toBe(false);
    expect(
      await page.evaluate("getComputedStyle(document.getElementById('styled')).display"),
    ).not.toBe('none');
    expect(watch.consoleErrors.some((e) => e.text.includes('Content Security Policy'))).toBe(true);
    await context.close();
  });

  it('signs out for real: the old cookie is dead on the suite.server, nothing stays in the browser', async () => {
    const { page, watch, context } = await openPage(suite.browser, suite.server);
    await signIn(page, suite.server, suite.server.account('usager-2'));
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-cloison_session');
    expect(cookie).toBeDefined();
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Se connecter à Cloison' }).waitFor();
    // Only the known-device cookie stays, by design: it opens nothing, it only gives this
    // browser its own count of sign-in failures (a stranger's guesses cannot lock it out).
    const left = await context.cookies();
    expect(left.map((c) => c.name)).toEqual(['__Host-cloison_device']);
    expect(left[0]).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(await webStorage(page)).toEqual({ local: [], session: [], cookie: '' });
    const replay = new Client(suite.server.baseUrl);
    replay.sessionCookie = `${cookie!.name}=${cookie!.value}`;
    replay.setCookie(left[0]!.name, left[0]!.value);
    expect((await replay.get('/api/v1/me')).status).toBe(401);
    const deviceOnly = new Client(suite.server.baseUrl);
    deviceOnly.setCookie(left[0]!.name, left[0]!.value);
    expect((await deviceOnly.get('/api/v1/me')).status).toBe(401);
    await expectCleanPage(watch);
    await context.close();
  });
});
