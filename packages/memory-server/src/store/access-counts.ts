import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { BUSY_TIMEOUT_MS } from './open-database';

/** How long a held count waits before it is written again when the write lock was taken. */
export const ACCESS_FLUSH_RETRY_MS = 1000;

/**
 * The `access_count` increments of `recall_context`, written without ever waiting on the write lock:
 * a recall is a read, and another process holding the lock (for up to its 5 s busy timeout) must not
 * freeze this process's event loop. Each recall adds its count here and writes every held count at
 * once with a busy timeout of 0; when the lock is taken, the counts stay held (and are added to what
 * a recall reports) and are written again {@link ACCESS_FLUSH_RETRY_MS} later.
 */
export class AccessCounts {
  private readonly held = new Map<number, number>();
  private retry: NodeJS.Timeout | undefined;
  private readonly addCount: (count: number, id: number) => number | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger | undefined,
  ) {
    const update = db
      .prepare<[number, number], number>(
        'UPDATE contexts SET access_count = access_count + ? WHERE id = ? RETURNING access_count',
      )
      .pluck();
    this.addCount = (count, id) => update.get(count, id);
  }

  /**
   * Counts one access of context `id`, whose stored count was `stored` when it was read, and returns
   * the count including this access: written when the lock was free, held otherwise.
   */
  count(id: number, stored: number): number {
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
    const written = this.flush(id);
    return written ?? stored + (this.held.get(id) ?? 0);
  }

  /** Writes every held count now if the write lock is free; a last try at close. Returns whether none is held. */
  flushNow(): boolean {
    this.flush(undefined);
    return this.held.size === 0;
  }

  /** Stops retrying; held counts that could not be written are logged as lost. */
  close(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    if (this.db.open && !this.flushNow()) {
      this.logger?.warn(
        { contexts: this.held.size },
        'memory server: access counts not written at close, another process held the write lock',
      );
    }
  }

  /** Writes the held counts; returns the new stored count of `id` when it was written. */
  private flush(id: number | undefined): number | undefined {
    if (this.held.size === 0) return undefined;
    let written: number | undefined;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db
        .transaction(() => {
          for (const [heldId, count] of this.held) {
            const stored = this.addCount(count, heldId);
            if (heldId === id) written = stored;
          }
        })
        .immediate();
      this.held.clear();
      return written;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      this.logger?.debug({ contexts: this.held.size }, 'memory server: access counts held, write lock taken');
      this.scheduleRetry();
      return undefined;
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  private scheduleRetry(): void {
    if (this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.db.open) return;
      try {
        this.flush(undefined);
      } catch (error) {
        this.logger?.error({ err: error }, 'memory server: writing held access counts failed');
      }
    }, ACCESS_FLUSH_RETRY_MS);
    this.retry.unref();
  }
}
