import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { McpSession } from '../mcp-session';
import { StompyClient } from '../stompy-client';

// A memory server bounds what one reply carries (`maxReplyContentBytes`): past it, recall_batch entries
// and search hits come without their content, marked `truncated`. Against our real server with a small
// bound, the client still returns whole contexts from recall_batch, and search hits' previews.

const CONTENT = (topic: string) => `${topic}: ${'a long digest line. '.repeat(100)}`; // about 2,000 bytes
let deps: StompyServerDeps;
let session: McpSession;
let client: StompyClient;

beforeAll(async () => {
  deps = createServerDeps(
    resolveConfig({ dbPath: ':memory:', maxReplyContentBytes: 5_000, logger: silentLogger }),
  );
  await deps.store.lockMany(
    ['d/1', 'd/2', 'd/3', 'd/4'].map((topic) => ({ topic, content: CONTENT(topic), project: 'p' })),
  );
  session = new McpSession(
    { kind: 'in-process', createServer: () => createStompyServer(deps), description: 'small replies' },
    5_000,
    silentLogger,
  );
  client = new StompyClient(session, 'p');
});
afterAll(async () => {
  await session.close();
  await deps.store.close();
});

it('reads recall_batch entries the server left out one by one, so every context is whole', async () => {
  const found = await client.recallBatch(['d/1', 'd/2', 'd/3', 'd/4', 'd/none']);
  expect([...found.keys()].sort()).toEqual(['d/1', 'd/2', 'd/3', 'd/4']);
  for (const [topic, context] of found) {
    expect(context.content).toBe(CONTENT(topic));
    expect(context.truncated).toBeUndefined();
  }
});

it('gives search hits past the bound their preview, marked truncated, never an empty note', async () => {
  const hits = await client.search('digest', { limit: 4 });
  expect(hits).toHaveLength(4);
  const cut = hits.filter((hit) => hit.truncated === true);
  expect(cut.length).toBeGreaterThan(0);
  for (const hit of cut) expect(hit.content).toBe(CONTENT(hit.topic).slice(0, 200));
});
