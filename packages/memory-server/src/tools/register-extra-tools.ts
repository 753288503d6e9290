import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_BATCH_CONTEXTS } from '../store/lock-context-batch';
import { PRIORITIES } from '../store/validation';
import { callToolResult } from './call-tool-result';
import { runTool } from './run-tool';
import type { ToolContext } from './tool-context';
import { lockContextBatchOutput } from './tool-output-schemas';

/** The tools this server offers beyond Stompy's surface. Clients find them with `tools/list`. */
export const EXTRA_TOOLS = ['lock_context_batch'] as const;

/**
 * Registers this server's extra tools. Hosted Stompy does not have them, so clients must discover
 * them with `tools/list` and do without when they are absent (the plugin falls back to `lock_context`).
 */
export function registerExtraTools(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'lock_context_batch',
    {
      title: 'Lock many contexts',
      description:
        `Store up to ${MAX_BATCH_CONTEXTS} contexts in one call and one transaction, each exactly as lock_context would. ` +
        'A refused entry (bad input, insufficient novelty) changes nothing and does not stop the others. ' +
        'Returns {results: [lock_context result | {topic, error, message}], stored, refused}. Counts as one call against the rate limit.',
      inputSchema: {
        contexts: z
          .array(
            z.object({
              topic: z.string(),
              content: z.string(),
              tags: z.union([z.string(), z.array(z.string())]).nullish(),
              priority: z.enum(PRIORITIES).nullish(),
              force_store: z.boolean().nullish(),
            }),
          )
          .describe(
            `1 to ${MAX_BATCH_CONTEXTS} contexts, each with lock_context's arguments (project aside)`,
          ),
        project: z
          .string()
          .nullish()
          .describe("Project for every context; default: the server's default project"),
      },
      outputSchema: lockContextBatchOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    (args) =>
      runTool(context, { name: 'lock_context_batch', writes: true }, args, () =>
        context.store.lockBatch({
          contexts: args.contexts.map((c) => ({
            topic: c.topic,
            content: c.content,
            ...(c.tags == null ? {} : { tags: c.tags }),
            ...(c.priority == null ? {} : { priority: c.priority }),
            ...(c.force_store == null ? {} : { force_store: c.force_store }),
          })),
          ...(args.project == null ? {} : { project: args.project }),
        }),
      ).then(callToolResult),
  );
}
