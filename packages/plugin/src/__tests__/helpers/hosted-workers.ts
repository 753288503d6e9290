// Workers of the aggregated write path against our server's hosted emulation over real HTTP: each
// worker is an outbox file, the plugin's delivery and its MCP client, as in the plugin's memory thread.
import { join } from 'node:path';
import { countOutcomes, keyInsights, type BaseCounts, type KeyInsights } from '@temporal-stompy/insights';
import {
  createServerDeps,
  resolveConfig,
  serveHttp,
  type AnsweredRequest,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { GeneratedOutcome } from '@temporal-stompy/testing';
import { safeTag } from '../../keys/memory-tags';
import { McpSession } from '../../mcp/mcp-session';
import { StompyClient, type ContextWrite } from '../../mcp/stompy-client';
import { OutboxDelivery } from '../../recording/delivery/outbox-delivery';
import type { OutboxDeliveryOptions } from '../../recording/delivery/delivery-settings';
import { OutcomeOutbox } from '../../recording/outbox/outcome-outbox';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger, type CapturedLogs } from './capturing-logger';
import { silentLogger } from './silent-logger';

export const HOSTED_TOKEN = 'hosted-workers-token';

/** Our server's hosted profile over HTTP (Stompy's tools only, novelty gate, limits), with a generous rate limit unless told. */
export async function startHostedServer(
  dir: string,
  limits: { perMinute?: number; burst?: number } = {},
  profile: 'hosted' | 'local' = 'hosted',
): Promise<{
  server: RunningHttpServer;
  deps: StompyServerDeps;
  /** Every request the server answered (429s included). */
  answered: AnsweredRequest[];
  close(): Promise<void>;
}> {
  const deps = createServerDeps(
    resolveConfig({
      dbPath: join(dir, `${profile}-memory.db`),
      ...(profile === 'hosted'
        ? {
            profile,
            rateLimitPerMinute: limits.perMinute ?? 6_000,
            burstPer10s: limits.burst ?? 1_000,
          }
        : {}),
      logger: silentLogger,
    }),
  );
  const answered: AnsweredRequest[] = [];
  const server = await serveHttp(deps, { tokens: [HOSTED_TOKEN], onResponse: (a) => answered.push(a) });
  return {
    server,
    deps,
    answered,
    async close() {
      await server.close();
      await deps.store.close();
    },
  };
}

/** A client of the hosted server over Streamable HTTP. */
export function hostedClient(server: RunningHttpServer): { client: StompyClient; session: McpSession } {
  const session = new McpSession(
    { kind: 'http', url: new URL(`${server.url}/mcp`), transport: 'streamable-http', token: HOSTED_TOKEN },
    5_000,
    silentLogger,
  );
  return { client: new StompyClient(session, 'hosted-test'), session };
}

/** One worker: its outbox file, its delivery and the client both use. */
export interface HostedWorker {
  readonly outbox: OutcomeOutbox;
  readonly delivery: OutboxDelivery;
  readonly client: StompyClient;
  readonly counters: PluginCounters;
  readonly log: CapturedLogs;
  close(): Promise<void>;
}

/** Starts a worker on `outboxPath` (a restart: the same path again). `wrap` may change what its client does. */
export function hostedWorker(
  server: RunningHttpServer,
  outboxPath: string,
  options: Partial<OutboxDeliveryOptions> = {},
  wrap: (client: StompyClient) => StompyClient = (c) => c,
): HostedWorker {
  const log = capturingLogger();
  const counters = new PluginCounters();
  const outbox = new OutcomeOutbox({ path: outboxPath, logger: log.logger, counters });
  const { client, session } = hostedClient(server);
  const delivery = new OutboxDelivery({
    outbox,
    client: wrap(client),
    logger: log.logger,
    counters,
    callTimeoutMs: 5_000,
    backoffInitialMs: 10,
    backoffMaxMs: 50,
    kickDebounceMs: 1,
    idlePollMs: 50,
    ...options,
  });
  return {
    outbox,
    delivery,
    client,
    counters,
    log,
    async close() {
      await delivery.stop();
      outbox.close();
      await session.close();
    },
  };
}

/** An outcome as the plugin queues it: its note (padded to `noteBytes`), tags, keys and facts. */
export function outcomeWrite(outcome: GeneratedOutcome, noteBytes = 0): ContextWrite {
  const pad = Math.max(0, noteBytes - outcome.content.length);
  return {
    topic: outcome.topic,
    content:
      pad > 0 ? `${outcome.content}\n${'detail '.repeat(Math.ceil(pad / 7)).slice(0, pad)}` : outcome.content,
    tags: ['temporal', ...outcome.keys.map(safeTag)],
    priority: 'reference',
    outcome: { keys: [...outcome.keys], facts: { ...outcome.facts, topic: outcome.topic } },
  };
}

/** The exact insights of `key` over `outcomes` (what a counting server returns), as JSON sends them. */
export function exactInsights(
  outcomes: readonly GeneratedOutcome[],
  key: string,
  base: BaseCounts = baseOf(outcomes),
  halfLifeDays = 28,
): unknown {
  const facts = outcomes.filter((o) => o.keys.includes(key)).map((o) => ({ ...o.facts, topic: o.topic }));
  const insights: KeyInsights = keyInsights(countOutcomes(key, facts), base, {
    exact: true,
    settings: { halfLifeDays },
  });
  return JSON.parse(JSON.stringify(insights));
}

/** Runs and failures over all the outcomes. */
export function baseOf(outcomes: readonly GeneratedOutcome[]): BaseCounts {
  return { runs: outcomes.length, failures: outcomes.filter((o) => o.facts.failed).length };
}
