// Finds the processes of one Chromium by its user-data-dir, so a browser that did not close is killed
// and a test can prove none is left behind. Reads /proc: Linux only (elsewhere it finds none).
import { readdir, readFile } from 'node:fs/promises';

/**
 * The ids of the running processes of the Chromium started with `--user-data-dir=<userDataDir>`: those
 * whose command line names that folder (the browser, and its crash handlers when launchBrowser() puts
 * their database there) and every process below them (zygotes, renderers, GPU and network helpers).
 * Empty when there are none, or without /proc.
 */
export async function chromiumProcesses(userDataDir: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found = new Set<number>();
  const parents = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (args.some((arg) => arg.includes(userDataDir))) found.add(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Whether a process is still there (a zombie counts as gone). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Waits up to `graceMs` for `pids` to exit, then sends SIGKILL to those still running and waits up to
 * two seconds more; resolves with the ids that had to be killed.
 */
export async function endProcesses(pids: readonly number[], graceMs: number): Promise<number[]> {
  const running = async (): Promise<number[]> => {
    const alive: number[] = [];
    for (const pid of pids) if (await isRunning(pid)) alive.push(pid);
    return alive;
  };
  const waitFor = async (ms: number): Promise<number[]> => {
    const until = Date.now() + ms;
    let alive = await running();
    while (alive.length > 0 && Date.now() < until) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      alive = await running();
    }
    return alive;
  };
  const survivors = await waitFor(graceMs);
  for (const pid of survivors) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitFor(2_000);
  return survivors;
}
