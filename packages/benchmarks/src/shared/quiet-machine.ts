import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { othersShare, sampleCpu } from './cpu-sample';
import { BUSY_OTHERS_SHARE } from './run-conditions';

/** How a run waited for the machine to become quiet before measuring. */
export interface QuietWait {
  /** Minutes allowed for the wait. */
  maxMinutes: number;
  /** Seconds actually waited. */
  waitedSeconds: number;
  /** Whether the 1-minute load fell under the threshold (false: the run went ahead anyway). */
  quiet: boolean;
  /** The 1-minute load when the wait ended. */
  load: number;
}

/**
 * Waits until the 1-minute load average is under `threshold`, checking every `everyMs`, for at most
 * `maxMinutes`; then resolves either way, saying which. Progress goes to `log`.
 */
export async function waitForQuietMachine(
  maxMinutes: number,
  threshold: number,
  log: (line: string) => void,
  everyMs = 30_000,
): Promise<QuietWait> {
  const started = Date.now();
  const deadline = started + maxMinutes * 60_000;
  for (;;) {
    const load = loadavg()[0] ?? 0;
    const waitedSeconds = Math.round((Date.now() - started) / 1000);
    if (load < threshold) return { maxMinutes, waitedSeconds, quiet: true, load };
    if (Date.now() + everyMs > deadline) return { maxMinutes, waitedSeconds, quiet: false, load };
    log(
      `waiting for a quiet machine: 1-minute load ${load.toFixed(2)} (under ${threshold} wanted), ${waitedSeconds} s so far`,
    );
    await sleep(everyMs);
  }
}

/**
 * Before measuring: waits for a quiet machine when `maxMinutes` is over 0 (1-minute load under
 * `threshold`, progress on stdout), then returns how the wait went and the load average at that moment.
 */
export async function settleBeforeMeasuring(
  maxMinutes: number,
  threshold: number,
): Promise<{ wait: QuietWait | undefined; loadAtStart: number[] }> {
  const wait =
    maxMinutes > 0
      ? await waitForQuietMachine(maxMinutes, threshold, (line) => process.stdout.write(`${line}\n`))
      : undefined;
  return { wait, loadAtStart: loadavg() };
}

/** How long a neighbours check samples the machine. */
const NEIGHBOURS_WINDOW_MS = 3_000;

/**
 * Before a measurement: waits, at most `maxMs`, until processes other than `ours` use less than
 * {@link BUSY_OTHERS_SHARE} of the machine's CPU over a 3-second sample (another engineer's test run
 * on a shared machine skews a round far more than the load average says). Resolves with the last share
 * seen (undefined where `/proc` cannot be read) and the time waited.
 */
export async function waitForQuietNeighbours(
  ours: readonly number[],
  maxMs: number,
): Promise<{ share: number | undefined; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const before = sampleCpu(ours);
    await sleep(NEIGHBOURS_WINDOW_MS);
    const share = othersShare(before, sampleCpu(ours));
    const waitedMs = Date.now() - started;
    if (share === undefined || share < BUSY_OTHERS_SHARE || waitedMs >= maxMs) return { share, waitedMs };
  }
}
