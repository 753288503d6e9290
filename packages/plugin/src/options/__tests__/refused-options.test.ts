import { StompyOptionsError, StompyPlugin, type StompyPluginOptions } from '../../index';

// A bad option is refused when the plugin is constructed, with a message that names the option and
// says how to fix it, so it never gets as far as a worker: unknown keys at every level, the memory
// connection, tag rules, and the recall, outbox, capture, shutdown and logger options.

/** The message of the StompyOptionsError the options are refused with (fails if they are accepted). */
function refused(options: unknown): string {
  let thrown: unknown;
  try {
    new StompyPlugin(options as StompyPluginOptions);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StompyOptionsError);
  expect(thrown).toBeInstanceOf(TypeError); // a programming error, as Node reports bad arguments
  const message = (thrown as Error).message;
  expect(message).toMatch(/^StompyPlugin: /);
  return message;
}

/** Test rows named by their options, readably: NaN, Infinity, functions and RegExps as themselves. */
function cases(rows: [unknown, RegExp][]): [string, unknown, RegExp][] {
  const label = (options: unknown): string =>
    JSON.stringify(options, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) return `<${value}>`;
      if (typeof value === 'function') return '<function>';
      if (value instanceof RegExp) return `<${String(value)}>`;
      if (value === console) return '<console>';
      return value;
    });
  return rows.map(([options, message]) => [label(options), options, message]);
}

describe('unknown keys are refused at every level, with the keys that are allowed', () => {
  it.each(
    cases([
      [{ memroy: {} }, /unknown option options\.memroy; expected one of memory, rules, recall/],
      [
        { memory: { url: 'http://x/mcp', tokn: 't' } },
        /unknown option memory\.tokn; expected one of .*token/,
      ],
      [{ memory: { command: 'x', argv: [] } }, /unknown option memory\.argv; expected one of .*args/],
      [{ memory: { dbpath: 'x' } }, /unknown option memory\.dbpath; expected one of .*dbPath/],
      // A key of another connection kind names both ways of choosing one.
      [{ memory: { dbPath: 'x', url: 'http://x' } }, /unknown option memory\.dbPath/],
      [{ memory: { token: 't' } }, /unknown option memory\.token.*give memory\.url for a server over HTTP/],
      [{ recall: { budget: 10 } }, /unknown option recall\.budget; expected one of enabled, budgetMs/],
      [{ outbox: { file: 'x' } }, /unknown option outbox\.file; expected one of path, maxBytes/],
      [{ capture: { arguments: true } }, /unknown option capture\.arguments; expected one of args, result/],
      [{ rules: [{ activity: 'a', colour: 'red' }] }, /unknown option rules\[0\] \(activity rule\)\.colour/],
      [
        { rules: [{ activity: 'a' }, { workflow: 'W', recall: false }] },
        /unknown option rules\[1\] \(workflow rule\)\.recall; expected one of workflow, tags, entities, eventTime/,
      ],
    ]),
  )('%s', (_name, options, message) => {
    expect(refused(options)).toMatch(message);
  });
});

