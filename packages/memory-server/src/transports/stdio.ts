import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves one MCP server over this process's stdin/stdout and resolves when the client closes stdin.
 * stdout carries only protocol messages: logs must go to stderr.
 *
 * A line longer than the transport's buffer (10 MiB) rejects with an error that says so, and the CLI
 * reports it on stderr and exits non-zero. Refusing that one message and serving on is not possible
 * here: the SDK's reader drops what it buffered of the line and closes the transport, so the message's
 * id (needed to address a JSON-RPC error) is gone and the rest of the line would arrive as garbage.
 * Exiting non-zero tells the client's process supervisor plainly what happened; a silent exit 0 looked
 * like a clean end of input.
 */
export async function serveStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport();
  let fatal: Error | undefined;
  // Set before connect: the MCP server chains its own handler after this one.
  transport.onerror = (error) => {
    if (/exceeded maximum size/.test(error.message)) fatal = error;
  };
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
  if (fatal !== undefined) {
    throw new Error(`stdio: a message line was too long and the connection was closed (${fatal.message})`);
  }
}
