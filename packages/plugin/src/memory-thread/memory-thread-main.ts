/**
 * The entry of the plugin's memory thread (a `worker_threads` Worker started by `MemoryThread`): it
 * opens the {@link ThreadRuntime} with the settings it was given, answers the main thread's requests,
 * and sends its counts and log lines back.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EnqueueResult } from '../recording/outbox/outbox-types';
import { ThreadCounters } from './thread-events';
import { threadLogger } from './thread-logs';
import { toWireError, type ThreadMessage, type ThreadRequest, type ThreadSettings } from './thread-protocol';
import { ThreadRuntime } from './thread-runtime';

const port = parentPort;
if (!port) throw new Error('memory-thread-main runs only as a worker thread of the plugin');
const settings = workerData as ThreadSettings;
const post = (message: ThreadMessage): void => port.postMessage(message);
const counters = new ThreadCounters(post);
const logger = threadLogger(settings.logLevel, (line) => post({ event: 'log', line }));
const runtime = new ThreadRuntime(settings, logger, counters, (backlog) =>
  post({ event: 'backlog', backlog }),
);

function reply(
  id: number,
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
  tool?: string,
): void {
  counters.flush();
  if (outcome.ok) post({ id, ok: true, value: outcome.value });
  else post({ id, ok: false, error: toWireError(outcome.error, tool) });
}

port.on('message', (request: ThreadRequest) => {
  const tool = request.op === 'call' ? request.tool : request.op;
  try {
    const answer = runtime.handle(request, (results: EnqueueResult[]) =>
      reply(request.id, { ok: true, value: results }),
    );
    answer?.then(
      (value) => {
        reply(request.id, { ok: true, value }, tool);
      },
      (error: unknown) => reply(request.id, { ok: false, error }, tool),
    );
  } catch (error) {
    reply(request.id, { ok: false, error }, tool);
  }
});
