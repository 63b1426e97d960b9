import type { DemoAccount } from './server.js';
import { completeSecondFactor } from './second-factor.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  json?: unknown;
  body?: FormData | string | Buffer;
  headers?: Record<string, string>;
}

const SESSION_COOKIE = /^(__Host-)?cloison_session$/;

/**
 * A cookie-keeping HTTP client for one actor (one browser), talking to the server over real
 * sockets. It keeps every cookie the server sets (the session, the known-device cookie, a
 * federation binding), as a browser would, and drops one the server clears.
 */
export class Client {
  private readonly jar = new Map<string, string>();
  /** An integration token, sent as `Authorization: Bearer` on every request when set. */
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request(method: string, url: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {
      ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
      ...options.headers,
    };
    if (this.jar.size > 0)
      headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + url, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cleared = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (cleared) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, bytes, json };
  }

  get(url: string, options?: RequestOptions) {
    return this.request('GET', url, options);
  }

  post(url: string, options?: RequestOptions) {
    return this.request('POST', url, options);
  }

  put(url: string, options?: RequestOptions) {
    return this.request('PUT', url, options);
  }

  delete(url: string, options?: RequestOptions) {
    return this.request('DELETE', url, options);
  }

  /**
   * Logs in and completes the second factor as the account's owner would (see
   * second-factor.ts); throws unless the session ends up complete.
   */
  async login(account: Pick<DemoAccount, 'email' | 'password'>): Promise<this> {
    const res = await this.post('/api/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    if (res.status !== 200 || !this.sessionCookie) {
      throw new Error(`login of ${account.email} failed: ${res.status} ${res.text}`);
    }
    await completeSecondFactor(this, account.password, (res.json as { next: string }).next);
    return this;
  }

  /** Password only: the session stays where the login answer left it (second factor due). */
  async loginFirstFactor(account: Pick<DemoAccount, 'email' | 'password'>): Promise<string> {
    const res = await this.post('/api/v1/auth/login', {
      json: { email: account.email, password: account.password },
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    return (res.json as { next: string }).next;
  }

  /** The raw session cookie (`name=value`), to replay it after logout or account changes. */
  get sessionCookie(): string | null {
    for (const [name, value] of this.jar) if (SESSION_COOKIE.test(name)) return `${name}=${value}`;
    return null;
  }

  /** Replaces the session cookie (null: none); the browser's other cookies stay. */
  set sessionCookie(value: string | null) {
    for (const name of [...this.jar.keys()]) if (SESSION_COOKIE.test(name)) this.jar.delete(name);
    if (value === null) return;
    const at = value.indexOf('=');
    this.jar.set(value.slice(0, at), value.slice(at + 1));
  }

  /** A cookie the server set, by name (the known-device cookie...), or undefined. */
  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** Sets or removes a cookie as a browser extension, or an attacker's script, would. */
  setCookie(name: string, value: string | null): void {
    if (value === null) this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

/** Builds a multipart body holding one file under the field name "file". */
export function fileForm(
  bytes: Buffer,
  fileName: string,
  mediaType = 'application/octet-stream',
): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: mediaType }), fileName);
  return form;
}
