import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_KEYWORD, VisibleText, countVisibleCharacters } from './visible-text.js';

describe('countVisibleCharacters', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['Motif urgent', 11],
    ['  padded\t\n', 6],
    // Accents: composed, decomposed (NFC makes them one), stacked, or with no letter to sit on.
    ['é', 1],
    ['e\u0301', 1],
    ['Zoe\u0301', 3],
    ['a\u0301\u0302\u0303\u0304\u0305', 1],
    ['\u0301', 0],
    ['\u0301\u0301\u0301', 0],
    [' \u0301 \u0301', 0],
    ['\u034f\u034f', 0],
    // Emoji: one each, whatever their modifiers, joiners, variation selectors or keycaps.
    ['😀', 1],
    ['👍🏽', 1],
    ['👨‍👩‍👧‍👦', 1],
    ['🇫🇷🇪🇺', 2],
    ['❤️', 1],
    ['1️⃣', 1],
    ['\ufe0f\ufe0f', 0],
    ['\u{E0100}', 0],
    // Right-to-left text counts; the direction marks and overrides around it do not.
    ['سلام', 4],
    ['\u200fשלום\u200e', 4],
    ['\u202e\u202d\u2066\u2067\u2068\u2069\u061c', 0],
    // Hangul: syllables and jamo count, the fillers do not.
    ['한국', 2],
    ['\u1112\u1161\u11ab', 1],
    ['\u3164\u115f\u1160\uffa0', 0],
    // Blank glyphs and white space of every width.
    ['\u2800\u2800', 0],
    ['\u{1D159}', 0],
    ['\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a', 0],
    ['\u2028\u2029\u202f\u205f\u3000\u0085', 0],
    // Format characters and controls.
    ['\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e', 0],
    ['\u2061\u2062\u2063\u2064', 0],
    ['\u{E0001}\u{E0041}', 0],
    ['\u0000\u0007\u001b\u007f\u0085', 0],
    // Lone surrogates and unassigned code points draw nothing meaningful.
    ['\ud800\udfff', 0],
    ['\u{E0080}', 0],
    // Visible characters among invisible ones count, and only they do.
    ['a\u200bb\u200bc', 3],
    ['\u3164x\u3164', 1],
    ['\u202eexe.pdf', 7],
  ])('%j has %i visible characters', (text, expected) => {
    expect(countVisibleCharacters(text)).toBe(expected);
  });

  it('counts 20 zero-width spaces, Hangul fillers or braille blanks as nothing', () => {
    for (const blank of ['\u200b', '\u3164', '\u2800', '\u00a0', '\u3000', '\ufe0f']) {
      expect(countVisibleCharacters(blank.repeat(20))).toBe(0);
      expect(countVisibleCharacters(`${'x'.repeat(19)}${blank.repeat(20)}`)).toBe(19);
    }
  });
});

describe('VisibleText', () => {
  it('states its rule in the schema: the x- keyword, and minLength for plain readers', () => {
    expect(VisibleText({ minVisible: 20, maxLength: 2000 })).toMatchObject({
      type: 'string',
      minLength: 20,
      maxLength: 2000,
      [MIN_VISIBLE_KEYWORD]: 20,
    });
  });

  it('refuses a minimum that would admit an empty value', () => {
    expect(() => VisibleText({ minVisible: 0, maxLength: 10 })).toThrow();
    expect(() => VisibleText({ minVisible: 11, maxLength: 10 })).toThrow();
  });
});
