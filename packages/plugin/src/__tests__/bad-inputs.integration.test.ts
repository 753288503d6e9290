import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { StompyPlugin, type PluginCounterValues, type StompyPluginOptions } from '../index';
import { McpSession } from '../mcp/mcp-session';
import { StompyClient, type ContextWrite } from '../mcp/stompy-client';
import { OutboxDelivery } from '../recording/delivery/outbox-delivery';
import { systemClock } from '../recording/delivery/delivery-clock';
import type { OutboxDeliveryOptions } from '../recording/delivery/delivery-settings';
import { OutcomeOutbox } from '../recording/outbox/outcome-outbox';
import { PluginCounters } from '../support/plugin-counters';
import { MAX_MEMORY_CONTENT_CHARS } from '../recall/memory-recall';
import * as activities from './helpers/failure-activities';
import { capturingLogger, type CapturedLogs } from './helpers/capturing-logger';
import { MemoryServerDouble, textResult, type DoubleAnswer } from './helpers/memory-server-double';
import { startMemoryOverHttp, type MemoryOverHttp } from './helpers/memory-over-http';
import { readOutboxFile } from './helpers/outbox-file';
import { silentLogger } from './helpers/silent-logger';
import { openTestbed, type Testbed } from './helpers/testbed';

// Bad inputs never reach user code (rule 1): huge and odd arguments, results Temporal itself cannot
// serialize, failures that are not Errors, tag rules that throw or return garbage, and memory servers
// that answer garbage or refuse requests for their size. Each workflow ends exactly as it does without
// the plugin; every problem is logged and counted; no outcome is lost silently or counted as delivered
// when the server did not confirm it.

const workflowsPath = require.resolve('./helpers/failure-workflows');
let bed: Testbed;
let env: TestWorkflowEnvironment;
let memory: MemoryOverHttp;
let queue = 0;

beforeAll(async () => {
  // Temporal's default blob limit is 2 MB: raise it so a multi-MB argument reaches the worker.
  bed = await openTestbed('bad-inputs', {
    server: {
      extraArgs: [
        '--dynamic-config-value',
        'limit.blobSize.error=8388608',
        '--dynamic-config-value',
        'limit.blobSize.warn=8388608',
      ],
    },
  });
  env = bed.env;
  memory = await startMemoryOverHttp(bed.file('memory.db'));
}, 120_000);
afterAll(async () => {
  await memory?.close();
  await bed?.close();
});

/** Runs `fn` with a new worker (with `stompy` when given) on its own task queue. */
async function onWorker<T>(
  stompy: StompyPlugin | undefined,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `bad-inputs-${queue++}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    ...(stompy ? { plugins: [stompy] } : {}),
  });
  return worker.runUntil(fn(taskQueue));
}

/** Runs EchoWorkflow once per payload, one after the other; returns the results and the task queue. */
async function echo(stompy: StompyPlugin | undefined, payloads: unknown[]) {
  return onWorker(stompy, async (taskQueue) => {
    const results: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      results.push(
        await env.client.workflow.execute<
          (input: { customerId: string; payload: unknown }) => Promise<string>
        >('EchoWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-${i}`,
          args: [{ customerId: `C${i}`, payload }],
        }),
      );
    }
    return { results, taskQueue };
  });
}

/** Runs ThreeSteps for one customer on a worker with `stompy`; returns what each attempt recalled. */
async function threeSteps(stompy: StompyPlugin) {
  const { results, taskQueue } = await onWorker(stompy, async (taskQueue) => ({
    taskQueue,
    results: await env.client.workflow.execute<(input: { customerId: string }) => Promise<string[]>>(
      'ThreeSteps',
      { taskQueue, workflowId: `${taskQueue}-0`, args: [{ customerId: 'C1' }] },
    ),
  }));
  const recalled = [...activities.recalled.entries()]
    .filter(([key]) => key.startsWith(`${taskQueue}-0/`))
    .map(([, context]) => context);
  return { results, recalled };
}

const QUIET_OK: Partial<PluginCounterValues> = { outcomesDropped: 0, internalErrors: 0 };

/**
 * The plugin's real outbox (on a file of the testbed), MCP client and delivery loop, delivering to `url`
 * over Streamable HTTP with calls that time out after `timeoutMs`; `close` stops and closes them all.
 */
