import { invalidInput } from './errors';

/** Project names: a letter or digit, then up to 63 letters, digits, `_`, `.` or `-`. */
export const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Most tags one context may carry. */
export const MAX_TAGS = 50;
/** Longest tag, in characters. */
export const MAX_TAG_LENGTH = 100;
/** Longest search query, in characters. */
export const MAX_QUERY_LENGTH = 2000;

const NAME_CHARACTER = /[A-Za-z0-9_\-.:/@+=]/;
const NAME_RULE = 'use letters, digits and _ - . : / @ + = only, starting with a letter or digit';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const VERSION_PATTERN = /^\d{1,9}\.\d{1,9}$/;

/** Index of the first unpaired UTF-16 surrogate in `text`, or -1 when the text is well-formed Unicode. */
export function findLoneSurrogate(text: string): number {
  return LONE_SURROGATE.exec(text)?.index ?? -1;
}

/** Throws when `text` holds an unpaired UTF-16 surrogate (it cannot be stored as UTF-8). */
export function assertWellFormed(field: string, text: string): void {
  const index = findLoneSurrogate(text);
  if (index >= 0) {
    const code = text.charCodeAt(index).toString(16);
    throw invalidInput(
      field,
      `contains a lone UTF-16 surrogate (\\u${code}) at index ${index}; send well-formed Unicode text`,
    );
  }
}

/**
 * Checks a topic or tag: non-empty, at most `maxLength` characters, only {@link NAME_CHARACTER}s,
 * starting with a letter or digit, and no `--`. Messages name the offending character, never the value.
 */
function assertName(field: string, value: string, maxLength: number, allowWildcards = false): void {
  if (value.length === 0) throw invalidInput(field, `must not be empty; ${NAME_RULE}`);
  if (value.length > maxLength) {
    throw invalidInput(field, `is ${value.length} characters long; the limit is ${maxLength}`);
  }
  assertWellFormed(field, value);
  let index = 0;
  for (const ch of value) {
    const wildcard = allowWildcards && (ch === '*' || ch === '?');
    if (!wildcard && !NAME_CHARACTER.test(ch)) {
      throw invalidInput(
        field,
        `contains ${JSON.stringify(ch)} at index ${index}, which is not allowed; ${NAME_RULE}`,
      );
    }
    index += ch.length;
  }
  if (!/^[A-Za-z0-9*?]/.test(value) || (!allowWildcards && !/^[A-Za-z0-9]/.test(value))) {
    throw invalidInput(field, `must start with a letter or digit; ${NAME_RULE}`);
  }
  if (value.includes('--')) throw invalidInput(field, `must not contain "--"; ${NAME_RULE}`);
}

/** Returns `topic` when it is a valid topic name of at most `maxLength` characters; throws otherwise. */
export function validateTopic(topic: string, maxLength: number, field = 'topic'): string {
  assertName(field, topic, maxLength);
  return topic;
}

/**
 * Returns a glob over topic names (`*` any run of characters, `?` one character) when it is valid and
 * does not match everything: a pattern made only of wildcards is refused, since removing every topic
 * of a project by accident is too easy.
 */
export function validateTopicPattern(pattern: string, maxLength: number, field = 'topic_pattern'): string {
  assertName(field, pattern, maxLength, true);
  if (/^[*?]+$/.test(pattern)) {
    throw invalidInput(
      field,
      'would match every topic; include at least one literal character (e.g. "orders/*"), or name topics one by one',
    );
  }
  return pattern;
}

/**
 * Parses tags given as a comma list (`"a, b"`, Stompy's write form) or an array: trims each, drops empty
 * entries and duplicates, and checks the charset, the length of each and their number.
 */
