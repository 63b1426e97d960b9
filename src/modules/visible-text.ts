import { Type, type TString } from '@sinclair/typebox';

/**
 * The schema keyword that holds a free-text field's minimum of visible characters. It is an
 * `x-` extension so that the OpenAPI document stays valid for any reader; the server's ajv
 * knows it (src/http/validation.ts).
 */
export const MIN_VISIBLE_KEYWORD = 'x-min-visible';

/**
 * A code point that draws something by itself. Not: white space of any width (U+00A0,
 * U+2000–U+200A, U+202F, U+205F, U+3000...), controls, format characters (zero-width spaces and
 * joiners, bidirectional marks and overrides, soft hyphen, tags), marks (a combining accent counts
 * with the letter it sits on, never alone), the code points Unicode says to ignore when
 * unsupported (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors...), lone
 * surrogates, unassigned code points (no font draws them meaningfully), and two blank glyphs
 * that are none of these: the braille blank U+2800 and the null notehead U+1D159.
 */
const VISIBLE =
  /[^\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{M}\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * How many characters a reader sees in `text`: after NFC, each grapheme (a letter with its
 * accents, an emoji with its modifiers and joiners, a flag) that holds at least one visible code
 * point counts once; graphemes made only of invisible code points count for nothing.
 */
export function countVisibleCharacters(text: string): number {
  let count = 0;
  for (const { segment } of GRAPHEMES.segment(text.normalize('NFC'))) {
    if (VISIBLE.test(segment)) count += 1;
  }
  return count;
}

export interface VisibleTextOptions {
  /** Visible characters at least, as countVisibleCharacters() counts them (1 or more). */
  minVisible: number;
  /** Code points at most, of the value as stored (NFC). */
  maxLength: number;
  pattern?: string;
  description?: string;
}

/**
 * Free text a person types (reasons, messages, notes, names, labels): its minimum counts what a
 * reader sees, so a value of zero-width spaces, fillers or blanks is refused like an empty one.
 * `minLength` repeats the minimum for clients that know only standard JSON Schema; the server
 * enforces the visible count.
 *
 * The value is stored in NFC: canonically equivalent texts look and mean exactly the same, so
 * nothing the person typed is lost, and the stored text is the one that was counted, compared
 * and searched in one form (an "é" typed decomposed on one keyboard equals the composed one).
 * Invisible characters are not stripped from what is stored: a joiner inside an emoji or a
 * non-joiner in some scripts carries meaning, and the rule is only that they do not count.
 * Not for passwords, tokens or identifiers, which keep their own rules (a password is never
 * normalised).
 */
export function VisibleText(options: VisibleTextOptions): TString {
  const { minVisible, maxLength, pattern, description } = options;
  if (!Number.isInteger(minVisible) || minVisible < 1 || maxLength < minVisible) {
    throw new Error(`VisibleText: minVisible ${minVisible} must be 1..maxLength ${maxLength}`);
  }
  return Type.String({
    minLength: minVisible,
    maxLength,
    ...(pattern === undefined ? {} : { pattern }),
    ...(description === undefined ? {} : { description }),
    [MIN_VISIBLE_KEYWORD]: minVisible,
  });
}
