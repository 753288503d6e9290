import type { ContextWrite } from '../mcp/stompy-client';
import type { OutcomeQueue } from '../recording/outcome-recorder';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import type { MemoryThread } from './memory-thread';

/** Longest a record waits for the outbox's answer before the thread is taken for stuck. */
const RECORD_TIMEOUT_MS = 25_000;

/** The outbox as the worker's main thread writes to it: through the memory thread, which commits and answers. */
export class ThreadOutcomeQueue implements OutcomeQueue {
  constructor(private readonly thread: MemoryThread) {}

  /** Queues a write; resolves with what the outbox did once it committed. */
  enqueue(write: ContextWrite): Promise<EnqueueResult> {
    return this.thread.request<EnqueueResult>({ op: 'record', write }, RECORD_TIMEOUT_MS);
  }
}
