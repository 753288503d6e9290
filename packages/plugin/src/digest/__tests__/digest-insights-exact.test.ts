import {
  countOutcomes,
  keyInsights,
  keyInsightsOfSums,
  type BaseCounts,
  type KeyInsights,
} from '@temporal-stompy/insights';
import { generateOutcomes, keysOf, type GeneratedOutcome } from '@temporal-stompy/testing';
import { readKeyDigest, renderKeyDigest } from '../digest-document';
import { emptyDigest, foldOutcome, type KeyDigest } from '../key-digest';
import { mergeDigests } from '../merge-digests';

// Insights computed from digests must equal the exact ones (what a counting server computes, which
// its own tests equate with countOutcomes + keyInsights) on the same outcomes: one writer, several
// writers, any half-life, and after the digest went through its stored document.

/** Each writer's digests of every key, folded from its share of the outcomes in write order. */
function digestsByWriter(
  outcomes: readonly GeneratedOutcome[],
  writers: number,
  halfLifeDays: number,
): Map<string, KeyDigest>[] {
  const byWriter = Array.from({ length: writers }, () => new Map<string, KeyDigest>());
  outcomes.forEach((outcome, i) => {
    const digests = byWriter[i % writers]!;
    for (const key of outcome.keys) {
      const digest = digests.get(key) ?? emptyDigest(key, `w${i % writers}`, halfLifeDays);
      foldOutcome(digest, { facts: outcome.facts, topic: outcome.topic, note: outcome.content, tags: [] });
      digests.set(key, digest);
    }
  });
  return byWriter;
}

/** Through the stored document and back, as recall reads it. */
function stored(digest: KeyDigest): KeyDigest {
  const read = readKeyDigest(renderKeyDigest(digest), digest.key);
  if (!('digest' in read)) throw new Error(read.problem);
  return read.digest;
}

function exactInsights(
  outcomes: readonly GeneratedOutcome[],
  key: string,
  base: BaseCounts,
  halfLifeDays: number,
): KeyInsights {
  const facts = outcomes.filter((o) => o.keys.includes(key)).map((o) => o.facts);
  return keyInsights(countOutcomes(key, facts), base, { exact: true, settings: { halfLifeDays } });
}

function baseOf(outcomes: readonly GeneratedOutcome[]): BaseCounts {
  return { runs: outcomes.length, failures: outcomes.filter((o) => o.facts.failed).length };
}

/** The generated outcomes without ties of event time (which writer's tie counts last is arrival order). */
function withoutTies(outcomes: readonly GeneratedOutcome[]): GeneratedOutcome[] {
  return outcomes.map((o, i) => ({ ...o, facts: { ...o.facts, eventTimeMs: o.facts.eventTimeMs + i } }));
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('insights from digests', () => {
  it.each([28, 7, 90])('equal the exact ones with one writer (half-life %d days)', (halfLifeDays) => {
    const outcomes = generateOutcomes(1_500, 11);
    const base = baseOf(outcomes);
    const [digests] = digestsByWriter(outcomes, 1, halfLifeDays);
    for (const key of keysOf(outcomes)) {
      const merged = mergeDigests(key, [stored(digests!.get(key)!)]);
      expect(asJson(keyInsightsOfSums(merged.sums, base, { exact: true }))).toEqual(
        asJson(exactInsights(outcomes, key, base, halfLifeDays)),
      );
    }
  });

  it.each([2, 3, 5])('equal the exact ones merged over %d writers', (writers) => {
    const outcomes = withoutTies(generateOutcomes(2_000, 20 + writers));
    const base = baseOf(outcomes);
    const byWriter = digestsByWriter(outcomes, writers, 28);
    for (const key of keysOf(outcomes)) {
      const digests = byWriter.flatMap((d) => (d.has(key) ? [stored(d.get(key)!)] : []));
      const merged = mergeDigests(key, digests);
      expect(merged.outcomes).toBe(outcomes.filter((o) => o.keys.includes(key)).length);
      expect(asJson(keyInsightsOfSums(merged.sums, base, { exact: true }))).toEqual(
        asJson(exactInsights(outcomes, key, base, 28)),
      );
    }
  });

  it('count an hour two writers both saw fail as one occurrence', () => {
    const outcomes = withoutTies(generateOutcomes(400, 5, 3));
    // Every outcome twice in the same hour, once per writer: failed hours overlap completely.
    const doubled = outcomes.flatMap((o, i) => [o, { ...o, topic: `${o.topic}-again-${i}` }]);
    const byWriter = digestsByWriter(doubled, 2, 28);
    const key = 'activity:chargePayment';
    const merged = mergeDigests(key, [byWriter[0]!.get(key)!, byWriter[1]!.get(key)!]);
    const exact = exactInsights(doubled, key, baseOf(doubled), 28);
    expect(merged.sums.windows.map((w) => w.failedOccurrences)).toEqual(
      exact.windows.map((w) => w.failedOccurrences),
    );
  });

  it('keep the newest outcomes and failures as memories, each once', () => {
    const outcomes = withoutTies(generateOutcomes(300, 9, 2));
    const byWriter = digestsByWriter(outcomes, 2, 28);
    const key = 'customer:C1';
    const merged = mergeDigests(key, [byWriter[0]!.get(key)!, byWriter[1]!.get(key)!]);
    const times = merged.memories.map((m) => m.atMs);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(merged.memories.map((m) => m.topic)).size).toBe(merged.memories.length);
    const newest = Math.max(...outcomes.filter((o) => o.keys.includes(key)).map((o) => o.facts.eventTimeMs));
    expect(merged.memories[0]?.atMs).toBe(newest);
    expect(merged.memories.some((m) => m.failed)).toBe(true);
  });
});
