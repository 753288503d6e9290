import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  createServerDeps,
  HOSTED_PLANS,
  resolveConfig,
  serveHttp,
  type HostedPlan,
} from '@temporal-stompy/memory-server';
import pino from 'pino';
import { RequestMeter } from './request-meter';

/** A plan's caps: calls per minute and per 10 s, both enforced per token. */
export interface PlanLimits {
  perMinute: number;
  burstPer10s: number;
}

/** Our memory server's emulation of hosted Stompy on one plan, in this process, over HTTP. */
export interface HostedEmulation {
  plan: HostedPlan;
  limits: PlanLimits;
  /** Base URL (`http://127.0.0.1:<port>`; MCP at `/mcp`). */
  url: string;
  /** The token the plan's user holds. */
  token: string;
  /** The server's SQLite file, read back by the checks. */
  dbPath: string;
  /** Every request the server answered, 429s included. */
  meter: RequestMeter;
  /** Stops serving and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts the hosted profile of our memory server for `plan` in this process (`createServerDeps` with
 * `profile: 'hosted'`: Stompy's tools only, the novelty gate, the plan's per-minute and burst caps
 * per token, answered with HTTP 429), with a fresh token and its SQLite file in `dir`, counting
 * every answered request.
 */
export async function startHostedEmulation(plan: HostedPlan, dir: string): Promise<HostedEmulation> {
  const dbPath = join(dir, `${plan}-server.db`);
  const deps = createServerDeps(
    resolveConfig({ dbPath, profile: 'hosted', plan, logger: pino({ level: 'silent' }) }),
  );
  const token = randomBytes(16).toString('hex');
  const meter = new RequestMeter();
  try {
    const server = await serveHttp(deps, { tokens: [token], onResponse: (r) => meter.record(r.status) });
    return {
      plan,
      limits: { ...HOSTED_PLANS[plan] },
      url: server.url,
      token,
      dbPath,
      meter,
      async close() {
        await server.close();
        await deps.store.close();
      },
    };
  } catch (error) {
    await deps.store.close();
    throw error;
  }
}
