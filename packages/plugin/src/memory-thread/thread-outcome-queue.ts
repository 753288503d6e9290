import type { ContextWrite } from '../mcp/stompy-client';
import type { OutcomeQueue } from '../recording/outcome-recorder';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import type { MemoryThread } from './memory-thread';

/** Longest a record waits for the outbox's answer before the thread is taken for stuck. */
const RECORD_TIMEOUT_MS = 25_000;

interface Waiting {
  readonly write: ContextWrite;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

/**
 * The outbox as the worker's main thread writes to it: through the memory thread, which commits and
 * answers. The outcomes recorded in one turn of the event loop go in one message, and come back in
 * one answer: a message across threads costs more than the commit it carries.
 */
export class ThreadOutcomeQueue implements OutcomeQueue {
  private waiting: Waiting[] = [];

  constructor(private readonly thread: MemoryThread) {}

  /** Queues a write; resolves with what the outbox did once it committed. */
  enqueue(write: ContextWrite): Promise<EnqueueResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.send());
    });
  }

  private send(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.thread
      .request<EnqueueResult[]>({ op: 'record', writes: batch.map((w) => w.write) }, RECORD_TIMEOUT_MS)
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i] ?? 'dropped')),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      );
  }
}
