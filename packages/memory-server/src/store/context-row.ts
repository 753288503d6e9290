import type { Priority } from './validation';

/** A row of the `contexts` table, as better-sqlite3 returns it. */
export interface ContextRow {
  id: number;
  project: string;
  topic: string;
  minor: number;
  version: string;
  content: string;
  content_sha256: string;
  /** JSON array of strings. */
  tags: string;
  priority: Priority;
  /** Epoch milliseconds. */
  created_at: number;
  is_latest: 0 | 1;
  archived_at: number | null;
  access_count: number;
}

/** The tags of a row, decoded from their JSON column. */
export function rowTags(tagsJson: string): string[] {
  return JSON.parse(tagsJson) as string[];
}

/** An epoch-millisecond timestamp as ISO 8601 text. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
