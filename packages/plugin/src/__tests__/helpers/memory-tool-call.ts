// One MCP tool call to a memory server over Streamable HTTP, with the official SDK's client, as any MCP
// client would make it: for tests that ask a server directly rather than through the plugin.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What a tool call came to: the result's JSON, or the error it answered (or the transport failure). */
export type ToolCallOutcome = { ok: true; json: unknown } | { ok: false; error: string };

/** Calls `tool` with `args` at `url` (an `/mcp` endpoint) with `token`; everything within `timeoutMs`. */
export async function callMemoryTool(
  url: string,
  token: string,
  tool: string,
  args: Record<string, unknown>,
  timeoutMs = 10_000,
): Promise<ToolCallOutcome> {
  const client = new Client({ name: 'fleet-test', version: '0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: timeoutMs });
    const text = (result.content as { type: string; text?: string }[] | undefined)?.find(
      (c) => c.type === 'text',
    )?.text;
    if (result.isError) return { ok: false, error: text ?? 'isError without text' };
    return { ok: true, json: JSON.parse(text ?? 'null') as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close().catch(() => undefined);
  }
}
