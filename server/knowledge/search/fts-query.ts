/**
 * The words of a keyword query over document chunks (server/knowledge/search/keyword.ts makes the
 * MATCH text). Unlike the workspace's search box (every word must match), questions about
 * documents are sentences ("how do I reset the boiler?"): any word may match and BM25 ranks
 * chunks with more and rarer words first. Words are always quoted there, so FTS5 syntax typed
 * or pasted (AND, NEAR, column:, *, ^, quotes) is plain text.
 */

/** A pasted paragraph must not become a costly query. */
const MAX_WORDS = 16;
const MAX_WORD_LENGTH = 64;
/** A prefix this short would expand to most of the vocabulary. */
const MIN_PREFIX_LENGTH = 3;

// What FTS5's unicode61 tokenizer keeps in a word: letters, digits, marks, private use.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

// Words that match nearly every English chunk: they only cost time and push nothing up. Kept
// when they are all the query has ("to be or not to be" still searches).
const STOPWORDS = new Set(
  (
    "a an and are as at be by can could did do does for from had has have how i if in into is it its " +
    "me my of on or our should so than that the their them then there these they this to was we were " +
    "what when where which who why will with would you your"
  ).split(" "),
);

export type DocumentQueryWord = {
  /** As typed (NFC): what goes, quoted, into the MATCH text. */
  text: string;
  /** As the index stores it (unicode61, remove_diacritics 2: lower case, no accents), to look up counts. */
  term: string;
  /** Matches any word that starts with it (the last word in a search box, three letters or more). */
  prefix: boolean;
};

/** The folded form FTS5's unicode61 tokenizer (remove_diacritics 2) indexes a word under. */
export function indexTerm(word: string): string {
  return word
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/**
 * The words of a query as the index will see them: NFC, deduplicated by their indexed form,
 * capped, common English words dropped unless they are all there is. The last is a prefix
 * when `prefixLast` and it is long enough (typing in the search box).
 */
export function documentQueryWords(text: string, options: { prefixLast?: boolean } = {}): DocumentQueryWord[] {
  const seen = new Set<string>();
  const words: DocumentQueryWord[] = [];
  for (const raw of text.normalize("NFC").match(WORD) ?? []) {
    const word = Array.from(raw).slice(0, MAX_WORD_LENGTH).join("");
    const term = indexTerm(word);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    words.push({ text: word, term, prefix: false });
    if (words.length === MAX_WORDS) break;
  }
  const content = words.filter((word) => !STOPWORDS.has(word.term));
  const kept = content.length > 0 ? content : words;
  const last = kept.at(-1);
  if (options.prefixLast === true && last && Array.from(last.term).length >= MIN_PREFIX_LENGTH) last.prefix = true;
  return kept;
}
