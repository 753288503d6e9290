// The outbox schema as the first released plugin wrote it (schema version 1, before the outcome
// column): what a worker upgraded from that version finds on disk. Kept verbatim; never edit it.

/** The DDL of a version-1 outbox file, as released. */
export const OUTBOX_SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS outbox_pending (
  seq             INTEGER PRIMARY KEY,
  topic           TEXT    NOT NULL UNIQUE,
  content         TEXT    NOT NULL,
  tags            TEXT    NOT NULL,
  priority        TEXT    NOT NULL,
  force_store     INTEGER NOT NULL,
  bytes           INTEGER NOT NULL,
  enqueued_at     INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  claimed_until   INTEGER NOT NULL DEFAULT 0,
  claimed_by      TEXT,
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending_next_attempt ON outbox_pending (next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_pending_claimed_until ON outbox_pending (claimed_until);

CREATE TABLE IF NOT EXISTS outbox_delivered (
  seq          INTEGER PRIMARY KEY,
  topic        TEXT    NOT NULL UNIQUE,
  delivered_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_delivered_at ON outbox_delivered (delivered_at);

CREATE TABLE IF NOT EXISTS outbox_dead_letter (
  seq           INTEGER PRIMARY KEY,
  topic         TEXT    NOT NULL,
  content       TEXT    NOT NULL,
  content_bytes INTEGER NOT NULL,
  tags          TEXT    NOT NULL,
  priority      TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  attempts      INTEGER NOT NULL,
  enqueued_at   INTEGER NOT NULL,
  dropped_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_dead_letter_topic ON outbox_dead_letter (topic);

-- Pending count and bytes, kept by triggers so the size check on every enqueue reads one row.
CREATE TABLE IF NOT EXISTS outbox_size (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  pending_count INTEGER NOT NULL,
  pending_bytes INTEGER NOT NULL
);
INSERT OR IGNORE INTO outbox_size (id, pending_count, pending_bytes) VALUES (1, 0, 0);
CREATE TRIGGER IF NOT EXISTS outbox_pending_added AFTER INSERT ON outbox_pending BEGIN
  UPDATE outbox_size SET pending_count = pending_count + 1, pending_bytes = pending_bytes + NEW.bytes WHERE id = 1;
END;
CREATE TRIGGER IF NOT EXISTS outbox_pending_removed AFTER DELETE ON outbox_pending BEGIN
  UPDATE outbox_size SET pending_count = pending_count - 1, pending_bytes = pending_bytes - OLD.bytes WHERE id = 1;
END;
`;
