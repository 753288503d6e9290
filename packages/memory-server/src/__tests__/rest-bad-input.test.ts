import { expectGoDecodes } from './helpers/go-decode';
import { goPathEscape, startRestServer, type RestServer } from './helpers/rest-server';
import { APIError } from './helpers/stompy-cli-structs';

// Bad requests to the REST API get a status and an error body the CLI prints (`message`, `detail`),
// and change nothing.

let s: RestServer;
beforeAll(async () => {
  s = await startRestServer();
  await s.cli('POST', '/projects/proj/contexts', { topic: 'seed', content: 'kept' });
});
afterAll(async () => {
  await s.close();
});

/** Asserts the answer is an error with `status` in the shape the CLI decodes, and returns its message. */
function refusal(answer: { status: number; body: Record<string, unknown> }, status: number): string {
  expect(answer.status).toBe(status);
  expectGoDecodes(answer.body, APIError);
  expect(answer.body.status_code).toBe(status);
  return String(answer.body.message);
}

/** The seed context is still there, alone. */
async function expectNothingChanged(): Promise<void> {
  const list = await s.cli('GET', '/projects/proj/contexts');
  expect(list.body).toMatchObject({ total: 1, contexts: [{ topic: 'seed', version: '1.0' }] });
}

afterEach(expectNothingChanged);

it('an unknown project is 404 for reads, and 400 when its name breaks the rules', async () => {
  expect(refusal(await s.cli('GET', '/projects/nosuch/contexts'), 404)).toMatch(
    /project not found.*"nosuch"/,
  );
  expect(refusal(await s.cli('GET', '/projects/nosuch'), 404)).toMatch(/project not found/);
  expect(refusal(await s.cli('GET', '/projects/nosuch/search?q=x'), 404)).toMatch(/project not found/);
  expect(refusal(await s.cli('GET', '/projects/nosuch/contexts/seed'), 404)).toMatch(/topic not found/);
  expect(refusal(await s.cli('GET', `/projects/${goPathEscape('bad name!')}/contexts`), 400)).toMatch(
    /^project: must be 1 to 64 characters/,
  );
});

it('a missing topic or content is 400 naming the field', async () => {
  expect(refusal(await s.cli('POST', '/projects/proj/contexts', { content: 'x' }), 400)).toBe(
    'topic: is required (a non-empty string)',
  );
  expect(refusal(await s.cli('POST', '/projects/proj/contexts', { topic: 't' }), 400)).toMatch(/^content: /);
  expect(refusal(await s.cli('PUT', '/projects/proj/contexts/seed', { priority: 'important' }), 400)).toMatch(
    /^content: /,
  );
  expect(refusal(await s.cli('POST', '/projects/proj/contexts/seed/move', {}), 400)).toMatch(
    /^target_project: /,
  );
  expect(refusal(await s.cli('POST', '/projects/proj/contexts', ['not', 'an', 'object']), 400)).toMatch(
    /^body: /,
  );
});

it("wrong types, priorities and oversized content are refused by lock_context's own checks", async () => {
  const typed = await s.cli('POST', '/projects/proj/contexts', { topic: 't', content: 'x', tags: 42 });
  expect(refusal(typed, 400)).toMatch(/Invalid arguments for tool lock_context/);
  const priority = await s.cli('POST', '/projects/proj/contexts', {
    topic: 't',
    content: 'x',
    priority: 'urgent',
  });
  expect(refusal(priority, 400)).toMatch(/priority/);
  const limit = s.deps.config.maxContentBytes;
  const big = await s.cli('POST', '/projects/proj/contexts', { topic: 't', content: 'x'.repeat(limit + 1) });
  expect(refusal(big, 400)).toBe(
    `content: is ${limit + 1} bytes (UTF-8); the limit is ${limit}: split it into several topics`,
  );
});

it('an invalid version is 400, a version that does not exist 404', async () => {
  expect(refusal(await s.cli('GET', '/projects/proj/contexts/seed?version=one'), 400)).toMatch(/^version: /);
  expect(refusal(await s.cli('DELETE', '/projects/proj/contexts/seed?version=1.x'), 400)).toMatch(
    /^version: /,
  );
  expect(refusal(await s.cli('GET', '/projects/proj/contexts/seed?version=9.9'), 404)).toMatch(
    /its versions are 1\.0/,
  );
});

