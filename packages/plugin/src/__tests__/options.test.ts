import { join } from 'node:path';
import { StompyOptionsError, StompyPlugin, type StompyPluginOptions } from '../index';
import { resolveOptions } from '../resolve-options';

// Options are checked when the plugin is constructed, with a message that names the option and how
// to fix it. Constructing a plugin opens nothing: files and connections wait for the first worker.

function refused(options: unknown): string {
  try {
    new StompyPlugin(options as StompyPluginOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(StompyOptionsError);
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
}

describe('invalid options throw at construction', () => {
  it.each([
    [{ memroy: {} }, /unknown option options\.memroy; expected one of memory, rules/],
    [{ memory: { url: 'http://x/mcp', tokn: 't' } }, /unknown option memory\.tokn/],
    [{ memory: { dbPath: 'x', url: 'http://x' } }, /unknown option memory\.dbPath/],
    [{ recall: { budget: 10 } }, /unknown option recall\.budget/],
    [{ outbox: { file: 'x' } }, /unknown option outbox\.file/],
    [{ capture: { arguments: true } }, /unknown option capture\.arguments/],
    [{ memory: { url: 'not a url' } }, /memory\.url "not a url" is not a URL/],
    [{ memory: { url: 'ftp://x/mcp' } }, /memory\.url must be http: or https:/],
    [{ memory: { url: 'https://user:secret@x/mcp' } }, /must not carry credentials; pass memory\.token/],
    [{ memory: { url: 'http://x/mcp', transport: 'websocket' } }, /memory\.transport must be/],
    [{ memory: { command: '' } }, /memory\.command must be a non-empty string/],
    [{ memory: { command: 'x', args: [1] } }, /memory\.args must be an array of strings/],
    [{ memory: { project: 'bad project!' } }, /memory\.project "bad project!" must be 1-64/],
    [{ memory: { timeoutMs: 0 } }, /memory\.timeoutMs must be a number from 1/],
    [{ recall: { budgetMs: -1 } }, /recall\.budgetMs must be a number from 0 to 60000/],
    [{ recall: { budgetMs: NaN } }, /recall\.budgetMs must be a number/],
    [{ recall: { enabled: 'yes' } }, /recall\.enabled must be true or false/],
    [{ rules: {} }, /rules must be an array/],
    [{ rules: [{ tags: ['x'] }] }, /a rule needs a matcher: 'activity'.*or 'workflow'/],
    [{ rules: [{ activity: 'a', workflow: 'w' }] }, /give either 'activity' or 'workflow', not both/],
    [
      { rules: [{ workflow: () => true }] },
      /'workflow' cannot be a predicate: workflow rules run inside the deterministic workflow sandbox/,
    ],
    [
      { rules: [{ workflow: 'W', entities: { customer: 'input.customerId' } }] },
      /'customer' must be a path starting with 'args', 'memo'/,
    ],
    [
      { rules: [{ activity: 'a', entities: { customer: 'args.0.id' }, recall: 'no' }] },
      /recall must be true or false/,
    ],
    [{ rules: [{ activity: 'a', tags: 'orders' }] }, /'tags' must be an array of non-empty strings/],
    [{ rules: [{ activity: 'a', colour: 'red' }] }, /unknown option rules \(activity rule #1\)\.colour/],
    [{ capture: { redactKeys: [1] } }, /capture\.redactKeys must be an array of key names and RegExps/],
  ])('%j', (options, message) => {
    expect(refused(options)).toMatch(message);
  });

  it('never puts a token in an error message', () => {
    expect(refused({ memory: { url: 'https://user:hunter2@x/mcp' } })).not.toContain('hunter2');
  });
});

describe('valid options', () => {
  it('fills every default, and uses the embedded server when no memory is given', () => {
    const resolved = resolveOptions({}, '/srv/app');
    expect(resolved).toMatchObject({
      memory: { kind: 'embedded', dbPath: join('/srv/app', '.stompy/memory.db'), reason: 'default' },
      project: undefined,
      timeoutMs: 10_000,
      recall: { enabled: true, budgetMs: 150, perKeyLimit: 20, cacheTtlMs: 30_000, maxMemories: 10 },
      outbox: {
        path: join('/srv/app', '.stompy/outbox.db'),
        maxBytes: 64 * 1024 * 1024,
        maxEntries: 100_000,
      },
      capture: { args: false, result: false, maxChars: 2_000 },
      shutdownFlushMs: 5_000,
    });
  });

  it('takes an unset URL (say STOMPY_URL is not set) as the embedded server, and says why', () => {
    expect(resolveOptions({ memory: { url: undefined, project: 'orders' } }, '/srv').memory).toEqual({
      kind: 'embedded',
      dbPath: '/srv/.stompy/memory.db',
      reason: 'url-unset',
    });
  });

  it('accepts the README example and serializes workflow rules for the sandbox', () => {
    const resolved = resolveOptions({
      memory: { url: 'https://stompy.example/mcp', token: 't', project: 'orders' },
      rules: [
        {
          activity: 'processOrder',
          tags: ['orders'],
          entities: ([order]) => ({ customer: (order as { customerId: string }).customerId }),
        },
        { activity: /payment/i, tags: ['payment'] },
        { workflow: 'OrderWorkflow', entities: { customer: 'args.0.customerId' } },
        { workflow: /^Billing/i, tags: ['billing'], eventTime: 'args.0.at' },
      ],
    });
    expect(resolved.memory).toMatchObject({ kind: 'http', transport: 'auto', token: 't' });
    expect(resolved.activityRules).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(resolved.workflowRules))).toEqual([
      { match: { exact: 'OrderWorkflow' }, tags: [], entities: { customer: 'args.0.customerId' } },
      { match: { pattern: '^Billing', flags: 'i' }, tags: ['billing'], entities: {}, eventTime: 'args.0.at' },
    ]);
  });

  it('accepts a stdio server with its own environment', () => {
    expect(
      resolveOptions({ memory: { command: 'stompy-memory', args: ['stdio'], env: { A: 'b' } } }).memory,
    ).toEqual({
      kind: 'stdio',
      command: 'stompy-memory',
      args: ['stdio'],
      env: { A: 'b' },
      cwd: undefined,
    });
  });

  it('opens nothing at construction', () => {
    const plugin = new StompyPlugin({
      memory: { dbPath: '/nonexistent/dir/memory.db' },
      outbox: { path: '/nonexistent/o.db' },
    });
    expect(plugin.counters().internalErrors).toBe(0);
  });
});
