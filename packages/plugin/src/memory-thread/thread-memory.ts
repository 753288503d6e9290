import {
  createServerDeps,
  createToolRunner,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { Logger } from 'pino';
import { FailoverSession } from '../mcp/failover-session';
import { McpSession } from '../mcp/mcp-session';
import { describeTarget, redactedUrl, type MemoryTarget } from '../mcp/memory-target';
import type { MemoryServerState } from '../mcp/server-roster';
import type { ToolSession } from '../mcp/tool-session';
import { componentLogger } from '../support/logger';
import type { PluginCounters } from '../support/plugin-counters';
import { EmbeddedToolSession } from './embedded-session';
import type { ThreadMemory } from './thread-protocol';

/** The memory the thread speaks to, opened. */
export interface OpenedMemory {
  readonly session: ToolSession;
  /** For logs: where memory is (never a token). */
  readonly description: string;
  /**
   * False when the embedded memory file could not be opened and memory lives in this process only:
   * delivering there would take outcomes out of the durable outbox into memory that is gone at exit,
   * so delivery is held; the outcomes are delivered after a restart with the file fixed.
   */
  readonly durable: boolean;
  /** Closes the session (at most `timeoutMs`) and the embedded store. */
  close(timeoutMs: number): Promise<void>;
  /** With several memory servers: each one's state, and which one calls go to. */
  servers?(): readonly MemoryServerState[];
}

/** What the memory connection tells the thread's runtime (the call budget counts it). */
export interface MemoryHooks {
  /** A connection to a server was opened (each time, reconnects included). */
  readonly onConnected?: () => void;
  /** A call was sent again to another server of several. */
  readonly onResent?: () => void;
}

/**
 * Opens the memory connection the thread uses for recall and delivery: an MCP session to a server,
 * or the embedded server on its file. `logger` is the plugin's; the MCP session logs as `mcp`.
 */
export function openMemory(
  memory: ThreadMemory,
  timeoutMs: number,
  logger: Logger,
  counters: Pick<PluginCounters, 'add'>,
  hooks: MemoryHooks = {},
): OpenedMemory {
  const mcpLogger = componentLogger(logger, 'mcp');
  if (memory.kind === 'http' && memory.urls.length > 1) {
    const { urls, ...rest } = memory;
    const targets = urls.map((url) => ({ ...rest, url: new URL(url) }));
    const session = new FailoverSession(targets, { timeoutMs, logger: mcpLogger, counters, ...hooks });
    return {
      session,
      description: `${memory.transport} ${targets.map((t) => redactedUrl(t.url)).join(', ')} (failover in this order)`,
      durable: true,
      close: (ms) => session.close(ms),
      servers: () => session.servers(),
    };
  }
  if (memory.kind !== 'embedded') {
    const target: MemoryTarget =
      memory.kind === 'http'
        ? {
            kind: 'http',
            url: new URL(memory.urls[0] ?? ''),
            transport: memory.transport,
            token: memory.token,
          }
        : memory;
    const session = new McpSession(target, timeoutMs, mcpLogger, { onConnected: hooks.onConnected });
    return { session, description: describeTarget(target), durable: true, close: (ms) => session.close(ms) };
  }
  const { deps, durable } = openEmbeddedServer(memory.dbPath, logger, counters);
  return {
    session: new EmbeddedToolSession(createToolRunner(deps)),
    description: `embedded ${deps.config.dbPath}`,
    durable,
    close: () => deps.store.close(),
  };
}

/**
 * Opens the embedded server's file. If it cannot be opened, the worker still starts on memory that
 * lives in this process only (`durable: false`), and the error says so.
 */
function openEmbeddedServer(
  dbPath: string,
  logger: Logger,
  counters: Pick<PluginCounters, 'add'>,
): { deps: StompyServerDeps; durable: boolean } {
  const serverLogger = logger.child({ component: 'memory-server' });
  try {
    return { deps: createServerDeps(resolveConfig({ dbPath, logger: serverLogger })), durable: true };
  } catch (error) {
    counters.add('internalErrors');
    logger.error(
      { err: error, dbPath },
      'cannot open the embedded memory file; recall sees only this process, and outcomes stay in the outbox until a worker opens the file. Fix the path or permissions (option memory.dbPath) and restart',
    );
    return {
      deps: createServerDeps(resolveConfig({ dbPath: ':memory:', logger: serverLogger })),
      durable: false,
    };
  }
}
