import type { Server, ServerResponse } from 'node:http';

/** A JSON-RPC error body for a request that could not be read as one (no id). */
export function jsonRpcError(message: string): object {
  return { jsonrpc: '2.0', error: { code: -32600, message }, id: null };
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Listens on `host:port`, rejecting when the address cannot be bound. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
