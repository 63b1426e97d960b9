import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { HttpResult } from '../harness/client.js';

/**
 * A real OpenID Provider (oidc-provider) on 127.0.0.1, standing in for FranceConnect and
 * ProConnect, and a small browser that drives its development login and consent screens over
 * HTTP with a cookie jar and manual redirects.
 */

/** What the provider says about a subject; `acr` null: the login proves no eIDAS level. */
export interface TestSubject {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  birthdate?: string;
  usual_name?: string;
  uid?: string;
  siret?: string;
  acr?: string | null;
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestProvider {
  /** http://127.0.0.1:<port>: give it to the server as CLOISON_OIDC_<P>_ISSUER. */
  readonly issuer: string;
  /** Claims per subject (the login typed on the provider's screen is the `sub`). */
  readonly subjects: Map<string, TestSubject>;
  /** (Re)creates the provider for these clients; sessions and codes of before are forgotten. */
  configure(clients: readonly TestClient[]): void;
  close(): Promise<void>;
}

const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  usual_name: ['usual_name'],
  uid: ['uid'],
  siret: ['siret'],
};

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts listening first (the issuer URL must be known to start the server under test), then
 * serves 503 until `configure` is given the clients and their redirect URIs.
 */
export async function startTestProvider(): Promise<TestProvider> {
  const subjects = new Map<string, TestSubject>();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', kid: 'test-key' };
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configure = (clients: readonly TestClient[]) => {
    const provider = new Provider(issuer, {
      clients: clients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: [c.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      })),
      jwks: { keys: [jwk] },
      cookies: { keys: ['test-provider-cookie-key'] },
      acrValues: ['eidas1'],
      claims: CLAIMS,
      features: { devInteractions: { enabled: true } },
      ttl: {
        AccessToken: 600,
        AuthorizationCode: 60,
        Grant: 3600,
        IdToken: 600,
        Interaction: 600,
        Session: 3600,
      },
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => {
          // acr is the login's, not a claim of the person (see the middleware below).
          const claims: TestSubject = { ...subjects.get(sub) };
          delete claims.acr;
          return { sub, ...claims };
        },
      }),
    });
    // The development login screen accepts any login; this one also records the eIDAS level
    // the subject is known to prove (FranceConnect answers acr=eidas1), as a real provider does.
    provider.use(async (ctx, next) => {
      if (ctx.method === 'POST' && /^\/interaction\/[^/]+$/.test(ctx.path)) {
        const details = await provider.interactionDetails(ctx.req, ctx.res);
        if (details.prompt.name === 'login') {
          const sub = (await readForm(ctx.req)).get('login') ?? '';
          const acr = subjects.get(sub)?.acr === undefined ? 'eidas1' : subjects.get(sub)?.acr;
          const returnTo = await provider.interactionResult(
            ctx.req,
            ctx.res,
            { login: { accountId: sub, ...(acr ? { acr } : {}) } },
            { mergeWithLastSubmission: false },
          );
          ctx.status = 303;
          ctx.set('location', returnTo);
          ctx.body = '';
          return;
        }
      }
      await next();
    });
    handler = provider.callback();
  };

  return {
    issuer,
    subjects,
    configure,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

/** An HttpResult (test/harness/client.ts), with the redirect's absolute Location. */
export interface BrowserResponse extends HttpResult {
  location: string | null;
}

/**
 * A browser, as far as these flows need one: cookies per host (with their Path), redirects
 * followed by hand so each hop can be inspected. It sends every cookie regardless of SameSite,
 * the worst case for the server: the defences tested here must not rely on SameSite alone.
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, StoredCookie>>();

  /** localhost and 127.0.0.1 are the same server here (the public origin says localhost). */
  static normalise(url: string | URL): URL {
    const u = new URL(url);
    if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
    return u;
  }

  private jar(url: URL): Map<string, StoredCookie> {
    let jar = this.jars.get(url.host);
    if (!jar) this.jars.set(url.host, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(Browser.normalise(url)).get(name)?.value;
  }

  setCookie(url: string, name: string, value: string | null): void {
    const jar = this.jar(Browser.normalise(url));
    if (value === null) jar.delete(name);
    else jar.set(name, { value, path: '/' });
  }

  private store(url: URL, headers: Headers): void {
    const jar = this.jar(url);
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const a of attributes) {
        const [k = '', v = ''] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) expired = true;
      }
      if (expired) jar.delete(name);
      else jar.set(name, { value, path });
    }
  }

  /** One request, no redirect followed. */
  async request(
    method: string,
    target: string | URL,
    options: {
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<BrowserResponse> {
    const url = Browser.normalise(target);
    const cookies = [...this.jar(url).entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([n, c]) => `${n}=${c.value}`);
    const headers: Record<string, string> = { ...options.headers };
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.store(url, res.headers);
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const location = res.headers.get('location');
    return {
      status: res.status,
      location: location === null ? null : new URL(location, url).toString(),
      text,
      bytes,
      json,
      headers: res.headers,
    };
  }

  get(url: string | URL) {
    return this.request('GET', url);
  }

  /**
   * Goes from the provider's authorization URL through its login and consent screens as `sub`,
   * and returns the URL the provider redirects back to, without visiting it.
   */
  async proveIdentity(authorizationUrl: string, sub: string, returnOrigin: string): Promise<URL> {
    let next: URL = new URL(authorizationUrl);
    for (let hop = 0; hop < 20; hop++) {
      if (Browser.normalise(next).origin === Browser.normalise(returnOrigin).origin) return next;
      const res = await this.get(next);
      if (res.location) {
        next = new URL(res.location);
        continue;
      }
      const prompt = /name="prompt" value="(login|consent)"/.exec(res.text)?.[1];
      if (res.status !== 200 || !prompt) {
        throw new Error(
          `provider stopped at ${next.href}: ${res.status} ${res.text.slice(0, 300)}`,
        );
      }
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt };
      const submitted = await this.request('POST', next, { form });
      if (!submitted.location) {
        throw new Error(`provider refused ${prompt}: ${submitted.status} ${submitted.text}`);
      }
      next = new URL(submitted.location);
    }
    throw new Error('too many redirects at the provider');
  }
}
