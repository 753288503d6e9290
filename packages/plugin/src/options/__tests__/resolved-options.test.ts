import { join } from 'node:path';
import pino from 'pino';
import { StompyPlugin, type StompyPluginOptions } from '../../index';
import { resolveOptions } from '../resolve-options';

// Good options resolve to what the plugin runs with: every default filled, paths resolved against the
// working directory, the embedded server when no memory is given (and why), workflow rules as plain
// JSON for the sandbox. Constructing a plugin opens nothing: files and connections wait for the first
// worker.

describe('valid options', () => {
  it('fills every default, and uses the embedded server when no memory is given', () => {
    expect(resolveOptions({}, '/srv/app')).toEqual({
      memory: { kind: 'embedded', dbPath: join('/srv/app', '.stompy/memory.db'), reason: 'default' },
      project: undefined,
      timeoutMs: 10_000,
      callBudget: undefined,
      activityRules: [],
      workflowRules: [],
      recall: {
        enabled: true,
        budgetMs: 150,
        perKeyLimit: 20,
        cacheTtlMs: 30_000,
        maxMemories: 10,
        halfLifeDays: 28,
      },
      outbox: {
        path: join('/srv/app', '.stompy/outbox.db'),
        maxBytes: 64 * 1024 * 1024,
        maxEntries: 100_000,
      },
      capture: { args: false, result: false, redactKeys: expect.any(Array) as unknown, maxChars: 2_000 },
      shutdownFlushMs: 5_000,
    });
  });

  it('takes `memory: { url: undefined }` (say STOMPY_URL is not set) as the embedded server, and says why', () => {
    const resolved = resolveOptions(
      { memory: { url: undefined, project: 'orders', timeoutMs: 500 } },
      '/srv',
    );
    expect(resolved.memory).toEqual({
      kind: 'embedded',
      dbPath: '/srv/.stompy/memory.db',
      reason: 'url-unset',
    });
    expect(resolved).toMatchObject({ project: 'orders', timeoutMs: 500 });
    // The empty string an unset variable becomes in some shells means the same.
    expect(resolveOptions({ memory: { url: '' } }, '/srv').memory).toMatchObject({ reason: 'url-unset' });
  });

  it('accepts every option at once, and resolves paths against the working directory', () => {
    const logger = pino({ level: 'silent' });
    const options: StompyPluginOptions = {
      memory: {
        url: 'https://stompy.example/mcp',
        token: 't0ken',
        project: 'orders.v2',
        transport: 'streamable-http',
        timeoutMs: 2_000,
        maxCallsPerMinute: 60,
        burst: 20,
      },
      rules: [
        {
          activity: 'processOrder',
          tags: ['orders'],
          entities: ([order]) => ({ customer: (order as { customerId: string }).customerId }),
          eventTime: (_args, info) => info.scheduledTimestampMs,
          recall: false,
        },
        {
          activity: /payment/i,
          tags: ['payment'],
          entities: { card: 'args.0.cardId' },
          eventTime: 'args.0.at',
          timeZone: 'America/New_York',
        },
        { activity: (type) => type.startsWith('ship') },
        { workflow: 'OrderWorkflow', entities: { customer: 'args.0.customerId', region: 'memo.region' } },
        { workflow: /^Billing/i, tags: ['billing'], eventTime: 'args.0.at', timeZone: 'Europe/Berlin' },
      ],
      recall: { enabled: true, budgetMs: 0, perKeyLimit: 5, cacheTtlMs: 0, maxMemories: 0 },
      outbox: { path: 'var/outbox.db', maxBytes: 1024, maxEntries: 10 },
      capture: { args: true, result: true, redactKeys: ['pin', /secret/i], maxChars: 16 },
      shutdownFlushMs: 0,
      logger,
    };
    expect(() => new StompyPlugin(options)).not.toThrow();
    const resolved = resolveOptions(options, '/srv/app');
    expect(resolved).toMatchObject({
      memory: { kind: 'http', transport: 'streamable-http', token: 't0ken' },
      project: 'orders.v2',
      timeoutMs: 2_000,
      callBudget: { perMinute: 60, burstPer10s: 20, recallFloor: 0.5 },
      recall: { enabled: true, budgetMs: 0, perKeyLimit: 5, cacheTtlMs: 0, maxMemories: 0 },
      outbox: { path: '/srv/app/var/outbox.db', maxBytes: 1024, maxEntries: 10 },
      capture: { args: true, result: true, maxChars: 16 },
      shutdownFlushMs: 0,
    });
    expect(resolved.memory.kind === 'http' && resolved.memory.urls.map((u) => u.href)).toEqual([
      'https://stompy.example/mcp',
    ]);
    expect(resolved.activityRules).toHaveLength(3);
    // Workflow rules reach the sandbox as plain JSON.
    expect(JSON.parse(JSON.stringify(resolved.workflowRules))).toEqual([
      {
        match: { exact: 'OrderWorkflow' },
        tags: [],
        entities: { customer: 'args.0.customerId', region: 'memo.region' },
      },
      {
        match: { pattern: '^Billing', flags: 'i' },
        tags: ['billing'],
        entities: {},
        eventTime: 'args.0.at',
        timeZone: 'Europe/Berlin',
      },
    ]);
  });

  it('accepts a stdio server with its own environment, and an embedded server on a given file', () => {
    expect(
      resolveOptions({ memory: { command: 'stompy-memory', args: ['stdio'], env: { A: 'b' }, cwd: '/w' } })
        .memory,
    ).toEqual({ kind: 'stdio', command: 'stompy-memory', args: ['stdio'], env: { A: 'b' }, cwd: '/w' });
    expect(resolveOptions({ memory: { dbPath: 'mem.db' } }, '/srv').memory).toEqual({
      kind: 'embedded',
      dbPath: '/srv/mem.db',
      reason: 'configured',
    });
  });

  it('takes null groups as absent', () => {
    expect(resolveOptions({ memory: null, recall: null } as never, '/srv')).toMatchObject({
      memory: { kind: 'embedded', reason: 'default' },
      recall: { enabled: true },
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
