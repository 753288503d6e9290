import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { callToolResult } from './call-tool-result';
import { runTool } from './run-tool';
import type { ToolContext } from './tool-context';

/**
 * Registers the tools the context offers (Stompy's seven, then the configured extras) on `server`. The SDK checks the arguments against the tool's
 * input schema (a mismatch is an `isError` result with the SDK's message) and each result against its
 * `outputSchema`; `runTool` does the rest, and its outcome goes out as Stompy sends results: JSON text
 * content, plus `structuredContent` on success.
 */
export function registerTools(server: McpServer, context: ToolContext): void {
  for (const tool of context.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (args) => callToolResult(await runTool(context, tool, args)),
    );
  }
}
