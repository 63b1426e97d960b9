import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { DEVICE_TRUST_DAYS, rememberDevice } from '../modules/auth/trusted-devices.js';

/** `__Host-`, as the session cookie, so no sibling subdomain can plant or shadow it. */
export function deviceCookieName(secure: boolean): string {
  return secure ? '__Host-cloison_device' : 'cloison_device';
}

/** The browser's device token, if it sent one. */
export function readDeviceToken(deps: AppDeps, request: FastifyRequest): string | null {
  const value = request.cookies[deviceCookieName(deps.config.cookieSecure)];
  return value === undefined || value.length > 128 ? null : value;
}

/** Sets the device cookie: HttpOnly and SameSite=Strict like the session, but long-lived. */
export function setDeviceCookie(deps: AppDeps, reply: FastifyReply, token: string): void {
  reply.setCookie(deviceCookieName(deps.config.cookieSecure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.config.cookieSecure,
    maxAge: DEVICE_TRUST_DAYS * 86_400,
  });
}

/** This browser has just proven every factor of the account: it is known to it from now on. */
export async function rememberThisBrowser(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
): Promise<void> {
  setDeviceCookie(
    deps,
    reply,
    await rememberDevice(deps, readDeviceToken(deps, request), accountId),
  );
}
