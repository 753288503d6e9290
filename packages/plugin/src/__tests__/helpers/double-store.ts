import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

// What the memory server double (memory-server-double.ts) stores, when a test does not script its
// answers: a small Stompy that answers `lock_context`, `recall_batch` and `lock_context_batch` in
// Stompy's shapes (errors as `{error, message}` with `isError`), refuses chosen topics, and counts the
// writes of each topic, stored and in flight.

/** The arguments a tool call carried. */
export type ToolArgs = Record<string, unknown>;

export interface StoredVersion {
  topic: string;
  content: string;
  tags: string[];
  priority: string;
  versions: number;
}

interface WriteArgs {
  topic?: unknown;
  content?: unknown;
  tags?: unknown;
  priority?: unknown;
}

/** A text result: what Stompy sends, a JSON value serialized as text (here: any text at all). */
export function textResult(text: string, extra: Partial<CallToolResult> = {}): CallToolResult {
  return { content: [{ type: 'text', text }], ...extra };
}

/** A text result carrying `value` as JSON (a string as it is). */
export function jsonResult(value: unknown, extra: Partial<CallToolResult> = {}): CallToolResult {
  return textResult(typeof value === 'string' ? value : JSON.stringify(value), extra);
}

/** A refusal in Stompy's shape. */
export function errorResult(body: Record<string, unknown>): CallToolResult {
  return jsonResult(body, { isError: true });
}

/** The topics a call names: a batch's entries, the topics asked for, or the one written. */
export function topicsOf(tool: string, args: ToolArgs): string[] {
  if (tool === 'lock_context_batch') {
    return (Array.isArray(args.contexts) ? (args.contexts as WriteArgs[]) : []).map((c) => String(c.topic));
  }
  if (tool === 'recall_batch') {
    return (Array.isArray(args.topics) ? (args.topics as unknown[]) : []).map(String);
  }
  return typeof args.topic === 'string' ? [args.topic] : [];
}

/** The storing tools of the double, and what they stored; see the file comment. */
export class DoubleStore {
  /** Offer `lock_context_batch` in `tools/list`. */
  offerBatch = true;
  /**
   * Offer `outcome_insights` in `tools/list`, as our server does once it counts the outcome facts
   * sent with batch entries (it answers with no insights: the tests look at what was sent).
   */
  offerInsights = false;
  /** Refuse a topic with this error code (e.g. `invalid_input`), or undefined to accept it. */
  refuse: (topic: string) => string | undefined = () => undefined;
  /** Refuse whole `lock_context_batch` calls with `invalid_input` when any entry is refused (as schema validation does). */
  refuseWholeBatch = false;
  /** Each write takes this long before it is stored (so concurrent deliverers overlap). */
  writeDelayMs = 0;

  /** Latest version per topic. */
  readonly stored = new Map<string, StoredVersion>();
  /** Every stored write, in order (a topic twice here means it was recorded twice). */
  readonly writeLog: string[] = [];
  /** Highest number of writes of one topic in flight at once. */
  maxConcurrentPerTopic = 0;

  private readonly inFlight = new Map<string, number>();

  /** Times each topic was stored. */
  writeCount(topic: string): number {
    return this.writeLog.filter((t) => t === topic).length;
  }

  /** The tools `tools/list` offers. */
  protected storingTools(): string[] {
    return [
      'lock_context',
      'recall_batch',
      ...(this.offerBatch ? ['lock_context_batch'] : []),
      ...(this.offerInsights ? ['outcome_insights'] : []),
    ];
  }

  /** Answers a call of a storing tool. */
  protected async answerAsStore(tool: string, args: ToolArgs): Promise<CallToolResult> {
    const topics = topicsOf(tool, args);
    switch (tool) {
      case 'lock_context':
        return this.track(topics, () => {
          const refusal = this.refusal(args);
          return refusal
            ? errorResult(refusal)
            : jsonResult({ topic: args.topic, version: this.store(args) });
        });
      case 'lock_context_batch': {
        const contexts = Array.isArray(args.contexts) ? (args.contexts as WriteArgs[]) : [];
        return this.track(topics, () => {
          const refusals = contexts.map((c) => this.refusal(c));
          if (this.refuseWholeBatch && refusals.some((r) => r !== undefined)) {
            return errorResult({ error: 'invalid_input', message: 'contexts: an entry is invalid' });
          }
          const results = contexts.map((c, i) => {
            const refusal = refusals[i];
            return refusal ? { topic: c.topic, ...refusal } : { topic: c.topic, version: this.store(c) };
          });
          return jsonResult({ results });
        });
      }
      case 'recall_batch':
        return jsonResult(this.recall(topics));
      case 'outcome_insights':
        return jsonResult({ insights: {} });
      default:
        return errorResult({ error: 'not_found', message: `unknown tool ${tool}` });
    }
  }

  /** A `recall_batch` answer in the newer form: topic-keyed results, `found` and `not_found`. */
  private recall(topics: string[]): Record<string, unknown> {
    const results: Record<string, unknown> = {};
    for (const topic of topics) {
      const found = this.stored.get(topic);
      results[topic] = found
        ? {
            found: true,
            topic,
            content: found.content,
            version: `1.${found.versions - 1}`,
            tags: found.tags,
            priority: found.priority,
          }
        : { found: false, topic };
    }
    return {
      results,
      found: topics.filter((t) => this.stored.has(t)),
      not_found: topics.filter((t) => !this.stored.has(t)),
    };
  }

  private refusal(args: WriteArgs): { error: string; message: string } | undefined {
    const code = this.refuse(String(args.topic));
    return code
      ? { error: code, message: `${String(args.topic)}: refused by the test double (${code})` }
      : undefined;
  }

  private store(args: WriteArgs): string {
    const topic = String(args.topic);
    const previous = this.stored.get(topic);
    const versions = (previous?.versions ?? 0) + 1;
    this.stored.set(topic, {
      topic,
      content: String(args.content),
      tags: typeof args.tags === 'string' ? args.tags.split(',') : [],
      priority: String(args.priority),
      versions,
    });
    this.writeLog.push(topic);
    return `1.${versions - 1}`;
  }

  /** Runs a write while counting, per topic, how many writes of it are in flight. */
  private async track<T>(topics: string[], work: () => T): Promise<T> {
    for (const topic of topics) {
      const n = (this.inFlight.get(topic) ?? 0) + 1;
      this.inFlight.set(topic, n);
      this.maxConcurrentPerTopic = Math.max(this.maxConcurrentPerTopic, n);
    }
    try {
      // Let other calls interleave, as a real server's I/O would.
      await new Promise<void>((resolve) =>
        this.writeDelayMs > 0 ? setTimeout(resolve, this.writeDelayMs) : setImmediate(resolve),
      );
      return work();
    } finally {
      for (const topic of topics) this.inFlight.set(topic, (this.inFlight.get(topic) ?? 1) - 1);
    }
  }
}
