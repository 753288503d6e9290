import { Client } from 'pg';
import { startPostgres, type PostgresServer } from '../postgres-server';

describe('startPostgres', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server.stop());

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('runs a real PostgreSQL 17 that needs its password', async () => {
    const [row] = await query<{ server_version: string }>(server.url, 'SHOW server_version');
    expect(row?.server_version).toMatch(/^17\./);
    const wrong = new Client({ connectionString: server.url.replace(server.password, 'wrong') });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('creates separate databases', async () => {
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    expect(a).not.toBe(b);
    await query(a, 'CREATE TABLE only_in_a (x int)');
    await expect(query(b, 'SELECT * FROM only_in_a')).rejects.toThrow(/does not exist/);
  });

  it('keeps its data across a stop and a start on the same port', async () => {
    const url = await server.createDatabase();
    await query(url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
    await server.stopServer();
    await expect(query(url, 'SELECT 1')).rejects.toThrow();
    await server.start();
    expect(await query(url, 'SELECT x FROM kept')).toEqual([{ x: 42 }]);
  });
});
