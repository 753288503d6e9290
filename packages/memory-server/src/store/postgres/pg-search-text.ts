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

/** A full-text query in strict (every phrase) and loose (any word) forms, as `tsquery` literals. */
export interface PostgresTextQuery {
  readonly all: string;
  /** Null when the query has a single word (then `all` says the same). */
  readonly any: string | null;
}

/** One piece of text as a `tsquery` phrase of its words (`customer:C9` -> `'customer' <-> 'c9'`), or null. */
function phrase(piece: string, weight = ''): string | null {
  const words = searchWords(piece);
  return words.length === 0 ? null : `(${words.map((word) => `'${word}'${weight}`).join(' <-> ')})`;
}

/**
 * The query of `context_search` text, built as `buildFtsQuery` builds SQLite's: each whitespace-separated
 * piece is a phrase; the strict form needs every phrase, the loose form any word; each required tag adds
 * a phrase that must occur among the tags (weight B). Only words reach the literal, so it can never be
 * read as query syntax. Null when the text has no word.
 */
export function searchQuery(text: string, requiredTags: readonly string[] = []): PostgresTextQuery | null {
  const phrases = queryPhrases(text, (piece) => phrase(piece));
  if (phrases.length === 0) return null;
  const loose = [...new Set(searchWords(text))].slice(0, MAX_QUERY_PHRASES).map((word) => `'${word}'`);
  const tagFilter = requiredTags
    .map((tag) => phrase(tag, ':B'))
    .filter((quoted): quoted is string => quoted !== null)
    .map((quoted) => ` & ${quoted}`)
    .join('');
  return {
    all: `(${phrases.join(' & ')})${tagFilter}`,
    any: loose.length > 1 ? `(${loose.join(' | ')})${tagFilter}` : null,
  };
}
