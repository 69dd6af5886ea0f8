/** fast-check generators for the console's property tests: text from anywhere in Unicode and beyond. */
import fc from 'fast-check';

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** Characters that have broken or fooled consoles, parsers and chat clients. */
export const AWKWARD_CHARACTERS: readonly string[] = [
  ...range(0x00, 0x1f), // C0 controls: NUL, TAB, LF, VT, FF, CR, ESC, the file/group/record separators
  ...range(0x7f, 0x9f), // DEL and the C1 controls, NEL (U+0085) among them
  ...range(0x202a, 0x202e), // bidi embeddings and overrides
  ...range(0x2066, 0x2069), // bidi isolates
  ...range(0x200b, 0x200d), // zero-width space, non-joiner, joiner
  '\ufeff', // byte order mark, a zero-width no-break space
  '\u00a0', // no-break space
  '\u1680',
  '\u2000',
  '\u2007',
  '\u200a',
  '\u2028', // line separator
  '\u2029', // paragraph separator
  '\u202f',
  '\u205f',
  '\u3000', // ideographic space
  '\u180e', // Mongolian vowel separator, whitespace in old Unicode only
  '"',
  "'",
  '`',
  '\\',
  '>',
  '<',
  ' ',
  '\u0301', // combining acute accent
  '🎉',
  'ſ', // long s: upper-cases to S
  'ﬀ', // a ligature that NFKC folds to "ff"
];

/** One lone UTF-16 surrogate: half of a character outside the Basic Multilingual Plane. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** One unit of text: any code point, an awkward one, a lone surrogate, or plain ASCII. */
export const anyCharacter: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...AWKWARD_CHARACTERS) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 3, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
);

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The same without controls, lone surrogates and double quotes, so that most values are accepted. */
const typableCharacter: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.constantFrom(...AWKWARD_CHARACTERS) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  )
  .filter((character) => !CONTROL.test(character) && character !== '"');

/** Text of up to `maxLength` units: half of it anything at all, half what a person could type. */
export function anyText(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: anyCharacter, maxLength }),
    fc.string({ unit: typableCharacter, maxLength }),
  );
}
