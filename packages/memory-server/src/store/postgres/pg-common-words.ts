import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { onConnection } from './pg-pool';

/** How long the statistics of the last `ANALYZE` are used before they are read again. */
export const COMMON_WORDS_REFRESH_MS = 10 * 60_000;
/**
 * A word in at least this share of the versions is common: as a required tag's word (`customer`, in every
 * outcome; `chargepayment`, in a third) it costs the full-text index more than it narrows a search.
 */
export const COMMON_WORD_SHARE = 0.01;

/** A row of `pg_stats` for `contexts.search`: its most common words and their shares of the rows. */
interface SearchColumnStatistics {
  readonly words: readonly string[] | null;
  readonly shares: readonly number[] | null;
}

/**
 * The common words of the searched text, as PostgreSQL's statistics know them: the words of
 * `contexts.search` in at least {@link COMMON_WORD_SHARE} of the rows, from `pg_stats` (what `ANALYZE`
 * and autovacuum sampled). A search narrows the full-text match with a required tag's other words
 * (`c4227` of `customer:C4227`) and leaves the common ones to the exact tag filter.
 *
 * {@link current} never waits: it answers from the last read and starts the next read in the background
 * every {@link COMMON_WORDS_REFRESH_MS}. A read that fails is logged and tried again a period later.
 */
export class CommonWords {
  private words: ReadonlySet<string> | null = null;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;
  private readonly logger: Logger;

  constructor(
    private readonly pool: Pool,
    logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.logger = logger.child({ component: 'common-words' });
  }

  /**
   * The common words; null until they were read once, or when the database has no statistics of the
   * column yet (never analyzed). Starts a read when the last is older than {@link COMMON_WORDS_REFRESH_MS}.
   */
  current(): ReadonlySet<string> | null {
    if (this.reading === null && this.clock() - this.readAt >= COMMON_WORDS_REFRESH_MS) {
      this.readAt = this.clock();
      this.reading = this.read().finally(() => {
        this.reading = null;
      });
    }
    return this.words;
  }

  /** Resolves when a read in progress has ended (before the pool closes). */
  async settled(): Promise<void> {
    await this.reading;
  }

  private async read(): Promise<void> {
    try {
      const row = await onConnection(this.pool, async (client) => {
        const { rows } = await client.query<SearchColumnStatistics>(
          `SELECT CAST(CAST(most_common_elems AS text) AS text[]) AS words, most_common_elem_freqs AS shares
           FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'contexts' AND attname = 'search'`,
        );
        return rows[0];
      });
      this.words = commonWords(row);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'could not read the statistics of the searched words: searches match every word of the required tags until the next read',
      );
    }
  }
}

/** The words of a statistics row at or above {@link COMMON_WORD_SHARE}; null when there are none yet. */
function commonWords(row: SearchColumnStatistics | undefined): ReadonlySet<string> | null {
  if (row?.words == null || row.shares == null) return null;
  const shares = row.shares;
  return new Set(row.words.filter((_, at) => (shares[at] ?? 0) >= COMMON_WORD_SHARE));
}
