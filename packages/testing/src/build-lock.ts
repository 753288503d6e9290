// The lock folder that keeps two callers (two jest runs, two CI jobs on one machine) from building
// the Temporal CLI or installing Chromium at once, and how a lock left by a dead process is recognised.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

const LOCK_POLL_MS = 1_000;

/** How {@link withLockDir} waits, what it says while waiting, and how it sees the work is done. */
export interface LockDirOptions<T> {
  /** Longest the wait plus the work may take; also how old a lock must be to count as stale. */
  timeoutMs: number;
  /** What the lock holder does, for messages: "building the Temporal CLI", "installing Chromium". */
  activity: string;
  /** The kind of lock, for messages: "build", "install". */
  kind: string;
  /** The result when the work is already done (by us earlier, or by the lock's last holder), else undefined. */
  done: () => Promise<T | undefined>;
  /** Where progress lines go. */
  log: (message: string) => void;
}

/**
 * Runs `work` while holding the lock folder `lockDir` (created with `mkdir`, atomic on one machine),
 * unless `done()` finds the work already done, before or while waiting. A second caller waits for the
 * first and then returns what `done()` finds; a lock left by a dead process is removed. `work` gets the
 * deadline (epoch ms) shared by the wait and the work; the lock is removed however `work` ends.
 */
export async function withLockDir<T>(
  lockDir: string,
  options: LockDirOptions<T>,
  work: (deadline: number) => Promise<T>,
): Promise<T> {
  const { timeoutMs, activity, kind, log } = options;
  const deadline = Date.now() + timeoutMs;
  let announcedWait = false;
  for (;;) {
    const already = await options.done();
    if (already !== undefined) return already;
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readLockOwner(lockDir);
    if (await lockIsStale(lockDir, owner, timeoutMs)) {
      log(`removing a stale ${kind} lock ${lockDir}${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''}`);
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for another process ${activity} ` +
          `(lock ${lockDir}${owner ? `, pid ${owner.pid}` : ''}). Remove the lock folder if no such process is running.`,
      );
    }
    if (!announcedWait) {
      log(`another process${owner ? ` (pid ${owner.pid})` : ''} is ${activity}; waiting for it`);
      announcedWait = true;
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, LOCK_POLL_MS));
  }

  try {
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: Date.now() };
    await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
    const already = await options.done(); // done by the last holder while we took the lock
    if (already !== undefined) return already;
    return await work(deadline);
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** Who holds the build lock: written by the builder into the lock folder. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

/** The lock's owner, or undefined while it is not written yet (or half written). */
export async function readLockOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as Partial<LockOwner>;
    if (
      typeof owner.pid === 'number' &&
      typeof owner.host === 'string' &&
      typeof owner.startedAt === 'number'
    ) {
      return owner as LockOwner;
    }
  } catch {
    // not written yet, or half written: judged by the folder's age below
  }
  return undefined;
}

/** Whether a lock was left by a build that died (its process is gone, or it is far too old). */
export async function lockIsStale(
  lockDir: string,
  owner: LockOwner | undefined,
  timeoutMs: number,
): Promise<boolean> {
  if (owner !== undefined && owner.host === hostname() && !processIsAlive(owner.pid)) return true;
  try {
    const age = Date.now() - (owner?.startedAt ?? (await stat(lockDir)).mtimeMs);
    return age > timeoutMs + 60_000;
  } catch {
    return false; // the lock vanished meanwhile: the loop looks again
  }
}

/** Whether a process of this machine is alive. */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
