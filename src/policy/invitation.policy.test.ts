import { describe, expect, it } from 'vitest';
import { isClaimFromInviterAddress } from './invitation.policy.js';

const now = new Date('2026-12-04T10:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const claimFrom = (ip: string | null) => ({ ip, at: now });

describe('a claim from the inviting agent’s address', () => {
  it('counts an IPv4 address the agent used within 30 days, and only that address', () => {
    const uses = [{ ip: '203.0.113.7', lastAt: daysAgo(29) }];
    expect(isClaimFromInviterAddress(claimFrom('203.0.113.7'), uses)).toBe(true);
    expect(isClaimFromInviterAddress(claimFrom('::ffff:203.0.113.7'), uses)).toBe(true);
    expect(isClaimFromInviterAddress(claimFrom('203.0.113.8'), uses)).toBe(false);
  });

  it('forgets an address last used more than 30 days before the claim', () => {
    const uses = [{ ip: '203.0.113.7', lastAt: daysAgo(31) }];
    expect(isClaimFromInviterAddress(claimFrom('203.0.113.7'), uses)).toBe(false);
  });

  it('counts an IPv6 address by its /64, whatever the device picked for the rest', () => {
    const uses = [{ ip: '2001:db8:12:34::1', lastAt: daysAgo(1) }];
    expect(isClaimFromInviterAddress(claimFrom('2001:db8:12:34:a:b:c:d'), uses)).toBe(true);
    expect(isClaimFromInviterAddress(claimFrom('2001:db8:12:35::1'), uses)).toBe(false);
  });

  it('never lets a mapped address stand for every IPv4 client', () => {
    const uses = [{ ip: '::ffff:203.0.113.7', lastAt: daysAgo(1) }];
    expect(isClaimFromInviterAddress(claimFrom('203.0.113.7'), uses)).toBe(true);
    expect(isClaimFromInviterAddress(claimFrom('198.51.100.9'), uses)).toBe(false);
    expect(isClaimFromInviterAddress(claimFrom('::ffff:198.51.100.9'), uses)).toBe(false);
  });

  it('says nothing without an address to compare', () => {
    const uses = [{ ip: '203.0.113.7', lastAt: daysAgo(1) }];
    expect(isClaimFromInviterAddress(claimFrom(null), uses)).toBe(false);
    expect(isClaimFromInviterAddress(claimFrom('pas une adresse'), uses)).toBe(false);
    expect(isClaimFromInviterAddress(claimFrom('203.0.113.7'), [])).toBe(false);
  });
});
