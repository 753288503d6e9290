import type { GoType } from './go-decode';

// The JSON fields of the structs Stompy's CLI (banton/stompy-cli v0.2.x) decodes our answers into,
// with their Go types: internal/api/contexts.go, projects.go, search.go, errors.go, mcp.go, and the
// MCP response structs of cmd/context.go.

/** `api.ContextResponse`. */
export const ContextResponse = {
  id: 'int',
  topic: 'string',
  version: 'string',
  priority: 'string',
  tags: '[]string',
  preview: 'string',
  key_concepts: '[]string',
  content_hash: 'string',
  locked_at: 'time',
  last_accessed: 'time',
  access_count: 'int',
} as const satisfies GoType;

/** `api.ContextDetailResponse`: a ContextResponse with content and versions. */
export const ContextDetailResponse = {
  ...ContextResponse,
  content: 'string',
  versions: [{ version: 'string', created_at: 'time' }],
} as const satisfies GoType;

/** `api.ContextCreateResponse`. */
export const ContextCreateResponse = { status: 'string', topic: 'string', version: 'string' } as const;

/** `api.ContextDeleteResponse`. */
export const ContextDeleteResponse = { status: 'string', topic: 'string', archived: 'bool' } as const;

/** `api.ContextMoveResponse`. */
export const ContextMoveResponse = { status: 'string', topic: 'string', target_project: 'string' } as const;

/** `api.ContextListResponse`. */
export const ContextListResponse = { contexts: [ContextResponse], total: 'int' } as const satisfies GoType;

/** `api.ProjectResponse`. */
export const ProjectResponse = {
  name: 'string',
  schema_name: 'string',
  created_at: 'time',
  role: 'string',
  is_system: 'bool',
  description: 'string',
  stats: {
    context_count: 'int',
    session_count: 'int',
    file_count: 'int',
    storage_bytes_db: 'int',
    storage_bytes_s3: 'int',
    last_activity: 'time',
  },
} as const satisfies GoType;

/** `api.ProjectListResponse`. */
export const ProjectListResponse = { projects: [ProjectResponse], total: 'int' } as const satisfies GoType;

/** `api.SearchResponse` (the top-level `stompy search`). */
export const SearchResponse = {
  results: [
    { id: 'int', topic: 'string', type: 'string', preview: 'string', score: 'float', priority: 'string' },
  ],
  total: 'int',
  query: 'string',
} as const satisfies GoType;

/** `api.APIError`: what the CLI decodes from any answer that is not 2xx. */
export const APIError = { status_code: 'int', message: 'string', detail: 'string' } as const;

/** `cmd.ContextExploreResponse` (MCP `context_explore`): note `tags` is a string. */
export const ContextExploreResponse = {
  project: 'string',
  contexts: [
    {
      topic: 'string',
      priority: 'string',
      version: 'string',
      tags: 'string',
      preview: 'string',
      access_count: 'int',
    },
  ],
  total: 'int',
} as const satisfies GoType;

/** `cmd.ContextDashboardResponse` (MCP `context_dashboard`). */
export const ContextDashboardResponse = {
  project: 'string',
  total_contexts: 'int',
  by_priority: 'map[string]int',
  recent_topics: '[]string',
  stale_count: 'int',
} as const satisfies GoType;

/** `cmd.RecallBatchResponse` (MCP `recall_batch`). */
export const RecallBatchResponse = {
  results: [
    {
      topic: 'string',
      content: 'string',
      preview: 'string',
      version: 'string',
      found: 'bool',
      error: 'string',
    },
  ],
} as const satisfies GoType;

/** `api.jsonRPCResponse` with `api.mcpToolResult` as its result. */
export const JsonRpcToolResponse = {
  jsonrpc: 'string',
  id: 'int',
  result: { content: [{ type: 'string', text: 'string' }], isError: 'bool' },
  error: { code: 'int', message: 'string' },
} as const satisfies GoType;
