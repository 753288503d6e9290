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
      rateLimitPerMinute: 60,
      maxContentBytes: 102_400,
      maxTopicLength: 100,
      noveltyThreshold: 0.1,
    });
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
  ])('refuses %j', (config, message) => {
    expect(() => resolveConfig({ logger, ...config } as MemoryServerConfig)).toThrow(ConfigError);
    expect(() => resolveConfig({ logger, ...config } as MemoryServerConfig)).toThrow(message);
  });
});
