import { z } from 'zod';
import { MAX_BATCH_CONTEXTS } from '../store/lock-context-batch';
import { MAX_OUTCOME_KEYS, type OutcomeInput } from '../store/outcome-input';
import { PRIORITIES } from '../store/validation';
import { StoreError } from '../store/errors';
import { OUTCOME_INSIGHTS_TOOL } from './outcome-insights-tool';
import { searchArguments } from './stompy-tools';
import { defineTool, withoutNulls, type ToolDefinition } from './tool-definition';
import { contextSearchBatchOutput, lockContextBatchOutput } from './tool-output-schemas';

/** Most searches in one `context_search_batch` call. */
export const MAX_BATCH_SEARCHES = 20;

/**
 * The tools this server offers beyond Stompy's surface. Hosted Stompy does not have them, so clients
 * must discover them with `tools/list` and do without when they are absent (the plugin falls back to
 * `lock_context`).
 */
export const EXTRA_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'lock_context_batch',
    title: 'Lock many contexts',
    description:
      `Store up to ${MAX_BATCH_CONTEXTS} contexts in one call and one transaction, each exactly as lock_context would. ` +
      'A refused entry (bad input, insufficient novelty) changes nothing and does not stop the others. ' +
      'An entry may carry the outcome its context records, {keys, facts}: it is counted for outcome_insights when the context is newly stored, ' +
      'once per project and topic. ' +
      'Returns {results: [lock_context result | {topic, error, message}], stored, refused}. Counts as one call against the rate limit.',
    inputSchema: z.object({
      contexts: z
        .array(
          z.object({
            topic: z.string(),
            content: z.string(),
            tags: z.union([z.string(), z.array(z.string())]).nullish(),
            priority: z.enum(PRIORITIES).nullish(),
            force_store: z.boolean().nullish(),
            // Any value: a bad outcome refuses its entry alone (the store checks it), not the call.
            outcome: z
              .unknown()
              .optional()
              .describe(
                `The outcome this context records: {keys: 1 to ${MAX_OUTCOME_KEYS} keys, facts: OutcomeFacts of @temporal-stompy/insights}`,
              ),
          }),
        )
        .describe(`1 to ${MAX_BATCH_CONTEXTS} contexts, each with lock_context's arguments (project aside)`),
      project: z
        .string()
        .nullish()
        .describe("Project for every context; default: the server's default project"),
    }),
    outputSchema: lockContextBatchOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    writes: true,
    run: (store, args) =>
      store.lockBatch({
        contexts: args.contexts.map((c) => ({
          topic: c.topic,
          content: c.content,
          ...(c.tags == null ? {} : { tags: c.tags }),
          ...(c.priority == null ? {} : { priority: c.priority }),
          ...(c.force_store == null ? {} : { force_store: c.force_store }),
          // Checked by the store, which refuses the entry when it is not an OutcomeInput.
          ...(c.outcome == null ? {} : { outcome: c.outcome as OutcomeInput }),
        })),
        ...(args.project == null ? {} : { project: args.project }),
      }),
  }),

  defineTool({
    name: 'context_search_batch',
    title: 'Search many times',
    description:
      `Run up to ${MAX_BATCH_SEARCHES} searches in one call, each exactly as context_search would (same arguments, project aside). ` +
      'A refused search does not stop the others. Returns {results: [context_search result | {error, message}]}, in order. ' +
      'Counts as one call against the rate limit.',
    inputSchema: z.object({
      searches: z
        .array(z.object(searchArguments))
        .describe(
          `1 to ${MAX_BATCH_SEARCHES} searches, each with context_search's arguments (project aside)`,
        ),
      project: z
        .string()
        .nullish()
        .describe("Project for every search; default: the server's default project"),
    }),
    outputSchema: contextSearchBatchOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: async (store, args) => {
      if (args.searches.length < 1 || args.searches.length > MAX_BATCH_SEARCHES) {
        throw new StoreError('invalid_input', `searches: give 1 to ${MAX_BATCH_SEARCHES} searches`, {
          field: 'searches',
        });
      }
      const project = args.project == null ? {} : { project: args.project };
      // The searches go out in one reply: they share its content budget. One after another: a batch is
      // one client's call and must not take every pooled connection.
      const budget = store.replyBudget();
      const results = [];
      for (const search of args.searches) {
        try {
          results.push(await store.search({ ...withoutNulls(search), ...project }, budget));
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          results.push({ error: error.code, message: error.message, ...error.details });
        }
      }
      return { results };
    },
  }),

  OUTCOME_INSIGHTS_TOOL,
];