it('bad query parameters are 400 naming them', async () => {
  expect(refusal(await s.cli('GET', '/projects/proj/contexts?limit=-1'), 400)).toMatch(/^limit: /);
  expect(refusal(await s.cli('GET', '/projects/proj/contexts?limit=501'), 400)).toMatch(/^limit: /);
  expect(refusal(await s.cli('GET', '/projects/proj/contexts?offset=x'), 400)).toMatch(/^offset: /);
  expect(refusal(await s.cli('GET', '/projects/proj/contexts?priority=urgent'), 400)).toMatch(/priority/);
  expect(refusal(await s.cli('GET', '/projects/proj/contexts?search=x&offset=5'), 400)).toMatch(/^offset: /);
  expect(refusal(await s.cli('DELETE', '/projects/proj/contexts/seed?force=maybe'), 400)).toMatch(/^force: /);
});

it.each(["seed'; DROP TABLE contexts; --", 'seed" OR 1=1 --', 'seed%', '*', '../seed'])(
  'SQL and path metacharacters in a topic segment (%j), URL-decoded, are refused or not found',
  async (topic) => {
    const escaped = goPathEscape(topic);
    for (const answer of [
      await s.cli('GET', `/projects/proj/contexts/${escaped}`),
      await s.cli('DELETE', `/projects/proj/contexts/${escaped}`),
      await s.cli('PUT', `/projects/proj/contexts/${escaped}`, { content: 'x' }),
    ]) {
      expect([400, 404]).toContain(answer.status);
      expectGoDecodes(answer.body, APIError);
    }
    const locked = await s.cli('POST', '/projects/proj/contexts', { topic, content: 'x' });
    expect(refusal(locked, 400)).toMatch(/^topic: /);
  },
);

it('an encoded slash and dots stay inside the topic segment: no route or other topic is reached', async () => {
  const topic = 'seed/../../x';
  expect(refusal(await s.cli('GET', `/projects/proj/contexts/${goPathEscape(topic)}`), 404)).toMatch(
    /topic not found: no context "seed\/\.\.\/\.\.\/x"/,
  );
  expect((await s.cli('POST', '/projects/proj/contexts', { topic, content: 'x' })).status).toBe(201);
  expect((await s.cli('GET', `/projects/proj/contexts/${goPathEscape(topic)}`)).body).toMatchObject({
    topic,
  });
  const removed = await s.cli('DELETE', `/projects/proj/contexts/${goPathEscape(topic)}?no_archive=true`);
  expect(removed.body).toMatchObject({ topic, count: 1 });
});

it('SQL metacharacters in a project segment are refused', async () => {
  const project = goPathEscape("proj' OR '1'='1");
  expect(refusal(await s.cli('GET', `/projects/${project}/contexts`), 400)).toMatch(/^project: /);
  expect(
    refusal(await s.cli('POST', `/projects/${project}/contexts`, { topic: 't', content: 'x' }), 400),
  ).toMatch(/^project: /);
});

it('malformed percent-encoding in the path is 400', async () => {
  expect(refusal(await s.cli('GET', '/projects/proj/contexts/%E0%A4%A'), 400)).toMatch(/^path: /);
});

it('a 10 MB body is refused with 413 before it is read whole', async () => {
  const answer = await s.cli('POST', '/projects/proj/contexts', {
    topic: 't',
    content: 'x'.repeat(10 * 1024 * 1024),
  });
  expect(refusal(answer, 413)).toMatch(/exceeds the 4194304-byte limit/);
});

it('a body that is not JSON is 400', async () => {
  const answer = await s.cli('POST', '/projects/proj/contexts', undefined, {
    'Content-Type': 'application/json',
  });
  expect(refusal(answer, 400)).toMatch(/not valid JSON/);
});

it('an unknown route is 404 and a known one with another method 405, with a clear message', async () => {
  expect(refusal(await s.cli('GET', '/contexts'), 404)).toBe('no route for GET /api/v1/contexts');
  expect(refusal(await s.cli('GET', ''), 404)).toMatch(/no route/);
  expect(refusal(await s.cli('GET', '/projects/proj/contexts/seed/history'), 404)).toMatch(/no route/);
  const wrongMethod = await s.cli('DELETE', '/projects');
  expect(refusal(wrongMethod, 405)).toMatch(/DELETE is not allowed here; use GET/);
  expect(wrongMethod.headers.get('allow')).toBe('GET');
  const notFound = await fetch(`${s.url}/api/v2/projects`, {
    headers: { Authorization: 'Bearer rest-token-5d1c' },
  });
  expect(notFound.status).toBe(404);
});
