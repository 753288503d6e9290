import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHostedServer, TOKEN_A, toolAnswer, type HostedServer } from './helpers/hosted-server';

// Under the hosted profile `tools/list` offers exactly hosted Stompy's seven tools; this server's
// extras are offered only when asked for (`extraTools`, `--extra-tools`), over real HTTP.

const STOMPY_SEVEN = [
  'lock_context',
  'recall_context',
  'recall_batch',
  'unlock_context',
  'context_search',
  'context_explore',
  'context_dashboard',
];

let s: HostedServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function listedNames(server: HostedServer): Promise<string[]> {
  const answer = await server.rpc('tools/list', {});
  return (answer.body.result as { tools: { name: string }[] }).tools.map((tool) => tool.name);
}

it("lists hosted Stompy's seven tools and nothing else by default, and refuses a call to an extra", async () => {
  s = await startHostedServer();
  expect(await listedNames(s)).toEqual(STOMPY_SEVEN);
  const refused = toolAnswer(
    await s.call('lock_context_batch', { contexts: [{ topic: 't', content: 'x' }] }),
  );
  expect(refused.isError).toBe(true);
  expect(JSON.stringify(refused.json)).toMatch(/lock_context_batch not found/);
  expect((await s.deps.store.dashboard()).total_topics).toBe(0);
});

it('lists every extra tool after the seven with extraTools: all', async () => {
  s = await startHostedServer({ extraTools: 'all' });
  expect(await listedNames(s)).toEqual([
    ...STOMPY_SEVEN,
    'lock_context_batch',
    'context_search_batch',
    'outcome_insights',
  ]);
});

it('lists only the extras named, and an SDK client sees the same list', async () => {
  s = await startHostedServer({ extraTools: ['outcome_insights'] });
  expect(await listedNames(s)).toEqual([...STOMPY_SEVEN, 'outcome_insights']);
  const client = new Client({ name: 'hosted-tool-list', version: '0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${s.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN_A}` } },
    }),
  );
  try {
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      ...STOMPY_SEVEN,
      'outcome_insights',
    ]);
  } finally {
    await client.close();
  }
});
