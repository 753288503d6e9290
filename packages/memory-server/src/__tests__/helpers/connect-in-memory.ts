import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createStompyServer, type StompyServerDeps } from '../../create-server';

/** An MCP client connected to a memory server, and how to disconnect both. */
export interface ConnectedClient {
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * Connects a real MCP client to a memory server over some transport. Tool tests take one, so the same
 * tests can run over the in-memory pair, Streamable HTTP, SSE or stdio.
 */
export type McpConnector = (deps: StompyServerDeps) => Promise<ConnectedClient>;

/** Connects a client to a new `createStompyServer(deps)` through `InMemoryTransport.createLinkedPair()`. */
export const connectInMemory: McpConnector = async (deps) => {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = createStompyServer(deps);
  await server.connect(serverTransport);
  const client = new Client({ name: 'memory-server-tests', version: '0.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
};
