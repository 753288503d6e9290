import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a tool call ended: answered, refused (bad input, not found, rate limit...), or failed. */
export type ToolCallOutcome = 'ok' | 'refused' | 'error';

/** A database pool's connections, for the pool gauges (PostgreSQL; SQLite has none). */
export interface PoolUsage {
  readonly total: number;
  readonly idle: number;
  /** Calls waiting for a connection. */
  readonly waiting: number;
  readonly max: number;
}

/** Seconds a tool call may take, as histogram buckets: 1 ms to 10 s. */
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A memory server's Prometheus metrics, served at `/metrics`: tool calls by tool and outcome, their
 * latency, HTTP answers by status, the database pool's connections, and the process's own (CPU,
 * memory, event-loop lag), all prefixed `stompy_memory_`. One registry per server, so several servers
 * in one process (tests, embedded use) never mix their counts.
 */
export class ServerMetrics {
  private readonly registry = new Registry();
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly latency: Histogram<'tool'>;
  private readonly responses: Counter<'status'>;

  constructor(poolUsage: () => PoolUsage | undefined) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'stompy_memory_tool_calls_total',
      help: 'Tool calls answered, by tool and outcome (ok, refused, error).',
      labelNames: ['tool', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'stompy_memory_tool_call_duration_seconds',
      help: 'Time a tool call took in the server, from its arguments to its answer.',
      labelNames: ['tool'],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.responses = new Counter({
      name: 'stompy_memory_http_responses_total',
      help: 'HTTP answers sent, by status code (429: rate limited, 401: refused token).',
      labelNames: ['status'],
      registers,
    });
    new Gauge({
      name: 'stompy_memory_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting calls, max); absent on SQLite.',
      labelNames: ['state'],
      registers,
      collect() {
        const usage = poolUsage();
        if (usage === undefined) return;
        for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ state }, usage[state]);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'stompy_memory_' });
  }

  /** Counts one tool call and its duration. */
  toolCall(tool: string, outcome: ToolCallOutcome, seconds: number): void {
    this.calls.inc({ tool, outcome });
    this.latency.observe({ tool }, seconds);
  }

  /** Counts one HTTP answer. */
  httpResponse(status: number): void {
    this.responses.inc({ status: String(status) });
  }

  /** The metrics in Prometheus' text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
