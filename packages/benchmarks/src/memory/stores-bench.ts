import type { PostgresServer } from '@temporal-stompy/testing';
import { othersShare, processTree, sampleCpu } from '../shared/cpu-sample';
import { waitForQuietNeighbours } from '../shared/quiet-machine';
import { percent } from '../shared/run-conditions';
import { openBenchStores, type ConfigName, type PopulateFigures, type StoreConfig } from './bench-stores';
import type { ClientProcess } from './client-process';
import { measureConfigRound, type ConfigRound, type StoreCounts } from './store-round';

/** Longest a round waits for other processes to leave the machine's CPU before it runs anyway. */
const NEIGHBOURS_WAIT_MS = 30_000;

/** One round of the stores section: every configuration measured once, one after the other. */
export interface StoresRound {
  /** The order the configurations ran in (rotated each round). */
  readonly order: readonly ConfigName[];
  /** Share of the machine's CPU other processes used during the round; undefined if unknown. */
  readonly othersShare: number | undefined;
  readonly configs: Readonly<Record<ConfigName, ConfigRound>>;
}

/** Everything the stores section measured at one size. */
export interface StoresSizeRow {
  readonly size: number;
  readonly populated: readonly PopulateFigures[];
  readonly rounds: readonly StoresRound[];
}

/** `configs` rotated left by `by`, so each configuration takes each place in turn over the rounds. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function describeRound(round: StoresRound): string {
  const { sqlite, pg1, pg2 } = round.configs;
  const recall = (c: ConfigRound) => c.search?.recall?.sdk.p50.toFixed(2) ?? '?';
  return (
    `lock_context ${Math.round(sqlite.lockPerSecond)} / ${Math.round(pg1.lockPerSecond)} / ${Math.round(pg2.lockPerSecond)} calls/s, ` +
    `batch ${Math.round(sqlite.batchPerSecond)} / ${Math.round(pg1.batchPerSecond)} / ${Math.round(pg2.batchPerSecond)} contexts/s ` +
    `(SQLite / PostgreSQL 1 server / 2 servers); recall search p50 ${recall(sqlite)} / ${recall(pg1)} ms; ` +
    `others used ${percent(round.othersShare)} of the CPU`
  );
}

/** Measures one round: waits (briefly) for quiet neighbours, then each configuration in `order`. */
async function measureRound(
  order: readonly StoreConfig[],
  clients: ClientProcess,
  counts: StoreCounts,
  size: number,
  round: number,
): Promise<StoresRound> {
  await waitForQuietNeighbours(processTree(process.pid), NEIGHBOURS_WAIT_MS);
  const before = sampleCpu(processTree(process.pid));
  const configs: Partial<Record<ConfigName, ConfigRound>> = {};
  for (const config of order)
    configs[config.name] = await measureConfigRound(config, clients, counts, size, round);
  // Processes started during the round (PostgreSQL backends) count as ours with all their CPU.
  const share = othersShare(before, sampleCpu(processTree(process.pid)));
  return {
    order: order.map((config) => config.name),
    othersShare: share,
    configs: configs as Record<ConfigName, ConfigRound>,
  };
}

/**
 * The stores section at one size: SQLite and PostgreSQL filled with the same `size` outcomes, then
 * `counts.rounds` rounds, each measuring SQLite, PostgreSQL behind one server and behind two, in an
 * order rotated each round, so the paired ratios compare configurations measured minutes apart at most.
 */
export async function measureStoresSize(
  size: number,
  postgres: PostgresServer,
  clients: ClientProcess,
  counts: StoreCounts,
  log: (line: string) => void,
): Promise<StoresSizeRow> {
  const stores = await openBenchStores(size, postgres, log);
  try {
    const rounds: StoresRound[] = [];
    for (let r = 0; r < counts.rounds; r++) {
      const round = await measureRound(rotate(stores.configs, r), clients, counts, size, r);
      log(`  round ${r + 1} of ${counts.rounds}: ${describeRound(round)}`);
      rounds.push(round);
    }
    return { size, populated: stores.populated, rounds };
  } finally {
    await stores.close();
  }
}
