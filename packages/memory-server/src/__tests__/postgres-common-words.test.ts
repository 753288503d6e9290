import { Pool } from 'pg';
import { COMMON_WORDS_REFRESH_MS, CommonWords } from '../store/postgres/pg-common-words';
import { searchContexts } from '../store/postgres/pg-search';
import { searchQuery } from '../store/postgres/pg-search-text';
import { PostgresStore } from '../store/postgres/postgres-store';
import type { ContextSearchInput } from '../store/types';
import { captureLogger } from './helpers/capture-logger';
import { FakeClock } from './helpers/fake-clock';
import { TEST_STORE_SETTINGS } from './helpers/store-settings';
import { newPostgresDatabase } from './helpers/shared-postgres';

// A search narrows its full-text match by a required tag's uncommon words only; the words too common
// to narrow it come from PostgreSQL's statistics of the searched column (pg_stats, filled by ANALYZE).

describe('searchQuery with the common words known', () => {
  it('matches the uncommon words of each required tag, and ranks by every tag as a phrase', () => {
    const query = searchQuery(
      'gateway timeout',
      ['customer:C42', 'activity:chargePayment'],
      new Set(['customer', 'activity']),
    );
    expect(query?.all).toEqual({
      match: `(('gateway') & ('timeout')) & 'c42':B & 'chargepayment':B`,
      rank: `(('gateway') & ('timeout')) & ('customer':B <-> 'c42':B) & ('activity':B <-> 'chargepayment':B)`,
    });
    expect(query?.any?.match).toBe(`('gateway' | 'timeout') & 'c42':B & 'chargepayment':B`);
  });

  it('matches no tag word when every word of the tags is common', () => {
    const query = searchQuery('gateway', ['activity:chargePayment'], new Set(['activity', 'chargepayment']));
    expect(query?.all.match).toBe(`(('gateway'))`);
    expect(query?.all.rank).toBe(`(('gateway')) & ('activity':B <-> 'chargepayment':B)`);
  });

  it('matches every tag as a phrase while the common words are not known', () => {
    const query = searchQuery('gateway', ['customer:C42'], null);
    expect(query?.all.match).toBe(query?.all.rank);
    expect(query?.all.match).toBe(`(('gateway')) & ('customer':B <-> 'c42':B)`);
  });
});

describe('CommonWords on PostgreSQL', () => {
  let url: string;
  let store: PostgresStore;
  let pool: Pool;

  beforeEach(async () => {
    url = await newPostgresDatabase();
    store = await PostgresStore.open({ ...TEST_STORE_SETTINGS, url, logger: captureLogger().logger });
    pool = new Pool({ connectionString: url, max: 2 });
  });

  afterEach(async () => {
    await pool.end();
    await store.close();
  });

  /** 300 outcomes of 150 customers (two each: under 1% of the versions), tagged with customer and activity. */
  async function lockOutcomes(): Promise<void> {
    const contexts = Array.from({ length: 300 }, (_, n) => ({
      topic: `outcome/${n}`,
      content: n % 3 === 0 ? 'chargePayment failed: gateway timeout' : 'chargePayment completed',
      tags: `customer:C${n % 150},activity:chargePayment`,
    }));
    const results = await store.lockMany(contexts);
    expect(results.filter((result) => result instanceof Error)).toEqual([]);
  }

  it('knows none before the column was analyzed, then the words in at least 1% of the versions', async () => {
    const clock = new FakeClock();
    const words = new CommonWords(pool, captureLogger().logger, clock.now);
    expect(words.current()).toBeNull();
    await words.settled();
    expect(words.current()).toBeNull();

    await lockOutcomes();
    await pool.query('ANALYZE contexts');
    clock.advance(COMMON_WORDS_REFRESH_MS - 1);
    words.current();
    await words.settled();
    expect(words.current()).toBeNull(); // read again only once a period has passed

    clock.advance(1);
    words.current();
    await words.settled();
    const common = words.current();
    expect(common).not.toBeNull();
    for (const word of ['customer', 'activity', 'chargepayment', 'gateway'])
      expect(common?.has(word)).toBe(true);
    for (const word of ['c7', 'c149', 'c1000']) expect(common?.has(word)).toBe(false);
  });

  it('logs a read that fails, keeps what it knew, and tries again a period later', async () => {
    const clock = new FakeClock();
    const captured = captureLogger();
    const unreachable = new Pool({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMillis: 2_000,
    });
    try {
      const words = new CommonWords(unreachable, captured.logger, clock.now);
      expect(words.current()).toBeNull();
      await words.settled();
      expect(words.current()).toBeNull();
      const warnings = () =>
        captured.lines.filter((line) => line.component === 'common-words' && line.level === 40);
      expect(warnings()).toHaveLength(1);
      expect(String(warnings()[0]?.msg)).toMatch(/could not read the statistics/);
      await words.settled();
      expect(warnings()).toHaveLength(1);
      clock.advance(COMMON_WORDS_REFRESH_MS);
      words.current();
      await words.settled();
      expect(warnings()).toHaveLength(2);
    } finally {
      await unreachable.end();
    }
  });

  it('finds and ranks exactly as a match on every tag word does', async () => {
    await lockOutcomes();
    await pool.query('ANALYZE contexts');
    const searches: ContextSearchInput[] = [
      { query: 'gateway', tags: 'customer:C3', limit: 10 },
      { query: 'chargePayment', tags: 'customer:C4', limit: 1 },
      { query: 'gateway timeout', tags: 'customer:C3,activity:chargePayment', limit: 10 },
      { query: 'completed', tags: 'activity:chargePayment', limit: 20 },
      { query: 'refund', tags: 'customer:C3', limit: 10 },
      { query: 'gateway refund', tags: 'customer:C4', limit: 10 },
    ];
    const known = new CommonWords(pool, captureLogger().logger);
    known.current();
    await known.settled();
    expect(known.current()?.has('customer')).toBe(true);
    for (const input of searches) {
      const narrowed = await searchContexts(pool, store.settings, known, input);
      const everyWord = await searchContexts(pool, store.settings, { current: () => null }, input);
      expect(narrowed).toEqual(everyWord);
    }
    // Customer C3's outcomes are 3 and 153, both failed on the gateway; C4's never did.
    const found = async (tags: string): Promise<string[]> =>
      (await searchContexts(pool, store.settings, known, { query: 'gateway', tags })).results
        .map((hit) => hit.topic)
        .sort();
    expect(await found('customer:C3')).toEqual(['outcome/153', 'outcome/3']);
    expect(await found('customer:C4')).toEqual([]);
  });
});
