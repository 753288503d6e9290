// The figures the demo prints and records: how well the memory's "high risk" matched the attempts
// that fell inside an injected pattern, how many orders failed with memory and without it, what it
// learned, and when it flagged the new build.
import { REGRESSED_BUILD } from './injected-patterns';
import type { SimulationRun } from './run-simulation';
import type { AttemptObservation } from './simulated-activities';
import { weekOf, type SimulationOptions } from './simulation-plan';

/** The demo's figures. */
export interface SimulationFigures {
  readonly orders: number;
  /** Attempts after the warm-up, and how the high-risk calls among them did. */
  readonly scoredAttempts: number;
  readonly precision: number;
  readonly recall: number;
  readonly failedWithout: number;
  readonly failedWith: number;
  /** 1 - failedWith / failedWithout. */
  readonly fewerFailures: number;
  /** shipOrder executions on the new build before its risk named the regression (undefined: never). */
  readonly regressionFlaggedAfter: number | undefined;
  /** The reasons the memory gave most often, with how many attempts they steered. */
  readonly topReasons: readonly { readonly reason: string; readonly attempts: number }[];
  readonly secondsWithout: number;
  readonly secondsWith: number;
}

/** Scores a simulation with memory against the same simulation without it. */
export function simulationFigures(
  options: SimulationOptions,
  without: SimulationRun,
  withMemory: SimulationRun,
): SimulationFigures {
  const scored = withMemory.observations.filter((o) => weekOf(o.order.placedAt) >= options.warmUpWeeks);
  const flagged = scored.filter((o) => o.risk === 'high');
  const inside = scored.filter((o) => o.pattern !== undefined);
  const hits = flagged.filter((o) => o.pattern !== undefined).length;
  const failedWithout = failures(without);
  const failedWith = failures(withMemory);
  return {
    orders: withMemory.results.size,
    scoredAttempts: scored.length,
    precision: flagged.length === 0 ? 0 : hits / flagged.length,
    recall: inside.length === 0 ? 0 : hits / inside.length,
    failedWithout,
    failedWith,
    fewerFailures: failedWithout === 0 ? 0 : 1 - failedWith / failedWithout,
    regressionFlaggedAfter: regressionFlaggedAfter(withMemory.observations),
    topReasons: topReasons(withMemory.observations),
    secondsWithout: without.seconds,
    secondsWith: withMemory.seconds,
  };
}

function failures(run: SimulationRun): number {
  return [...run.results.values()].filter((r) => r instanceof Error).length;
}

function regressionFlaggedAfter(observations: readonly AttemptObservation[]): number | undefined {
  // In the order they ran (orders run a few at a time, so not quite in business-time order).
  const onNewBuild = observations.filter(
    (o) => o.activityType === 'shipOrder' && o.build === REGRESSED_BUILD,
  );
  const first = onNewBuild.findIndex((o) =>
    o.reasons.some((r) => r.startsWith(`since build ${REGRESSED_BUILD}`)),
  );
  return first < 0 ? undefined : first;
}

/** Reasons grouped by what they say (their numbers aside), each with its latest wording. */
function topReasons(observations: readonly AttemptObservation[]): SimulationFigures['topReasons'] {
  const byShape = new Map<string, { reason: string; attempts: number }>();
  for (const o of observations) {
    if (o.risk !== 'high') continue;
    for (const reason of o.reasons) {
      const shape = reason.replace(/\d+(\.\d+)?/g, '#');
      const seen = byShape.get(shape);
      byShape.set(shape, { reason, attempts: (seen?.attempts ?? 0) + 1 });
    }
  }
  return [...byShape.values()].sort((a, b) => b.attempts - a.attempts).slice(0, 6);
}

/** The figures as the demo prints them. */
export function formatFigures(figures: SimulationFigures, options: SimulationOptions): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `Orders: ${figures.orders} per run (${options.weeks} weeks of business time, seed ${options.seed}); ` +
      `${figures.scoredAttempts} activity attempts scored after a ${options.warmUpWeeks}-week warm-up.`,
    `Risk "high" against the attempts inside an injected pattern: precision ${figures.precision.toFixed(3)}, recall ${figures.recall.toFixed(3)} (targets: 0.9 and 0.9).`,
    `Failed orders: ${figures.failedWithout} without memory, ${figures.failedWith} with it: ${pct(figures.fewerFailures)} fewer (target: 50%).`,
    figures.regressionFlaggedAfter === undefined
      ? `Build ${REGRESSED_BUILD}: its regression was never flagged.`
      : `Build ${REGRESSED_BUILD}: regression flagged after ${figures.regressionFlaggedAfter} shipOrder executions on it (target: within 20).`,
    'What the memory learned (reasons it gave, by attempts they steered):',
    ...figures.topReasons.map((r) => `  - ${r.reason} (${r.attempts})`),
  ];
}
