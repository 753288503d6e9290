import { expectGoDecodes } from './helpers/go-decode';
import { goPathEscape, startRestServer, type RestServer } from './helpers/rest-server';
import {
  ContextCreateResponse,
  ContextDeleteResponse,
  ContextDetailResponse,
  ContextListResponse,
  ContextMoveResponse,
  ContextResponse,
} from './helpers/stompy-cli-structs';

// The REST context routes as Stompy's CLI calls them (internal/api/contexts.go): its paths, query
// parameters and bodies, and every answer checked to decode into the struct the CLI reads it with.

// Every route on both stores: the REST API reads the store only through MemoryStore.
describe.each(['sqlite', 'postgres'] as const)('on %s', (store) => {
  let s: RestServer;
  beforeEach(async () => {
    s = await startRestServer({}, store);
  });
  afterEach(async () => {
    await s.close();
  });

  const TOPIC = 'orders/customer:C9';
  const path = (project: string, topic?: string) =>
    `/projects/${goPathEscape(project)}/contexts${topic === undefined ? '' : `/${goPathEscape(topic)}`}`;

  /** `stompy context lock <topic> --content ... [--tags --priority --force]` (ContextCreateRequest). */
  function lock(topic: string, content: string, extra: Record<string, unknown> = {}, project = 'proj') {
    return s.cli('POST', path(project), { topic, content, ...extra });
  }

  describe('POST /projects/<p>/contexts (context lock)', () => {
    it('locks a new version: 201 {status: "locked", topic, version}', async () => {
      const answer = await lock(TOPIC, 'C9 pays by card.', {
        tags: 'customer:C9,refund',
        priority: 'important',
      });
      expect(answer.status).toBe(201);
      expectGoDecodes(answer.body, ContextCreateResponse);
      expect(answer.body).toMatchObject({ status: 'locked', topic: TOPIC, version: '1.0', project: 'proj' });
      expect((await lock(TOPIC, 'C9 pays by bank transfer now.')).body).toMatchObject({ version: '1.1' });
    });

    it('answers 200 {status: "unchanged"} for content identical to the latest version', async () => {
      await lock('t', 'same');
      const again = await lock('t', 'same');
      expect(again).toMatchObject({
        status: 200,
        body: { status: 'unchanged', version: '1.0', created: false },
      });
    });

    it('applies the novelty rule of lock_context, and force_store (--force) overrides it', async () => {
      const hosted = await startRestServer({ profile: 'hosted' }, store);
      try {
        const content = 'The warehouse in Leeds ships parcels before noon on weekdays only.';
        await hosted.cli('POST', path('proj'), { topic: 't', content });
        const near = await hosted.cli('POST', path('proj'), { topic: 't', content: `${content}!` });
        expect(near.status).toBe(409);
        expect(near.body).toMatchObject({ status_code: 409, error: 'insufficient_novelty' });
        expect(near.body.detail).toMatch(/force_store/);
        const forced = await hosted.cli('POST', path('proj'), {
          topic: 't',
          content: `${content}!`,
          force_store: true,
        });
        expect(forced.body).toMatchObject({ status: 'locked', version: '1.1' });
      } finally {
        await hosted.close();
      }
    });
  });

  describe('GET /projects/<p>/contexts/<topic> (context recall)', () => {
    it('reads the latest version with content, tags, priority and versions', async () => {
      await lock(TOPIC, 'first', { tags: 'a,b', priority: 'important' });
      await lock(TOPIC, 'second, quite different');
      const answer = await s.cli('GET', path('proj', TOPIC));
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ContextDetailResponse);
      expect(answer.body).toMatchObject({
        topic: TOPIC,
        version: '1.1',
        priority: 'reference',
        tags: [],
        content: 'second, quite different',
        access_count: 1,
        versions: [{ version: '1.0' }, { version: '1.1' }],
      });
    });

    it("reads a named version (?version=1.0), also as the CLI's deeplink form v1.0", async () => {
      await lock('t', 'first', { tags: 'a' });
      await lock('t', 'second, quite different');
      for (const version of ['1.0', 'v1.0']) {
        const answer = await s.cli('GET', `${path('proj', 't')}?version=${version}`);
        expect(answer.body).toMatchObject({ version: '1.0', content: 'first', tags: ['a'] });
      }
      expect((await s.cli('GET', `${path('proj', 't')}?version=latest`)).body).toMatchObject({
        version: '1.1',
      });
    });
  });

  describe('GET /projects/<p>/contexts (context list)', () => {
    it('lists newest first with priority, tags, limit and offset, and the total that passes the filters', async () => {
      await lock('a', 'alpha', { tags: 'eu,card', priority: 'important' });
      await lock('b', 'beta', { tags: 'eu' });
      await lock('c', 'gamma', { tags: 'eu,card' });
      const all = await s.cli('GET', path('proj'));
      expect(all.status).toBe(200);
      expectGoDecodes(all.body, ContextListResponse);
      expect(all.body.total).toBe(3);
      expect((all.body.contexts as Array<{ topic: string }>).map((c) => c.topic)).toEqual(['c', 'b', 'a']);
      expect((all.body.contexts as unknown[])[2]).toMatchObject({
        id: expect.any(Number) as number,
        topic: 'a',
        version: '1.0',
        priority: 'important',
        tags: ['eu', 'card'],
        preview: 'alpha',
        access_count: 0,
      });
      const topics = async (query: string) => {
        const answer = await s.cli('GET', `${path('proj')}?${query}`);
        return [(answer.body.contexts as Array<{ topic: string }>).map((c) => c.topic), answer.body.total];
      };
      expect(await topics('priority=important')).toEqual([['a'], 1]);
      expect(await topics('tags=card')).toEqual([['c', 'a'], 2]);
      expect(await topics('limit=1&offset=1')).toEqual([['b'], 3]);
    });
  });

  describe('GET /projects/<p>/contexts?search= (context search)', () => {
    it('searches with context_search: best first, with preview and priority', async () => {
      await lock('notes', 'Warehouse B closes on Sundays.', { priority: 'important' });
      await lock('other', 'Card refunds take five days.');
      const answer = await s.cli('GET', `${path('proj')}?search=warehouse&limit=5`);
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ContextListResponse);
      expect(answer.body).toMatchObject({
        total: 1,
        contexts: [{ topic: 'notes', priority: 'important', preview: 'Warehouse B closes on Sundays.' }],
      });
    });
  });

  describe('PUT /projects/<p>/contexts/<topic> (context update)', () => {
    it('locks the new content as the next version, keeping tags unless given', async () => {
      await lock('t', 'first text', { tags: 'a,b' });
      const answer = await s.cli('PUT', path('proj', 't'), {
        content: 'an entirely different text',
        priority: 'always_check',
      });
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ContextResponse);
      expect(answer.body).toMatchObject({
        topic: 't',
        version: '1.1',
        priority: 'always_check',
        tags: ['a', 'b'],
      });
      const read = await s.cli('GET', path('proj', 't'));
      expect(read.body).toMatchObject({ version: '1.1', priority: 'always_check', tags: ['a', 'b'] });
    });

    it('refuses new tags or priority on identical content (409), and a missing topic (404)', async () => {
      await lock('t', 'text');
      const same = await s.cli('PUT', path('proj', 't'), { content: 'text', priority: 'important' });
      expect(same).toMatchObject({ status: 409, body: { status_code: 409, error: 'conflict' } });
      expect((await s.cli('PUT', path('proj', 't'), { content: 'text' })).status).toBe(200);
      const missing = await s.cli('PUT', path('proj', 'none'), { content: 'x' });
      expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
    });
  });

  describe('DELETE /projects/<p>/contexts/<topic> (context unlock)', () => {
    it('archives every version by default: {status, topic, archived: true}', async () => {
      await lock('t', 'one');
      await lock('t', 'two, quite different');
      const answer = await s.cli('DELETE', `${path('proj', 't')}?force=true`);
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ContextDeleteResponse);
      expect(answer.body).toMatchObject({ status: 'deleted', topic: 't', archived: true, count: 2 });
      expect((await s.cli('GET', path('proj', 't'))).status).toBe(404);
    });

    it('deletes with no_archive=true and removes one version with version=', async () => {
      await lock('t', 'one');
      await lock('t', 'two, quite different');
      const latest = await s.cli('DELETE', `${path('proj', 't')}?version=latest&no_archive=true`);
      expect(latest.body).toMatchObject({ archived: false, removed: [{ topic: 't', version: '1.1' }] });
      expect((await s.cli('GET', path('proj', 't'))).body).toMatchObject({ version: '1.0' });
    });
  });

  describe('POST /projects/<p>/contexts/<topic>/move (context move)', () => {
    it('moves the latest version to the target project and archives it in the source', async () => {
      await lock(TOPIC, 'C9 note', { tags: 'customer:C9', priority: 'important' });
      const answer = await s.cli('POST', `${path('proj', TOPIC)}/move`, { target_project: 'other' });
      expect(answer.status).toBe(200);
      expectGoDecodes(answer.body, ContextMoveResponse);
      expect(answer.body).toMatchObject({ status: 'moved', topic: TOPIC, target_project: 'other' });
      expect((await s.cli('GET', path('other', TOPIC))).body).toMatchObject({
        content: 'C9 note',
        tags: ['customer:C9'],
        priority: 'important',
      });
      expect((await s.cli('GET', path('proj', TOPIC))).status).toBe(404);
    });

    it('refuses a target that has the topic (409), the same project (400) and a missing topic (404)', async () => {
      await lock('t', 'here');
      await lock('t', 'there', {}, 'other');
      expect((await s.cli('POST', `${path('proj', 't')}/move`, { target_project: 'other' })).status).toBe(
        409,
      );
      expect((await s.cli('POST', `${path('proj', 't')}/move`, { target_project: 'proj' })).status).toBe(400);
      expect((await s.cli('POST', `${path('proj', 'none')}/move`, { target_project: 'x' })).status).toBe(404);
      expect((await s.cli('GET', path('proj', 't'))).body).toMatchObject({ content: 'here' });
    });
  });
});
