import { useState } from 'react';

/**
 * The token a mailed link carries in its fragment (`#jeton=…` or `#…`), which browsers never
 * send to a server. It is read once, then removed from the address bar and history so it does
 * not linger on screen or in a bookmark.
 */
export function useFragmentToken(prefix: 'jeton=' | ''): string {
  const [token] = useState(() => {
    const raw = window.location.hash.replace(/^#/, '');
    const value = prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : prefix ? '' : raw;
    if (raw) window.history.replaceState(null, '', window.location.pathname);
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : '';
  });
  return token;
}
