import { parseOutcomeNote, type ParsedOutcome } from '../outcome/outcome-note-reader';
import type { IssueCount, KeySummary, RecalledMemory } from './recalled-context';

/** Each memory's note is read once: memories are frozen and shared by every view that holds them. */
const parsedNotes = new WeakMap<RecalledMemory, ParsedOutcome | null>();

function parsedOf(memory: RecalledMemory): ParsedOutcome | undefined {
  let parsed = parsedNotes.get(memory);
  if (parsed === undefined) {
    parsed = parseOutcomeNote(memory.content) ?? null;
    parsedNotes.set(memory, parsed);
  }
  return parsed ?? undefined;
}

/** Summarises the outcomes among a key's recalled memories (memories that are not outcomes are ignored); frozen. */
export function summarizeKey(key: string, memories: readonly RecalledMemory[]): KeySummary {
  const outcomes = memories.flatMap((memory) => {
    const outcome = parsedOf(memory);
    return outcome ? [{ memory, outcome }] : [];
  });
  const failures = outcomes.filter((o) => !o.outcome.success);
  const issues = new Map<string, number>();
  for (const { outcome } of failures) {
    const type = outcome.issueType ?? outcome.status;
    issues.set(type, (issues.get(type) ?? 0) + 1);
  }
  const lastFailure = failures
    .map((f) => ({ at: f.outcome.startedAt ?? f.memory.time, outcome: f.outcome }))
    .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))[0];
  const durations = outcomes.map((o) => o.outcome.durationMs).filter((d): d is number => d !== undefined);
  const commonIssues = [...issues.entries()]
    .map(([type, count]): IssueCount => Object.freeze({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return Object.freeze({
    key,
    runsSeen: outcomes.length,
    failures: failures.length,
    lastFailure:
      lastFailure &&
      Object.freeze({
        at: lastFailure.at,
        type: lastFailure.outcome.issueType ?? lastFailure.outcome.status,
        message: lastFailure.outcome.issueMessage ?? '',
      }),
    commonIssues: Object.freeze(commonIssues),
    typicalDurationMs: median(durations),
  });
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
