import { z } from 'zod';
import { STORE_ERROR_CODES } from '../store/errors';
import { PRIORITIES } from '../store/validation';

// The `outputSchema` of every tool: exactly the objects the tools send today as `structuredContent`
// (and as JSON text). Objects are closed (`additionalProperties: false` in `tools/list`) unless they
// really carry open-ended fields. Refusals (`isError`) are not described here: they carry no
// `structuredContent` (see tool-result.ts).

const version = z.string().describe('A version of the topic, such as "1.0" or "1.12"');
const isoTime = z.iso.datetime().describe('ISO 8601 time, UTC');
const priority = z.enum(PRIORITIES);
const tags = z.array(z.string());
const count = z.number().int().nonnegative();
const truncatedFlag = z
  .literal(true)
  .optional()
  .describe('The content was left out to keep the reply within its byte budget: recall the topic alone');
/** What a reply that left content out to stay within its byte budget says about it. */
const truncation = {
  truncated: z.literal(true).optional().describe('Some entries were sent without their content'),
  message: z.string().optional().describe('Which entries were left out, and how to get them'),
};

/** Hosted Stompy's `usage_warning`: calls used in the window, the cap, the share in percent, when a slot frees. */
export const usageWarningSchema = z.object({
  used: count,
  cap: count,
  pct: count,
  resets_at: isoTime,
});

/** A write's result may carry a `usage_warning` once more than 80% of the per-minute cap is used. */
function writeResult<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({
    ...shape,
    usage_warning: usageWarningSchema
      .optional()
      .describe('Present once more than 80% of the per-minute call cap is used'),
  });
}

const lockedVersion = {
  id: z.number().int(),
  topic: z.string(),
  version,
  project: z.string(),
  created: z.boolean().describe('false when the content was already the latest version'),
};

/** `lock_context`: the version now latest. */
export const lockContextOutput = writeResult(lockedVersion);

/**
 * One refused entry of `lock_context_batch`: the topic, the refusal's code and message, and the
 * refusal's details (`field`, `novelty`, `threshold`, ...), which differ from one reason to another.
 */
const refusedBatchEntry = z.looseObject({
  topic: z.string(),
  error: z.enum(STORE_ERROR_CODES),
  message: z.string(),
});

/** `lock_context_batch`: one entry per context, in order, stored or refused, and the two counts. */
export const lockContextBatchOutput = writeResult({
  results: z.array(z.union([z.object(lockedVersion), refusedBatchEntry])),
  stored: count,
  refused: count,
});

/** `recall_context`: one version of a topic. */
export const recallContextOutput = z.object({
  topic: z.string(),
  version,
  content: z.string(),
  tags,
  priority,
  locked_at: isoTime,
  access_count: count,
  versions: z.array(version).describe('Every live version of the topic, oldest first'),
});

/**
 * `recall_batch`: one entry per distinct topic asked for, in order, found or not (the list Stompy's CLI
 * reads), and the names of the topics found and not found.
 */
export const recallBatchOutput = z.object({
  results: z.array(
    z.union([
      z.object({
        topic: z.string(),
        found: z.literal(true),
        version,
        content: z.string().optional().describe('The whole content; absent with preview_only'),
        preview: z
          .string()
          .optional()
          .describe('The first 200 characters; with preview_only, and instead of content when truncated'),
        truncated: truncatedFlag,
        tags,
        priority,
        locked_at: isoTime,
      }),
      z.object({ topic: z.string(), found: z.literal(false) }).describe('A topic with no live version'),
    ]),
  ),
  found: z.array(z.string()),
  not_found: z.array(z.string()),
  ...truncation,
});

/** `unlock_context`: the versions removed, and whether they were archived or deleted. */
export const unlockContextOutput = writeResult({
  removed: z.array(z.object({ topic: z.string(), version })),
  archived: z.boolean(),
  count,
});

/** `context_search`: the hits, best first. */
export const contextSearchOutput = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      label: z.string().describe('The topic'),
      topic: z.string(),
      version,
      content: z.string().describe('The whole content; empty when truncated'),
      preview: z.string(),
      truncated: truncatedFlag,
      metadata: z.object({ tags, priority, created_at: isoTime }),
      bm25_score: z.number(),
      temporal_score: z.number(),
      score: z.number(),
    }),
  ),
  total_found: count.describe('Number of results returned'),
  search_mode: z.enum(['bm25+recency', 'recency']),
  ...truncation,
});

/** `context_search_batch`: one result per search, in order: its results, or why it was refused. */
export const contextSearchBatchOutput = z.object({
  results: z.array(
    z.union([
      contextSearchOutput,
      z.looseObject({ error: z.enum(STORE_ERROR_CODES), message: z.string() }).describe('A refused search'),
    ]),
  ),
});

/**
 * `context_explore`: a project's topics, most recently updated first, in Stompy's form (`contexts`,
 * tags as a comma list) and in this server's earlier form (`topics`), and how many pass the filters.
 */
export const contextExploreOutput = z.object({
  project: z.string(),
  contexts: z.array(
    z.object({
      id: z.number().int(),
      topic: z.string(),
      priority,
      version: version.describe('The latest version'),
      tags: z.string().describe('Tags of the latest version as a comma list'),
      preview: z.string(),
      access_count: count,
      locked_at: isoTime,
    }),
  ),
  topics: z.array(
    z.object({
      id: z.number().int(),
      topic: z.string(),
      latest_version: version,
      version_count: count,
      priority,
      tags,
      preview: z.string(),
      access_count: count,
      updated_at: isoTime,
    }),
  ),
  total: count.describe('Topics that pass the filters'),
});

/**
 * `context_dashboard`: a project's totals and its most recently locked topics, with Stompy's fields
 * (`total_contexts`, `stale_count`, `recent_topics`) beside this server's.
 */
export const contextDashboardOutput = z.object({
  project: z.string(),
  total_contexts: count.describe('Topics with a live version'),
  total_topics: count.describe('Topics with a live version'),
  total_versions: count,
  by_priority: z.record(priority, count).describe('Topics by the priority of their latest version'),
  archived: count,
  stale_count: count.describe('Topics whose latest version is more than 30 days old'),
  recent_topics: z.array(z.string()),
  recent: z.array(z.object({ topic: z.string(), version, locked_at: isoTime })),
});
