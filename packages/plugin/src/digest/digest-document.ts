// A digest as the memory server stores it: one line a person can read, then the digest as JSON. A
// reader trusts nothing in it: a digest someone edited into garbage is reported and skipped, never
// thrown at recall.
import { DIGEST_FORMAT, type BaseDigest, type DigestWindow, type KeyDigest } from './key-digest';

/** The line before a digest's JSON. */
const MARKER = '\n---\n';

/** A digest's content: a summary a person can read, then its JSON. */
export function renderKeyDigest(digest: KeyDigest): string {
  let runs = 0;
  let failures = 0;
  for (const [r, f] of Object.values(digest.handling)) {
    runs += r;
    failures += f;
  }
  const summary =
    `Digest of ${digest.key} by writer ${digest.writer}: ${runs} outcomes, ${failures} failed` +
    (digest.lastFailure ? `, last failure ${new Date(digest.lastFailure.atMs).toISOString()}` : '') +
    '. Written by temporal-stompy; recall reads it, do not edit.';
  return `${summary}${MARKER}${JSON.stringify(digest)}`;
}

/** A base digest's content. */
export function renderBaseDigest(base: BaseDigest): string {
  return (
    `Outcomes counted by writer ${base.writer}: ${base.runs} runs, ${base.failures} failed. ` +
    `Written by temporal-stompy; recall reads it, do not edit.${MARKER}${JSON.stringify(base)}`
  );
}

/** A digest read back, or what is wrong with it. */
export type ReadDigest<T> = { readonly digest: T } | { readonly problem: string };

/** Reads a key digest's content, checking every field recall relies on. */
export function readKeyDigest(content: string, key: string): ReadDigest<KeyDigest> {
  const parsed = parseDocument(content);
  if ('problem' in parsed) return parsed;
  const d = parsed.value;
  if (d['key'] !== key) return { problem: `the digest is of ${JSON.stringify(d['key'])}, not ${key}` };
  const problem = keyDigestProblem(d);
  return problem === undefined ? { digest: d as unknown as KeyDigest } : { problem };
}

/** Reads a base digest's content. */
export function readBaseDigest(content: string): ReadDigest<BaseDigest> {
  const parsed = parseDocument(content);
  if ('problem' in parsed) return parsed;
  const d = parsed.value;
  if (!isCount(d['runs']) || !isCount(d['failures']) || (d['failures'] as number) > (d['runs'] as number))
    return { problem: 'runs and failures must be counts, failures at most runs' };
  if (typeof d['writer'] !== 'string') return { problem: 'writer must be a string' };
  return { digest: d as unknown as BaseDigest };
}

function parseDocument(content: string): { value: Record<string, unknown> } | { problem: string } {
  const at = content.indexOf(MARKER);
  if (at < 0) return { problem: 'no digest marker' };
  let value: unknown;
  try {
    value = JSON.parse(content.slice(at + MARKER.length));
  } catch {
    return { problem: 'the digest is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'the digest is not an object' };
  const record = value as Record<string, unknown>;
  if (record['format'] !== DIGEST_FORMAT)
    return { problem: `unknown digest format ${JSON.stringify(record['format'])}` };
  return { value: record };
}

function keyDigestProblem(d: Record<string, unknown>): string | undefined {
  if (typeof d['writer'] !== 'string') return 'writer must be a string';
  if (typeof d['halfLifeDays'] !== 'number' || !(d['halfLifeDays'] > 0))
    return 'halfLifeDays must be positive';
  if (!isCount(d['outcomes'])) return 'outcomes must be a count';
  if (typeof d['latestMs'] !== 'number' || typeof d['timeZone'] !== 'string') return 'latestMs and timeZone';
  if (!isRecord(d['handling'], (v) => Array.isArray(v) && v.length === 2 && v.every(isCount)))
    return 'handling must map labels to [runs, failures]';
  if (!isRecord(d['windows'], isWindow) || !Object.keys(d['windows'] as object).every(isHourOfWeek))
    return 'windows must map hours of the week to window counts';
  if (!Array.isArray(d['dimensions']) || !d['dimensions'].every(isDimension))
    return 'dimensions must be dimension counts';
  if (!isRecord(d['durations'], isCount) || !Object.keys(d['durations'] as object).every(isBucket))
    return 'durations must map buckets to counts';
  const last = d['lastFailure'];
  if (
    last !== null &&
    !(isObject(last) && typeof last['atMs'] === 'number' && typeof last['issue'] === 'string')
  )
    return 'lastFailure must be null or a failure';
  if (!Array.isArray(d['recent']) || !d['recent'].every(isMemory)) return 'recent must be outcome notes';
  return undefined;
}

function isWindow(value: unknown): boolean {
  if (!isObject(value)) return false;
  const w = value as Partial<Record<keyof DigestWindow, unknown>>;
  return (
    isCount(w.runs) &&
    isCount(w.failures) &&
    Number.isInteger(w.latestHour) &&
    typeof w.weightedRuns === 'number' &&
    Number.isFinite(w.weightedRuns) &&
    typeof w.weightedFailures === 'number' &&
    Number.isFinite(w.weightedFailures) &&
    Array.isArray(w.failedHours) &&
    w.failedHours.every(Number.isInteger) &&
    isCount(w.olderFailedHours)
  );
}

function isDimension(value: unknown): boolean {
  if (!isObject(value)) return false;
  const ok = ['issue', 'version', 'workflowType', 'activityType'].includes(value['dimension'] as string);
  return (
    ok &&
    typeof value['value'] === 'string' &&
    typeof value['handling'] === 'string' &&
    isCount(value['runs']) &&
    isCount(value['failures']) &&
    typeof value['firstMs'] === 'number' &&
    typeof value['lastMs'] === 'number'
  );
}

function isMemory(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value['topic'] === 'string' &&
    typeof value['atMs'] === 'number' &&
    typeof value['failed'] === 'boolean' &&
    typeof value['note'] === 'string' &&
    Array.isArray(value['tags']) &&
    value['tags'].every((t) => typeof t === 'string')
  );
}

function isRecord(value: unknown, each: (v: unknown) => boolean): boolean {
  return isObject(value) && Object.values(value).every(each);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isHourOfWeek(name: string): boolean {
  return /^\d+$/.test(name) && Number(name) <= 167;
}

function isBucket(name: string): boolean {
  return /^\d+$/.test(name);
}
