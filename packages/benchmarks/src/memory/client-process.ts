import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientFigures, ClientJob } from './bench-clients';

/** Longest a single client job may take before the benchmark gives up on it. */
export const JOB_TIMEOUT_MS = 180_000;

/**
 * The benchmark's clients, in a process of their own (`client-main.ts`), so the benchmark's process
 * spends CPU only on the server. Runs one job at a time, sent over IPC.
 */
export class ClientProcess {
  private readonly child: ChildProcess;
  private nextId = 0;

  constructor() {
    this.child = fork(join(__dirname, 'client-main.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  /** The client process's id, for CPU accounting. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs `job` and resolves with its figures; rejects (and kills the process) after {@link JOB_TIMEOUT_MS}. */
  run(job: ClientJob): Promise<ClientFigures> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.child.kill('SIGKILL');
        reject(new Error(`client job ${job.kind} took longer than ${JOB_TIMEOUT_MS / 1000} s`));
      }, JOB_TIMEOUT_MS);
      const onMessage = (message: { id: number; figures?: ClientFigures; error?: string }) => {
        if (message.id !== id) return;
        cleanup();
        if (message.figures) resolvePromise(message.figures);
        else reject(new Error(`client job ${job.kind} failed: ${message.error ?? 'no answer'}`));
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`client process exited with ${String(code)}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send({ id, job });
    });
  }

  close(): void {
    this.child.kill('SIGTERM');
  }
}
