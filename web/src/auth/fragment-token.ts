import { useState } from 'react';

/**
 * The token a mailed link carries in its fragment (`#jeton=…`, every mail of the server:
 * src/modules/self-service/account-mails.ts tokenLink), which browsers never send to a server.
 * It is read once, then removed from the address bar and history so it does not linger on
 * screen or in a bookmark. '' when the page was opened without one.
 */
export function useFragmentToken(): string {
  const [token] = useState(() => {
    const raw = window.location.hash.replace(/^#/, '');
    // Links mailed before the one spelling (`#token=` for activation, a bare `#<token>` for an
    // address change) still work while they are valid (72 h at most).
    const value = raw.replace(/^(?:jeton|token)=/, '');
    if (raw) window.history.replaceState(null, '', window.location.pathname);
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : '';
  });
  return token;
}
