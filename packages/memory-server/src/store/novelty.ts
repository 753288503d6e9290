import { StoreError } from './errors';

/** Words per shingle in the novelty measure. */
export const SHINGLE_WORDS = 3;

const WORD = /[\p{L}\p{N}]+/gu;

/** The lowercased words of `text` (runs of letters and digits). */
function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The set of `size`-word shingles (consecutive word runs) of a word list. */
function shingles(list: readonly string[], size: number): Set<string> {
  const result = new Set<string>();
  for (let i = 0; i + size <= list.length; i++) result.add(list.slice(i, i + size).join(' '));
  return result;
}

/**
 * How much of `next` is new against `previous`, from 0 (nothing new) to 1 (all new).
 *
 * The measure: split both texts into lowercased words, take every run of {@link SHINGLE_WORDS}
 * consecutive words of `next` (its shingles, counted once each), and return the fraction of them that
 * never occur in `previous`. Reordering whole sentences, changing case or punctuation adds little
 * novelty; appending a new sentence adds about its share of the text. A `next` shorter than a shingle
 * uses shingles of its own word count; a `next` without any word is novel unless it equals `previous`.
 */
export function novelty(previous: string, next: string): number {
  const nextWords = words(next);
  if (nextWords.length === 0) return next.trim() === previous.trim() ? 0 : 1;
  const size = Math.min(SHINGLE_WORDS, nextWords.length);
  const nextShingles = shingles(nextWords, size);
  const previousShingles = shingles(words(previous), size);
  let fresh = 0;
  for (const shingle of nextShingles) if (!previousShingles.has(shingle)) fresh++;
  return fresh / nextShingles.size;
}

/**
 * The `insufficient_novelty` refusal of content `next` against the topic's latest version (`previous`,
 * named `latestVersion`) when it brings less than `threshold` novelty; undefined when it brings enough.
 */
export function noveltyRefusal(
  previous: string,
  next: string,
  latestVersion: string,
  threshold: number,
): StoreError | undefined {
  const measured = novelty(previous, next);
  if (measured >= threshold) return undefined;
  return new StoreError(
    'insufficient_novelty',
    `content is ${percent(measured)} new against version ${latestVersion} of this topic; at least ${percent(threshold)} is required`,
    {
      novelty: Math.round(measured * 10_000) / 10_000,
      threshold,
      latest_version: latestVersion,
      hint: 'pass force_store: true to store it anyway, or lock it under another topic',
    },
  );
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}