function deliveryTo(
  url: string,
  file: string,
  timeoutMs: number,
  options: Partial<OutboxDeliveryOptions> = {},
) {
  const log = capturingLogger();
  const counters = new PluginCounters();
  const outbox = new OutcomeOutbox({
    path: bed.file(file),
    logger: log.logger,
    counters,
    ...(options.clock ? { now: options.clock.now } : {}),
  });
  const session = new McpSession(
    { kind: 'http', url: new URL(url), transport: 'streamable-http', token: undefined },
    timeoutMs,
    log.logger,
  );
  const delivery = new OutboxDelivery({
    outbox,
    client: new StompyClient(session, undefined),
    logger: log.logger,
    counters,
    ...options,
  });
  const close = async (): Promise<void> => {
    await delivery.stop();
    await session.close();
    outbox.close();
  };
  return { log, counters, outbox, delivery, close };
}

describe('arguments and results', () => {
  const PAYLOADS = [
    'x'.repeat(3 * 1024 * 1024), // a 3 MB argument
    { nested: { deeper: { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `v${i}` })) } } },
    { unicode: '\u{1F600} ünïcödé \u0000 null byte', empty: '', lone: '\uD800' },
    null,
  ];

  it('passes a 3 MB string, deep nesting, odd Unicode and null through unchanged, with raw capture on', async () => {
    const log = capturingLogger();
    const stompy = new StompyPlugin({
      memory: { url: memory.url },
      outbox: { path: bed.file('capture-outbox.db') },
      capture: { args: true, result: true },
      rules: [
        {
          workflow: 'EchoWorkflow',
          entities: { customer: 'args.0.customerId', payload: 'args.0.payload' },
        },
      ],
      shutdownFlushMs: 15_000,
      logger: log.logger,
    });
    const withPlugin = await echo(stompy, PAYLOADS);
    expect(withPlugin.results).toEqual((await echo(undefined, PAYLOADS)).results);
    expect(stompy.counters()).toMatchObject({
      ...QUIET_OK,
      outcomesQueued: 8,
      outcomesDelivered: 8,
      ruleErrors: 0,
    });
    expect(log.errors()).toEqual([]);
    const stored = memory.topics(`(${withPlugin.taskQueue}-`);
    expect(stored).toHaveLength(8);
    expect(stored.filter((s) => s.versions !== 1 || memory.writes.get(s.topic) !== 1)).toEqual([]);
    // Raw capture is cut at maxChars (2,000): the 3 MB argument becomes a few KB of memory, and the
    // 3 MB string as an entity is cut to a bounded tag.
    expect(Math.max(...stored.map((s) => s.content.length))).toBeLessThan(8_000);
    expect(Math.max(...stored.flatMap((s) => s.tags.map((t) => t.length)))).toBeLessThanOrEqual(100);
  });

  // Results Temporal's own JSON converter turns into something else or cannot serialize at all, and
  // failures that are not Error instances: the workflow sees exactly what it sees without the plugin
  // (a serialization failure is Temporal's error, reported by Temporal, not ours). Left out because
  // Temporal 1.24 itself cannot survive them, with or without the plugin: a function as a result (the
  // workflow task then fails on every attempt, so the run never ends) and an Error whose cause is
  // itself (the failure converter overflows the stack and the worker dies).
  const RESULTS = ['bigint', 'circular', 'toJSON-throws', 'map', 'class', 'date', 'undefined'];
  const FAILURES = ['string', 'undefined', 'object'];

  /** A workflow's ending as data: its result, or its failure's chain of (name, type, message). */
  async function ending(run: Promise<unknown>): Promise<unknown> {
    try {
      return { result: await run };
    } catch (error) {
      const chain: unknown[] = [];
      for (let e: unknown = error; e instanceof Error; e = e.cause) {
        chain.push({ name: e.name, message: e.message, type: (e as { type?: unknown }).type });
      }
      return { failed: chain };
    }
  }

  async function odd(stompy: StompyPlugin | undefined) {
    return onWorker(stompy, async (taskQueue) => {
      const run = (workflow: string, kind: string) =>
        ending(
          env.client.workflow.execute(workflow, {
            taskQueue,
            workflowId: `${taskQueue}-${workflow}-${kind}`,
            args: [kind],
          }),
        );
      return {
        taskQueue,
        endings: await Promise.all([
          ...RESULTS.map((kind) => run('OddResult', kind)),
          ...FAILURES.map((kind) => run('OddFailure', kind)),
        ]),
      };
    });
  }

  it('ends workflows whose activities return non-JSON results or throw non-Errors exactly as without the plugin', async () => {
    const log = capturingLogger();
    const stompy = new StompyPlugin({
      memory: { url: memory.url },
      outbox: { path: bed.file('odd-outbox.db') },
      capture: { args: true, result: true },
      shutdownFlushMs: 15_000,
      logger: log.logger,
    });
    const withPlugin = await odd(stompy);
    const without = await odd(undefined);
    expect(withPlugin.endings).toEqual(without.endings);
    // Sanity: the kinds really are odd (a BigInt cannot be converted; a Map becomes {}).
    expect(JSON.stringify(without.endings[RESULTS.indexOf('bigint')])).toMatch(/Unable to convert/);
    expect(without.endings[RESULTS.indexOf('map')]).toEqual({ result: {} });
    const n = RESULTS.length + FAILURES.length;
    expect(stompy.counters()).toMatchObject({ ...QUIET_OK, outcomesQueued: 2 * n, outcomesDelivered: 2 * n });
    expect(log.errors()).toEqual([]);
    // Every failed attempt is recorded as an issue with a type, even when what was thrown was
    // `undefined` or a plain object.
    const failedActivities = memory
      .topics(`(${withPlugin.taskQueue}-OddFailure-`)
      .filter((s) => s.tags.includes('activity-outcome'));
    expect(failedActivities).toHaveLength(FAILURES.length);
    for (const stored of failedActivities) {
      expect(stored.tags).toEqual(expect.arrayContaining(['status:failed', 'issue']));
      expect(stored.content).not.toMatch(/^Issues: none$/m);
    }
  });
});

