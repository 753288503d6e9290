import { z } from 'zod';
import { PRIORITIES } from '../store/validation';
import { defineTool, withoutNulls, type ToolDefinition } from './tool-definition';
import {
  contextDashboardOutput,
  contextExploreOutput,
  contextSearchOutput,
  lockContextOutput,
  recallBatchOutput,
  recallContextOutput,
  unlockContextOutput,
} from './tool-output-schemas';

// Schemas check types only, and optional arguments accept null as absent: see ToolDefinition.

const project = z
  .string()
  .nullish()
  .describe("Project (namespace) to use: 1-64 letters, digits, _ . -; default: the server's default project");
const topic = z
  .string()
  .describe(
    'Topic name: letters, digits and _ - . : / @ + =, starting with a letter or digit (e.g. "orders/customer:C9")',
  );
const tags = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .describe('Tags as a comma-separated list ("customer:C9,refund") or an array; same characters as topics');
const priority = z.enum(PRIORITIES).nullish().describe('always_check, important or reference');

/** The arguments of one search, project aside: `context_search`'s, shared with `context_search_batch`. */
export const searchArguments = {
  query: z.string().describe('Words to look for, as plain text'),
  tags: tags.describe('Only contexts carrying every one of these tags (comma list or array)'),
  priority: priority.describe('Only contexts of this priority'),
  limit: z.number().nullish().describe('Results to return, 1 to 100 (default 10)'),
};

/**
 * Stompy's context tools: `lock_context`, `recall_context`, `recall_batch`, `unlock_context`,
 * `context_search`, `context_explore` and `context_dashboard`, in the order `tools/list` gives them.
 */
export const STOMPY_TOOLS: readonly ToolDefinition[] = [
  defineTool({
    name: 'lock_context',
    title: 'Lock context',
    description:
      'Store content as a new immutable version of a topic ("1.0", "1.1", ...). Content identical to the latest version ' +
      'adds no version (created: false). Returns {id, topic, version, project, created}.',
    inputSchema: z.object({
      topic,
      content: z.string().describe('The content to store (UTF-8 text)'),
      tags,
      priority: priority.describe('always_check, important or reference (default)'),
      force_store: z
        .boolean()
        .nullish()
        .describe('Store even if the content is too similar to the latest version'),
      project,
    }),
    outputSchema: lockContextOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    writes: true,
    run: (store, args) => store.lock(withoutNulls(args)),
  }),

  defineTool({
    name: 'recall_context',
    title: 'Recall context',
    description:
      'Read one version of a topic (latest by default): content, version, tags, priority, locked_at, access_count and the list of versions.',
    inputSchema: z.object({
      topic,
      version: z.string().nullish().describe('"latest" (default) or a version such as "1.2"'),
      project,
    }),
    outputSchema: recallContextOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: (store, args) => store.recall(withoutNulls(args)),
  }),

  defineTool({
    name: 'recall_batch',
    title: 'Recall a batch of contexts',
    description:
      'Read the latest version of 1 to 50 topics in one call. Returns {results: [{topic, found, version, content, ...}], ' +
      'found: [...], not_found: [...]}: one result per topic, in order, with found: false for a topic with no live version.',
    inputSchema: z.object({
      topics: z.array(z.string()).describe('1 to 50 topic names'),
      project,
      preview_only: z
        .boolean()
        .nullish()
        .describe('Return the first 200 characters as "preview" instead of "content"'),
    }),
    outputSchema: recallBatchOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: (store, args) => store.recallBatch(withoutNulls(args)),
  }),

  defineTool({
    name: 'unlock_context',
    title: 'Unlock context',
    description:
      'Remove versions of a topic, or of every topic matching a glob (* and ?). Archives by default (hidden, kept); ' +
      'archive: false deletes. Removing the latest version makes the previous one latest again.',
    inputSchema: z.object({
      topic: topic.nullish().describe('The topic to remove versions of (or give topic_pattern)'),
      topic_pattern: z
        .string()
        .nullish()
        .describe(
          'Glob over topic names, e.g. "orders/*" (or give topic); a pattern of wildcards only is refused',
        ),
      version: z.string().nullish().describe('"all" (default), "latest" or a version such as "1.2"'),
      archive: z.boolean().nullish().describe('true (default): archive; false: delete'),
      project,
    }),
    outputSchema: unlockContextOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    writes: true,
    run: (store, args) => store.unlock(withoutNulls(args)),
  }),

  defineTool({
    name: 'context_search',
    title: 'Search contexts',
    description:
      'Full-text search (BM25 blended with recency) over the latest version of each topic. The query is plain text, ' +
      'never search syntax. tags: every given tag must match. A query without words lists matching contexts newest first.',
    inputSchema: z.object({ ...searchArguments, project }),
    outputSchema: contextSearchOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: (store, args) => store.search(withoutNulls(args)),
  }),

  defineTool({
    name: 'context_explore',
    title: 'Explore contexts',
    description:
      'List the topics of a project, most recently updated first: latest version, version count, priority, tags, preview, ' +
      'access_count; filtered by priority, tags and a topic glob, paged with limit and offset.',
    inputSchema: z.object({
      project,
      limit: z.number().nullish().describe('Topics to list, 1 to 500 (default 50)'),
      offset: z.number().nullish().describe('Topics to skip first (default 0)'),
      priority: priority.describe('Only topics whose latest version has this priority'),
      tags: tags.describe('Only topics whose latest version carries every one of these tags'),
      grep: z.string().nullish().describe('Only topics matching this glob (* and ?), e.g. "orders/*"'),
    }),
    outputSchema: contextExploreOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: (store, args) => store.explore(withoutNulls(args)),
  }),

  defineTool({
    name: 'context_dashboard',
    title: 'Context dashboard',
    description:
      'Totals of a project (topics, versions, by priority, archived, stale) and its most recently locked topics.',
    inputSchema: z.object({ project }),
    outputSchema: contextDashboardOutput,
    annotations: { readOnlyHint: true },
    writes: false,
    run: (store, args) => store.dashboard(withoutNulls(args)),
  }),
];
