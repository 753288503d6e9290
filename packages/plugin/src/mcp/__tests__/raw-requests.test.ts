import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { callToolRaw, listToolNames } from '../raw-requests';

// The plugin lists tools across every page, and reads a tool's result even when it does not fit the
// output schema the tool declares (an extra field of a newer server must not fail the call).

const PAGES = [['context_search', 'lock_context'], ['recall_batch'], ['lock_context_batch']];
const objectSchema = { type: 'object' as const };

async function connect(): Promise<Client> {
  const server = new Server({ name: 'paged', version: '0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const page = Number(request.params?.cursor ?? 0);
    const tools = (PAGES[page] ?? []).map((name) => ({
      name,
      inputSchema: objectSchema,
      outputSchema: {
        ...objectSchema,
        properties: { version: { type: 'string' } },
        additionalProperties: false,
      },
    }));
    return page + 1 < PAGES.length ? { tools, nextCursor: String(page + 1) } : { tools };
  });
  server.setRequestHandler(CallToolRequestSchema, () => {
    const body = { version: '1.0', from_a_newer_server: true };
    return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(clientSide);
  return client;
}

it('lists the tools of every page', async () => {
  const client = await connect();
  try {
    expect([...(await listToolNames(client, { timeout: 1_000 }))].sort()).toEqual(
      ['context_search', 'lock_context', 'lock_context_batch', 'recall_batch'].sort(),
    );
  } finally {
    await client.close();
  }
});

it('reads a result that does not fit the declared output schema, after listing the tools', async () => {
  const client = await connect();
  try {
    await listToolNames(client, { timeout: 1_000 });
    const result = await callToolRaw(client, 'lock_context', {}, { timeout: 1_000 });
    expect(result.structuredContent).toEqual({ version: '1.0', from_a_newer_server: true });
    // The SDK's own callTool would refuse it once it has seen the schemas.
    await client.listTools();
    await expect(client.callTool({ name: 'lock_context', arguments: {} })).rejects.toThrow(/output schema/);
  } finally {
    await client.close();
  }
});
