// Reading what reached memory, for assertions: straight from the memory server's SQLite file, so a
// test sees every version of every context (nothing the server's search would rank away or dedupe).
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** One stored version of a context. */
export interface StoredContext {
  topic: string;
  version: string;
  content: string;
  tags: string[];
  priority: string;
}

/** Every version of every context of a project, in the order they were written. */
export function readContexts(dbPath: string, project: string): StoredContext[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT topic, version, content, tags, priority FROM contexts WHERE project = ? ORDER BY id')
      .all(project) as { topic: string; version: string; content: string; tags: string; priority: string }[];
    return rows.map((row) => ({ ...row, tags: JSON.parse(row.tags) as string[] }));
  } finally {
    db.close();
  }
}

/** A topic as stored: how many versions it has, and its latest version's tags and content. */
export interface StoredTopic {
  topic: string;
  versions: number;
  tags: string[];
  content: string;
}

/**
 * The topics of a project whose latest content's first line names `marker` (for an outcome, a workflow
 * id prefix such as `(restart-`), in the order they were first written.
 */
export function readTopics(dbPath: string, project: string, marker: string): StoredTopic[] {
  const topics = new Map<string, StoredTopic>();
  for (const { topic, content, tags } of readContexts(dbPath, project)) {
    const versions = (topics.get(topic)?.versions ?? 0) + 1;
    topics.set(topic, { topic, versions, tags, content });
  }
  return [...topics.values()].filter((t) => t.content.split('\n', 1)[0]?.includes(marker));
}

/** The contexts carrying every given tag. */
export function withTags(contexts: readonly StoredContext[], ...tags: string[]): StoredContext[] {
  return contexts.filter((c) => tags.every((t) => c.tags.includes(t)));
}

/** Whether `text` occurs anywhere in a SQLite file or its write-ahead log, as raw bytes. */
export function sqliteFileContains(dbPath: string, text: string): boolean {
  return [dbPath, `${dbPath}-wal`].some(
    (file) => existsSync(file) && readFileSync(file).includes(Buffer.from(text, 'utf8')),
  );
}
