import { ConfigError, resolveConfig, type MemoryServerConfig } from '../config';
import { captureLogger } from './helpers/capture-logger';

describe('resolveConfig', () => {
  const logger = captureLogger().logger;

  it('fills in the local profile defaults', () => {
    const config = resolveConfig({ dbPath: 'memory.db', logger });
    expect(config).toMatchObject({
      dbPath: 'memory.db',
      defaultProject: 'default',
      profile: 'local',
      rateLimitPerMinute: null,
      maxContentBytes: 1024 * 1024,
      maxTopicLength: 200,
      noveltyThreshold: null,
    });
    expect(config.now).toBe(Date.now);
    expect(config.logger).toBe(logger);
  });

  it('fills in the hosted profile defaults (hosted Stompy limits)', () => {
    expect(resolveConfig({ dbPath: 'm.db', profile: 'hosted', logger })).toMatchObject({
      profile: 'hosted',
      plan: 'free',
      rateLimitPerMinute: 60,
      burstPer10s: 20,
      rateLimitWindow: 'fixed',
      rateLimitScope: 'request',
      extraTools: [],
      maxContentBytes: 100_000,
      maxTopicLength: 100,
      noveltyThreshold: 0.1,
    });
  });

  it.each([
    ['free', 60, 20],
    ['beta', 60, 20],
    ['pro', 180, 45],
    ['enterprise', 300, 75],
    ['admin', 600, 150],
  ])('gives the %s plan %i calls a minute and %i per 10 seconds', (plan, perMinute, burst) => {
    expect(resolveConfig({ dbPath: 'm.db', profile: 'hosted', plan, logger })).toMatchObject({
      plan,
      rateLimitPerMinute: perMinute,
      burstPer10s: burst,
    });
  });

  it('takes custom numbers over the plan, and lowers the plan burst to a smaller per-minute cap', () => {
    const custom = { dbPath: 'm.db', profile: 'hosted' as const, logger };
    expect(resolveConfig({ ...custom, plan: 'pro', rateLimitPerMinute: 100 })).toMatchObject({
      rateLimitPerMinute: 100,
      burstPer10s: 45,
    });
    expect(resolveConfig({ ...custom, rateLimitPerMinute: 5 })).toMatchObject({ burstPer10s: 5 });
    expect(resolveConfig({ ...custom, rateLimitPerMinute: 50, burstPer10s: 50 })).toMatchObject({
      rateLimitPerMinute: 50,
      burstPer10s: 50,
    });
    expect(resolveConfig({ ...custom, rateLimitPerMinute: null })).toMatchObject({
      rateLimitPerMinute: null,
      burstPer10s: null,
    });
  });

  it('offers every extra tool under local and none under hosted unless asked for', () => {
    const all = ['lock_context_batch', 'context_search_batch', 'outcome_insights'];
    expect(resolveConfig({ dbPath: 'm.db', logger }).extraTools).toEqual(all);
    expect(
      resolveConfig({ dbPath: 'm.db', profile: 'hosted', extraTools: 'all', logger }).extraTools,
    ).toEqual(all);
    expect(
      resolveConfig({
        dbPath: 'm.db',
        profile: 'hosted',
        extraTools: ['outcome_insights', 'lock_context_batch'],
        logger,
      }).extraTools,
    ).toEqual(['lock_context_batch', 'outcome_insights']);
    expect(resolveConfig({ dbPath: 'm.db', extraTools: 'none', logger }).extraTools).toEqual([]);
  });

  it('takes overrides, and null to turn a hosted limit off', () => {
    expect(
      resolveConfig({
        dbPath: 'm.db',
        profile: 'hosted',
        rateLimitPerMinute: 600,
        noveltyThreshold: null,
        defaultProject: 'team.a-1',
        logger,
      }),
    ).toMatchObject({ rateLimitPerMinute: 600, noveltyThreshold: null, defaultProject: 'team.a-1' });
    expect(
      resolveConfig({ dbPath: 'm.db', rateLimitPerMinute: 10, noveltyThreshold: 0.2, logger }),
    ).toMatchObject({
      rateLimitPerMinute: 10,
      noveltyThreshold: 0.2,
    });
  });

  it('creates a logger when none is given', () => {
    expect(typeof resolveConfig({ dbPath: 'm.db' }).logger.info).toBe('function');
  });

  // Values a JavaScript caller (or a CLI flag parser) could pass, whatever the types say.
  it.each<[Record<string, unknown>, RegExp]>([
    [{ dbPath: '' }, /dbPath must be a non-empty path/],
    [{ dbPath: 'm.db', profile: 'cloud' }, /profile must be "local" or "hosted", got "cloud"/],
    [{ dbPath: 'm.db', defaultProject: 'bad name' }, /defaultProject must match/],
    [{ dbPath: 'm.db', rateLimitPerMinute: 0 }, /rateLimitPerMinute must be a positive integer, got 0/],
    [{ dbPath: 'm.db', rateLimitPerMinute: 1.5 }, /rateLimitPerMinute must be a positive integer/],
    [{ dbPath: 'm.db', maxContentBytes: -1 }, /maxContentBytes must be a positive integer/],
    [{ dbPath: 'm.db', maxTopicLength: Number.NaN }, /maxTopicLength must be a positive integer/],
    [{ dbPath: 'm.db', noveltyThreshold: 10 }, /noveltyThreshold must be a number between 0 and 1/],
    [
      { dbPath: 'm.db', plan: 'gold' },
      /plan \(--plan\) must be one of free, beta, pro, enterprise, admin, got "gold"/,
    ],
    [{ dbPath: 'm.db', burstPer10s: 0 }, /burstPer10s must be a positive integer, got 0/],
    [
      { dbPath: 'm.db', profile: 'hosted', rateLimitPerMinute: 10, burstPer10s: 11 },
      /burstPer10s \(--burst-per-10s\) is 11, larger than the per-minute cap 10/,
    ],
    [{ dbPath: 'm.db', profile: 'hosted', burstPer10s: 61 }, /is 61, larger than the per-minute cap 60/],
    [
      { dbPath: 'm.db', extraTools: ['lock_context_batch', 'recall_all'] },
      /unknown tool "recall_all"; the extra tools are/,
    ],
    [{ dbPath: 'm.db', extraTools: 'some' }, /extraTools must be "all", "none" or a list of tool names/],
    [{ dbPath: 'm.db', rateLimitWindow: 'rolling' }, /rateLimitWindow must be one of fixed, sliding/],
  ])('refuses %j', (config, message) => {
    expect(() => resolveConfig({ logger, ...config } as MemoryServerConfig)).toThrow(ConfigError);
    expect(() => resolveConfig({ logger, ...config } as MemoryServerConfig)).toThrow(message);
  });
});
