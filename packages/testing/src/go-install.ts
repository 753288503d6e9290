// Runs `go install` for the Temporal CLI with its output in a log file, and bounded in time.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TEMPORAL_CLI_GO_PACKAGE } from './cli-version';

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
  const out = createWriteStream(logFile);
  await new Promise<void>((resolveOpen, rejectOpen) => {
    out.once('open', () => resolveOpen());
    out.once('error', rejectOpen);
  });
  const started = Date.now();
  try {
    await new Promise<void>((resolveRun, rejectRun) => {
      const child = spawn(go, ['install', TEMPORAL_CLI_GO_PACKAGE], {
        env,
        stdio: ['ignore', out, out],
        detached: process.platform !== 'win32', // own process group, so a timeout kills compile/link too
      });
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // already gone
        }
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, timeoutMs);
      const heartbeat = setInterval(
        () => log(`still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`),
        HEARTBEAT_MS,
      );
      heartbeat.unref();
      process.once('exit', killGroup);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        clearInterval(heartbeat);
        process.removeListener('exit', killGroup);
        if (error) rejectRun(error);
        else resolveRun();
      };
      child.once('error', (error) => finish(new Error(`could not run ${go}: ${error.message}`)));
      child.once('close', (code, signal) => {
        if (timedOut) finish(new Error(`go install timed out after ${Math.round(timeoutMs / 1000)} s`));
        else if (code !== 0) finish(new Error(`go install exited with ${code ?? signal}`));
        else finish();
      });
    });
  } catch (error) {
    await closeStream(out);
    const tail = await lastLines(logFile, 20);
    throw new Error(
      `Building the Temporal CLI failed: ${(error as Error).message}. ` +
        `Command: GOBIN=${env['GOBIN']} ${go} install ${TEMPORAL_CLI_GO_PACKAGE}. ` +
        `Set TEMPORAL_CLI_PATH to an existing binary to skip the build. Last lines of ${logFile}:\n${tail}`,
    );
  }
  await closeStream(out);
}

async function closeStream(stream: NodeJS.WritableStream): Promise<void> {
  await new Promise<void>((resolveClose) => stream.end(() => resolveClose()));
}

/** The last `count` lines of a log file, for an error message. */
export async function lastLines(file: string, count: number): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}