describe('memory connection', () => {
  it.each(
    cases([
      [{ memory: { url: 'not a url' } }, /memory\.url "not a url" is not a URL; expected e\.g\. https:/],
      [{ memory: { url: 'ftp://x/mcp' } }, /memory\.url must be http: or https:, not ftp:/],
      [{ memory: { url: 'file:///tmp/mcp' } }, /memory\.url must be http: or https:, not file:/],
      [{ memory: { url: 'https://user:secret@x/mcp' } }, /must not carry credentials; pass memory\.token/],
      [{ memory: { url: 'https://:secret@x/mcp' } }, /must not carry credentials/],
      [{ memory: { url: 42 } }, /memory\.url must be a string/],
      [{ memory: { url: 'http://x/mcp', token: 42 } }, /memory\.token must be a string/],
      [
        { memory: { url: 'http://x/mcp', transport: 'websocket' } },
        /memory\.transport must be 'auto', 'streamable-http' or 'sse'/,
      ],
      [{ memory: { command: '' } }, /memory\.command must be a non-empty string/],
      [{ memory: { command: 'x', args: [1] } }, /memory\.args must be an array of strings/],
      [{ memory: { command: 'x', env: { A: 1 } } }, /memory\.env must map names to strings/],
      [{ memory: { command: 'x', env: null } }, /memory\.env must map names to strings/],
      [{ memory: { project: 'bad project!' } }, /memory\.project "bad project!" must be 1-64 letters/],
      [{ memory: { project: '' } }, /memory\.project "" must be 1-64/],
      [{ memory: { project: 'p'.repeat(65) } }, /memory\.project "p+" must be 1-64/],
      [{ memory: { project: '-leading-dash' } }, /memory\.project "-leading-dash" must be/],
      [{ memory: { timeoutMs: 0 } }, /memory\.timeoutMs must be a number from 1 to 600000, not 0/],
      [{ memory: { maxCallsPerMinute: -5 } }, /memory\.maxCallsPerMinute must be a number from 1/],
      [{ memory: { burst: 20 } }, /memory\.burst and memory\.recallShare apply to memory\.maxCallsPerMinute/],
      [{ memory: { maxCallsPerMinute: 60, burst: 61 } }, /memory\.burst \(61\) cannot be more than/],
      [
        { memory: { maxCallsPerMinute: 60, recallShare: 1 } },
        /memory\.recallShare must be over 0 and under 1/,
      ],
      [
        { memory: 'http://x/mcp' },
        /memory must be an object such as \{ url: \.\.\. \}, not "http:\/\/x\/mcp"/,
      ],
    ]),
  )('%s', (_name, options, message) => {
    expect(refused(options)).toMatch(message);
  });

  it('never puts a credential from the URL in the message', () => {
    expect(refused({ memory: { url: 'https://user:hunter2@x/mcp' } })).not.toContain('hunter2');
    expect(refused({ memory: { url: 'https://user:hunter2@' } })).not.toContain('hunter2');
  });
});

describe('tag rules', () => {
  it.each(
    cases([
      [{ rules: {} }, /rules must be an array of tag rules/],
      [{ rules: [{ tags: ['x'] }] }, /rules\[0\]: a rule needs a matcher: 'activity'.*or 'workflow'/],
      [{ rules: [null] }, /rules\[0\]: a rule needs a matcher/],
      [{ rules: [{ activity: 'a' }, 'W'] }, /rules\[1\]: a rule needs a matcher/],
      [
        { rules: [{ activity: 'a', workflow: 'w' }] },
        /rules\[0\] \(activity rule\): give either 'activity' or 'workflow', not both/,
      ],
      [
        { rules: [{ activity: '' }] },
        /rules\[0\] \(activity rule\): 'activity' must be a type name, a RegExp or a predicate/,
      ],
      [{ rules: [{ activity: 42 }] }, /'activity' must be a type name, a RegExp or a predicate/],
      [
        { rules: [{ workflow: () => true }] },
        /rules\[0\] \(workflow rule\): 'workflow' cannot be a predicate: workflow rules run inside the deterministic workflow sandbox/,
      ],
      [{ rules: [{ workflow: '' }] }, /'workflow' must be a type name or a RegExp/],
      // Bad entity paths: a root the rule cannot read, not a string, or no map at all.
      [
        { rules: [{ workflow: 'W', entities: { customer: 'input.customerId' } }] },
        /rules\[0\] \(workflow rule\): 'customer' must be a path starting with 'args', 'memo', 'workflowId', 'workflowType'.*not "input\.customerId"/,
      ],
      [
        { rules: [{ activity: 'a', entities: { customer: 'workflow.args.0' } }] },
        /rules\[0\] \(activity rule\): 'customer' must be a path starting with 'args', 'info'/,
      ],
      [{ rules: [{ workflow: 'W', entities: { customer: 7 } }] }, /'customer' must be a path .*not 7/],
      [
        { rules: [{ workflow: 'W', entities: 'args.0.customerId' }] },
        /'entities' must map entity names to paths/,
      ],
      [
        { rules: [{ activity: 'a', entities: 'args.0.customerId' }] },
        /'entities' must be a function or map entity names to paths/,
      ],
      [
        { rules: [{ activity: 'a', entities: ['args.0'] }] },
        /'entities' must be a function or map entity names/,
      ],
      [
        { rules: [{ workflow: 'W', eventTime: 'placedAt' }] },
        /'eventTime' must be a path starting with 'args'/,
      ],
      [{ rules: [{ activity: 'a', eventTime: 5 }] }, /'eventTime' must be a path or a function/],
      [
        { rules: [{ activity: 'a', recall: 'no' }] },
        /rules\[0\] \(activity rule\)\.recall must be true or false/,
      ],
      [{ rules: [{ activity: 'a', tags: 'orders' }] }, /'tags' must be an array of non-empty strings/],
      [{ rules: [{ workflow: 'W', tags: ['ok', ' '] }] }, /'tags' must be an array of non-empty strings/],
      // An unknown time zone names the rule and the value.
      [
        { rules: [{ activity: 'chargePayment', timeZone: 'Europe/Atlantis' }] },
        /rules\[0\] \(activity rule\) for chargePayment: 'timeZone' must be an IANA time zone name .*not "Europe\/Atlantis"/,
      ],
      [
        { rules: [{ activity: 'a' }, { workflow: /^Order/, timeZone: 'CEST' }] },
        /rules\[1\] \(workflow rule\) for \/\^Order\/: 'timeZone' must be an IANA time zone name .*not "CEST"/,
      ],
      [{ rules: [{ workflow: 'W', timeZone: '' }] }, /'timeZone' must be an IANA time zone name .*not ""/],
      [{ rules: [{ activity: 'a', timeZone: 1 }] }, /'timeZone' must be an IANA time zone name .*not 1/],
    ]),
  )('%s', (_name, options, message) => {
    expect(refused(options)).toMatch(message);
  });
});

