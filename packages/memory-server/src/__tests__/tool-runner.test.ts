import type { MemoryServerConfig } from '../config';
import { createToolRunner, type ToolRunner } from '../tools/tool-runner';
import type { ToolOutcome } from '../tools/tool-outcome';
import { connectInMemory } from './helpers/connect-in-memory';
import { openToolHarness, type ToolCall, type ToolHarness } from './helpers/tool-harness';

// The in-process runner must answer exactly as the MCP server does. Two twin servers (each its own
// SQLite file, fake clock and rate limiter, same configuration) get the same calls in the same
// order: one through a real MCP client, one through the runner. Every body must be equal, and so
// must what each server logged.

/** One call of a scenario: a tool and its arguments. */
type Step = readonly [tool: string, args: Record<string, unknown>];

const NOTE = Array.from({ length: 40 }, (_, i) => `line ${i} says the parcel left depot ${i % 5}.`).join(' ');
const LONE_SURROGATE = '\uD800';
const FACTS = {
  kind: 'activity',
  workflowType: 'OrderWorkflow',
  activityType: 'chargePayment',
  failed: true,
  issue: 'GatewayTimeout',
  durationMs: 5000,
  eventTimeMs: Date.UTC(2026, 0, 6, 15),
  timeZone: 'UTC',
  window: 39,
};

/** Successes, store refusals and SDK refusals of every tool, in the local profile. */
const LOCAL_STEPS: readonly Step[] = [
  [
    'lock_context',
    { topic: 'orders/C1', content: 'late delivery', tags: 'customer:C1,late', priority: 'important' },
  ],
  ['lock_context', { topic: 'orders/C1', content: 'late delivery' }],
  [
    'lock_context',
    { topic: 'orders/C1', content: 'refunded', tags: ['customer:C1'], project: null, force_store: null },
  ],
  ['lock_context', { topic: 'orders/C2', content: 'on time', unknown_argument: 'dropped' }],
  ['lock_context', { topic: 'bad;topic', content: 'x' }],
  ['lock_context', { topic: 'emoji', content: `broken ${LONE_SURROGATE}` }],
  ['lock_context', { topic: 'orders/C3', content: 123 }],
  ['lock_context', { topic: 42, content: 'c' }],
  ['lock_context', { topic: 'orders/C3' }],
  ['lock_context', { topic: 'orders/C3', content: 'c', priority: 'urgent', force_store: 'yes' }],
  ['recall_context', { topic: 'orders/C1' }],
  ['recall_context', { topic: 'orders/C1', version: '1.0' }],
  ['recall_context', { topic: 'orders/none' }],
  ['recall_context', { topic: 'orders/C1', version: 'v1' }],
  ['recall_batch', { topics: ['orders/C1', 'orders/C2', 'orders/none'] }],
  ['recall_batch', { topics: ['orders/C1'], preview_only: true }],
  ['recall_batch', { topics: [] }],
  ['recall_batch', { topics: 'orders/C1' }],
  ['context_search', { query: 'late delivery', tags: 'customer:C1' }],
  ['context_search', { query: '', priority: 'important', limit: 5 }],
  ['context_search', { query: 'NEAR( "unbalanced' }],
  ['context_search', { query: 'late', limit: 2.5 }],
  ['context_search', { query: 'late', limit: '10' }],
  ['context_explore', { limit: 10 }],
  ['context_explore', { limit: 0 }],
  ['context_dashboard', {}],
  ['context_dashboard', { project: 'no such project!' }],
  [
    'lock_context_batch',
    {
      contexts: [
        { topic: 'b/1', content: 'one' },
        { topic: 'bad topic', content: 'two' },
        { topic: 'b/2', content: '' },
      ],
    },
  ],
  ['lock_context_batch', { contexts: [] }],
  [
    'context_search_batch',
    {
      searches: [
        { query: 'late', tags: 'customer:C1' },
        { query: 'x', tags: 'bad tag!' },
        { query: '', limit: 2 },
      ],
    },
  ],
  ['context_search_batch', { searches: [] }],
  ['context_search_batch', { searches: [{ tags: 'customer:C1' }] }],
  ['lock_context_batch', { contexts: [{ topic: 'b/3' }] }],
  [
    'lock_context_batch',
    {
      contexts: [
        { topic: 'o/1', content: 'failed', outcome: { keys: ['customer:C1'], facts: FACTS } },
        { topic: 'o/2', content: 'bad facts', outcome: { keys: ['customer:C1'], facts: { kind: 'job' } } },
      ],
    },
  ],
  ['outcome_insights', { keys: ['customer:C1', 'customer:C2'], half_life_days: 7 }],
  ['outcome_insights', { keys: [] }],
  ['outcome_insights', { keys: ['customer:C1'], half_life_days: '7' }],
  ['unlock_context', { topic_pattern: '*' }],
  ['unlock_context', { topic: 'orders/C1', version: 'latest' }],
  ['unlock_context', { topic_pattern: 'b/*', archive: false }],
  ['unlock_context', { topic: 'orders/C2', archive: 'no' }],
  ['drop_context', { topic: 'orders/C1' }],
  ['context_dashboard', {}],
];

/** The hosted profile's novelty gate and usage warning, then its rate limit (5 a minute here). */
const HOSTED_STEPS: readonly Step[] = [
  ['lock_context', { topic: 'notes', content: NOTE }],
  ['lock_context', { topic: 'notes', content: `${NOTE} One more.` }],
  ['lock_context', { topic: 'notes', content: `${NOTE} One more.`, force_store: true }],
  ['recall_context', { topic: 'notes' }],
  ['unlock_context', { topic: 'notes', version: 'latest' }],
  ['lock_context', { topic: 'x', content: 'over the limit' }],
  ['context_dashboard', { project: 42 }],
  ['no_such_tool', {}],
  ['context_dashboard', {}],
];

