/** At most this many words of a query reach FTS5: a pasted paragraph must not become a costly query. */
const MAX_TOKENS = 8;
/** Longer "words" are cut: nobody searches for 200 letters, and the tokenizer would not either. */
const MAX_TOKEN_LENGTH = 64;

// What FTS5's unicode61 tokenizer keeps as part of a word: letters, digits, marks, private use.
// Everything else (quotes, brackets, colons, stars, carets, minus) only separates words.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/**
 * Turns what a person typed into FTS5 syntax that cannot fail to parse: every word quoted
 * (so AND, OR, NOT, NEAR, column filters and operators are plain words), the last one a
 * prefix (`"boi"*` finds "boiler" while typing). Null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? "*" : ""}`).join(" ");
}

/** The words of a query as the index sees them (NFC-normalised, at most MAX_TOKENS of them). */
export function searchWords(text: string): string[] {
  const words = text.normalize("NFC").match(WORD) ?? [];
  return words.slice(0, MAX_TOKENS).map((word) => Array.from(word).slice(0, MAX_TOKEN_LENGTH).join(""));
}
