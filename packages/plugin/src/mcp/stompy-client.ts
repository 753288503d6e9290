import type { OutcomeFacts } from '@temporal-stompy/insights';
import type { ToolSession } from './tool-session';
import {
  readRecallBatch,
  readSearchHit,
  readStoredContext,
  readUsageWarning,
  type Priority,
  type SearchHit,
  type StoredContext,
  type UsageWarning,
} from './result-forms';
import { readInsightsAnswer, type InsightsAnswer } from './insights-answer';
import { StompyToolError } from './stompy-errors';
import { isObject, toolRefusal, type JsonObject } from './tool-result';

/** An outcome as a server that counts outcomes receives it: the keys it is counted under, and its facts. */
export interface CountedOutcome {
  /** The keys (`activity:chargePayment`, `customer:C1`), 1 to 20. */
  readonly keys: readonly string[];
  readonly facts: OutcomeFacts;
}

/** A context to write with `lock_context`. */
export interface ContextWrite {
  topic: string;
  content: string;
  tags: readonly string[];
  priority: Priority;
  /** Store even when hosted Stompy's novelty gate finds the content too similar to the latest version. */
  forceStore?: boolean;
  /**
   * An outcome's keys and facts, sent with a batch entry only to a server that offers
   * {@link OUTCOME_INSIGHTS_TOOL} (never to plain Stompy).
   */
  outcome?: CountedOutcome;
}

/** What a write returned. */
export interface WriteReceipt {
  topic: string;
  version: string;
  /** False when the content was already the topic's latest version (nothing new was stored); undefined when the server does not say. */
  created: boolean | undefined;
  usageWarning: UsageWarning | undefined;
}

/** Which of our server's extra tools a server offers. */
export interface ExtraTools {
  readonly batchWrites: boolean;
  readonly batchSearch: boolean;
  readonly outcomeInsights: boolean;
}

/** The batch-write tool our own memory server offers beyond Stompy's surface (found with `tools/list`). */
export const BATCH_WRITE_TOOL = 'lock_context_batch';

/**
 * The insights tool of our own memory server (found with `tools/list`): insights over a key's whole
 * history. A server that offers it counts the outcome facts sent with `lock_context_batch` entries.
 */
export const OUTCOME_INSIGHTS_TOOL = 'outcome_insights';

/** `lock_context_batch` takes at most this many contexts per call. */
export const BATCH_WRITE_LIMIT = 100;

/** The batch-search tool of our own memory server (found with `tools/list`): many searches, one call. */
export const BATCH_SEARCH_TOOL = 'context_search_batch';

/** `context_search_batch` runs at most this many searches per call. */
export const BATCH_SEARCH_LIMIT = 20;

/** `outcome_insights` answers at most this many keys per call. */
export const INSIGHTS_KEY_LIMIT = 50;

/** One search: words, the tags every hit must carry, and how many hits. */
export interface SearchRequest {
  readonly query: string;
  readonly tags?: readonly string[];
  readonly limit?: number;
}

/** `recall_batch` accepts at most this many topics per call. */
export const RECALL_BATCH_LIMIT = 50;

/**
 * Typed calls of Stompy's MCP tools. Speaks Stompy exactly (`lock_context`, `recall_context`,
 * `recall_batch`, `context_search`) and accepts every result form hosted Stompy and older servers
 * send; extra tools of our own server are used only when `tools/list` offers them.
 */
export class StompyClient {
  constructor(
    private readonly session: ToolSession,
    /** The Stompy project every call is scoped to; the server's default when undefined. */
    private readonly project: string | undefined,
  ) {}

  /** Writes one context version (`lock_context`). */
  async lockContext(write: ContextWrite, timeoutMs?: number): Promise<WriteReceipt> {
    const body = await this.session.callTool('lock_context', this.scoped(toLockArgs(write)), timeoutMs);
    if (typeof body.version !== 'string' && typeof body.version !== 'number') {
      // Without a version nothing says the write was stored: an error in the body, or an unreadable
      // answer (which may hide a stored write, so delivery checks before writing again).
      const code = typeof body.error === 'string' ? body.error : 'malformed_result';
      const message = typeof body.message === 'string' ? body.message : 'the answer has no version';
      throw new StompyToolError('lock_context', code, message.slice(0, 500), undefined);
    }
    return {
      topic: typeof body.topic === 'string' ? body.topic : write.topic,
      version: String(body.version),
      created: typeof body.created === 'boolean' ? body.created : undefined,
      usageWarning: readUsageWarning(body),
    };
  }

