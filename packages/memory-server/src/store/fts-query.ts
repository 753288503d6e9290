/** Most phrases taken from one query; the rest of a longer query is ignored. */
export const MAX_QUERY_PHRASES = 32;

/** An FTS5 MATCH expression built from plain text, in strict (AND) and loose (OR) forms. */
export interface FtsQuery {
  /** Every phrase must match. */
  readonly all: string;
  /** Any single word may match; null when the query is a single word (then `all` says the same). */
  readonly any: string | null;
}

// Word characters as FTS5's unicode61 tokenizer sees them: letters, digits, marks, private use.
const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}\p{Co}]/u;

/**
 * One piece of text as a quoted FTS5 phrase of its words (`customer:C9` -> `"customer C9"`, which
 * matches those words side by side, as the tokenizer splits the stored `customer:C9`), or null when it
 * holds no word. Only letters, digits and marks reach the phrase, so it can never be read as syntax.
 */
function phrase(piece: string): string | null {
  const tokens = words(piece);
  return tokens.length === 0 ? null : `"${tokens.join(' ')}"`;
}

function words(text: string): string[] {
  return (text.match(TOKEN) ?? []).filter((token) => HAS_LETTER_OR_DIGIT.test(token));
}

/**
 * The distinct phrases of a query's whitespace-separated pieces, as `phraseOf` writes each (null: a
 * piece without words), at most {@link MAX_QUERY_PHRASES}: what every adapter's query is built from.
 */
export function queryPhrases(text: string, phraseOf: (piece: string) => string | null): string[] {
  const phrases: string[] = [];
  for (const piece of text.split(/\s+/)) {
    const quoted = phraseOf(piece);
    if (quoted === null || phrases.includes(quoted)) continue;
    phrases.push(quoted);
    if (phrases.length === MAX_QUERY_PHRASES) break;
  }
  return phrases;
}

/**
 * Turns user text into an FTS5 query that cannot be read as FTS syntax: the text is split on
 * whitespace and each piece becomes one quoted phrase of its words; the strict form needs every
 * phrase, the loose form (for when the strict one finds nothing) any single word. Quotes, `*`, `^`,
 * `:`, parentheses, `-`, `NEAR(` are separators, and `AND`/`OR`/`NOT` become quoted words. Each of
 * `requiredTags` adds a phrase that must occur in the `tags` column: a cheap pre-filter inside the index
 * (it may let through a context whose tags merely contain the words side by side; the caller checks
 * tags exactly).
 * Returns null when the text has no word at all.
 */
export function buildFtsQuery(text: string, requiredTags: readonly string[] = []): FtsQuery | null {
  const phrases = queryPhrases(text, phrase);
  if (phrases.length === 0) return null;
  const loose = [...new Set(words(phrases.join(' ')).map((word) => word.toLowerCase()))]
    .slice(0, MAX_QUERY_PHRASES)
    .map((word) => `"${word}"`);
  const tagFilter = requiredTags
    .map(phrase)
    .filter((quoted): quoted is string => quoted !== null)
    .map((quoted) => ` AND tags : ${quoted}`)
    .join('');
  return {
    all: `(${phrases.join(' AND ')})${tagFilter}`,
    any: loose.length > 1 ? `(${loose.join(' OR ')})${tagFilter}` : null,
  };
}
