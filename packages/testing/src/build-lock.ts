// The lock folder that keeps two callers (two jest runs, two CI jobs on one machine) from building
// the Temporal CLI at once, and how a lock left by a dead build is recognised.
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

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
