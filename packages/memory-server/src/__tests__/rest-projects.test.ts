import { expectGoDecodes } from './helpers/go-decode';
import { startRestServer, type RestServer } from './helpers/rest-server';
import { ProjectListResponse, ProjectResponse, SearchResponse } from './helpers/stompy-cli-structs';

// The project routes Stompy's CLI calls (internal/api/projects.go, search.go): `project list`,
// `project info` (both with --stats) and the top-level `search`.

// Every route on both stores: the REST API reads the store only through MemoryStore.
describe.each(['sqlite', 'postgres'] as const)('on %s', (store) => {
  let s: RestServer;
  beforeAll(async () => {
    s = await startRestServer({}, store);
    await s.cli('POST', '/projects/orders/contexts', { topic: 'a', content: 'Refunds go to the card.' });
    await s.cli('POST', '/projects/orders/contexts', {
      topic: 'b',
      content: 'Warehouse B closes on Sundays.',
    });
    await s.cli('POST', '/projects/billing/contexts', { topic: 'c', content: 'Invoices are monthly.' });
    await s.cli('DELETE', '/projects/billing/contexts/c');
  });
  afterAll(async () => {
    await s.close();
  });

  describe('GET /projects (project list)', () => {
    it('lists every project written to, and the default project, by name', async () => {
      const answer = await s.cli('GET', '/projects');
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ProjectListResponse);
      expect(answer.body).toMatchObject({
        total: 3,
        projects: [
          { name: 'billing', schema_name: 'main', role: 'owner', is_system: false },
          { name: 'default' },
          { name: 'orders', created_at: expect.any(String) as string },
        ],
      });
      expect((answer.body.projects as object[])[0]).not.toHaveProperty('stats');
    });

    it('adds stats with ?stats=true: live contexts, bytes stored and the last write', async () => {
      const answer = await s.cli('GET', '/projects?stats=true');
      expectGoDecodes(answer.body, ProjectListResponse);
      const [billing, , orders] = answer.body.projects as Array<{ stats: Record<string, unknown> }>;
      expect(billing?.stats).toMatchObject({ context_count: 0, storage_bytes_db: 21, session_count: 0 });
      expect(orders?.stats).toMatchObject({ context_count: 2, last_activity: expect.any(String) as string });
    });
  });

  describe('GET /projects/<name> (project info)', () => {
    it('describes one project, with stats when asked', async () => {
      const answer = await s.cli('GET', '/projects/orders?stats=true');
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ProjectResponse);
      expect(answer.body).toMatchObject({ name: 'orders', stats: { context_count: 2, file_count: 0 } });
    });

    it('knows the default project before anything is written to it', async () => {
      expect((await s.cli('GET', '/projects/default')).body).toMatchObject({ name: 'default' });
    });
  });

  describe('GET /projects/<name>/search?q= (search)', () => {
    it("searches the project's contexts: {results: [{id, type, topic, preview, score}], total, query}", async () => {
      const answer = await s.cli('GET', '/projects/orders/search?q=warehouse&limit=10');
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, SearchResponse);
      expect(answer.body).toMatchObject({
        total: 1,
        query: 'warehouse',
        results: [
          { topic: 'b', type: 'context', preview: 'Warehouse B closes on Sundays.', priority: 'reference' },
        ],
      });
    });
  });
});
