import { BlockList, isIP } from 'node:net';

/** More ranges than this is a configuration mistake, not a network. */
export const MAX_RANGES = 16;

/**
 * Parses a CIDR range ("10.20.0.0/16", "2001:db8::/32") or a single address, and returns it in
 * the form stored, or null when it is not one. Zone ids ("fe80::1%eth0") are refused: they name
 * an interface of one machine, not a network.
 */
export function normalizeRange(text: string): string | null {
  const [address = '', prefixText, extra] = text.trim().toLowerCase().split('/');
  if (extra !== undefined || address.includes('%')) return null;
  const family = isIP(address);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  if (prefixText === undefined) return `${address}/${max}`;
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? `${address}/${prefix}` : null;
}

/** Whether the client address falls in one of the (normalized) ranges. */
export function addressInRanges(ip: string, ranges: readonly string[]): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.split('/');
    if (!address || prefix === undefined) continue;
    list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }
  // BlockList also matches an IPv4-mapped IPv6 client (::ffff:10.0.0.1) against IPv4 ranges.
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
