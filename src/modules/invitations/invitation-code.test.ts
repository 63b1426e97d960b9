import { describe, expect, it } from 'vitest';
import { newInvitationCode, normaliseInvitationCode } from './invitation-code.js';

describe('invitation codes', () => {
  it('are grouped for reading and read back whatever the case, spaces or look-alike letters', () => {
    const code = newInvitationCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const bare = code.replace(/-/g, '');
    expect(normaliseInvitationCode(code.toLowerCase())).toBe(bare);
    expect(normaliseInvitationCode(` ${bare.slice(0, 6)} ${bare.slice(6)} `)).toBe(bare);
    expect(normaliseInvitationCode('OOOO-IIII-LLLL')).toBe('000011111111');
  });

  it('refuses what cannot be a code', () => {
    expect(normaliseInvitationCode('ABCD-EFGH-JKM')).toBeNull();
    expect(normaliseInvitationCode('ABCD-EFGH-JKMNP')).toBeNull();
    expect(normaliseInvitationCode('ABCD-EFGH-JKU!')).toBeNull();
  });

  it('are not repeated', () => {
    const codes = new Set(Array.from({ length: 2000 }, newInvitationCode));
    expect(codes.size).toBe(2000);
  });
});
