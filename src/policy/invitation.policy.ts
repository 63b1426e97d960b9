import { BlockList, isIP } from 'node:net';

/** How far back an inviting agent's addresses count against a claim of their invitation. */
export const INVITER_ADDRESS_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;
/** An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4 client. */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function plainAddress(ip: string): string {
  return IPV4_MAPPED.exec(ip)?.[1] ?? ip;
}

/** One address an agent's account was seen at, and when last. */
export interface AddressUse {
  readonly ip: string;
  readonly lastAt: string;
}

/** The earliest use of an address that still counts for a claim made at `now`. */
export function inviterAddressWindowStart(now: Date): string {
  return new Date(now.getTime() - INVITER_ADDRESS_WINDOW_DAYS * DAY_MS).toISOString();
}

/**
 * Whether a claim comes from where the agent who issued the invitation works or lives: an
 * address their account used within the window. The agent knows the code and the birth date, so
 * where they connect from is the trace an insider claiming the file is most likely to leave.
 * IPv4 counts as one address; IPv6 as its /64, the network one line or office is given, since a
 * device changes the rest of its address by itself from day to day.
 */
export function isClaimFromInviterAddress(
  claim: { readonly ip: string | null; readonly at: Date },
  inviterUses: readonly AddressUse[],
): boolean {
  const ip = claim.ip === null ? '' : plainAddress(claim.ip);
  const claimFamily = isIP(ip);
  if (claimFamily === 0) return false;
  const since = inviterAddressWindowStart(claim.at);
  const networks = new BlockList();
  for (const use of inviterUses) {
    if (use.lastAt <= since) continue;
    // Mapped first: the /64 of a mapped address would hold every IPv4 client at once.
    const used = plainAddress(use.ip);
    const family = isIP(used);
    if (family === 4) networks.addAddress(used, 'ipv4');
    else if (family === 6) networks.addSubnet(used, 64, 'ipv6');
  }
  return networks.check(ip, claimFamily === 4 ? 'ipv4' : 'ipv6');
}
