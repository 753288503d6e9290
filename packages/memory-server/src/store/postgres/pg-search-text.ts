import { MAX_QUERY_PHRASES, queryPhrases } from '../fts-query';

// The words of a text as SQLite's `unicode61 remove_diacritics 2` tokenizer sees them (letters, digits
// and private-use characters; marks removed after canonical decomposition; lowercased), written out
// as PostgreSQL `tsvector` and `tsquery` literals. PostgreSQL reads a literal's quoted lexemes
// verbatim, so search is the same whatever the database's locale or text-search configuration.

const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
const MARK = /\p{M}/gu;
/** PostgreSQL keeps at most 256 positions per lexeme and positions up to 16,383. */
const MAX_POSITIONS = 256;
const MAX_POSITION = 16_383;
/** Longest lexeme PostgreSQL accepts is 2,047 bytes; a longer "word" is cut (no real word is that long). */
const MAX_LEXEME_CHARS = 500;

/** The searchable words of `text`, in order. */
export function searchWords(text: string): string[] {
  return (text.normalize('NFKD').replace(MARK, '').toLowerCase().match(WORD) ?? []).map((word) =>
    word.length > MAX_LEXEME_CHARS ? word.slice(0, MAX_LEXEME_CHARS) : word,
  );
}

/** Weight letters of a version's fields: the topic counts most, then tags, then content. */
const FIELDS = [
  ['topic', 'A'],
  ['tags', 'B'],
  ['content', 'D'],
] as const;

/**
 * The `tsvector` literal of a version: each word of its topic (weight A), tags (B) and content (D) with
 * its positions; fields are two positions apart, so no phrase spans two of them.
 */
export function searchVector(fields: { topic: string; tags: readonly string[]; content: string }): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  for (const [field, weight] of FIELDS) {
    const text = field === 'tags' ? fields.tags.join(' ') : fields[field];
    for (const word of searchWords(text)) {
      position = Math.min(position + 1, MAX_POSITION);
      const list = positions.get(word);
      if (list === undefined) positions.set(word, [`${position}${weight}`]);
      else if (list.length < MAX_POSITIONS) list.push(`${position}${weight}`);
    }
    position = Math.min(position + 1, MAX_POSITION);
  }
  return [...positions].map(([word, list]) => `'${word}':${list.join(',')}`).join(' ');
}

/**
 * One form of a full-text query as `tsquery` literals: what a version must match, and what its relevance
 * is scored by. The score also counts each required tag as a phrase among the tags (weight B), as SQLite's
 * BM25 does. The match needs only a required tag's uncommon words among the tags (`'c4227':B` of
 * `customer:C4227`), because the exact tag filter checks the tag itself, and a common word (`customer`, in
 * every outcome) costs the full-text index far more than it narrows the search.
 */
export interface TextQueryForm {
  readonly match: string;
  readonly rank: string;
}

/** A full-text query in strict (every phrase) and loose (any word) forms. */
export interface PostgresTextQuery {
  readonly all: TextQueryForm;
  /** Null when the query has a single word (then `all` says the same). */
  readonly any: TextQueryForm | null;
}

/** One piece of text as a `tsquery` phrase of its words (`customer:C9` -> `'customer' <-> 'c9'`), or null. */
function phrase(piece: string, weight = ''): string | null {
  const words = searchWords(piece);
  return words.length === 0 ? null : `(${words.map((word) => `'${word}'${weight}`).join(' <-> ')})`;
}

/**
 * The query of `context_search` text, built as `buildFtsQuery` builds SQLite's: each whitespace-separated
 * piece is a phrase; the strict form needs every phrase, the loose form any word; each required tag adds
 * a phrase among the tags (weight B) to the score, and its words that are not in `commonWords` to the
 * match ({@link TextQueryForm}; every word of it, as the phrase, while the common words are not known).
 * Only words reach the literal, so it can never be read as query syntax. Null when the text has no word.
 */
export function searchQuery(
  text: string,
  requiredTags: readonly string[] = [],
  commonWords: ReadonlySet<string> | null = null,
): PostgresTextQuery | null {
  const phrases = queryPhrases(text, (piece) => phrase(piece));
  if (phrases.length === 0) return null;
  const loose = [...new Set(searchWords(text))].slice(0, MAX_QUERY_PHRASES).map((word) => `'${word}'`);
  const tagPhrases = andEach(requiredTags.map((tag) => phrase(tag, ':B')));
  const tagWords =
    commonWords === null
      ? tagPhrases
      : andEach(
          [...new Set(requiredTags.flatMap(searchWords))]
            .filter((word) => !commonWords.has(word))
            .map((word) => `'${word}':B`),
        );
  const form = (words: string): TextQueryForm => ({
    match: `${words}${tagWords}`,
    rank: `${words}${tagPhrases}`,
  });
  return {
    all: form(`(${phrases.join(' & ')})`),
    any: loose.length > 1 ? form(`(${loose.join(' | ')})`) : null,
  };
}

/** `tsquery` terms, each after ` & ` (to follow a query's words); nulls left out. */
function andEach(terms: readonly (string | null)[]): string {
  return terms
    .filter((term): term is string => term !== null)
    .map((term) => ` & ${term}`)
    .join('');
}
