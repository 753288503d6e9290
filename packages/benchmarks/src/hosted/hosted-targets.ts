import type { HostedPlan } from '@temporal-stompy/memory-server';
import type { LedgerCheck } from './delivery-ledger';
import type { PlanLimits } from './hosted-emulation';
import type { LaneRun } from './hosted-lane';
import type { InsightsCheck } from './insights-check';
import type { RequestUse } from './request-meter';

/** Outcomes a BenchWorkflow records: its run and its 3 activities (one attempt each). */
export const OUTCOMES_PER_WORKFLOW = 4;

/** Everything one plan's run measured. */
export interface PlanResult {
  plan: HostedPlan;
  limits: PlanLimits;
  workflows: number;
  run: LaneRun;
  /** The server's requests from the first workflow to the end of the drain. */
  use: RequestUse;
  ledger: Omit<LedgerCheck, 'notes'>;
  insights: InsightsCheck;
}

/** Outcomes lost: queued but not delivered (or dropped), or recorded as delivered and found in no pack. */
export function lostOf(r: PlanResult): number {
  const c = r.run.last.counters;
  return Math.max(0, c.outcomesQueued - c.outcomesDelivered) + c.outcomesDropped + r.ledger.missing;
}

/** Outcomes doubled: in more than one pack entry, delivered more often than queued, or a pack written twice. */
export function doubledOf(r: PlanResult): number {
  const c = r.run.last.counters;
  return r.ledger.doubled + Math.max(0, c.outcomesDelivered - c.outcomesQueued) + r.ledger.packsWrittenTwice;
}

/** One of issue 10's targets for one plan, and whether the run met it. */
export interface TargetCheck {
  plan: HostedPlan;
  target: string;
  measured: string;
  met: boolean;
}

/** Issue 10's targets, per plan: delivered completely within the limit, 0 lost, 0 doubled, exact insights. */
export function checkTargets(r: PlanResult, drainLimitMinutes: number): TargetCheck[] {
  const c = r.run.last.counters;
  const expected = OUTCOMES_PER_WORKFLOW * r.workflows;
  const t = (target: string, measured: string, met: boolean): TargetCheck => ({
    plan: r.plan,
    target,
    measured,
    met,
  });
  return [
    t(
      `delivered completely within ${drainLimitMinutes} min after the last workflow finished`,
      r.run.drained
        ? `drained in ${(r.run.drainMs / 1000).toFixed(0)} s`
        : `not drained after ${(r.run.drainMs / 1000).toFixed(0)} s`,
      r.run.drained && r.run.drainMs <= drainLimitMinutes * 60_000,
    ),
    t(`every outcome queued (${expected})`, `${c.outcomesQueued} queued`, c.outcomesQueued === expected),
    t(
      "every queued outcome delivered, as the outbox's own record says",
      `${c.outcomesDelivered} delivered, ${c.outcomesDropped} dropped, ${r.ledger.deliveredTopics} in outbox_delivered`,
      c.outcomesDelivered === c.outcomesQueued &&
        c.outcomesDropped === 0 &&
        r.ledger.deliveredTopics === c.outcomesQueued,
    ),
    t('0 lost', `${lostOf(r)} lost (${r.ledger.missing} delivered topics in no pack)`, lostOf(r) === 0),
    t(
      '0 doubled',
      `${doubledOf(r)} doubled (${r.ledger.doubled} in two packs, ${r.ledger.packsWrittenTwice} packs written twice, ${r.ledger.unrecorded} packed but unrecorded)`,
      doubledOf(r) === 0 && r.ledger.unrecorded === 0,
    ),
    t(
      'insights from digests equal the exact ones',
      `${r.insights.equal}/${r.insights.total} keys equal${r.insights.differing.length ? ` (differ: ${r.insights.differing.join(', ')})` : ''}`,
      r.insights.total > 0 && r.insights.equal === r.insights.total && r.insights.unreadableNotes === 0,
    ),
  ];
}