describe('tag rules that throw or return garbage', () => {
  it('skips each bad rule, logs and counts it, applies the good ones, and runs the activity as usual', async () => {
    const log = capturingLogger();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const rules: StompyPluginOptions['rules'] = [
      {
        activity: 'describeInput',
        entities: () => {
          throw new Error('entities bug');
        },
      },
      {
        activity: (type) => {
          if (type) throw new Error('matcher bug');
          return false;
        },
      },
      {
        activity: 'describeInput',
        eventTime: () => {
          throw new Error('event time bug');
        },
      },
      { activity: 'describeInput', entities: () => 'not an object' as never },
      { activity: 'describeInput', entities: () => ['C9'] as never },
      { activity: 'describeInput', entities: () => ({ obj: circular as never, fine: 'kept?' }) },
      // Usable: BigInt and boolean values are key values; NaN and undefined mean "no value".
      {
        activity: 'describeInput',
        tags: ['good-rule'],
        entities: () => ({ big: 10n, flag: true, nan: NaN, none: undefined }),
      },
      // An event time far outside what a Date can hold (say nanoseconds taken for milliseconds) is no
      // event time, not an error that costs the rule its tags.
      { activity: 'describeInput', tags: ['far-future'], eventTime: () => 1.7e18 },
      // The same in the workflow sandbox, where a rule cannot log: the run keeps its other keys.
      { workflow: 'EchoWorkflow', entities: { customer: 'args.0.customerId' }, eventTime: 'args.0.payload' },
    ];
    const stompy = new StompyPlugin({
      memory: { url: memory.url },
      outbox: { path: bed.file('rules-outbox.db') },
      rules,
      shutdownFlushMs: 15_000,
      logger: log.logger,
    });
    const payloads = [1.7e18, 1.7e18];
    const withPlugin = await echo(stompy, payloads);
    expect(withPlugin.results).toEqual((await echo(undefined, payloads)).results);

    // Per attempt: the throwing entities, matcher and event time, and the three unusable returns.
    expect(stompy.counters()).toMatchObject({ ...QUIET_OK, ruleErrors: 6 * 2, outcomesDelivered: 4 });
    expect(log.has('an activity tag rule threw')).toBe(true);
    expect(log.has('matcher threw')).toBe(true);
    const reasons = log.lines.map((l) => String((l.err as { message?: string } | undefined)?.message));
    expect(reasons).toEqual(expect.arrayContaining(['entities bug', 'event time bug', 'matcher bug']));
    expect(reasons.filter((r) => /entities must return an object/.test(r))).toHaveLength(2 * 2);
    expect(reasons.filter((r) => /entity 'obj'/.test(r))).toHaveLength(2);

    const stored = memory.topics(`(${withPlugin.taskQueue}-0`);
    const activity = stored.find((s) => s.tags.includes('activity-outcome'));
    const workflow = stored.find((s) => s.tags.includes('workflow-outcome'));
    expect(activity?.tags).toEqual(
      expect.arrayContaining(['good-rule', 'big:10', 'flag:true', 'far-future', 'customer:C0']),
    );
    // Nothing from the skipped rules: no character-indexed garbage from the string, no 'fine:kept?'.
    expect(activity?.tags.filter((t) => /^(0|1|obj|fine|nan|none):/.test(t))).toEqual([]);
    expect(workflow?.tags).toContain('customer:C0');
  });
});

