import { Agent, request } from 'node:http';

/**
 * The leanest MCP client over Streamable HTTP: JSON-RPC `tools/call` POSTs on kept-alive
 * connections, nothing else. The server is stateless, so no session is needed. It measures what the
 * server sustains, where the SDK's client would measure the client as much as the server.
 */
export class LeanJsonRpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private nextId = 1;

  constructor(private readonly url: URL) {}

  /** Calls a tool and resolves with the HTTP body; rejects on a non-200 answer or an `isError` result. */
  callTool(name: string, args: Record<string, unknown>): Promise<string> {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: this.nextId++,
      method: 'tools/call',
      params: { name, arguments: args },
    });
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            res.statusCode === 200 && !text.includes('"isError":true')
              ? resolve(text)
              : reject(new Error(`${name}: HTTP ${String(res.statusCode)} ${text.slice(0, 200)}`)),
          );
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${name}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
