import { getParseErrorMessage } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { StompyServerDeps } from '../create-server';
import { runTool } from './run-tool';
import { IN_PROCESS_CALLER, toolContextOf, type ToolCaller } from './tool-context';
import { refusal, type ToolOutcome } from './tool-outcome';

/**
 * Runs the server's tools by name, in process: the same definitions, argument checks, rate limit,
 * refusals and logs as over MCP, without JSON-RPC, without serializing the body, and without checking
 * the result against the tool's output schema (the server produced it).
 */
export interface ToolRunner {
  /** The tools offered, in the order `tools/list` names them: Stompy's seven, then the configured extras. */
  readonly toolNames: readonly string[];
  /**
   * Calls `tool` with `args` (JSON values, as an MCP client would send them). Resolves with the body
   * an MCP client would read from the result's text content, and whether it is a refusal; a refusal
   * never rejects. Arguments the tool's input schema refuses give `{error: 'invalid_params', message}`
   * and a tool that does not exist gives `{error: 'unknown_tool', message}`: over MCP, both come as
   * the SDK's plain-text refusal `MCP error -32602: <message>`, with the same message.
   */
  call(tool: string, args?: Record<string, unknown>): Promise<ToolOutcome>;
}

/**
 * A {@link ToolRunner} over the shared `deps` for one caller (default: in process): its calls share
 * the store with every MCP server made from them, and count against the caller's rate limit unless
 * the transport already counted the request (`caller.counted`).
 */
export function createToolRunner(deps: StompyServerDeps, caller: ToolCaller = IN_PROCESS_CALLER): ToolRunner {
  const context = toolContextOf(deps, caller);
  const tools = new Map(context.tools.map((tool) => [tool.name, tool]));
  return {
    toolNames: Object.freeze([...tools.keys()]),
    async call(name, args) {
      const tool = tools.get(name);
      if (tool === undefined) {
        return refusal({ error: 'unknown_tool', message: `Tool ${name} not found` });
      }
      // As the SDK's McpServer does before it runs a tool: absent arguments are `{}`, unknown ones are
      // dropped, and the refusal names each mismatch and its path.
      const parsed = await tool.inputSchema.safeParseAsync(args ?? {});
      if (!parsed.success) {
        const detail = getParseErrorMessage(parsed.error);
        return refusal({
          error: 'invalid_params',
          message: `Input validation error: Invalid arguments for tool ${name}: ${detail}`,
        });
      }
      return runTool(context, tool, parsed.data);
    },
  };
}
