import { join } from 'node:path';
import { ForkedChild } from '../shared/forked-child';
import type { PluginStatus, WorkerAnswer, WorkerCost, WorkerRequest, WorkerSetup } from './worker-protocol';

/** Longest a worker may take to start (it bundles the workflow code) or to shut down. */
const START_TIMEOUT_MS = 120_000;
/** Longest a round's report may take (the worker first waits up to 30 s for delivery). */
const REPORT_TIMEOUT_MS = 60_000;
/** Longest the plugin's status may take (its memory thread has 10 s to report the backlog). */
const STATUS_TIMEOUT_MS = 20_000;

/**
 * A Temporal worker of one configuration in a process of its own (`worker-main.ts`), as in
 * production: its CPU is the worker's alone, not the client's or the benchmark's.
 */
export class BenchWorker {
  private constructor(
    private readonly child: ForkedChild<WorkerRequest, WorkerAnswer>,
    /** What the worker runs. */
    readonly setup: WorkerSetup,
  ) {}

  /** Forks a worker process (with Node flags `execArgv`, e.g. `--cpu-prof`) and resolves once it polls. */
  static async start(setup: WorkerSetup, execArgv: string[] = []): Promise<BenchWorker> {
    const child = new ForkedChild<WorkerRequest, WorkerAnswer>(join(__dirname, 'worker-main.js'), {
      execArgv,
    });
    try {
      await child.request(
        { kind: 'start', setup },
        START_TIMEOUT_MS,
        `starting the ${setup.configuration} worker`,
      );
    } catch (error) {
      child.kill();
      throw error;
    }
    return new BenchWorker(child, setup);
  }

  /** The worker process's id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts measuring a round; the latency probe samples only `probeActivity`'s attempts when given. */
  async measure(probeActivity?: string): Promise<void> {
    await this.child.request({ kind: 'measure', probeActivity }, REPORT_TIMEOUT_MS, 'starting a measurement');
  }

  /** Ends the round (after the plugin delivered what it recorded) and resolves with its cost. */
  async report(): Promise<WorkerCost> {
    const cost = await this.child.request({ kind: 'report' }, REPORT_TIMEOUT_MS, 'reading a measurement');
    if (!cost || !('cpuMs' in cost)) throw new Error('the worker sent no measurement');
    return cost;
  }

  /** The plugin's counters and delivery backlog now (StompyPlugin configurations only). */
  async status(): Promise<PluginStatus> {
    const status = await this.child.request(
      { kind: 'status' },
      STATUS_TIMEOUT_MS,
      'reading the plugin status',
    );
    if (!status || !('backlog' in status)) throw new Error('the worker sent no plugin status');
    return status;
  }

  /** Shuts the worker down gracefully and lets its process exit (writing a `--cpu-prof` profile). */
  async stop(): Promise<void> {
    try {
      await this.child.request(
        { kind: 'shutdown' },
        START_TIMEOUT_MS,
        `stopping the ${this.setup.configuration} worker`,
      );
    } finally {
      await this.child.close(START_TIMEOUT_MS);
    }
  }
}
