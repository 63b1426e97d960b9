import net from 'node:net';

/**
 * CLOISON_TRUST_PROXY: the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto Cloison
 * believes, as addresses or CIDR ranges ("127.0.0.1", "10.0.0.0/24,::1"). Empty: none, so a
 * client cannot choose the address that its rate limits and audit events are counted against.
 * Never "true" (every hop): behind a proxy, any client could then write its own address.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): readonly string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const entries = raw.split(',').map((e) => e.trim());
  const valid = entries.every((entry) => {
    const [address, prefix, extra] = entry.split('/');
    // A zone id (fe80::1%eth0) is no address a proxy connects from.
    const family = net.isIP(address ?? '');
    if (family === 0 || extra !== undefined || address!.includes('%')) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    // A range of half the Internet or more is "every hop" under another name.
    return (
      /^\d{1,3}$/.test(prefix) &&
      bits >= (family === 4 ? 8 : 16) &&
      bits <= (family === 4 ? 32 : 128)
    );
  });
  if (!valid) {
    problems.push(
      'CLOISON_TRUST_PROXY must list the proxies by address or CIDR range, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/24)',
    );
    return [];
  }
  return Object.freeze(entries);
}
