/**
 * What the plugin benchmark and its worker processes say to each other over IPC: the worker is
 * started with a configuration, measured round by round (or asked for its plugin's status), and shut down.
 */
import type { DeliveryBacklog, PluginCounterValues } from '@temporal-stompy/plugin';

/**
 * The configurations one run compares: no plugin, the plugin (two memories), Temporal's tracing plugin;
 * and `hosted` (bench:hosted): the plugin against a rate-limited memory server, as a hosted Stompy user.
 */
export type Configuration = 'without' | 'embedded' | 'http' | 'otel' | 'hosted';

/** Every configuration, in the order a run's first round measures them. */
export const CONFIGURATIONS: readonly Configuration[] = ['without', 'embedded', 'http', 'otel'];

/** The configurations with the StompyPlugin. */
export const PLUGIN_CONFIGURATIONS: readonly Configuration[] = ['embedded', 'http'];

/** How each configuration is named in the figures. */
export const CONFIGURATION_LABELS: Record<Configuration, string> = {
  without: 'no plugin',
  embedded: 'StompyPlugin, embedded memory',
  http: 'StompyPlugin, memory over loopback HTTP',
  otel: 'OpenTelemetryPlugin (in-memory exporter)',
  hosted: 'StompyPlugin against hosted Stompy (rate-limited, over HTTP)',
};

/** Everything a worker process needs to start polling. */
export interface WorkerSetup {
  configuration: Configuration;
  /** The Temporal frontend, `host:port`. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** A folder of this run for the plugin's files (embedded memory, outbox). */
  dir: string;
  /** The memory server's base URL, for `http` and `hosted`. */
  memoryUrl?: string;
  /** For `hosted`: the Bearer token, and the plan's calls per minute and per 10 s (`memory.maxCallsPerMinute`, `memory.burst`). */
  hosted?: { token: string; maxCallsPerMinute: number; burst: number };
  /** Activities the worker runs at once. */
  maxConcurrentActivities: number;
  /** A file to copy the workflow bundle's code into (with its source map), for a profile's summary. */
  workflowBundleFile?: string;
}

/** A request to a worker process. */
export type WorkerRequest =
  | { kind: 'start'; setup: WorkerSetup }
  /** Starts measuring (CPU, event-loop delay, the latency probe; only `probeActivity`'s attempts when given). */
  | { kind: 'measure'; probeActivity?: string }
  /** Waits until what the round recorded is delivered, then stops measuring and reports. */
  | { kind: 'report' }
  /** The plugin's counters and its delivery backlog now, measuring nothing (StompyPlugin configurations). */
  | { kind: 'status' }
  | { kind: 'shutdown' };

/** Event-loop delay percentiles over a stretch, in milliseconds. */
export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** What a stretch of work cost the worker process. */
export interface WorkerCost {
  /** CPU time of the whole process (user + system, every thread), in milliseconds. */
  cpuMs: number;
  /** Wall time of the stretch, in milliseconds. */
  wallMs: number;
  /** Of the wall time, how long the worker waited at the end for the plugin to deliver what it recorded. */
  drainMs: number;
  eventLoopDelay: EventLoopDelay;
  /** Per probed attempt, the time from reaching the worker's interceptors to the activity function, in ms. */
  probeMs: number[];
  /** The plugin's counters over the stretch (StompyPlugin configurations only). */
  counters?: Record<string, number>;
  /** Spans the tracing plugin finished over the stretch (OpenTelemetryPlugin only). */
  spans?: number;
  /** When the stretch started and ended, on the process's monotonic clock (µs, as in a `.cpuprofile`). */
  window: { startUs: number; endUs: number };
}

/** What the plugin of a worker says about itself now: its counters and its delivery backlog. */
export interface PluginStatus {
  counters: PluginCounterValues;
  backlog: DeliveryBacklog;
}

/** A worker process's answer: nothing, a stretch's cost for `report`, or the plugin's status for `status`. */
export type WorkerAnswer = WorkerCost | PluginStatus | undefined;
