import { Client } from 'pg';
import { CANDIDATE_WINDOW } from '../store/search-contexts';
import { PostgresStore } from '../store/postgres/postgres-store';
import { SEARCH_BUCKET_BITS } from '../store/postgres/pg-schema';
import { captureLogger } from './helpers/capture-logger';
import { TEST_STORE_SETTINGS } from './helpers/store-settings';
import { newPostgresDatabase } from './helpers/shared-postgres';

// PostgreSQL text search reads the newest recency buckets (ids >> SEARCH_BUCKET_BITS) first, then
// all older versions. A test database holds a few ids; restarting the id sequence puts versions in buckets
// far apart, as a database of a million versions has them. The clock is fixed, so equal matches rank by id.

const BUCKET_IDS = 2 ** SEARCH_BUCKET_BITS;

let store: PostgresStore;
let client: Client;

beforeEach(async () => {
  const url = await newPostgresDatabase();
  store = await PostgresStore.open({ ...TEST_STORE_SETTINGS, url, logger: captureLogger().logger });
  client = new Client({ connectionString: url });
  await client.connect();
});

afterEach(async () => {
  await client.end();
  await store.close();
});

/** Makes the next version's id the `offset`-th of recency bucket `bucket`. */
async function nextIdIn(bucket: number, offset = 5): Promise<void> {
  await client.query(`ALTER TABLE contexts ALTER COLUMN id RESTART WITH ${bucket * BUCKET_IDS + offset}`);
}

it('finds the matches of every recency bucket, each once, newest first', async () => {
  // Buckets 7 and 6, then 5, then 4 are read first, then all older ones (3 to 0) at once.
  const buckets = [0, 1, 3, 4, 5, 7];
  for (const [n, bucket] of buckets.entries()) {
    await nextIdIn(bucket);
    await store.lock({ topic: `match/${n}`, content: 'payment gateway timeout' });
    await store.lock({ topic: `other/${n}`, content: 'shipped on time' });
  }
  const found = await store.search({ query: 'gateway', limit: 20 });
  expect(found.results.map((hit) => hit.topic)).toEqual(
    [...buckets.keys()].reverse().map((n) => `match/${n}`),
  );
});

it('ranks only the newest candidate window, even when a better match is older', async () => {
  // The best match (the word in its topic) is older than CANDIDATE_WINDOW newer matches spread over two
  // bucket pairs: it is not a candidate, as on SQLite.
  await nextIdIn(0);
  await store.lock({ topic: 'gateway/gateway', content: 'gateway gateway gateway' });
  const half = CANDIDATE_WINDOW / 2;
  for (const [part, bucket] of [3, 5].entries()) {
    await nextIdIn(bucket);
    const contexts = Array.from({ length: half }, (_, n) => ({
      topic: `plain/${part}/${n}`,
      content: 'payment gateway timeout',
    }));
    for (let start = 0; start < contexts.length; start += 100) {
      const results = await store.lockMany(contexts.slice(start, start + 100));
      expect(results.filter((result) => result instanceof Error)).toEqual([]);
    }
  }
  const found = await store.search({ query: 'gateway', limit: 3 });
  expect(found.results.map((hit) => hit.topic)).toEqual([
    `plain/1/${half - 1}`,
    `plain/1/${half - 2}`,
    `plain/1/${half - 3}`,
  ]);
  await nextIdIn(7);
  await store.lock({ topic: 'gateway/new', content: 'gateway' });
  const after = await store.search({ query: 'gateway', limit: 1 });
  expect(after.results.map((hit) => hit.topic)).toEqual(['gateway/new']);
});
