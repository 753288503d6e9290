import { expectGoDecodes } from './helpers/go-decode';
import { startHostedServer, toolAnswer, type HostedServer } from './helpers/hosted-server';
import { anyNumber, stringMatching } from './helpers/matchers';
import { APIError } from './helpers/stompy-cli-structs';

// Hosted Stompy's write limits under the hosted profile, over real HTTP: content of at most 100,000
// UTF-8 bytes, topics of at most 100 characters, and the novelty gate (under 10% new against the
// topic's latest version is refused unless force_store). Over MCP a refused write is an isError tool
// result (HTTP 200) whose text is the JSON error body; over REST it is 400 or 409 with the CLI's shape.

const BASE = Array.from(
  { length: 60 },
  (_, i) => `sentence ${i} says the order shipped from warehouse ${i % 7}.`,
).join(' ');

let s: HostedServer;
beforeAll(async () => {
  s = await startHostedServer({ rateLimitPerMinute: null }); // limits of writes, not of calls
});
afterAll(async () => {
  await s.close();
});

it('stores 100,000 bytes and refuses 100,001 (a 3-byte character counts 3), changing nothing', async () => {
  expect(
    toolAnswer(await s.call('lock_context', { topic: 'big/ok', content: 'x'.repeat(100_000) })),
  ).toMatchObject({
    isError: false,
    json: { version: '1.0', created: true },
  });
  const refused = toolAnswer(
    await s.call('lock_context', { topic: 'big/no', content: `${'€'.repeat(33_333)}xx` }),
  );
  expect(refused).toEqual({
    isError: true,
    json: {
      error: 'invalid_input',
      message: 'content: is 100001 bytes (UTF-8); the limit is 100000: split it into several topics',
      field: 'content',
    },
  });
  const rest = await s.rest('POST', '/projects/default/contexts', {
    topic: 'big/rest',
    content: 'y'.repeat(100_001),
  });
  expect(rest.status).toBe(400);
  expect(rest.body).toMatchObject({ status_code: 400, error: 'invalid_input', field: 'content' });
  expectGoDecodes(rest.body, APIError);
  expect((await s.deps.store.dashboard()).total_topics).toBe(1);
});

it('takes a topic of 100 characters and refuses one of 101', async () => {
  expect(toolAnswer(await s.call('lock_context', { topic: 't'.repeat(100), content: 'x' })).isError).toBe(
    false,
  );
  const refused = toolAnswer(await s.call('lock_context', { topic: 'u'.repeat(101), content: 'x' }));
  expect(refused).toMatchObject({
    isError: true,
    json: {
      error: 'invalid_input',
      field: 'topic',
      message: stringMatching(/is 101 characters long; the limit is 100/),
    },
  });
  expect(
    (await s.rest('POST', '/projects/default/contexts', { topic: 'v'.repeat(101), content: 'x' })).status,
  ).toBe(400);
});

it('refuses content under 10% new against the latest version, unless force_store', async () => {
  await s.call('lock_context', { topic: 'notes', content: BASE });
  const nearCopy = { topic: 'notes', content: `${BASE} One more short remark.` };
  const refused = toolAnswer(await s.call('lock_context', nearCopy));
  expect(refused).toEqual({
    isError: true,
    json: {
      error: 'insufficient_novelty',
      message: stringMatching(/% new against version 1\.0 of this topic; at least 10% is required$/),
      novelty: anyNumber(),
      threshold: 0.1,
      latest_version: '1.0',
      hint: 'pass force_store: true to store it anyway, or lock it under another topic',
    },
  });
  const rest = await s.rest('POST', '/projects/default/contexts', nearCopy);
  expect(rest.status).toBe(409);
  expect(rest.body).toMatchObject({
    status_code: 409,
    error: 'insufficient_novelty',
    detail: 'pass force_store: true to store it anyway, or lock it under another topic',
  });
  expectGoDecodes(rest.body, APIError);
  const forced = toolAnswer(await s.call('lock_context', { ...nearCopy, force_store: true }));
  expect(forced).toMatchObject({ isError: false, json: { version: '1.1', created: true } });
});