/** The body an MCP client reads: the JSON text, or the SDK's plain-text refusal as the runner words it. */
function bodyOverMcp(result: ToolCall): unknown {
  if (result.json !== undefined) {
    if (!result.isError) expect(result.structured).toEqual(result.json);
    return result.json;
  }
  const sdk = /^MCP error -32602: (.*)$/s.exec(result.text);
  if (sdk?.[1] === undefined) throw new Error(`unexpected MCP answer: ${result.text}`);
  const message = sdk[1];
  return { error: /^Tool \S+ not found$/.test(message) ? 'unknown_tool' : 'invalid_params', message };
}

/** Log lines without what differs between two servers by nature (time, process). */
function comparable(logs: ReadonlyArray<Record<string, unknown>>): unknown[] {
  return logs.map(({ time: _time, pid: _pid, hostname: _hostname, ...line }) => line);
}

describe('the in-process tool runner', () => {
  let overMcp: ToolHarness;
  let twin: ToolHarness;
  let runner: ToolRunner;

  async function openTwins(config: Partial<MemoryServerConfig> = {}): Promise<void> {
    overMcp = await openToolHarness({ config });
    twin = await openToolHarness({ config });
    runner = createToolRunner(twin.deps);
  }
  afterEach(async () => {
    await overMcp.close();
    await twin.close();
  });

  /** Runs the steps on both twins, checks each pair of answers is the same, and returns the runner's. */
  async function expectSameAnswers(
    steps: readonly Step[],
    between?: (index: number) => void,
  ): Promise<ToolOutcome[]> {
    const outcomes: ToolOutcome[] = [];
    for (const [index, [tool, args]] of steps.entries()) {
      between?.(index);
      const mcp = await overMcp.call(tool, args);
      const direct: ToolOutcome = await runner.call(tool, args);
      expect({ step: index, tool, isError: direct.isError, body: direct.body }).toStrictEqual({
        step: index,
        tool,
        isError: mcp.isError,
        body: bodyOverMcp(mcp),
      });
      outcomes.push(direct);
    }
    expect(comparable(twin.logs)).toEqual(comparable(overMcp.logs));
    return outcomes;
  }

  /** The refusal code of each outcome; undefined for a success. */
  const codes = (outcomes: readonly ToolOutcome[]) =>
    outcomes.map((outcome) => (outcome.isError ? outcome.body.error : undefined));

  it('names the tools tools/list names, in its order', async () => {
    await openTwins();
    const { tools } = await overMcp.client.listTools();
    expect(runner.toolNames).toEqual(tools.map((tool) => tool.name));
    expect(Object.isFrozen(runner.toolNames)).toBe(true);
  });

  it('answers every tool as MCP does: successes, store refusals, bad arguments, unknown tools', async () => {
    await openTwins();
    const outcomes = await expectSameAnswers(LOCAL_STEPS);
    expect(new Set(codes(outcomes))).toEqual(
      new Set([undefined, 'invalid_input', 'not_found', 'invalid_params', 'unknown_tool']),
    );
    const called = new Set(LOCAL_STEPS.map(([tool]) => tool));
    for (const tool of runner.toolNames) expect(called).toContain(tool);
  });

  it('answers as MCP does in the hosted profile: novelty gate, usage warning, rate limit', async () => {
    await openTwins({ profile: 'hosted', rateLimitPerMinute: 5 });
    const outcomes = await expectSameAnswers(HOSTED_STEPS, (index) => {
      if (index === HOSTED_STEPS.length - 1) {
        overMcp.clock.advance(61_000);
        twin.clock.advance(61_000);
      }
    });
    expect(codes(outcomes)).toEqual([
      undefined,
      'insufficient_novelty',
      undefined,
      undefined,
      undefined,
      'rate_limit_exceeded',
      'invalid_params',
      'unknown_tool',
      undefined,
    ]);
    expect(outcomes[4]?.body).toHaveProperty('usage_warning.used', 5);
  });

  it('words the refusals the SDK makes before a tool runs as documented', async () => {
    await openTwins();
    expect(await runner.call('drop_context', {})).toStrictEqual({
      isError: true,
      body: { error: 'unknown_tool', message: 'Tool drop_context not found' },
    });
    expect(await runner.call('context_search', { query: 'x', limit: '10' })).toStrictEqual({
      isError: true,
      body: {
        error: 'invalid_params',
        message:
          'Input validation error: Invalid arguments for tool context_search: Invalid input: expected number, received string at limit',
      },
    });
    expect(await runner.call('context_dashboard')).toMatchObject({
      isError: false,
      body: { total_topics: 0 },
    });
  });

  it('counts its calls against the rate limit of the MCP servers sharing its deps', async () => {
    await openTwins({ profile: 'hosted', rateLimitPerMinute: 2 });
    const shared = createToolRunner(overMcp.deps);
    const second = await connectInMemory(overMcp.deps);
    try {
      expect((await shared.call('context_dashboard', {})).isError).toBe(false);
      await overMcp.ok('context_dashboard');
      expect((await shared.call('context_dashboard', {})).body).toMatchObject({
        error: 'rate_limit_exceeded',
      });
      expect((await second.client.callTool({ name: 'context_dashboard', arguments: {} })).isError).toBe(true);
    } finally {
      await second.close();
    }
  });
});
