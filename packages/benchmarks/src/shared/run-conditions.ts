import type { QuietWait } from './quiet-machine';

/** A 1-minute load average from which the machine counts as busy at the start of a run. */
export const BUSY_LOAD = 0.8;

/** A share of the machine's CPU capacity, used by other processes during a run, from which it counts as busy. */
export const BUSY_OTHERS_SHARE = 0.1;

/** What else happened on the machine while a benchmark ran. */
export interface RunConditions {
  quick: boolean;
  loadAtStart: readonly number[];
  /** Share of the machine's CPU capacity used by other processes during the run; undefined if unknown. */
  othersShare: number | undefined;
  /** How the run waited for a quiet machine; undefined when it did not. */
  wait: QuietWait | undefined;
}

/** Whether other processes used enough of the machine during a run to make its figures doubtful. */
export function othersWereBusy(share: number | undefined): boolean {
  return share !== undefined && share >= BUSY_OTHERS_SHARE;
}

function waited(wait: QuietWait | undefined): string {
  if (!wait) return '';
  const minutes = (wait.waitedSeconds / 60).toFixed(1);
  return wait.quiet
    ? `The run waited ${minutes} min for a 1-minute load under ${BUSY_LOAD}.`
    : `The run waited the full ${wait.maxMinutes} min for a 1-minute load under ${BUSY_LOAD}, which never came ` +
        `(${wait.load.toFixed(2)} at the end of the wait), and **ran on a busy machine**.`;
}

/** A share (0 to 1) as a whole percentage, `?` when unknown. */
export function percent(share: number | undefined): string {
  return share === undefined || Number.isNaN(share) ? '?' : `${Math.round(share * 100)}%`;
}

/** How busy the machine was, in sentences: the wait, the load at the start, other processes' CPU. */
export function describeConditions(run: RunConditions): string {
  const load = run.loadAtStart.map((l) => l.toFixed(2)).join(' ');
  const busy = (run.loadAtStart[0] ?? 0) >= BUSY_LOAD;
  return [
    waited(run.wait),
    `Load average when the measuring started ${load} (the machine line gives it at the end): ` +
      `${busy ? `**busy** (1-minute load >= ${BUSY_LOAD})` : 'quiet'}.`,
    run.othersShare === undefined
      ? ''
      : `Other processes used ${percent(run.othersShare)} of the machine's CPU capacity during the run` +
        `${othersWereBusy(run.othersShare) ? ` (**busy**: ${percent(BUSY_OTHERS_SHARE)} or more)` : ''}.`,
    'The machine is shared, so absolute figures move between runs; compare the ratios within one run.',
    run.quick ? '**Quick run (smaller counts).**' : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}
