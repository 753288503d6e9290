// Insights without the server's help: against a memory server that has no insights tool (plain
// Stompy), they are computed from the outcomes recall fetched for a key, read back from their notes.
// They cover those outcomes only (the most relevant recent ones and the recent failures), so they
// are marked `exact: false`; the docs say what is lost.
import {
  countOutcomes,
  keyInsights,
  type BaseCounts,
  type KeyInsights,
  type OutcomeFacts,
} from '@temporal-stompy/insights';
import { outcomeFactsFromNote } from '../outcome/outcome-facts';
import type { RecalledMemory } from './recalled-context';

/** Each memory's note is read once: memories are frozen and shared by every view that holds them. */
const factsOfMemory = new WeakMap<RecalledMemory, OutcomeFacts | null>();

/** The outcome facts a memory's note holds; undefined when it is not an outcome's note. */
export function factsOf(memory: RecalledMemory): OutcomeFacts | undefined {
  let facts = factsOfMemory.get(memory);
  if (facts === undefined) {
    facts = outcomeFactsFromNote(memory.content) ?? null;
    factsOfMemory.set(memory, facts);
  }
  return facts ?? undefined;
}

/** A key's insights from its recalled outcomes (`exact: false`); undefined when none is an outcome. */
export function insightsFromMemories(
  key: string,
  memories: readonly RecalledMemory[],
  base: BaseCounts,
): KeyInsights | undefined {
  const facts = memories.flatMap((memory) => factsOf(memory) ?? []);
  if (facts.length === 0) return undefined;
  return keyInsights(countOutcomes(key, facts), base, { exact: false });
}

/**
 * The runs and failures of every distinct outcome recall has fetched: the base rate insights computed
 * from recalled outcomes are smoothed toward. Bounded: past `maxTopics` it starts counting afresh.
 */
export class RecalledBase {
  private readonly seen = new Set<string>();
  private runs = 0;
  private failures = 0;

  constructor(private readonly maxTopics = 100_000) {}

  /** Counts the outcomes among `memories` not counted before. */
  add(memories: readonly RecalledMemory[]): void {
    for (const memory of memories) {
      if (this.seen.has(memory.topic)) continue;
      const facts = factsOf(memory);
      if (!facts) continue;
      if (this.seen.size >= this.maxTopics) {
        this.seen.clear();
        this.runs = 0;
        this.failures = 0;
      }
      this.seen.add(memory.topic);
      this.runs += 1;
      if (facts.failed) this.failures += 1;
    }
  }

  /** The counts so far. */
  counts(): BaseCounts {
    return { runs: this.runs, failures: this.failures };
  }
}