  /**
   * Which of our server's extra tools the server offers, from one `tools/list` (kept by the session):
   * one question where asking each `supports...` would be three (each a thread hop from recall).
   */
  async extraTools(timeoutMs?: number): Promise<ExtraTools> {
    const tools = await this.session.availableTools(timeoutMs);
    return {
      batchWrites: tools.has(BATCH_WRITE_TOOL),
      batchSearch: tools.has(BATCH_SEARCH_TOOL),
      outcomeInsights: tools.has(OUTCOME_INSIGHTS_TOOL),
    };
  }

  /** Whether the server offers {@link BATCH_WRITE_TOOL}, so many contexts can go in one call. */
  async supportsBatchWrites(timeoutMs?: number): Promise<boolean> {
    return (await this.session.availableTools(timeoutMs)).has(BATCH_WRITE_TOOL);
  }

  /**
   * Whether the server offers {@link OUTCOME_INSIGHTS_TOOL}: then it counts the outcome facts sent
   * with batch entries (`lockContextBatch(..., { withOutcomes: true })`).
   */
  async supportsOutcomeInsights(timeoutMs?: number): Promise<boolean> {
    return (await this.session.availableTools(timeoutMs)).has(OUTCOME_INSIGHTS_TOOL);
  }

  /**
   * Writes many contexts in one call of {@link BATCH_WRITE_TOOL} (one transaction on our server),
   * each with its outcome's keys and facts when `withOutcomes` (only for a server that offers
   * {@link OUTCOME_INSIGHTS_TOOL}). Returns a receipt or an error per entry, in order.
   */
  async lockContextBatch(
    writes: readonly ContextWrite[],
    timeoutMs?: number,
    options: { readonly withOutcomes?: boolean } = {},
  ): Promise<(WriteReceipt | StompyToolError)[]> {
    const toArgs = options.withOutcomes ? toBatchEntry : toLockArgs;
    const body = await this.session.callTool(
      BATCH_WRITE_TOOL,
      this.scoped({ contexts: writes.map(toArgs) }),
      timeoutMs,
    );
    const results = Array.isArray(body.results) ? (body.results as unknown[]) : [];
    const usageWarning = readUsageWarning(body);
    return writes.map((write, i) => {
      const entry = results[i] as JsonObject | undefined;
      if (
        !entry ||
        typeof entry.error === 'string' ||
        (typeof entry.version !== 'string' && typeof entry.version !== 'number')
      ) {
        const message = typeof entry?.message === 'string' ? entry.message : 'no result for this entry';
        const code = typeof entry?.error === 'string' ? entry.error : 'missing_result';
        return new StompyToolError(BATCH_WRITE_TOOL, code, `${write.topic}: ${message}`, undefined);
      }
      const created = typeof entry.created === 'boolean' ? entry.created : undefined;
      return { topic: write.topic, version: String(entry.version), created, usageWarning };
    });
  }

  /** Reads the latest version of one topic (`recall_context`); undefined when it does not exist. */
  async recallContext(topic: string, timeoutMs?: number): Promise<StoredContext | undefined> {
    try {
      const body = await this.session.callTool('recall_context', this.scoped({ topic }), timeoutMs);
      return readStoredContext(topic, body);
    } catch (error) {
      if (error instanceof StompyToolError && /not.?found/i.test(`${error.code ?? ''} ${error.message}`))
        return undefined;
      throw error;
    }
  }