describe('recall, outbox, capture, shutdown and logger', () => {
  it.each(
    cases([
      [{ recall: { budgetMs: -1 } }, /recall\.budgetMs must be a number from 0 to 60000, not -1/],
      [{ recall: { budgetMs: NaN } }, /recall\.budgetMs must be a number from 0 to 60000, not NaN/],
      [{ recall: { budgetMs: Infinity } }, /recall\.budgetMs must be a number from 0 to 60000, not Infinity/],
      [{ recall: { budgetMs: '150' } }, /recall\.budgetMs must be a number from 0 to 60000, not "150"/],
      [{ recall: { cacheTtlMs: -1 } }, /recall\.cacheTtlMs must be a number/],
      [
        { recall: { perKeyLimit: 1.5 } },
        /recall\.perKeyLimit must be a whole number from 1 to 100, not 1\.5/,
      ],
      [{ recall: { maxMemories: 101 } }, /recall\.maxMemories must be a whole number from 0 to 100/],
      [{ recall: { halfLifeDays: 0 } }, /recall\.halfLifeDays must be a number from 1 to 3650/],
      [{ recall: { enabled: 'yes' } }, /recall\.enabled must be true or false/],
      // A group given as a boolean must not pass for "off" or "on" while meaning nothing.
      [{ recall: false }, /recall must be an object such as \{ enabled: false \}, not false/],
      [{ capture: true }, /capture must be an object such as \{ args: true \}, not true/],
      [{ outbox: '.stompy/outbox.db' }, /outbox must be an object such as \{ path: \.\.\. \}/],
      [{ outbox: { path: '' } }, /outbox\.path must be a file path, not ""/],
      [{ outbox: { path: 7 } }, /outbox\.path must be a string/],
      [{ outbox: { maxBytes: 10 } }, /outbox\.maxBytes must be a number from 1024/],
      [{ outbox: { maxEntries: 0 } }, /outbox\.maxEntries must be a whole number from 1/],
      [{ capture: { args: 'yes' } }, /capture\.args must be true or false/],
      [{ capture: { maxChars: 8 } }, /capture\.maxChars must be a whole number from 16 to 100000, not 8/],
      [{ capture: { redactKeys: [1] } }, /capture\.redactKeys must be an array of key names and RegExps/],
      [{ shutdownFlushMs: -1 }, /shutdownFlushMs must be a number from 0 to 600000, not -1/],
      [{ logger: console }, /logger must be a pino logger/],
      [{ logger: 'debug' }, /logger must be a pino logger/],
    ]),
  )('%s', (_name, options, message) => {
    expect(refused(options)).toMatch(message);
  });

  it('refuses options that are not an object', () => {
    expect(refused('http://x/mcp')).toMatch(/options must be an object/);
  });
});
