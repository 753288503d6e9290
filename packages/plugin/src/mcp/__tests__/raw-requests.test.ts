import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { jsonResult, MemoryServerDouble } from '../../__tests__/helpers/memory-server-double';
import { callToolRaw, listToolNames } from '../raw-requests';

// The plugin lists tools across every page, and reads a tool's result even when it does not fit the
// output schema the tool declares (an extra field of a newer server must not fail the call).

/** Listed one a page, in this order: lock_context is on the first page, the only one `Client.listTools` reads. */
const TOOLS = ['lock_context', 'context_search', 'recall_batch', 'lock_context_batch'];
/** What a newer server answers: a version, and a field the declared output schema does not allow. */
const BODY = { version: '1.0', from_a_newer_server: true };

/** A client of the server double, whose tools declare output schemas without BODY's extra field. */
async function connect(): Promise<Client> {
  const server = new MemoryServerDouble({
    answers: Object.fromEntries(TOOLS.map((name) => [name, jsonResult(BODY, { structuredContent: BODY })])),
    toolsPerPage: 1,
    outputSchemas: Object.fromEntries(
      TOOLS.map((name) => [
        name,
        { type: 'object' as const, properties: { version: { type: 'string' } }, additionalProperties: false },
      ]),
    ),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.createMcpServer().connect(serverSide);
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