  /**
   * Reads the latest version of many topics (`recall_batch`, 50 per call); absent topics are left out.
   * An entry whose content the server left out of a full reply (`truncated`) is read alone with
   * `recall_context`, so every context returned is whole.
   */
  async recallBatch(topics: readonly string[], timeoutMs?: number): Promise<Map<string, StoredContext>> {
    const found = new Map<string, StoredContext>();
    for (let i = 0; i < topics.length; i += RECALL_BATCH_LIMIT) {
      const chunk = topics.slice(i, i + RECALL_BATCH_LIMIT);
      const body = await this.session.callTool('recall_batch', this.scoped({ topics: chunk }), timeoutMs);
      for (const [topic, context] of readRecallBatch(body, chunk)) found.set(topic, context);
    }
    for (const [topic, context] of found) {
      if (context.truncated !== true) continue;
      const whole = await this.recallContext(topic, timeoutMs);
      if (whole) found.set(topic, whole);
      else found.delete(topic);
    }
    return found;
  }

  /** Searches contexts (`context_search`); `tags` must all match. */
  async search(
    query: string,
    options: { tags?: readonly string[]; limit?: number; timeoutMs?: number } = {},
  ): Promise<SearchHit[]> {
    const args = searchArgs({ query, ...options });
    const body = await this.session.callTool('context_search', this.scoped(args), options.timeoutMs);
    return readSearchHits(body);
  }

  /** Whether the server offers {@link BATCH_SEARCH_TOOL}, so many searches can go in one call. */
  async supportsBatchSearch(timeoutMs?: number): Promise<boolean> {
    return (await this.session.availableTools(timeoutMs)).has(BATCH_SEARCH_TOOL);
  }

  /**
   * Runs several searches in one call of {@link BATCH_SEARCH_TOOL} (at most {@link BATCH_SEARCH_LIMIT}):
   * the hits of each, in order, or the refusal of one that was refused.
   */
  async searchBatch(
    searches: readonly SearchRequest[],
    timeoutMs?: number,
  ): Promise<(SearchHit[] | StompyToolError)[]> {
    const body = await this.session.callTool(
      BATCH_SEARCH_TOOL,
      this.scoped({ searches: searches.map(searchArgs) }),
      timeoutMs,
    );
    const results = Array.isArray(body.results) ? (body.results as unknown[]) : [];
    return searches.map((_, i) => {
      const entry = results[i];
      if (isObject(entry) && typeof entry.error !== 'string') return readSearchHits(entry);
      return toolRefusal(BATCH_SEARCH_TOOL, isObject(entry) ? entry : undefined, 'no result for this search');
    });
  }

  /**
   * Insights of up to {@link INSIGHTS_KEY_LIMIT} keys in one call of {@link OUTCOME_INSIGHTS_TOOL}. An answer
   * without the promised shape is refused whole (`malformed_result`).
   */
  async outcomeInsights(
    keys: readonly string[],
    halfLifeDays: number,
    timeoutMs?: number,
  ): Promise<InsightsAnswer> {
    const body = await this.session.callTool(
      OUTCOME_INSIGHTS_TOOL,
      this.scoped({ keys: [...keys], half_life_days: halfLifeDays }),
      timeoutMs,
    );
    const answer = readInsightsAnswer(body, keys);
    if (!answer) {
      throw new StompyToolError(
        OUTCOME_INSIGHTS_TOOL,
        'malformed_result',
        'the answer is not insights of the keys asked',
        undefined,
      );
    }
    return answer;
  }

  private scoped(args: JsonObject): JsonObject {
    return this.project === undefined ? args : { ...args, project: this.project };
  }
}

function searchArgs(search: SearchRequest): JsonObject {
  const args: JsonObject = { query: search.query, limit: search.limit ?? 10 };
  if (search.tags && search.tags.length > 0) args.tags = search.tags.join(',');
  return args;
}

function readSearchHits(body: JsonObject): SearchHit[] {
  const results = Array.isArray(body.results) ? (body.results as unknown[]) : [];
  return results.map(readSearchHit).filter((hit): hit is SearchHit => hit !== undefined);
}

/** A batch entry with its outcome's keys and facts, for a server that counts them. */
function toBatchEntry(write: ContextWrite): JsonObject {
  const args = toLockArgs(write);
  if (write.outcome) args.outcome = { keys: [...write.outcome.keys], facts: { ...write.outcome.facts } };
  return args;
}

function toLockArgs(write: ContextWrite): JsonObject {
  const args: JsonObject = { topic: write.topic, content: write.content, priority: write.priority };
  if (write.tags.length > 0) args.tags = write.tags.join(',');
  if (write.forceStore) args.force_store = true;
  return args;
}