export function validateTags(tags: string | readonly string[] | undefined, field = 'tags'): string[] {
  if (tags === undefined) return [];
  const list = typeof tags === 'string' ? tags.split(',') : tags;
  const unique = [...new Set(list.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  if (unique.length > MAX_TAGS) {
    throw invalidInput(field, `has ${unique.length} tags; the limit is ${MAX_TAGS}`);
  }
  unique.forEach((tag, i) => assertName(`${field}[${i}]`, tag, MAX_TAG_LENGTH));
  return unique;
}

/** Returns the project a call names, or `defaultProject` when it names none; throws on a bad name. */
export function validateProject(project: string | undefined, defaultProject: string): string {
  if (project === undefined) return defaultProject;
  assertWellFormed('project', project);
  if (!PROJECT_PATTERN.test(project)) {
    throw invalidInput(
      'project',
      'must be 1 to 64 characters of letters, digits, _ . - starting with a letter or digit (e.g. "orders-prod")',
    );
  }
  return project;
}

/**
 * Throws when `text` holds U+0000 (NUL): PostgreSQL cannot store it in text or JSON, so neither store
 * accepts it (hosted Stompy runs on PostgreSQL too).
 */
export function assertNoNul(field: string, text: string): void {
  const index = text.indexOf('\0');
  if (index >= 0) {
    throw invalidInput(
      field,
      `contains U+0000 (NUL) at index ${index}, which cannot be stored; remove it or replace it`,
    );
  }
}

/** Returns `content` when it is non-blank, well-formed, free of NUL and at most `maxBytes` UTF-8 bytes; throws otherwise. */
export function validateContent(content: string, maxBytes: number): string {
  if (content.trim() === '') throw invalidInput('content', 'must not be empty');
  assertWellFormed('content', content);
  assertNoNul('content', content);
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > maxBytes) {
    throw invalidInput(
      'content',
      `is ${bytes} bytes (UTF-8); the limit is ${maxBytes}: split it into several topics`,
    );
  }
  return content;
}

/** Context priorities, most to least urgent. */
export const PRIORITIES = ['always_check', 'important', 'reference'] as const;
/** How urgently a context should be read: `always_check`, `important` or `reference`. */
export type Priority = (typeof PRIORITIES)[number];

/** Returns a priority, or `fallback` when none is given; throws on an unknown one. */
export function validatePriority(priority: string | undefined, fallback: Priority): Priority;
/** Returns a priority, or undefined when none is given; throws on an unknown one. */
export function validatePriority(priority: string | undefined): Priority | undefined;
export function validatePriority(priority: string | undefined, fallback?: Priority): Priority | undefined {
  if (priority === undefined) return fallback;
  if (!(PRIORITIES as readonly string[]).includes(priority)) {
    throw invalidInput('priority', `must be one of ${PRIORITIES.join(', ')}`);
  }
  return priority as Priority;
}

/**
 * Returns `"latest"` (also when none is given) or a version such as `"1.4"`; with `allowAll`, also
 * `"all"`. Throws on anything else.
 */
export function validateVersion(version: string | undefined, allowAll = false): string {
  if (version === undefined) return 'latest';
  if (version === 'latest' || (allowAll && version === 'all')) return version;
  if (!VERSION_PATTERN.test(version)) {
    const accepted = allowAll ? '"all", "latest"' : '"latest"';
    throw invalidInput('version', `must be ${accepted} or a version such as "1.0" or "1.12"`);
  }
  return version;
}

/** Returns a result count between 1 and `max`, or `fallback` when none is given. */
export function validateLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalidInput('limit', `must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/** Returns a number of results to skip (0 or more), or 0 when none is given. */
export function validateOffset(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalidInput('offset', 'must be a whole number, 0 or more');
  }
  return offset;
}

/** Returns a search query when it is well-formed and at most {@link MAX_QUERY_LENGTH} characters. */
export function validateQuery(query: string): string {
  assertWellFormed('query', query);
  if (query.length > MAX_QUERY_LENGTH) {
    throw invalidInput('query', `is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}`);
  }
  return query;
}
