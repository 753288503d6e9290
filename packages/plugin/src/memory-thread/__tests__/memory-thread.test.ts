import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { StompyToolError, StompyUnavailableError } from '../../mcp/stompy-errors';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';
import { waitFor } from '../../__tests__/helpers/wait-for';
import { MemoryThread } from '../memory-thread';
import type { ThreadSettings } from '../thread-protocol';

// The plugin's memory thread, for real: a worker thread with the embedded server and the outbox. Its
// answers, its refusals (the same error classes on this side), its counts and its log lines reach the
// main thread; a thread that dies fails what waits on it at once, and the next request starts anew.

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.remove());

function settings(): ThreadSettings {
  return {
    memory: { kind: 'embedded', dbPath: `${temp.dir}/memory.db` },
    project: undefined,
    timeoutMs: 5_000,
    callBudget: undefined,
    halfLifeDays: 28,
    outbox: { path: `${temp.dir}/outbox.db`, maxBytes: 1024 * 1024, maxEntries: 1_000 },
    logLevel: 'info',
  };
}

const write = {
  topic: 'thread-test:1',
  content: 'Workflow: W (w, run r)\nSuccess: yes',
  tags: ['temporal'],
  priority: 'reference' as const,
};

it('answers calls and records straight into the embedded file, with counts and logs on this side', async () => {
  const log = capturingLogger('info');
  const counters = new PluginCounters();
  const thread = new MemoryThread(settings(), log.logger, counters);
  try {
    expect(await thread.request<string[]>({ op: 'tools', timeoutMs: 5_000 }, 5_000)).toContain(
      'lock_context_batch',
    );
    expect(await thread.request({ op: 'record', writes: [write] }, 5_000)).toEqual(['queued']);
    expect(await thread.request({ op: 'record', writes: [write] }, 5_000)).toEqual(['duplicate']);
    expect(counters.snapshot()).toMatchObject({ outcomesQueued: 1, outcomesDeduplicated: 1 });
    // The embedded file is durable: the outcome went straight into it, no outbox entry to deliver.
    expect(counters.snapshot().outcomesDelivered).toBe(1);
    await thread.request({ op: 'start' }, 5_000);
    expect(await thread.request({ op: 'flush', timeoutMs: 5_000 }, 5_000)).toEqual({
      delivered: 0,
      remaining: 0,
    });
    const found = await thread.request<{ results: unknown[] }>(
      { op: 'call', tool: 'recall_batch', args: { topics: [write.topic] }, timeoutMs: 5_000 },
      5_000,
    );
    expect(JSON.stringify(found)).toContain('Success: yes');
    expect(log.lines.find((l) => l.msg === 'stompy: memory plugin ready')).toMatchObject({
      component: 'plugin',
    });
  } finally {
    await thread.close(1_000);
  }
});

it('passes refusals on as the same errors', async () => {
  const thread = new MemoryThread(settings(), capturingLogger().logger, new PluginCounters());
  try {
    const refused = thread.request(
      { op: 'call', tool: 'lock_context', args: { topic: '!bad', content: 'x' }, timeoutMs: 5_000 },
      5_000,
    );
    await expect(refused).rejects.toBeInstanceOf(StompyToolError);
    await expect(refused).rejects.toMatchObject({ tool: 'lock_context', code: 'invalid_input' });
  } finally {
    await thread.close(1_000);
  }
});

it('refuses a call of recall at once when the call budget has no room, without reaching the server', async () => {
  // 5 a minute and 4 in 10 s, less 4 of each kept for connecting: one call in any 10 s (at least one).
  const budget = { perMinute: 5, burstPer10s: 4, recallFloor: 0.5 };
  const thread = new MemoryThread(
    { ...settings(), callBudget: budget },
    capturingLogger().logger,
    new PluginCounters(),
  );
  const call = { op: 'call', tool: 'context_dashboard', args: {}, timeoutMs: 5_000 } as const;
  try {
    await expect(thread.request(call, 5_000)).resolves.toBeDefined();
    const refused = thread.request(call, 5_000);
    await expect(refused).rejects.toBeInstanceOf(StompyToolError);
    await expect(refused).rejects.toMatchObject({
      code: 'client_rate_limit',
      retryAfterSeconds: expect.any(Number) as unknown,
    });
  } finally {
    await thread.close(1_000);
  }
});

