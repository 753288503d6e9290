import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOutcomes } from '@temporal-stompy/testing';
import { Client } from 'pg';
import pino from 'pino';
import { ContextStore } from '../store/context-store';
import { memoryFingerprintsDiffer } from './helpers/fingerprints';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';
import { TEST_STORE_SETTINGS } from './helpers/store-settings';
import { newPostgresDatabase } from './helpers/shared-postgres';
import { PostgresStore } from '../store/postgres/postgres-store';

// `stompy-memory migrate` as a user runs it: a real process, a real SQLite memory, a real PostgreSQL.

const settings = TEST_STORE_SETTINGS;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-command-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function migrate(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [STOMPY_MEMORY_BIN, 'migrate', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A single-machine memory with versions, archived versions, projects, recalls and counted outcomes. */
async function singleMachineMemory(path: string): Promise<ContextStore> {
  const store = ContextStore.open({ ...settings, dbPath: path });
  const outcomes = generateOutcomes(250, 5);
  for (let from = 0; from < outcomes.length; from += 100) {
    await store.lockBatch({
      contexts: outcomes
        .slice(from, from + 100)
        .map(({ topic, content, keys, facts }) => ({ topic, content, outcome: { keys, facts } })),
    });
  }
  for (let i = 0; i < 3; i++)
    await store.lock({ topic: 'notes/C9', content: `note ${i} about C9`, tags: 'customer:C9' });
  await store.lock({
    topic: 'runbook',
    content: 'restart the gateway',
    project: 'ops',
    priority: 'always_check',
  });
  await store.unlock({ topic: 'notes/C9', version: '1.0' });
  await store.recall({ topic: 'notes/C9' });
  return store;
}

it('copies a SQLite memory into PostgreSQL, verifies it, and the copy answers every tool as the original', async () => {
  const file = join(dir, 'memory.db');
  const original = await singleMachineMemory(file);
  await original.close();
  const url = await newPostgresDatabase();

  const copied = migrate(['--from', file], { STOMPY_DATABASE_URL: url });
  expect(copied.stderr).toBe('');
  expect(copied.status).toBe(0);
  expect(copied.stdout).toMatch(
    /^copied .*memory\.db into postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: topics \d+, contexts 254, /,
  );
  expect(copied.stdout).toMatch(
    /verified: every table has the same rows on both sides, content hash sha256 [0-9a-f]{64}\n$/,
  );
  expect(copied.stdout).not.toContain(url);

  const sqlite = ContextStore.open({ ...settings, dbPath: file });
  const postgres = await PostgresStore.open({ ...settings, url, logger: pino({ level: 'silent' }) });
  try {
    const keys = ['customer:C1', 'customer:C2', 'activity:chargePayment'];
    expect(await postgres.insights({ keys })).toEqual(await sqlite.insights({ keys }));
    expect(await postgres.dashboard()).toEqual(await sqlite.dashboard());
    expect(await postgres.explore({ limit: 500 })).toEqual(await sqlite.explore({ limit: 500 }));
    expect(await postgres.listProjects()).toEqual(await sqlite.listProjects());
    expect(await postgres.recall({ topic: 'notes/C9' })).toEqual(await sqlite.recall({ topic: 'notes/C9' }));
    await postgres.lock({ topic: 'notes/C9', content: 'written after the move' });
    expect((await postgres.recall({ topic: 'notes/C9' })).versions).toEqual(['1.1', '1.2', '1.3']);
  } finally {
    await sqlite.close();
    await postgres.close();
  }

  const again = migrate(['--from', file, '--to', url]);
  expect(again.status).toBe(1);
  expect(again.stderr).toMatch(/already holds contexts: copy into a new, empty database/);
  expect(again.stderr).not.toContain(url);
});

it('creates the schema of an empty database with migrate alone, and a fingerprint tells a changed row', async () => {
  const url = await newPostgresDatabase();
  const result = migrate([], { STOMPY_DATABASE_URL: url });
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^schema of postgres:\/\/postgres:\*\*\*@.* is up to date\n$/);

  const file = join(dir, 'second.db');
  await (await singleMachineMemory(file)).close();
  expect(migrate(['--from', file, '--to', url]).status).toBe(0);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'UPDATE outcome_windows SET runs = runs + 1 WHERE ctid = (SELECT ctid FROM outcome_windows LIMIT 1)',
    );
  } finally {
    await client.end();
  }
  expect(await memoryFingerprintsDiffer(file, url)).toBe(true);
});
