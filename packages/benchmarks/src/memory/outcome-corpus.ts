/**
 * The benchmark's data: contexts shaped like the plugin's outcomes (see the plugin's
 * `worker/outcome-content.ts`), and the searches a user and the plugin's recall make over them.
 *
 * Context `i` belongs to workflow run `floor(i / 4)` of `OrderWorkflow`: three activity attempts
 * (`validateOrder`, `chargePayment`, `shipOrder`) and the run's own outcome. Customers repeat (5,000 of
 * them, so 100,000 contexts give each about 20), about one attempt in ten fails with an issue typical of
 * its activity, and runs with a failed attempt fail.
 */

/** Customers the corpus spreads its runs over. */
export const CUSTOMERS = 5000;

const ACTIVITIES = ['validateOrder', 'chargePayment', 'shipOrder'] as const;
const ISSUES: Record<(typeof ACTIVITIES)[number], [string, string][]> = {
  validateOrder: [['OutOfStock', 'sku-$ is out of stock in every warehouse']],
  chargePayment: [
    ['GatewayTimeout', 'payment gateway did not answer within 5000 ms'],
    ['CardDeclined', 'card declined by the issuer (insufficient funds)'],
  ],
  shipOrder: [
    ['InvalidAddress', 'postal code does not match the city'],
    ['RateLimited', 'carrier API answered 429 Too Many Requests'],
  ],
};

/** A context to lock: topic, content and tags as the plugin writes them. */
export interface BenchContext {
  topic: string;
  content: string;
  tags: string[];
}