it('fails what waits on a thread that dies, says so, and starts a new one for the next request', async () => {
  const log = capturingLogger();
  const counters = new PluginCounters();
  const thread = new MemoryThread(settings(), log.logger, counters, { restartIntervalMs: 0 });
  try {
    expect(await thread.request({ op: 'record', writes: [write] }, 5_000)).toEqual(['queued']);
    // The thread's own handle: a test can end it the way a crash would.
    const worker = (thread as unknown as { worker: Worker }).worker;
    // Terminated first, so the thread never answers the request sent after: the request must fail
    // when the thread's exit is seen (sent first, a quick flush could be answered before it dies).
    const terminated = worker.terminate();
    const waiting = thread.request({ op: 'flush', timeoutMs: 5_000 }, 5_000);
    await terminated;
    await expect(waiting).rejects.toBeInstanceOf(StompyUnavailableError);
    expect(log.has('the memory thread exited unexpectedly', 50)).toBe(true);
    expect(counters.snapshot().internalErrors).toBe(1);
    // A new thread on the same files: the outcome the first one committed is still there.
    expect(await thread.request({ op: 'record', writes: [write] }, 5_000)).toEqual(['duplicate']);
  } finally {
    await thread.close(1_000);
  }
});

/**
 * Runs, in a separate process, the built thread handle (the one a user's worker runs), never closed;
 * `ask` sends it one request first. Resolves with how the process ended (SIGKILLed after 20 s).
 */
async function runUnclosedThread(ask: boolean): Promise<{ code: number | string; stdout: string }> {
  const dist = join(__dirname, '..', '..', '..', 'dist');
  const script = `
    const { MemoryThread } = require(${JSON.stringify(join(dist, 'memory-thread', 'memory-thread.js'))});
    const { PluginCounters } = require(${JSON.stringify(join(dist, 'support', 'plugin-counters.js'))});
    const pino = require(${JSON.stringify(require.resolve('pino'))});
    const thread = new MemoryThread(${JSON.stringify(settings())}, pino({ level: 'silent' }), new PluginCounters());
    if (${ask}) thread.request({ op: 'tools', timeoutMs: 5000 }, 5000).then(
      (tools) => process.stdout.write('answered ' + tools.length + ' tools'),
      (error) => { process.stdout.write('failed ' + error.message); process.exitCode = 1; },
    );
  `;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout) =>
      resolve({ code: error ? (error.code ?? error.signal ?? 'killed') : 0, stdout }),
    );
  });
}

it('never keeps its process alive when idle: a process that never closes its thread exits', async () => {
  expect(await runUnclosedThread(false)).toEqual({ code: 0, stdout: '' });
}, 30_000);

it('keeps its process alive while a request waits for its answer, then lets it exit', async () => {
  // Nothing else keeps that process alive: the answer must still arrive.
  const ended = await runUnclosedThread(true);
  expect(ended.code).toBe(0);
  expect(ended.stdout).toMatch(/^answered \d+ tools$/);
}, 30_000);

it('answers the backlog op, and reports the backlog by itself while delivery runs', async () => {
  const backlogs: unknown[] = [];
  const thread = new MemoryThread(settings(), capturingLogger().logger, new PluginCounters(), {
    onBacklog: (backlog) => backlogs.push(backlog),
  });
  try {
    expect(await thread.request({ op: 'record', writes: [write] }, 5_000)).toEqual(['queued']);
    // Embedded memory: the outcome went into the memory file; the outbox holds only what it refused.
    expect(await thread.request({ op: 'backlog' }, 5_000)).toMatchObject({
      known: true,
      pending: 0,
      estimatedDrainMs: 0,
      circuit: 'closed',
    });
    await thread.request({ op: 'start' }, 5_000);
    await waitFor(() => backlogs.length > 0, 5_000, 'the first backlog report');
    expect(backlogs[0]).toMatchObject({ known: true, pending: 0 });
  } finally {
    await thread.close(1_000);
  }
});
