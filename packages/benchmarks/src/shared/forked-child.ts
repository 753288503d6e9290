import { fork, type ChildProcess } from 'node:child_process';

/** A request as it travels to the child, with the id its reply carries back. */
interface Envelope<Request> {
  id: number;
  request: Request;
}

/** The child's reply to one request: its answer, or the error it threw. */
interface Reply<Answer> {
  id: number;
  answer?: Answer;
  error?: string;
}

/** How to fork a child. */
export interface ForkOptions {
  /** Node flags of the child (e.g. `--cpu-prof`). */
  execArgv?: string[];
  /** Environment of the child; default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A Node child process forked from a module that calls {@link serveRequests}: requests go to it over
 * IPC, one at a time or several, and each resolves with the child's answer or rejects with its error.
 * Each request is bounded: past its timeout the child is killed (it is stuck) and the request rejects.
 */
export class ForkedChild<Request, Answer> {
  private readonly child: ChildProcess;
  private readonly exit: Promise<number | null>;
  private nextId = 0;

  constructor(modulePath: string, options: ForkOptions = {}) {
    this.child = fork(modulePath, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
    });
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The child's process id, for CPU accounting. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `request` and resolves with the answer; rejects (and kills the child) after `timeoutMs`. */
  request(request: Request, timeoutMs: number, label: string): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.child.kill('SIGKILL');
        reject(new Error(`${label} took longer than ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const onMessage = (reply: Reply<Answer>) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.error === undefined) resolve(reply.answer as Answer);
        else reject(new Error(`${label} failed: ${reply.error}`));
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${label}: the child process exited with ${String(code)}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      const envelope: Envelope<Request> = { id, request };
      this.child.send(envelope);
    });
  }

  /**
   * Lets the child finish on its own (it exits when the IPC channel closes, writing what exit hooks
   * write, e.g. a `--cpu-prof` profile) and resolves with its exit code; kills it after `timeoutMs`.
   */
  async close(timeoutMs: number): Promise<number | null> {
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the child at once (SIGTERM). */
  kill(): void {
    this.child.kill('SIGTERM');
  }
}

/**
 * In the child: answers every request of the parent with `handle` (its answer, or its error's stack),
 * and exits when the parent closes the channel or goes away.
 */
export function serveRequests<Request, Answer>(handle: (request: Request) => Promise<Answer>): void {
  process.on('message', (envelope: Envelope<Request>) => {
    handle(envelope.request).then(
      (answer) => process.send?.({ id: envelope.id, answer } satisfies Reply<Answer>),
      (error: unknown) =>
        process.send?.({
          id: envelope.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies Reply<Answer>),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
