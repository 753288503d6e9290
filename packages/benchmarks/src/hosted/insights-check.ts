import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { countOutcomes, keyInsights, type BaseCounts, type OutcomeFacts } from '@temporal-stompy/insights';
import pino from 'pino';
import type { PackedNote } from './delivery-ledger';
import type { HostedEmulation } from './hosted-emulation';
import {
  DigestReader,
  McpSession,
  outcomeFactsFromNote,
  PluginCounters,
  StompyClient,
  StompyToolError,
} from './plugin-internals';

/** The half-life insights are counted at (the plugin's default, which its digests use). */
const HALF_LIFE_DAYS = 28;
/** Timeout of each call of the digest read. */
const CALL_TIMEOUT_MS = 15_000;
/** Longest the digest read may keep retrying after the server's rate limit. */
const READ_DEADLINE_MS = 180_000;

/** Insights from the digests held against the exact ones, key by key. */
export interface InsightsCheck {
  /** Keys whose insights from the digests equal the exact ones (compared as JSON). */
  equal: number;
  /** Keys the packs' notes name. */
  total: number;
  /** Pack notes that could not be read back into facts (should be 0). */
  unreadableNotes: number;
  /** Digests recall had to leave out (should be 0). */
  unreadableDigests: number;
  /** Times the digest read met the server's rate limit and waited. */
  rateLimitedReads: number;
  /** The first keys that differ, for the report. */
  differing: string[];
}

const CUSTOMER_LINE = /^Customer: (.+)$/m;

/** Each note's facts (with its topic) and the keys it counts under: its type's key and its customer's. */
function countedFacts(notes: readonly PackedNote[]): {
  facts: OutcomeFacts[];
  keysOf: string[][];
  unreadable: number;
} {
  const facts: OutcomeFacts[] = [];
  const keysOf: string[][] = [];
  let unreadable = 0;
  for (const { topic, note } of notes) {
    const read = outcomeFactsFromNote(note);
    if (!read) {
      unreadable += 1;
      continue;
    }
    const typeKey =
      read.kind === 'activity' ? `activity:${read.activityType ?? ''}` : `workflow:${read.workflowType}`;
    const customer = CUSTOMER_LINE.exec(note)?.[1];
    facts.push({ ...read, topic });
    keysOf.push(customer === undefined ? [typeKey] : [typeKey, `customer:${customer}`]);
  }
  return { facts, keysOf, unreadable };
}

/** The exact insights of every key the notes name, as JSON sends them, counted from the notes. */
function exactInsights(facts: readonly OutcomeFacts[], keysOf: readonly string[][]): Map<string, unknown> {
  const base: BaseCounts = { runs: facts.length, failures: facts.filter((f) => f.failed).length };
  const byKey = new Map<string, OutcomeFacts[]>();
  facts.forEach((f, i) => {
    for (const key of keysOf[i] ?? []) {
      const of = byKey.get(key);
      if (of) of.push(f);
      else byKey.set(key, [f]);
    }
  });
  const exact = new Map<string, unknown>();
  for (const [key, of] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const insights = keyInsights(countOutcomes(key, of), base, {
      exact: true,
      settings: { halfLifeDays: HALF_LIFE_DAYS },
    });
    exact.set(key, JSON.parse(JSON.stringify(insights)));
  }
  return exact;
}

/**
 * Reads the digests of `keys` from the server as recall does (`DigestReader` over a `StompyClient`
 * over HTTP, with the plan's token), waiting and trying again while the server answers
 * `rate_limit_exceeded` (the read takes a few calls), for at most {@link READ_DEADLINE_MS}.
 */
async function digestInsights(
  server: HostedEmulation,
  keys: readonly string[],
): Promise<{ insights: unknown[]; rateLimited: number; unreadable: number }> {
  const logger = pino({ level: 'silent' });
  const session = new McpSession(
    { kind: 'http', url: new URL(`${server.url}/mcp`), transport: 'streamable-http', token: server.token },
    CALL_TIMEOUT_MS,
    logger,
  );
  const counters = new PluginCounters();
  const deadline = Date.now() + READ_DEADLINE_MS;
  let rateLimited = 0;
  try {
    for (;;) {
      try {
        const reads = await new DigestReader(Date.now, counters, logger).read(
          new StompyClient(session, undefined),
          keys,
        );
        // Undefined: the register lists no writer, so there is no digest to read (every key then differs).
        const insights = keys.map((_, i): unknown =>
          JSON.parse(JSON.stringify(reads?.[i]?.insights ?? null)),
        );
        return { insights, rateLimited, unreadable: counters.snapshot().digestsUnreadable };
      } catch (error) {
        const limited = error instanceof StompyToolError && error.code === 'rate_limit_exceeded';
        if (!limited || Date.now() > deadline) throw error;
        rateLimited += 1;
        await sleep(Math.max(1, error.retryAfterSeconds ?? 5) * 1000);
      }
    }
  } finally {
    await session.close(CALL_TIMEOUT_MS);
  }
}

/**
 * Holds the insights recall reads from the digests against the exact ones: exact from the packs'
 * notes (each read back into facts with the plugin's `outcomeFactsFromNote`, counted under its type's
 * key and its customer's with `countOutcomes` + `keyInsights` at a half-life of 28 days), compared as
 * JSON for every key.
 */
export async function checkInsights(
  notes: readonly PackedNote[],
  server: HostedEmulation,
): Promise<InsightsCheck> {
  const { facts, keysOf, unreadable } = countedFacts(notes);
  const exact = exactInsights(facts, keysOf);
  const keys = [...exact.keys()];
  const fromDigests = await digestInsights(server, keys);
  const differing = keys.filter((key, i) => !isDeepStrictEqual(exact.get(key), fromDigests.insights[i]));
  return {
    equal: keys.length - differing.length,
    total: keys.length,
    unreadableNotes: unreadable,
    unreadableDigests: fromDigests.unreadable,
    rateLimitedReads: fromDigests.rateLimited,
    differing: differing.slice(0, 5),
  };
}
