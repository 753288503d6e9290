// Starts a real Temporal dev server (the `temporal` CLI) for tests and the demo.
import type { DevServerConfig, LocalTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LogLevel } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TemporalCliPathOptions } from './temporal-cli';
import { temporalCliPath } from './temporal-cli';

/** Options of {@link startTestEnvironment}. */
export interface StartTestEnvironmentOptions {
  /** The `temporal` CLI to run; default: {@link temporalCliPath} (which may build it). */
  cliPath?: string;
  /** Options for finding or building the CLI when `cliPath` is not given. */
  cli?: TemporalCliPathOptions;
  /** The dev server's own log level; default `error`, so test output stays readable. */
  serverLogLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Log level of the Temporal worker runtime (worker state changes and the like), installed only when no
   * runtime exists yet in this process; default `WARN`. `false` leaves the runtime alone.
   */
  runtimeLogLevel?: LogLevel | false;
  /** Drop the dev server's start-up banner from stdout (`--output none`); default true. */
  quiet?: boolean;
  /** More dev-server settings (namespace, search attributes, UI, a DB file, extra CLI arguments). */
  server?: Omit<DevServerConfig, 'type' | 'executable' | 'log'>;
  /** Options of the environment's client. */
  client?: LocalTestWorkflowEnvironmentOptions['client'];
  /** Client, connection and native-connection plugins given to the environment. */
  plugins?: LocalTestWorkflowEnvironmentOptions['plugins'];
}

/**
 * Starts a Temporal dev server on a free local port, in memory and without the Web UI, and returns a
 * `TestWorkflowEnvironment` connected to it (`client`, `nativeConnection` for workers, `teardown()` to
 * stop it). The CLI comes from {@link temporalCliPath}; when that finds none, `@temporalio/testing`
 * downloads its own (machines with internet only).
 */
export async function startTestEnvironment(
  options: StartTestEnvironmentOptions = {},
): Promise<TestWorkflowEnvironment> {
  const path = options.cliPath ?? (await temporalCliPath(options.cli));
  if (options.runtimeLogLevel !== false) installQuietRuntime(options.runtimeLogLevel ?? 'WARN');
  return TestWorkflowEnvironment.createLocal({
    server: {
      ...options.server,
      executable: path !== undefined ? { type: 'existing-path', path } : undefined,
      log: { format: 'pretty', level: options.serverLogLevel ?? 'error' },
      extraArgs: [
        ...(options.quiet === false ? [] : ['--output', 'none']),
        ...(options.server?.extraArgs ?? []),
      ],
    },
    client: options.client,
    plugins: options.plugins,
  });
}

function installQuietRuntime(level: LogLevel): void {
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch (error) {
    // a runtime already exists in this process (installed by the caller or created by a client): keep it
    if ((error as Error).name !== 'IllegalStateError') throw error;
  }
}