describe('a memory server that answers garbage', () => {
  /** Each call of a tool gets the next answer, round and round. */
  function rotating(answers: CallToolResult[]): DoubleAnswer {
    let next = 0;
    return () => answers[next++ % answers.length]!;
  }
  /** A result the MCP SDK's own server refuses to send (content must be a list): a JSON-RPC error on the wire. */
  const WRONG_SHAPE = { content: 'not a list' } as unknown as CallToolResult;
  const JUNK_TOPIC = 'junk:from-the-double';

  let garbage: MemoryServerDouble;
  beforeAll(async () => {
    garbage = new MemoryServerDouble({
      answers: {
        context_search: rotating([
          textResult('<html>502 Bad Gateway</html>'),
          textResult('{"results": "x", "total_found": "many"}'),
          textResult(
            JSON.stringify({
              results: [{ topic: 1 }, 'junk', { metadata: '{broken' }, { label: JUNK_TOPIC }, null],
            }),
          ),
          { isError: true, content: [] },
          WRONG_SHAPE,
          textResult(`[${'"junk",'.repeat(400_000)}"end"]`), // 3 MB of JSON that is not a search result
        ]),
        lock_context: rotating([
          textResult('stored!'),
          textResult('{}'),
          textResult('{"ok": true, "topic": 7}'),
          { isError: true, content: [] },
          WRONG_SHAPE,
        ]),
        recall_batch: textResult('[1, 2, 3]'),
        recall_context: { isError: true, content: [] },
      },
    });
    await garbage.listen();
  });
  afterAll(async () => garbage?.close());

  it('recalls nothing from it, leaves workflows alone, and counts nothing it did not confirm as delivered', async () => {
    const log = capturingLogger();
    const stompy = new StompyPlugin({
      memory: { url: garbage.url, timeoutMs: 2_000 },
      outbox: { path: bed.file('garbage-outbox.db') },
      // A generous budget, so the garbage is read and judged rather than outwaited.
      recall: { budgetMs: 2_000, cacheTtlMs: 0 },
      rules: [{ workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } }],
      shutdownFlushMs: 300,
      logger: log.logger,
    });
    const { results, recalled } = await threeSteps(stompy);
    expect(results).toEqual(['C1:1', 'C1:2', 'C1:3']);

    // The only memories activities saw are outcomes this worker recorded itself, never the junk.
    const topics = recalled.flatMap((c) => c?.memories.map((m) => m.topic) ?? []);
    expect(topics.filter((t) => !/^temporal:(act|wf):/.test(t))).toEqual([]);
    expect(garbage.callCounts().context_search).toBeGreaterThanOrEqual(6);
    expect(garbage.callCounts().lock_context).toBeGreaterThan(0);

    const counters = stompy.counters();
    expect(counters).toMatchObject({ outcomesQueued: 4, outcomesDelivered: 0, internalErrors: 0 });
    expect(counters.recallsFailed).toBeGreaterThan(0);
    expect(log.has('stompy recall: failed')).toBe(true);
    expect(log.has(/refused writes without a clear reason|memory server unavailable/)).toBe(true);
    // Kept for a later delivery or dead-lettered (loudly): never silently gone.
    const { pending, deadLetters } = readOutboxFile(bed.file('garbage-outbox.db'));
    expect(pending + deadLetters.length).toBe(4);
    expect(deadLetters).toHaveLength(counters.outcomesDropped);
  });

  it('reads what it can of odd but readable answers: a hit with broken metadata and 2 MB of content', async () => {
    const big = `Workflow: Elsewhere (x, run y)\nSuccess: no\nStatus: failed\nIssues: Slow: ${'z'.repeat(2 * 1024 * 1024)}`;
    const odd = new MemoryServerDouble({
      answers: {
        context_search: textResult(
          JSON.stringify({
            results: [
              { label: 'hosted:odd', content: big, rrf_score: 0.5, metadata: '{"tags": ["customer:C1"' },
            ],
            total_found: 1,
          }),
        ),
        lock_context: (args) =>
          textResult(
            JSON.stringify({
              topic: args.topic,
              version: '1.0',
              usage_warning: { used: 55, cap: 60, pct: 'lots', resets_at: 3 },
            }),
          ),
      },
    });
    await odd.listen();
    try {
      const log = capturingLogger();
      const stompy = new StompyPlugin({
        memory: { url: odd.url, timeoutMs: 5_000 },
        outbox: { path: bed.file('odd-answers-outbox.db') },
        recall: { budgetMs: 5_000 },
        rules: [{ workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } }],
        shutdownFlushMs: 10_000,
        logger: log.logger,
      });
      const { results, recalled } = await threeSteps(stompy);
      expect(results).toEqual(['C1:1', 'C1:2', 'C1:3']);
      const first = recalled[0]?.memories.find((m) => m.topic === 'hosted:odd');
      expect(first).toMatchObject({ tags: [], score: 0.5 });
      // Memories are cut to what an activity needs; the summary is read from what is kept.
      expect(first?.content).toBe(`${big.slice(0, MAX_MEMORY_CONTENT_CHARS)}…`);
      expect(recalled[0]?.summaries['customer:C1']).toMatchObject({
        failures: 1,
        commonIssues: [{ type: 'Slow', count: 1 }],
      });
      expect(stompy.counters()).toMatchObject({
        ...QUIET_OK,
        outcomesQueued: 4,
        outcomesDelivered: 4,
        recallsFailed: 0,
      });
      expect(log.errors()).toEqual([]);
    } finally {
      await odd.close();
    }
  });
});

