// An attempt's own risk: the evidence that this attempt, of this type, for these entities, at this
// time, on this version, is likely to fail, and the sentences that name it. Only evidence that passed
// its test counts, and only default-path runs are weighed, so handling that avoided failures never
// erases the reason it was needed.
import { binomialTail } from './binomial-tail';
import {
  baseRateOf,
  EVIDENCE_ALPHA,
  isClearlyAbove,
  MIN_EVIDENCE_FAILURES,
  percent,
  RATE_FLOOR,
  smoothedRate,
  subjectOf,
} from './evidence-rules';
import { hourOfWeek } from './hour-of-week';
import type { KeyInsights } from './insight-types';
import type { BaseCounts } from './key-counts';

/** How likely an attempt is to fail, and why. */
export interface AttemptRisk {
  readonly level: 'low' | 'elevated' | 'high';
  /** The estimated chance that the attempt fails, 0..1. */
  readonly score: number;
  /** The evidence behind an elevated or high level, strongest first. */
  readonly reasons: readonly string[];
}

/** What is known of the attempt whose risk is assessed. */
export interface RiskAttempt {
  /** Insights of the attempt's own type (`activity:chargePayment` or `workflow:OrderWorkflow`). */
  readonly typeInsights: KeyInsights | undefined;
  /** Insights of its entities (`customer:C9`, `sku:S1`). */
  readonly entityInsights: readonly KeyInsights[];
  /**
   * Insights of other types the attempt depends on (the activity types a workflow will run): a
   * regression of the running version in one of them is evidence too.
   */
  readonly relatedTypeInsights?: readonly KeyInsights[] | undefined;
  /** The activity type, to weigh each entity's history with this type. */
  readonly activityType?: string | undefined;
  /** The running worker version. */
  readonly version?: string | undefined;
  /** The attempt's event time (business time or its start), epoch milliseconds. */
  readonly eventTimeMs: number;
}

/**
 * The smallest estimated chance of failure that makes evidence a high risk. Evidence counts only
 * once it passed its test (a rate at least twice the comparison's and 10 points above it, beyond
 * chance), so "high" means "supported and large", not a coin flip.
 */
export const HIGH_RISK_SCORE = 0.25;
/** Without supported evidence, an estimate at least this high (and twice the base rate) is elevated. */
export const ELEVATED_RISK_SCORE = 0.15;

/** Runs of an activity type an entity needs before its record with that type speaks for it alone. */
const MIN_SPECIFIC_RUNS = 5;

interface Evidence {
  readonly rate: number;
  readonly reason: string;
  /**
   * False for an entity's record across everything it touched, standing in for its record with an
   * activity type it has run too little: a hint, which makes a risk elevated but never high alone.
   */
  readonly specific: boolean;
}

/** Assesses an attempt's risk from the insights of its keys. */
export function attemptRisk(attempt: RiskAttempt, base: BaseCounts): AttemptRisk {
  const baseRate = baseRateOf(base.runs, base.failures);
  const type = attempt.typeInsights;
  const evidence: Evidence[] = [];
  let estimate = type ? type.failureRate : baseRate;
  if (type) {
    const window = hourOfWeek(attempt.eventTimeMs, type.timeZone);
    const pattern = type.patterns.find((p) => p.window === window);
    if (pattern) evidence.push({ rate: pattern.failureRate, reason: pattern.reason, specific: true });
    else {
      const counted = type.windows.find((w) => w.window === window);
      if (counted) estimate = smoothedRate(counted.weightedFailures, counted.weightedRuns, type.failureRate);
    }
  }
  for (const typed of [type, ...(attempt.relatedTypeInsights ?? [])]) {
    const regression = typed?.regression;
    if (regression && attempt.version !== undefined && regression.version === attempt.version)
      evidence.push({ rate: regression.failureRate, reason: regression.reason, specific: true });
  }
  for (const entity of attempt.entityInsights) {
    const found = entityEvidence(entity, attempt.activityType, type, baseRate);
    if (found) evidence.push(found);
  }
  if (evidence.length === 0) {
    const level = estimate >= Math.max(ELEVATED_RISK_SCORE, 2 * baseRate) ? 'elevated' : 'low';
    return Object.freeze({ level, score: estimate, reasons: Object.freeze([]) });
  }
  evidence.sort((a, b) => b.rate - a.rate);
  // Independent causes: the attempt succeeds only if none of them strikes.
  const score = 1 - evidence.reduce((survive, e) => survive * (1 - e.rate), 1);
  const supported = evidence.some((e) => e.specific);
  return Object.freeze({
    level: supported && score >= HIGH_RISK_SCORE ? 'high' : 'elevated',
    score,
    reasons: Object.freeze(evidence.map((e) => e.reason)),
  });
}

/**
 * An entity's excess failures: with this activity type (against the type's own rate); and only when
 * the entity has too few runs of this type to judge, across everything it touched (against the
 * memory's base rate). A customer whose addresses keep failing is no payment risk once its payments
 * are seen going well.
 */
function entityEvidence(
  entity: KeyInsights,
  activityType: string | undefined,
  type: KeyInsights | undefined,
  baseRate: number,
): Evidence | undefined {
  // One bad order (and its retries) is not an entity that keeps failing.
  if (entity.unhandled.recurring === false) return undefined;
  const subject = subjectOf(entity.key);
  const withType = activityType === undefined ? undefined : entity.unhandled.byActivityType[activityType];
  if (withType && activityType !== undefined) {
    const typeRate = type
      ? Math.max(RATE_FLOOR, smoothedRate(type.unhandled.failures, type.unhandled.runs, baseRate))
      : baseRate;
    const rate = supportedRate(withType.failures, withType.runs, typeRate);
    if (rate !== undefined) {
      return {
        rate,
        reason: `${subject} failed ${withType.failures} of ${withType.runs} ${activityType} runs (${percent(typeRate)} for ${activityType} overall)`,
        specific: true,
      };
    }
  }
  if (withType && withType.runs >= MIN_SPECIFIC_RUNS) return undefined;
  const { runs, failures } = entity.unhandled;
  const rate = supportedRate(failures, runs, baseRate);
  if (rate === undefined) return undefined;
  return {
    rate,
    reason: `${subject} failed ${failures} of ${runs} runs (${percent(baseRate)} across the memory)`,
    // Without an activity type (a workflow's decision), the entity's whole record is the evidence.
    specific: activityType === undefined,
  };
}

/** The smoothed rate of a subset that fails clearly and significantly more than `comparison`, else undefined. */
function supportedRate(failures: number, runs: number, comparison: number): number | undefined {
  if (failures < MIN_EVIDENCE_FAILURES || !isClearlyAbove(failures / runs, comparison)) return undefined;
  if (binomialTail(failures, runs, comparison) > EVIDENCE_ALPHA) return undefined;
  return smoothedRate(failures, runs, comparison);
}
