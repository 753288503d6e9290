// Where aggregated memory lives on a memory server without a batch tool: the topics of a writer's
// outcome packs, its per-key digests, its base digest and its entry in the register of writers.
// Every topic fits Stompy's 100 characters and charset; a key that would not is hashed.
import { isSafeTopicPart, shortHash } from '../keys/memory-tags';

/** Stompy caps topics at 100 characters. */
const MAX_TOPIC_LENGTH = 100;

/** Tag of every writer's register entry: recall finds the writers with one search for it. */
export const DIGEST_WRITER_TAG = 'stompy-digest-writer';
/** Tag of every digest. */
export const DIGEST_TAG = 'stompy-digest';

/** A new writer id: 10 characters of base32, random (an outbox file keeps its own for good). */
export function newWriterId(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let id = '';
  for (let i = 0; i < 10; i += 1) id += alphabet[Math.floor(random() * 32)];
  return id;
}

/** The topic of a writer's digest of `key`: readable (`temporal:digest:<writer>:customer:C9`) when it fits. */
export function digestTopic(writer: string, key: string): string {
  const prefix = `temporal:digest:${writer}:`;
  const readable = `${prefix}${key}`;
  const plain = key.split(':').every((part) => part === '' || isSafeTopicPart(part));
  if (plain && readable.length <= MAX_TOPIC_LENGTH) return readable;
  return `${prefix}h${shortHash(key, 40)}`;
}

/** The topic of a writer's base digest (the whole memory's runs and failures). */
export function baseDigestTopic(writer: string): string {
  return `temporal:digest-base:${writer}`;
}

/** The topic of a writer's entry in the register of writers. */
export function writerTopic(writer: string): string {
  return `temporal:digest-writer:${writer}`;
}

/** The topic of a new outcome pack of `writer`, made at `nowMs` starting with outbox entry `firstSeq`: never made twice. */
export function packTopic(writer: string, nowMs: number, firstSeq: number): string {
  return `temporal:pack:${writer}:${nowMs.toString(36)}-${firstSeq.toString(36)}`;
}
