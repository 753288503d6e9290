import type { Logger } from 'pino';
import type { OutcomeBrowser } from '../outcome-browser';
import { pgOutcomeBrowser } from './pg-outcome-browser';
import type { Pool } from 'pg';
import type { StoreError } from '../errors';
import { LockGroup } from '../lock-group';
import {
  batchContexts,
  batchResult,
  type LockContextBatchInput,
  type LockContextBatchResult,
} from '../lock-context-batch';
import type { LockWithOutcomeInput } from '../lock-with-outcome';
import type { PoolUsage } from '../../metrics/server-metrics';
import type { MemoryStore } from '../memory-store';
import type { OutcomeInsightsInput, OutcomeInsightsResult } from '../outcome-insights';
import type { ProjectSummary } from '../projects';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from '../reply-budget';
import type { StoreSettings } from '../settings';
import type {
  ContextDashboardInput,
  ContextDashboardResult,
  ContextExploreInput,
  ContextExploreResult,
  ContextSearchInput,
  ContextSearchResult,
  LockContextInput,
  LockContextResult,
  RecallBatchInput,
  RecallBatchResult,
  RecallContextInput,
  RecallContextResult,
  UnlockContextInput,
  UnlockContextResult,
} from '../types';
import { contextDashboard } from './pg-dashboard';
import { exploreContexts } from './pg-explore';
import { outcomeInsights } from './pg-insights';
import { writeLockGroup } from './pg-lock-group';
import { CommonWords } from './pg-common-words';
import { connectPostgres } from './pg-connect';
import { onConnection, type PostgresPoolOptions } from './pg-pool';
import { findProject, listProjects } from './pg-projects';
import { recallBatch, recallContext } from './pg-recall';
import { searchContexts } from './pg-search';
import { unlockContext } from './pg-unlock';

/** Where a {@link PostgresStore} keeps its data, its pool limits, and the limits and clock it enforces. */
export interface PostgresStoreOptions extends StoreSettings, PostgresPoolOptions {
  /** `postgres://user:password@host:port/database` (the password is never logged). */
  readonly url: string;
  /** Where the store logs (connection errors of idle connections, a database that went away). */
  readonly logger: Logger;
}

/**
 * The PostgreSQL adapter of {@link MemoryStore}: any number of memory servers on one database, each a
 * stateless process with a connection pool. Writes that touch the same topic take turns on its row
 * lock, so versions stay consecutive across servers, and outcome counts are added in the same
 * transaction as their contexts, so insights stay exact across the fleet. While the database is
 * down, calls are refused with `database_unavailable` and `retry_after_seconds` (REST: 503), and the
 * pool reconnects by itself afterwards.
 */
export class PostgresStore implements MemoryStore {
  readonly kind = 'postgres' as const;
  private readonly lockGroup = new LockGroup((contexts) => this.lockMany(contexts));
  private closed = false;
  /** The reads behind the web page. */
  readonly outcomes: OutcomeBrowser;

  private constructor(
    private readonly pool: Pool,
    /** The limits, default project and clock this store enforces. */
    readonly settings: StoreSettings,
    /** The searched words too common to narrow a search by. */
    private readonly commonWords: CommonWords,
  ) {
    this.outcomes = pgOutcomeBrowser(pool, settings);
  }

  /**
   * Connects to the database at `options.url` and migrates it (see `pg-schema.ts`); rejects with a
   * clear message, the password left out, when it cannot be reached or is newer than this server.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = await connectPostgres(options);
    return new PostgresStore(pool, options, new CommonWords(pool, options.logger));
  }

  /** `lock_context` with group commit: calls of one event-loop turn share one transaction. */
  lock(input: LockContextInput): Promise<LockContextResult> {
    return this.lockGroup.lock(input);
  }

  /** Many `lock_context` calls in one transaction, refused or stored each on its own. */
  lockMany(contexts: readonly LockWithOutcomeInput[]): Promise<(LockContextResult | StoreError)[]> {
    return writeLockGroup(this.pool, this.settings, contexts);
  }

  /** `lock_context_batch`: many locks in one transaction, refusals per entry, outcomes counted once. */
  async lockBatch(input: LockContextBatchInput): Promise<LockContextBatchResult> {
    const contexts = batchContexts(input);
    return batchResult(contexts, await this.lockMany(contexts));
  }

  /** `recall_context`: one version of a topic (latest by default), counting the access. */
  recall(input: RecallContextInput): Promise<RecallContextResult> {
    return recallContext(this.pool, this.settings, input);
  }

  /** `recall_batch`: the latest version of up to 50 topics in one read. */
  recallBatch(input: RecallBatchInput): Promise<RecallBatchResult> {
    return recallBatch(this.pool, this.settings, input);
  }

  /** `unlock_context`: archives (default) or deletes versions of a topic or of topics matching a glob. */
  unlock(input: UnlockContextInput): Promise<UnlockContextResult> {
    return unlockContext(this.pool, this.settings, input);
  }

  /** `context_search`: full-text relevance (tsvector + GIN) blended with recency. */
  search(input: ContextSearchInput, budget?: ReplyBudget): Promise<ContextSearchResult> {
    return searchContexts(this.pool, this.settings, this.commonWords, input, budget);
  }

  /** A budget of content for one reply (`maxReplyContentBytes`), for searches that share one reply. */
  replyBudget(): ReplyBudget {
    return new ReplyBudget(this.settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES);
  }

  /** `context_explore`: a project's topics, most recently updated first. */
  explore(input: ContextExploreInput = {}): Promise<ContextExploreResult> {
    return exploreContexts(this.pool, this.settings, input);
  }

  /** `context_dashboard`: a project's totals and recent topics. */
  dashboard(input: ContextDashboardInput = {}): Promise<ContextDashboardResult> {
    return contextDashboard(this.pool, this.settings, input);
  }

  /** `outcome_insights`: what the memory learned about keys, over their whole history. */
  insights(input: OutcomeInsightsInput): Promise<OutcomeInsightsResult> {
    return outcomeInsights(this.pool, this.settings, input);
  }

  /** Every project, by name; the default project is always listed. */
  listProjects(): Promise<readonly ProjectSummary[]> {
    return listProjects(this.pool, this.settings);
  }

  /** One project; undefined when no context was ever locked in it and it is not the default. */
  project(name: string): Promise<ProjectSummary | undefined> {
    return findProject(this.pool, this.settings, name);
  }

  /** The pool's connections: open, idle, calls waiting for one, and the most it opens. */
  poolUsage(): PoolUsage {
    const { totalCount: total, idleCount: idle, waitingCount: waiting } = this.pool;
    return { total, idle, waiting, max: this.pool.options.max };
  }

  /** Resolves when the database answers `SELECT 1` (within the pool's connect and statement timeouts). */
  async ping(): Promise<void> {
    await onConnection(this.pool, (client) => client.query('SELECT 1'));
  }

  /** Waits for the calls in flight, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commonWords.settled();
    await this.pool.end();
  }
}
