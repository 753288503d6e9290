import { join } from 'node:path';
import { ForkedChild } from '../shared/forked-child';
import type { ClientFigures, ClientJob } from './bench-clients';

/** Longest a single client job may take before the benchmark gives up on it. */
export const JOB_TIMEOUT_MS = 180_000;

/**
 * The benchmark's clients, in a process of their own (`client-main.ts`), so the benchmark's process
 * spends CPU only on the server. Runs one job at a time, sent over IPC.
 */
export class ClientProcess {
  private readonly child = new ForkedChild<ClientJob, ClientFigures>(join(__dirname, 'client-main.js'));

  /** Runs `job` and resolves with its figures; rejects (and kills the process) after {@link JOB_TIMEOUT_MS}. */
  run(job: ClientJob): Promise<ClientFigures> {
    return this.child.request(job, JOB_TIMEOUT_MS, `client job ${job.kind}`);
  }

  /** Stops the client process. */
  close(): void {
    this.child.kill();
  }
}
