import { StompyOptionsError, StompyPlugin } from '../index';
import { STOMPY_WORKFLOW_MODULE } from '../manual';
import { silentLogger } from './helpers/silent-logger';

// What the plugin adds to a worker's and a replay worker's options: the outcome sink (never called
// during replay), the activity interceptor and the workflow interceptor module, once.

it('adds the module and the sink to a replay worker that bundles its workflows', () => {
  const options = new StompyPlugin({ logger: silentLogger }).configureReplayWorker({ workflowsPath: 'w' });
  expect(options.interceptors?.workflowModules).toEqual([STOMPY_WORKFLOW_MODULE]);
  expect(options.sinks?.stompyOutcomes).toBeDefined();
});

it('adds only the sink to a replay worker given a prebuilt bundle, and registers once', () => {
  const plugin = new StompyPlugin({ logger: silentLogger });
  const once = plugin.configureReplayWorker({ workflowBundle: { code: '' } });
  expect(once.interceptors?.workflowModules).toBeUndefined();
  expect(once.sinks?.stompyOutcomes).toBeDefined();
  const twice = plugin.configureReplayWorker(once);
  expect(twice.interceptors?.workflowModules).toBeUndefined();
  expect(twice.sinks?.stompyOutcomes).toBe(once.sinks?.stompyOutcomes);
});

it('refuses a user sink under the name the plugin reports through, instead of recording nothing', () => {
  const plugin = new StompyPlugin({ logger: silentLogger });
  const mine = { stompyOutcomes: { workflowEnded: { fn: () => undefined } } };
  expect(() => plugin.configureWorker({ taskQueue: 'q', workflowsPath: 'w', sinks: mine })).toThrow(
    /already has a sink named 'stompyOutcomes'.*rename that sink/,
  );
  expect(() => plugin.configureReplayWorker({ workflowsPath: 'w', sinks: mine })).toThrow(StompyOptionsError);
});

it('registers once when given twice, and keeps other sinks', () => {
  const plugin = new StompyPlugin({ logger: silentLogger });
  const other = { audit: { record: { fn: () => undefined } } };
  const once = plugin.configureWorker({ taskQueue: 'q', workflowsPath: 'w', sinks: other });
  const twice = plugin.configureWorker(once);
  expect(twice.interceptors?.activity).toHaveLength(1);
  expect(twice.interceptors?.workflowModules).toEqual([STOMPY_WORKFLOW_MODULE]);
  expect(twice.sinks?.stompyOutcomes).toBe(once.sinks?.stompyOutcomes);
  expect(Object.keys(twice.sinks ?? {}).sort()).toEqual(['audit', 'stompyOutcomes']);
});
