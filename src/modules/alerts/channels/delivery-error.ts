/** A failed delivery, named by a code a log may carry (never a message quoting the target). */
export class DeliveryError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'DeliveryError';
  }
}

const BUILT_IN = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

/**
 * The code of any error thrown while delivering: a system code (ECONNREFUSED), an SMTP reply
 * code, a TLS verification code. Messages are dropped: a fetch or SMTP error may quote the URL
 * with its token or the recipient's address.
 */
export function errorCode(error: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, responseCode, name } = e as {
      code?: unknown;
      responseCode?: unknown;
      name?: unknown;
    };
    if (typeof responseCode === 'number') return `SMTP_${responseCode}`;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
    if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
    e = (e as { cause?: unknown }).cause;
  }
  // A class of our own (TamperedError, KeyUnavailableError) says enough without its message.
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && /^[A-Z][A-Za-z]{1,40}Error$/.test(name) && !BUILT_IN.has(name))
    return name;
  return 'UNKNOWN';
}
