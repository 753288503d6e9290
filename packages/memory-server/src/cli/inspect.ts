import type { MemoryStore } from '../store/memory-store';

/** Options of `stompy-memory inspect`, as commander parses them from its flags. */
export interface InspectCliOptions {
  db: string;
  project: string;
  search?: string;
  tags?: string;
  topic?: string;
  limit: number;
  json?: boolean;
}

/**
 * What `stompy-memory inspect` prints: the latest version of one topic (`--topic`), search results
 * (`--search` and/or `--tags`), or the most recently updated topics. Reading a topic through inspect
 * goes through `recall`, so it counts as an access, as it would for any client.
 */
export async function runInspect(store: MemoryStore, opts: InspectCliOptions): Promise<string> {
  const project = opts.project;
  if (opts.topic !== undefined) {
    const context = await store.recall({ topic: opts.topic, project });
    if (opts.json) return `${JSON.stringify(context, null, 2)}\n`;
    return [
      `${context.topic} v${context.version} (${context.priority}) locked ${context.locked_at}`,
      `tags: ${context.tags.join(', ') || '(none)'}; versions: ${context.versions.join(', ')}; accessed ${context.access_count}x`,
      '',
      context.content,
      '',
    ].join('\n');
  }
  if (opts.search !== undefined || opts.tags !== undefined) {
    const result = await store.search({
      query: opts.search ?? '',
      tags: opts.tags,
      limit: opts.limit,
      project,
    });
    if (opts.json) return `${JSON.stringify(result, null, 2)}\n`;
    const lines = [`${result.total_found} found (${result.search_mode}), showing ${result.results.length}`];
    for (const hit of result.results) {
      lines.push(
        '',
        `${hit.topic} v${hit.version}  score ${hit.score.toFixed(3)}  ${hit.metadata.created_at}`,
      );
      lines.push(`  tags: ${hit.metadata.tags.join(', ')}`);
      lines.push(`  ${hit.preview.replace(/\n/g, ' | ')}`);
    }
    return `${lines.join('\n')}\n`;
  }
  const explored = await store.explore({ project, limit: opts.limit });
  if (opts.json) return `${JSON.stringify(explored, null, 2)}\n`;
  const lines = [`${explored.total} topics in project ${project}, most recent first`];
  for (const t of explored.topics) {
    lines.push(
      `  ${t.topic}  v${t.latest_version} (${t.version_count} versions, ${t.priority})  ${t.updated_at}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
