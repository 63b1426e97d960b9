/**
 * The page to go back to after signing in (`?suite=`), only if it is a path of this application:
 * the parameter comes from the URL, so anyone can craft it; it must never send a person to
 * another site (`//evil.example`, `/\evil.example`, `https:…`).
 */
export function safeNext(raw: string | null): string | null {
  return raw && /^\/(?!\/)[A-Za-z0-9\-_/?=&%.]*$/.test(raw) ? raw : null;
}
