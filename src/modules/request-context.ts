import type { SecondFactorState } from './mfa/second-factor-state.js';

/**
 * What the domain knows of the request it serves: where it came from and by which route, for
 * the audit record and the security events. Built by src/http (`contextOf`); services never
 * see Fastify's request or reply.
 */
export interface RequestContext {
  /** The client's address as the proxy configuration resolves it. */
  readonly ip: string;
  /** The route as declared, with its method ("POST /api/v1/cases/:caseId"). */
  readonly route: string;
}

/** The session a request arrived with, as the session plugin found it. */
export interface CurrentSession {
  /** SHA-256 of the session token: the token itself is never kept. */
  readonly idHash: string;
  readonly firstFactor: 'password' | 'oidc' | 'activation';
  /** When a second factor was verified; null when none was (yet). */
  readonly mfaAt: string | null;
}

/** The cookies the sign-in flows read and write; src/http knows their names and flags. */
export type BrowserCookie = 'session' | 'device' | 'oidc-binding';

/** A browser's cookies, through a port src/http implements on the request and its reply. */
export interface BrowserCookies {
  /** The value the browser sent, if any. */
  get(name: BrowserCookie): string | undefined;
  /** Sets the cookie on the answer, for `maxAgeSeconds`. */
  set(name: BrowserCookie, value: string, maxAgeSeconds: number): void;
  /** Removes the cookie from the browser. */
  clear(name: BrowserCookie): void;
}

/**
 * A request and the session it arrived with: what re-authentication reads (the step-up asks
 * when the session last proved a second factor), where no cookie is written.
 */
export interface SessionContext extends RequestContext {
  readonly session: CurrentSession | null;
}

/**
 * A browser's request to the flows that open, raise or close a session (sign-in, second factor,
 * password change, OpenID Connect): the request's context, its session and its cookies.
 */
export interface BrowserContext extends SessionContext {
  /** The User-Agent header ('' when absent): part of the device hash of a session. */
  readonly userAgent: string;
  /** The path and query string as received (the OpenID Connect callback reads its query). */
  readonly url: string;
  /** Where the session stands with the second factor; `done` for anonymous requests. */
  readonly secondFactor: SecondFactorState;
  readonly cookies: BrowserCookies;
}
