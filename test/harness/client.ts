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

/** A cookie-keeping HTTP client for one actor, talking to the server over real sockets. */
export class Client {
  private cookie: string | null = null;
  /** An integration token, sent as `Authorization: Bearer` on every request when set. */
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request(method: string, url: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {
      ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
      ...options.headers,
    };
    if (this.cookie) headers.cookie = this.cookie;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + url, { method, headers, body, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? null : pair;
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
    if (res.status !== 200 || !this.cookie) {
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

  /** The raw session cookie, to replay it after logout or account changes. */
  get sessionCookie(): string | null {
    return this.cookie;
  }

  set sessionCookie(value: string | null) {
    this.cookie = value;
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
