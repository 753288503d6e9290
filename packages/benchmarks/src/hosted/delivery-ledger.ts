import Database from 'better-sqlite3';

/** One outcome as a pack on the server holds it: its topic and its note. */
export interface PackedNote {
  topic: string;
  note: string;
}

/** The outbox's own record of what it delivered, held against the packs the server stored. */
export interface LedgerCheck {
  /** Topics in the outbox's `outbox_delivered` table. */
  deliveredTopics: number;
  /** Pack topics on the server (`temporal:pack:%`). */
  packs: number;
  /** Versions of those topics: more than `packs` when a pack was written twice. */
  packVersions: number;
  /** Pack topics with more than one version. */
  packsWrittenTwice: number;
  /** Outcome entries over every pack's latest version. */
  packedOutcomes: number;
  /** Delivered topics (outbox's record) found in no pack: lost. */
  missing: number;
  /** Topics found in more than one pack entry: doubled (counted once per extra entry). */
  doubled: number;
  /** Pack entries whose topic the outbox never recorded as delivered. */
  unrecorded: number;
  /** Versions of `temporal:digest%` topics (digests, base digests, the register of writers): digest writes. */
  digestWrites: number;
  /** Every pack entry, in the order the server stored the packs. */
  notes: PackedNote[];
}

/** Splits a pack's content (a header, then `--- <outcome topic>\n<note>` per outcome) into its entries. */
export function packEntries(content: string): PackedNote[] {
  return content
    .split('\n\n--- ')
    .slice(1)
    .map((entry) => {
      const newline = entry.indexOf('\n');
      return newline < 0
        ? { topic: entry, note: '' }
        : { topic: entry.slice(0, newline), note: entry.slice(newline + 1) };
    });
}

function readOnly(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/**
 * Reads the worker's outbox file and the server's SQLite file read-only and holds them against each
 * other: every topic the outbox recorded as delivered must be in exactly one pack entry, no pack
 * entry may hold a topic the outbox did not record, and no pack topic may have more than one version.
 */
export function checkLedger(outboxPath: string, serverDbPath: string): LedgerCheck {
  const outbox = readOnly(outboxPath);
  let delivered: Set<string>;
  try {
    const rows = outbox.prepare('SELECT topic FROM outbox_delivered').pluck().all() as string[];
    delivered = new Set(rows);
  } finally {
    outbox.close();
  }
  const server = readOnly(serverDbPath);
  try {
    const packRows = server
      .prepare(
        "SELECT topic, content FROM contexts WHERE topic LIKE 'temporal:pack:%' AND is_latest = 1 ORDER BY id",
      )
      .all() as { topic: string; content: string }[];
    const versions = server
      .prepare("SELECT topic, COUNT(*) AS n FROM contexts WHERE topic LIKE 'temporal:pack:%' GROUP BY topic")
      .all() as { topic: string; n: number }[];
    const digestWrites = server
      .prepare("SELECT COUNT(*) FROM contexts WHERE topic LIKE 'temporal:digest%'")
      .pluck()
      .get() as number;
    const notes = packRows.flatMap((row) => packEntries(row.content));
    const seen = new Map<string, number>();
    for (const { topic } of notes) seen.set(topic, (seen.get(topic) ?? 0) + 1);
    return {
      deliveredTopics: delivered.size,
      packs: versions.length,
      packVersions: versions.reduce((sum, v) => sum + v.n, 0),
      packsWrittenTwice: versions.filter((v) => v.n > 1).length,
      packedOutcomes: notes.length,
      missing: [...delivered].filter((topic) => !seen.has(topic)).length,
      doubled: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
      unrecorded: [...seen.keys()].filter((topic) => !delivered.has(topic)).length,
      digestWrites,
      notes,
    };
  } finally {
    server.close();
  }
}
