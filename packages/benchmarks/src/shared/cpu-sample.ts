import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of the whole machine and of some processes, in clock ticks (Linux `/proc`). */
export interface CpuSample {
  /** Ticks all cores spent, busy or idle. */
  readonly total: number;
  /** Ticks all cores spent busy (neither idle nor waiting for I/O). */
  readonly busy: number;
  /** Ticks the sampled processes spent (user + system). */
  readonly own: number;
}

/** Samples the machine's CPU counters and those of `pids`; undefined where `/proc` cannot be read. */
export function sampleCpu(pids: readonly number[]): CpuSample | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    let own = 0;
    for (const pid of pids) {
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      own += Number(after[11]) + Number(after[12]);
    }
    return Number.isFinite(total + own) ? { total, busy: total - idle, own } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Share (0 to 1) of the machine's CPU capacity that processes other than the sampled ones used
 * between two samples; undefined when either sample is missing.
 */
export function othersShare(from: CpuSample | undefined, to: CpuSample | undefined): number | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  const others = to.busy - from.busy - (to.own - from.own);
  return Math.max(0, others) / (to.total - from.total);
}

/** Milliseconds in one clock tick of `/proc` CPU times (USER_HZ is 100 on every mainstream Linux). */
export const MS_PER_TICK = 10;

/** The parent pid of every process in `/proc`, keyed by pid. */
function parentsOfAll(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the parenthesised command name: state, then the parent pid.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we listed them
    }
  }
  return parents;
}

/**
 * `root` and every process below it (children, grandchildren: a benchmark's workers, its memory
 * server, the Temporal dev server the SDK spawned), from `/proc`; just `[root]` where it cannot be read.
 */
export function processTree(root: number): number[] {
  let parents: Map<number, number>;
  try {
    parents = parentsOfAll();
  } catch {
    return [root];
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Share (0 to 1) of the machine's CPU capacity that was busy between two samples; undefined when either is missing. */
export function busyShare(from: CpuSample | undefined, to: CpuSample | undefined): number | undefined {
  if (!from || !to || to.total <= from.total) return undefined;
  return (to.busy - from.busy) / (to.total - from.total);
}
