import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import BetterSqlite3 from 'better-sqlite3';
import { resolveConfig, type MemoryServerConfig } from '../../config';
import { openServerDeps, type StompyServerDeps } from '../../create-server';
import type { StoreKind } from '../../store/memory-store';
import type { ContextDashboardResult } from '../../store/types';
import { captureLogger } from './capture-logger';
import { connectInMemory, type McpConnector } from './connect-in-memory';
import { FakeClock } from './fake-clock';
import { emptyPostgres, newPostgresDatabase } from './shared-postgres';

/** A tool call's result as the client saw it. */
export interface ToolCall {
  readonly isError: boolean;
  /** The text content (the JSON Stompy's clients parse). */
  readonly text: string;
  /** The text parsed as JSON, or undefined when it is not JSON (e.g. an SDK validation message). */
  readonly json: unknown;
  readonly structured: unknown;
}

/** The body of a refused call: `error` code and `message` (plain SDK messages come as `message` only). */
export interface ToolFailure {
  readonly error?: string;
  readonly message: string;
  readonly [detail: string]: unknown;
}

/**
 * A memory server on a fresh SQLite file in a temp folder (or a fresh PostgreSQL database), a connected MCP client that checks every
 * result against the tool's outputSchema (as `Client.callTool` does after `tools/list`), and helpers.
 */
export interface ToolHarness {
  readonly client: Client;
  readonly deps: StompyServerDeps;
  readonly dbPath: string;
  readonly clock: FakeClock;
  /** Everything the server logged. */
  readonly logs: Array<Record<string, unknown>>;
  /** Calls a tool and returns what came back, error or not. */
  call(name: string, args?: Record<string, unknown>): Promise<ToolCall>;
  /** Calls a tool that must succeed; checks text and structured content agree and returns the JSON. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must be refused and returns the error body. */
  fail(name: string, args?: Record<string, unknown>): Promise<ToolFailure>;
  /** `context_dashboard` of a project, to check a refused call changed nothing. */
  dashboard(project?: string): Promise<ContextDashboardResult>;
  /**
   * Empties the database and puts the clock and the logs back where a fresh harness starts, keeping
   * the connection (over stdio, the child process), so a describe block can open one harness in
   * `beforeAll` and `reset()` it before each test. Refused when a rate limit is configured: the server
   * keeps counting calls across a reset.
   */
  reset(): Promise<void>;
  /** Disconnects, closes the store and removes the temp folder. */
  close(): Promise<void>;
}

/** Options of {@link openToolHarness}. */
export interface ToolHarnessOptions {
  /** Configuration over the harness defaults (temp `dbPath`, fake clock, captured logger). */
  config?: Partial<MemoryServerConfig>;
  /** Transport to test over; default in-memory. */
  connect?: McpConnector;
  /** The database behind the server; default SQLite. */
  store?: StoreKind;
}

/** Opens a {@link ToolHarness}. */
export async function openToolHarness(options: ToolHarnessOptions = {}): Promise<ToolHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'stompy-memory-test-'));
  const clock = new FakeClock();
  const captured = captureLogger();
  const postgresUrl = options.store === 'postgres' ? await newPostgresDatabase() : undefined;
  const config = resolveConfig({
    dbPath: postgresUrl ?? join(dir, 'memory.db'),
    logger: captured.logger,
    now: clock.now,
    ...options.config,
  });
  const deps = await openServerDeps(config);
  const connected = await (options.connect ?? connectInMemory)(deps);
  // The SDK client checks `structuredContent` against a tool's outputSchema only once it has listed
  // the tools: list them, so every call of every test checks the result the way clients do.
  await connected.client.listTools();
  const startTime = clock.time;

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolCall> => {
    const result = await connected.client.callTool({ name, arguments: args });
    const content = result.content as Array<{ type: string; text?: string }>;
    const text = content[0]?.type === 'text' ? (content[0].text ?? '') : '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { isError: result.isError === true, text, json, structured: result.structuredContent };
  };

  const harness: ToolHarness = {
    client: connected.client,
    deps,
    dbPath: config.dbPath,
    clock,
    logs: captured.lines,
    call,
    async ok<T>(name: string, args?: Record<string, unknown>): Promise<T> {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${result.text}`);
      expect(result.structured).toEqual(result.json);
      return result.json as T;
    },
    async fail(name: string, args?: Record<string, unknown>): Promise<ToolFailure> {
      const result = await call(name, args);
      if (!result.isError) throw new Error(`${name} should have been refused but returned ${result.text}`);
      return (
        typeof result.json === 'object' && result.json !== null ? result.json : { message: result.text }
      ) as ToolFailure;
    },
    dashboard: (project) =>
      harness.ok<ContextDashboardResult>('context_dashboard', project ? { project } : {}),
    async reset() {
      if (config.rateLimitPerMinute !== null || config.burstPer10s !== null) {
        throw new Error(
          'a harness with a rate limit cannot be reset (the server keeps its count): open a new one',
        );
      }
      if (postgresUrl !== undefined) await emptyPostgres(postgresUrl);
      else emptyDatabase(config.dbPath);
      clock.time = startTime;
      captured.lines.length = 0;
    },
    async close() {
      await connected.close();
      await deps.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Deletes every context, topic and outcome through a connection of its own (the triggers and foreign
 * keys empty the tag and full-text indexes), then checks that no table still holds rows, so a table added
 * to the schema later cannot leak from one test into the next unnoticed.
 */
function emptyDatabase(dbPath: string): void {
  const db = new BetterSqlite3(dbPath, { timeout: 5000 });
  try {
    db.pragma('foreign_keys = ON');
    db.transaction(() =>
      db.exec(
        `DELETE FROM contexts; DELETE FROM topics; DELETE FROM key_outcomes; DELETE FROM outcome_facts; DELETE FROM outcome_totals;
         DELETE FROM outcome_keys; DELETE FROM outcome_hours; DELETE FROM outcome_dimensions;
         DELETE FROM outcome_durations; DELETE FROM outcome_windows;`,
      ),
    ).immediate();
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
      )
      .all() as { name: string; sql: string }[];
    const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
    for (const { name } of tables) {
      if (virtual.some((v) => name.startsWith(`${v}_`))) continue; // a full-text index's own tables
      const rows = db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number;
      if (rows !== 0) throw new Error(`reset() left ${rows} rows in table ${name}: empty it there too`);
    }
  } finally {
    db.close();
  }
}
