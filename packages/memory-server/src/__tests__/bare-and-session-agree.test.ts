import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { REST_TOKEN, startRestServer, toolText, type RestServer } from './helpers/rest-server';

// A bare JSON-RPC POST (Stompy's CLI), a full MCP session (the SDK's client over Streamable HTTP) and
// the REST API are three doors to one store: what one writes, the others read, in the same form.

let s: RestServer;
let client: Client;
beforeAll(async () => {
  s = await startRestServer();
  client = new Client({ name: 'agree-test', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${s.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${REST_TOKEN}` } },
    }),
  );
});
afterAll(async () => {
  await client.close();
  await s.close();
});

/** A tool's result body through the MCP session (the JSON text the client got). */
async function sessionCall(name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = await client.callTool({ name, arguments: args });
  const [first] = result.content as Array<{ text: string }>;
  expect(result.structuredContent).toEqual(JSON.parse(first?.text ?? ''));
  return JSON.parse(first?.text ?? '');
}

it('what the session writes, a bare call and REST read the same', async () => {
  await sessionCall('lock_context', {
    topic: 'shared',
    content: 'from the session',
    tags: 'a',
    project: 'p',
  });
  await s.bareCall('lock_context', { topic: 'bare', content: 'from a bare call', project: 'p' });
  await s.cli('POST', '/projects/p/contexts', { topic: 'rest', content: 'from REST', priority: 'important' });

  for (const [tool, args] of [
    ['recall_batch', { topics: ['shared', 'bare', 'rest', 'none'], project: 'p' }],
    ['context_explore', { project: 'p' }],
    ['context_dashboard', { project: 'p' }],
    ['context_search', { query: 'from', project: 'p' }],
  ] as const) {
    expect(toolText(await s.bareCall(tool, args))).toEqual(await sessionCall(tool, args));
  }
  const viaSession = (await sessionCall('recall_batch', {
    topics: ['shared', 'bare', 'rest'],
    project: 'p',
  })) as {
    found: string[];
  };
  expect(viaSession.found).toEqual(['shared', 'bare', 'rest']);
  const listed = await s.cli('GET', '/projects/p/contexts');
  expect((listed.body.contexts as Array<{ topic: string }>).map((c) => c.topic).sort()).toEqual([
    'bare',
    'rest',
    'shared',
  ]);
});