/**
 * The delivery loop on its own (the plugin's real outbox, client and delivery, with retries sped up so
 * the rules play out in milliseconds) against a garbage double over HTTP: which answers keep an entry
 * for a later try, which send it to the dead letters at once, and which after a bounded number of tries.
 */
describe('delivery against garbage, per the rules', () => {
  const MAX_UNCLEAR = 3;
  let files = 0;

  /** Queues `count` writes and flushes them to a double answering `lock_context` (and maybe more) so. */
  async function deliver(
    answers: Record<string, DoubleAnswer>,
    count = 1,
    options: Partial<OutboxDeliveryOptions> = {},
  ) {
    const double = new MemoryServerDouble({ answers: { recall_batch: textResult('[1, 2, 3]'), ...answers } });
    await double.listen();
    const { log, counters, outbox, delivery, close } = deliveryTo(
      double.url,
      `delivery-${files++}.db`,
      2_000,
      {
        callTimeoutMs: 2_000,
        backoffInitialMs: 1,
        backoffMaxMs: 5,
        circuitCoolDownMs: 20,
        maxUnclearAttempts: MAX_UNCLEAR,
        kickDebounceMs: 0,
        idlePollMs: 20,
        ...options,
      },
    );
    const writes = Array.from({ length: count }, (_, i): ContextWrite => ({
      topic: `temporal:act:default:wf-1:run-1:a${i + 1}:1`,
      content: `Workflow: W (wf-1, run run-1)\nActivity: a, attempt ${i + 1}\nSuccess: yes`,
      tags: ['temporal'],
      priority: 'reference',
    }));
    try {
      for (const write of writes) expect(outbox.enqueue(write)).toBe('queued');
      delivery.start();
      const flushed = await delivery.flush(1_000);
      return {
        flushed,
        counters: counters.snapshot(),
        dead: outbox.deadLetters(),
        calls: double.callCounts(),
        log,
      };
    } finally {
      await close();
      await double.close();
    }
  }

  /** A recall_batch that finds every topic asked for (the older list form). */
  const foundAll: DoubleAnswer = (args) =>
    textResult(
      JSON.stringify(
        (args.topics as string[]).map((topic) => ({ topic, found: true, content: 'x', version: '1.0' })),
      ),
    );

  function expectDeadLetteredAfterTries(
    result: Awaited<ReturnType<typeof deliver>>,
    reason: RegExp,
    log: CapturedLogs = result.log,
  ): void {
    expect(result.flushed.remaining).toBe(0);
    expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 1, internalErrors: 0 });
    expect(result.dead).toHaveLength(1);
    expect(result.dead[0]?.reason).toMatch(reason);
    expect(result.dead[0]?.reason).toContain(`gave up after ${MAX_UNCLEAR} attempts`);
    expect(result.counters.deliveryRetries).toBe(MAX_UNCLEAR - 1);
    expect(log.has('refused an outcome for good', 50)).toBe(true);
    expect(log.has('refused writes without a clear reason')).toBe(true);
  }

  it('isError without a body: retried a bounded number of times, then dead-lettered', async () => {
    const result = await deliver({ lock_context: { isError: true, content: [] } });
    expectDeadLetteredAfterTries(result, /tool call failed/);
    expect(result.calls).toEqual({ lock_context: MAX_UNCLEAR });
  });

  it.each([
    ['non-JSON text', textResult('stored, I think')],
    ['a JSON object without a version', textResult('{}')],
    [
      'a wrong shape the SDK refuses (a JSON-RPC error)',
      { content: 'not a list' } as unknown as CallToolResult,
    ],
  ])(
    'an unreadable answer (%s): checked with recall_batch before each new try, then dead-lettered',
    async (_name, answer) => {
      const result = await deliver({ lock_context: answer });
      expectDeadLetteredAfterTries(result, /malformed_result/);
      // Between two writes, a check that the first did not arrive after all.
      expect(result.calls).toEqual({ lock_context: MAX_UNCLEAR, recall_batch: MAX_UNCLEAR - 1 });
    },
  );

  it('an unreadable answer after which recall_batch finds the topic stored: delivered, not written again', async () => {
    const result = await deliver({ lock_context: textResult('OK'), recall_batch: foundAll });
    expect(result.counters).toMatchObject({ outcomesDelivered: 1, outcomesDropped: 0, internalErrors: 0 });
    expect(result.calls).toEqual({ lock_context: 1, recall_batch: 1 });
  });

  it('an unreadable answer to a batch write: every entry is checked before it is written again', async () => {
    const result = await deliver(
      {
        lock_context_batch: textResult('all good'),
        lock_context: { isError: true, content: [] },
        recall_batch: foundAll,
      },
      5,
    );
    expect(result.counters).toMatchObject({ outcomesDelivered: 5, outcomesDropped: 0, internalErrors: 0 });
    // One batch call, one check that finds all five stored, and no write sent twice.
    expect(result.calls).toEqual({ lock_context_batch: 1, recall_batch: 1 });
  });

  it.each([
    [
      'isError with a code',
      { isError: true, ...textResult('{"error": "invalid_input", "message": "bad tags"}') },
    ],
    ['an error in a body without isError', textResult('{"error": "invalid_input", "message": "bad tags"}')],
  ])('a refusal that says why (%s): dead-lettered at once, logged', async (_name, answer) => {
    const result = await deliver({ lock_context: answer });
    expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 1, deliveryRetries: 0 });
    expect(result.dead[0]?.reason).toMatch(/^invalid_input: .*bad tags/);
    expect(result.calls).toEqual({ lock_context: 1 });
    expect(result.log.has('refused an outcome for good', 50)).toBe(true);
  });

  // A clock that moves 1 ms at every reading, and a retry delay of `delay` ms: for some delay the
  // entry becomes due between the moment delivery looks for due entries and the moment it asks when
  // the next one is due. A flush must then look again, not conclude there is nothing left to wait for.
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'a retried entry that becomes due while delivery looks is still delivered by the flush (delay %i ms)',
    async (delay) => {
      let now = 1_000_000;
      const tick = (): number => (now += 1);
      let lockCalls = 0;
      const result = await deliver(
        {
          lock_context: (args) =>
            ++lockCalls === 1
              ? { isError: true, content: [] }
              : textResult(JSON.stringify({ topic: args.topic, version: '1.0' })),
        },
        1,
        {
          clock: { ...systemClock, now: tick },
          random: () => (delay + 0.5) / 20,
          backoffInitialMs: 20,
          backoffMaxMs: 20,
        },
      );
      expect(result.flushed).toEqual({ delivered: 1, remaining: 0 });
      expect(result.counters).toMatchObject({ outcomesDelivered: 1, deliveryRetries: 1, outcomesDropped: 0 });
    },
  );

  it('a rate limit said only in prose: kept and retried, never dropped', async () => {
    const result = await deliver({
      lock_context: { isError: true, ...textResult('Rate limit exceeded. Try again later.') },
    });
    expect(result.counters).toMatchObject({ outcomesDelivered: 0, outcomesDropped: 0, internalErrors: 0 });
    expect(result.counters.deliveryRetries).toBeGreaterThan(0);
    expect(result.flushed.remaining).toBe(1);
    expect(result.log.has('rate limit')).toBe(true);
  });
});

