// Runs a long command (apt-get install chromium, go install of the Temporal CLI) with its output
// appended to a log file, bounded in time, saying every so often that it is still going and what it
// printed last.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** How a {@link runLogged} command ended. */
export interface LoggedRun {
  /** Exit code, or undefined when a signal (or the timeout) ended it. */
  code: number | undefined;
  /** Whether the timeout killed it. */
  timedOut: boolean;
  /** The last lines it printed (at most 40), for an error message. */
  tail: string;
}

/** What {@link runLogged} runs, where its output goes, and how long it may take. */
export interface RunLoggedOptions {
  env: NodeJS.ProcessEnv;
  /** File the command's output is appended to. */
  logFile: string;
  /** Longest the command may run; then its whole process group is killed. */
  timeoutMs: number;
  /** Progress lines: every `heartbeatMs`, "<label> (<seconds> s): <last output line>". */
  log: (message: string) => void;
  /** What the progress lines call the command, e.g. "still installing chromium". */
  label: string;
  heartbeatMs?: number;
}

const TAIL_LINES = 40;

/**
 * Runs `command args` in its own process group with no stdin; its stdout and stderr go to the log file
 * and the last lines are kept. Resolves when it ends (whatever its exit code); rejects only when it
 * cannot be started. On timeout the whole process group gets SIGKILL, and the run reports `timedOut`.
 */
export async function runLogged(
  command: string,
  args: string[],
  options: RunLoggedOptions,
): Promise<LoggedRun> {
  const out = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise<void>((resolveOpen, rejectOpen) => {
    out.once('open', () => resolveOpen());
    out.once('error', rejectOpen);
  });
  out.write(`\n$ ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  let lines: string[] = [];
  let partial = '';
  try {
    return await new Promise<LoggedRun>((resolveRun, rejectRun) => {
      const child = spawn(command, args, {
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group, so a timeout also kills what it started (dpkg, compile and link)
      });
      const onOutput = (chunk: Buffer): void => {
        out.write(chunk);
        const text = partial + chunk.toString();
        const split = text.split(/\r?\n|\r/);
        partial = split.pop() ?? '';
        lines = [...lines, ...split.filter((line) => line.trim() !== '')].slice(-TAIL_LINES);
      };
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, options.timeoutMs);
      const heartbeat = setInterval(() => {
        const seconds = Math.round((Date.now() - started) / 1000);
        options.log(`${options.label} (${seconds} s): ${lines.at(-1) ?? '(no output yet)'}`);
      }, options.heartbeatMs ?? 15_000);
      process.once('exit', killGroup);
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(heartbeat);
        process.removeListener('exit', killGroup);
      };
      child.once('error', (error) => {
        finish();
        rejectRun(new Error(`could not run ${command}: ${error.message}`));
      });
      child.once('close', (code) => {
        finish();
        if (partial.trim() !== '') lines = [...lines, partial].slice(-TAIL_LINES);
        resolveRun({ code: code ?? undefined, timedOut, tail: lines.join('\n') });
      });
    });
  } finally {
    await new Promise<void>((resolveClose) => out.end(() => resolveClose()));
  }
}
