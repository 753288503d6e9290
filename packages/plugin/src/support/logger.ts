import pino, { type Logger } from 'pino';

/** The plugin's default logger: pino on stderr, named `stompy`, level from `STOMPY_LOG_LEVEL` (default `info`). */
export function createLogger(): Logger {
  return pino({ name: 'stompy', level: process.env.STOMPY_LOG_LEVEL ?? 'info' }, pino.destination(2));
}

/** The parts of the plugin that log, each named on its lines (`component`) and in their prefix. */
export type LogComponent =
  'plugin' | 'activity' | 'keys' | 'recall' | 'recording' | 'outbox' | 'delivery' | 'mcp' | 'metrics';

/**
 * A child of the plugin's logger for one component: its lines carry `component` and start with
 * `stompy <component>: ` (just `stompy: ` for the plugin itself), so they can be filtered and read
 * beside the worker's own.
 */
export function componentLogger(root: Logger, component: LogComponent): Logger {
  return root.child(
    { component },
    { msgPrefix: component === 'plugin' ? 'stompy: ' : `stompy ${component}: ` },
  );
}
