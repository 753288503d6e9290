import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { StompyUnavailableError } from '../mcp/stompy-errors';
import type { KnownDeliveryBacklog } from '../recording/delivery/delivery-backlog';
import { componentLogger } from '../support/logger';
import type { PluginCounters, PluginCounterValues } from '../support/plugin-counters';
import { memoryThreadFile } from './thread-entry';
import { forwardLogLine } from './thread-logs';
import {
  fromWireError,
  type ThreadMessage,
  type ThreadRequest,
  type ThreadSettings,
} from './thread-protocol';

/** A request without its id (the thread handle numbers them). */
type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Longest a request waits for its answer beyond its own timeout before it is given up. */
const ANSWER_MARGIN_MS = 5_000;
/** After the thread ended unexpectedly, the next request starts a new one, at most this often. */
const RESTART_INTERVAL_MS = 5_000;

/** Options of a {@link MemoryThread}. */
export interface MemoryThreadOptions {
  /** Shortest interval between two starts of the thread, in ms; default 5 s. */
  readonly restartIntervalMs?: number;
  /** Where the backlog the thread reports every 10 s while delivery runs goes (the metric gauges). */
  readonly onBacklog?: (backlog: KnownDeliveryBacklog) => void;
}

/**
 * The worker's handle on the plugin's memory thread: starts it, sends it requests and resolves each
 * with its answer, and passes on what it reports (counts to the plugin's counters, so they reach
 * Temporal's metrics; log lines to the plugin's logger). Every request has a time limit; if the
 * thread dies, waiting requests fail at once and a later request starts a new thread. The thread
 * keeps its process alive only while a request waits for its answer: an idle thread never does (what
 * it has not delivered stays in the outbox).
 */
export class MemoryThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closing = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** The plugin's own lines about the thread; the thread's lines go to the root logger as they are. */
  private readonly logger: Logger;

  constructor(
    private readonly settings: ThreadSettings,
    private readonly rootLogger: Logger,
    private readonly counters: Pick<PluginCounters, 'add'>,
    private readonly options: MemoryThreadOptions = {},
  ) {
    this.logger = componentLogger(rootLogger, 'plugin');
    this.worker = this.spawn();
  }

  /** Sends a request and resolves with the thread's answer; rejects after `timeoutMs` plus a margin. */
  request<T>(request: Request, timeoutMs: number): Promise<T> {
    const worker = this.live();
    if (!worker)
      return Promise.reject(new StompyUnavailableError(request.op, 'the memory thread is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id);
        reject(
          new StompyUnavailableError(
            request.op,
            `the memory thread did not answer within ${timeoutMs + ANSWER_MARGIN_MS} ms`,
          ),
        );
      }, timeoutMs + ANSWER_MARGIN_MS);
      timer.unref();
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve: resolve, reject, timer });
      worker.postMessage({ ...request, id });
    });
  }

  /**
   * Flushes and closes the thread's files and connection within `flushMs` (plus the time to stop),
   * then ends the thread at once: what is left of it (a connect or a call in flight to a server that
   * never answers) has nothing more to do, and must not hold the worker's shutdown.
   */
  async close(flushMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker || this.closing) return;
    this.closing = true;
    try {
      await this.request({ op: 'close', flushMs }, flushMs + 2_000);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'the memory thread did not close cleanly; what it held stays in the outbox',
      );
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }

  private live(): Worker | undefined {
    if (this.worker || this.closing) return this.worker;
    if (Date.now() - this.lastStart < (this.options.restartIntervalMs ?? RESTART_INTERVAL_MS))
      return undefined;
    this.worker = this.spawn();
    return this.worker;
  }

  private spawn(): Worker | undefined {
    this.lastStart = Date.now();
    let worker: Worker;
    try {
      worker = new Worker(memoryThreadFile(), { workerData: this.settings });
    } catch (error) {
      this.counters.add('internalErrors');
      this.logger.error(
        { err: error },
        'cannot start the memory thread; activities run without memory and outcomes are not recorded',
      );
      return undefined;
    }
    worker.on('message', (message: ThreadMessage) => this.receive(message));
    worker.on('error', (error) => {
      this.counters.add('internalErrors');
      this.logger.error(
        { err: error },
        'the memory thread failed; queued outcomes stay in the outbox and a new thread starts',
      );
    });
    worker.on('exit', (code) => this.exited(worker, code));
    // After the listeners: Node refs a worker's message port again when its first 'message' listener
    // is added, so an `unref` before it would not hold, and an unclosed plugin would keep its process
    // alive.
    worker.unref();
    return worker;
  }

  private receive(message: ThreadMessage): void {
    if ('event' in message) {
      if (message.event === 'count') {
        for (const [name, by] of Object.entries(message.counts))
          this.counters.add(name as keyof PluginCounterValues, by);
      } else if (message.event === 'backlog') {
        this.options.onBacklog?.(message.backlog);
      } else {
        forwardLogLine(this.rootLogger, message.line);
      }
      return;
    }
    if (message.counts) this.count(message.counts);
    const waiting = this.settle(message.id);
    if (!waiting) return;
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(fromWireError(message.error));
  }

  /**
   * Takes a request off the waiting list. The thread keeps the process alive only while someone waits
   * for an answer (an awaited `flush()` at the end of a script must finish), never when idle.
   */
  private settle(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    if (!waiting) return undefined;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    if (this.waiting.size === 0) this.worker?.unref();
    return waiting;
  }

  private count(counts: Partial<PluginCounterValues>): void {
    for (const [name, by] of Object.entries(counts)) this.counters.add(name as keyof PluginCounterValues, by);
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = undefined;
    for (const id of [...this.waiting.keys()]) {
      this.settle(id)?.reject(
        new StompyUnavailableError('memory thread', `the memory thread exited (code ${code})`),
      );
    }
    if (!this.closing && code !== 0) {
      this.counters.add('internalErrors');
      this.logger.error(
        { exitCode: code },
        'the memory thread exited unexpectedly; the next request starts a new one',
      );
    }
  }
}
