import { createHash } from 'node:crypto';

/** Stompy's (and our server's) charset for topics and tags: letters, digits and `_ - . : / @ + =`. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.:/@+=-]*$/;
const MAX_TAG_LENGTH = 100;

/**
 * Makes a tag acceptable to the memory server: disallowed characters become `_`; an over-long tag is
 * cut and suffixed with a short hash so two long values stay distinct. Deterministic.
 */
export function safeTag(tag: string): string {
  let safe = tag.replace(/[^A-Za-z0-9_.:/@+=-]/g, '_');
  if (!/^[A-Za-z0-9]/.test(safe)) safe = `t${safe}`;
  if (safe.length > MAX_TAG_LENGTH) safe = `${safe.slice(0, MAX_TAG_LENGTH - 13)}-${shortHash(tag, 12)}`;
  return safe;
}

/** Whether a string can stand as one `:`-separated topic part as it is (safe charset, no `:` or `/`). */
export function isSafeTopicPart(part: string): boolean {
  return SAFE.test(part) && !/[:/]/.test(part);
}

/** A short, stable, topic-safe hash (base32 of SHA-256). */
export function shortHash(text: string, length: number): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, length);
}

function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
