import { STOMPY_WORKFLOW_MODULE, StompyPlugin } from '../index';
import { silentLogger } from './helpers/testbed';

// What the plugin adds to a replay worker's options: the outcome sink (never called during replay)
// and the workflow interceptor module, unless a prebuilt bundle already holds it.

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
