// Runs `go install` for the Temporal CLI with its output in a log file, bounded in time (`runLogged`).
import { TEMPORAL_CLI_GO_PACKAGE } from './cli-version';
import { runLogged, type LoggedRun } from './run-logged';

/** How often a long build says it is still going. */
const HEARTBEAT_MS = 30_000;

/** Runs `go install`, its output going to `logFile`; kills the whole process group on timeout. */
export async function runGoInstall(
  go: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  timeoutMs: number,
  log: (message: string) => void,
): Promise<void> {
  let run: LoggedRun | undefined;
  let failure: string | undefined;
  try {
    run = await runLogged(go, ['install', TEMPORAL_CLI_GO_PACKAGE], {
      env,
      logFile,
      timeoutMs,
      log,
      label: 'still building the Temporal CLI',
      heartbeatMs: HEARTBEAT_MS,
    });
    if (run.timedOut) failure = `go install timed out after ${Math.round(timeoutMs / 1000)} s`;
    else if (run.code !== 0) failure = `go install exited with ${run.code ?? 'a signal'}`;
  } catch (error) {
    failure = (error as Error).message;
  }
  if (failure === undefined) return;
  throw new Error(
    `Building the Temporal CLI failed: ${failure}. ` +
      `Command: GOBIN=${env['GOBIN']} ${go} install ${TEMPORAL_CLI_GO_PACKAGE}. ` +
      `Set TEMPORAL_CLI_PATH to an existing binary to skip the build. Last lines of ${logFile}:\n${run?.tail ?? '(no output)'}`,
  );
}
