import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type {
  BrowserContext,
  BrowserCookie,
  BrowserCookies,
  SessionContext,
} from '../modules/request-context.js';
import { contextOf } from './request-context.js';

/**
 * `__Host-` binds the cookie to this exact origin (Secure, Path=/, no Domain): no sibling
 * subdomain can set or shadow it. Only a deployment that opts out of Secure (plain HTTP on a
 * LAN address) falls back to the bare name, since browsers refuse `__Host-` without Secure.
 */
function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-cloison_session' : 'cloison_session';
}

/** The known-device cookie: `__Host-` as well, so no sibling subdomain can plant or shadow it. */
function deviceCookieName(secure: boolean): string {
  return secure ? '__Host-cloison_device' : 'cloison_device';
}

/** The cookie binding an OpenID Connect flow to the browser that started it. */
function bindingCookieName(secure: boolean): string {
  return secure ? '__Host-cloison_oidc' : 'cloison_oidc';
}

/** The name each cookie of the port has on the wire. */
function cookieName(cookie: BrowserCookie, secure: boolean): string {
  if (cookie === 'session') return sessionCookieName(secure);
  if (cookie === 'device') return deviceCookieName(secure);
  return bindingCookieName(secure);
}

/**
 * HttpOnly and SameSite=Strict for the session and device cookies. The binding cookie is Lax:
 * it must come back on the provider's cross-site redirect to the callback.
 */
function sameSiteOf(cookie: BrowserCookie): 'strict' | 'lax' {
  return cookie === 'oidc-binding' ? 'lax' : 'strict';
}

/** The cookies the browser sent, read only: for a hook that has no reply to write on. */
export function sentCookiesOf(
  request: FastifyRequest,
  config: Pick<Config, 'cookieSecure'>,
): Pick<BrowserCookies, 'get'> {
  return { get: (cookie) => request.cookies[cookieName(cookie, config.cookieSecure)] };
}

/** The browser's cookies: read on the request, written on its reply. */
export function browserCookiesOf(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Pick<Config, 'cookieSecure'>,
): BrowserCookies {
  const secure = config.cookieSecure;
  return {
    ...sentCookiesOf(request, config),
    set: (cookie, value, maxAgeSeconds) => {
      reply.setCookie(cookieName(cookie, secure), value, {
        path: '/',
        httpOnly: true,
        sameSite: sameSiteOf(cookie),
        secure,
        maxAge: maxAgeSeconds,
      });
    },
    clear: (cookie) => {
      reply.clearCookie(cookieName(cookie, secure), { path: '/', secure });
    },
  };
}

/** The request and its session, for a flow that re-authenticates and writes no cookie. */
export function sessionContextOf(request: FastifyRequest): SessionContext {
  return { ...contextOf(request), session: request.session };
}

/** The request as the sign-in, second-factor and federation flows know it. */
export function browserContextOf(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Pick<Config, 'cookieSecure'>,
): BrowserContext {
  return {
    ...sessionContextOf(request),
    userAgent: request.headers['user-agent'] ?? '',
    url: request.url,
    secondFactor: request.secondFactor,
    cookies: browserCookiesOf(request, reply, config),
  };
}