/** A well-mixed 32-bit hash of `n`, so failures and customers do not follow the index's residues. */
function mix(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex(n: number, length: number): string {
  let out = '';
  for (let k = 0; out.length < length; k++)
    out += mix(n * 31 + k)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/** Customer of workflow run `run`. */
export function customerOf(run: number): string {
  return `C${mix(run) % CUSTOMERS}`;
}

function failureOf(run: number, step: number): [string, string] | undefined {
  if (mix(run * 7 + step) % 10 !== 0) return undefined;
  const activity = ACTIVITIES[step] ?? 'chargePayment';
  const issues = ISSUES[activity];
  const issue = issues[mix(run + step) % issues.length] ?? issues[0];
  return issue && [issue[0], issue[1].replace('$', String(mix(run) % 900))];
}

/** What outcome `i` of the corpus is: an activity attempt (steps 0 to 2) or its run's outcome (step 3). */
export interface CorpusOutcome {
  readonly run: number;
  readonly step: number;
  /** The activity type of an attempt; undefined for the run's own outcome. */
  readonly activity: string | undefined;
  readonly customer: string;
  /** The failure's error type and message, when it failed. */
  readonly issue: readonly [string, string] | undefined;
  readonly durationMs: number;
}

/** Outcome `i` of the corpus. */
export function corpusOutcome(i: number): CorpusOutcome {
  const run = Math.floor(i / 4);
  const step = i % 4;
  const issue =
    step < 3 ? failureOf(run, step) : [0, 1, 2].map((s) => failureOf(run, s)).find((f) => f !== undefined);
  return {
    run,
    step,
    activity: step < 3 ? (ACTIVITIES[step] ?? 'chargePayment') : undefined,
    customer: customerOf(run),
    issue,
    durationMs: issue?.[0] === 'GatewayTimeout' ? 5000 + (mix(i) % 50) : 20 + (mix(i) % 400),
  };
}

/** Context number `i` of the corpus (`prefix` keeps topics of different phases apart). */
export function outcomeContext(i: number, prefix = ''): BenchContext {
  const { run, step, activity, customer, issue, durationMs } = corpusOutcome(i);
  const workflowId = `order-${run}`;
  const runId = `${hex(run, 8)}-${hex(run + 1, 4)}-4${hex(run + 2, 3)}-a${hex(run + 3, 3)}-${hex(run + 4, 12)}`;
  const started = new Date(Date.UTC(2026, 0, 1) + run * 60_000);
  const status = issue ? 'failed' : 'completed';
  const tags = ['temporal', step < 3 ? 'activity-outcome' : 'workflow-outcome', `status:${status}`];
  tags.push('workflow:OrderWorkflow');
  const lines = [`Workflow: OrderWorkflow (${workflowId}, run ${runId})`];
  let topic = `${prefix}temporal:wf:default:${workflowId}:${runId}`;
  if (activity !== undefined) {
    lines.push(`Activity: ${activity}, attempt 1`);
    tags.push(`activity:${activity}`);
    topic = `${prefix}temporal:act:default:${workflowId}:${runId}:a${step + 1}:1`;
  }
  if (issue) tags.push('issue', `issue:${issue[0]}`);
  tags.push('orders', `customer:${customer}`);
  lines.push(
    `Customer: ${customer}`,
    `Success: ${issue ? 'no' : 'yes'}`,
    `Status: ${status}`,
    `Issues: ${issue ? `${issue[0]}: ${issue[1]}` : 'none'}`,
    `Duration: ${durationMs} ms`,
    `Started: ${started.toISOString()}`,
    'Task queue: orders; namespace: default',
    'Tags: orders',
  );
  return { topic, content: lines.join('\n'), tags };
}

/** `lock_context` arguments, as a client sends them (tags as a comma list). */
// A type alias, not an interface, so the arguments are also a `Record<string, unknown>`.
export type LockArguments = { topic: string; content: string; tags: string };

/** `context_search` arguments, as a client sends them. */
export type SearchArguments = { query: string; tags?: string; limit: number };

/** `lock_context` arguments for context `i`. */
export function lockArguments(i: number, prefix: string): LockArguments {
  const context = outcomeContext(i, prefix);
  return { topic: context.topic, content: context.content, tags: context.tags.join(',') };
}

/** A search the benchmark times: what it stands for, and its arguments for the `n`-th call. */
export interface SearchShape {
  readonly name: string;
  readonly label: string;
  /** True for the searches the plugin's recall sends before activities. */
  readonly recall: boolean;
  /** Arguments of the `n`-th call on a corpus of `size` contexts. */
  readonly args: (n: number, size: number) => SearchArguments;
}

/** A customer that has contexts in a corpus of `size`, a different one on each call. */
function someCustomer(n: number, size: number): string {
  return customerOf(mix(n) % Math.max(1, Math.floor(size / 4)));
}

/** The searches the benchmark times: the plugin's recall searches first, then a user's. */
export const SEARCH_SHAPES: readonly SearchShape[] = [
  {
    name: 'recall',
    label: "recall: a customer's memories (`C123`, tag `customer:C123`, limit 20)",
    recall: true,
    args: (n, size) => {
      const c = someCustomer(n, size);
      return { query: c, tags: `customer:${c}`, limit: 20 };
    },
  },
  {
    name: 'recall-issues',
    label: "recall: a customer's issues (`C123`, tags `customer:C123,issue`, limit 20)",
    recall: true,
    args: (n, size) => {
      const c = someCustomer(n, size);
      return { query: c, tags: `customer:${c},issue`, limit: 20 };
    },
  },
  {
    name: 'key-text',
    label: 'a customer key as text (`customer:C123`), no filter',
    recall: false,
    args: (n, size) => ({ query: `customer:${someCustomer(n, size)}`, limit: 10 }),
  },
  {
    name: 'issue',
    label: 'an issue type (`GatewayTimeout`), no filter',
    recall: false,
    args: (n) => ({
      query: ['GatewayTimeout', 'CardDeclined', 'InvalidAddress'][n % 3] ?? 'GatewayTimeout',
      limit: 10,
    }),
  },
  {
    name: 'issue-tag',
    label: 'an issue type, tag filter (`CardDeclined`, tag `activity:chargePayment`)',
    recall: false,
    args: (n) => ({
      query: n % 2 ? 'CardDeclined' : 'GatewayTimeout',
      tags: 'activity:chargePayment',
      limit: 10,
    }),
  },
  {
    name: 'words',
    label: 'two common words (`chargePayment failed`), no filter',
    recall: false,
    args: () => ({ query: 'chargePayment failed', limit: 10 }),
  },
  {
    name: 'words-tag',
    label: 'two words, tag filter (`payment gateway`, tag `customer:C123`)',
    recall: false,
    args: (n, size) => ({ query: 'payment gateway', tags: `customer:${someCustomer(n, size)}`, limit: 10 }),
  },
];