/**
 * Outcomes with large raw captures against a real memory server whose request limit is lowered to
 * 256 KiB (the default is 4 MiB; lowering it makes the case cheap to build): a batch bigger than the
 * limit is sent again one by one, and a single outcome bigger than the limit goes to the dead letters,
 * loudly, instead of blocking delivery forever.
 */
describe('outcomes larger than the server accepts', () => {
  let small: MemoryOverHttp;
  beforeAll(async () => {
    small = await startMemoryOverHttp(bed.file('small-memory.db'), { maxBodyBytes: 256 * 1024 });
  });
  afterAll(async () => small?.close());

  it('delivers a batch too large for one request one by one', async () => {
    const { log, counters, outbox, delivery, close } = deliveryTo(small.url, 'large-batch-outbox.db', 5_000);
    try {
      for (let i = 0; i < 8; i++) {
        outbox.enqueue({
          topic: `large-batch-${i}`,
          content: `Workflow: Large (large-batch-${i})\n${'y'.repeat(90_000)}`,
          tags: ['temporal'],
          priority: 'reference',
        });
      }
      delivery.start();
      expect(await delivery.flush(5_000)).toEqual({ delivered: 8, remaining: 0 });
      expect(counters.snapshot()).toMatchObject({
        outcomesDelivered: 8,
        outcomesDropped: 0,
        internalErrors: 0,
      });
      expect(log.has('batch write refused; sending these one by one')).toBe(true);
      const stored = small.topics('(large-batch-');
      expect(stored).toHaveLength(8);
      expect(stored.filter((s) => small.writes.get(s.topic) !== 1)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('runs workflows with large captured arguments as usual; an outcome over the size limit is cut to fit, and all delivered', async () => {
    const stompy = new StompyPlugin({
      memory: { url: small.url },
      outbox: { path: bed.file('large-outbox.db') },
      capture: { args: true, maxChars: 100_000 },
      shutdownFlushMs: 15_000,
      logger: silentLogger,
    });
    // 90,000 ASCII characters make a 90 KB outcome; 100,000 '€' would make 300 KB, over hosted
    // Stompy's 100 KB: the plugin cuts the captured lines to fit instead of losing the outcome.
    const payloads = ['a'.repeat(90_000), '€'.repeat(100_000), 'b'.repeat(90_000)];
    const withPlugin = await echo(stompy, payloads);
    expect(withPlugin.results).toEqual((await echo(undefined, payloads)).results);
    expect(stompy.counters()).toMatchObject({
      outcomesQueued: 6,
      outcomesDelivered: 6,
      outcomesDropped: 0,
      internalErrors: 0,
    });
    expect(readOutboxFile(bed.file('large-outbox.db')).deadLetters).toHaveLength(0);
    const stored = small.topics(`(${withPlugin.taskQueue}-`);
    expect(stored).toHaveLength(6);
    const cut = stored.filter((s) => s.content.endsWith('… (cut to fit the memory server)'));
    expect(cut.map((s) => s.content)).toEqual([expect.stringContaining('€€€')]);
    expect(Buffer.byteLength(cut[0]?.content ?? '')).toBeLessThanOrEqual(96 * 1024);
  });
});
