import { hourOfWeek, type OutcomeFacts } from '@temporal-stompy/insights';
import { seededRandom, type GeneratedOutcome } from './generated-outcomes';

// A memory with things to find: `chargePayment` fails most Tuesdays 15:00-16:00 UTC (window 39) and
// rarely otherwise; build 2026.11.3 makes `shipOrder` fail far more than 2026.11.2 did; customer C7
// fails often everywhere. Notes are written as the plugin writes them, so pages can link each
// outcome to its run in the Temporal Web UI.

/** The hour-of-week window the injected pattern is in: Tuesdays 15:00-16:00 UTC. */
export const PATTERN_WINDOW = 24 + 15;
/** The build that regresses `shipOrder`, and the one before it. */
export const REGRESSED_BUILD = '2026.11.3';
export const PREVIOUS_BUILD = '2026.11.2';

const HOUR_MS = 3_600_000;
const ACTIVITIES = ['reserveInventory', 'chargePayment', 'shipOrder'] as const;

/**
 * `orders` order workflows (each a run outcome and an attempt of each activity) with event times spread
 * over the `weeks` weeks before `endMs`, hour by hour: the injected pattern, regression and customer
 * are described above. The same seed gives the same outcomes.
 */
export function patternedOutcomes(
  orders: number,
  seed: number,
  options: { readonly weeks?: number; readonly endMs?: number; readonly customers?: number } = {},
): GeneratedOutcome[] {
  const random = seededRandom(seed);
  const weeks = options.weeks ?? 8;
  const endMs = options.endMs ?? Date.UTC(2026, 10, 23);
  const customers = options.customers ?? 40;
  const firstHour = Math.floor(endMs / HOUR_MS) - weeks * 168;
  const outcomes: GeneratedOutcome[] = [];
  for (let i = 0; i < orders; i++) {
    // Orders in time order, so builds follow one another.
    const hour = firstHour + Math.floor((i / orders) * weeks * 168);
    const eventTimeMs = hour * HOUR_MS + Math.floor(random() * HOUR_MS);
    const window = hourOfWeek(eventTimeMs, 'UTC');
    const customer = `C${Math.floor(random() * customers)}`;
    const build = i < orders * 0.4 ? '2026.11.1' : i < orders * 0.8 ? PREVIOUS_BUILD : REGRESSED_BUILD;
    const workflowId = `order-${seed}-${i}`;
    const runId = `${seed.toString(16)}-${i.toString(16).padStart(8, '0')}-run`;
    let orderFailed = false;
    for (const activityType of ACTIVITIES) {
      let rate = customer === 'C7' ? 0.25 : 0.02;
      if (activityType === 'chargePayment' && window === PATTERN_WINDOW) rate = 0.7;
      if (activityType === 'shipOrder' && build === REGRESSED_BUILD) rate = Math.max(rate, 0.3);
      const failed = random() < rate;
      orderFailed ||= failed;
      const issue =
        activityType === 'chargePayment'
          ? 'GatewayTimeout'
          : activityType === 'shipOrder'
            ? 'CarrierRejected'
            : 'OutOfStock';
      outcomes.push(
        outcome({ workflowId, runId, activityType, customer, build, eventTimeMs, failed, issue, random }),
      );
    }
    outcomes.push(
      outcome({
        workflowId,
        runId,
        customer,
        build,
        eventTimeMs,
        failed: orderFailed,
        issue: 'ActivityFailure',
        random,
      }),
    );
  }
  return outcomes;
}

function outcome(o: {
  workflowId: string;
  runId: string;
  activityType?: string;
  customer: string;
  build: string;
  eventTimeMs: number;
  failed: boolean;
  issue: string;
  random: () => number;
}): GeneratedOutcome {
  const durationMs = Math.round(20 + o.random() ** 2 * 900);
  const facts: OutcomeFacts = {
    kind: o.activityType === undefined ? 'workflow' : 'activity',
    workflowType: 'OrderWorkflow',
    ...(o.activityType === undefined ? {} : { activityType: o.activityType }),
    failed: o.failed,
    ...(o.failed ? { issue: o.issue, message: `${o.issue} for order ${o.workflowId}` } : {}),
    durationMs,
    eventTimeMs: o.eventTimeMs,
    timeZone: 'UTC',
    window: hourOfWeek(o.eventTimeMs, 'UTC'),
    version: o.build,
  };
  const topic =
    o.activityType === undefined
      ? `temporal:wf:default:${o.workflowId}:${o.runId}`
      : `temporal:act:default:${o.workflowId}:${o.runId}:a${o.activityType}:1`;
  const started = new Date(o.eventTimeMs).toISOString();
  const content = [
    `Workflow: OrderWorkflow (${o.workflowId}, run ${o.runId})`,
    ...(o.activityType === undefined ? [] : [`Activity: ${o.activityType}, attempt 1`]),
    `Customer: ${o.customer}`,
    `Success: ${o.failed ? 'no' : 'yes'}`,
    `Status: ${o.failed ? 'failed' : 'completed'}`,
    `Issues: ${o.failed ? `${o.issue}: ${o.issue} for order ${o.workflowId}` : 'none'}`,
    `Duration: ${durationMs} ms`,
    `Started: ${started}`,
    'Task queue: orders; namespace: default',
    `Worker: ${o.build}`,
  ].join('\n');
  const keys = [
    o.activityType === undefined ? 'workflow:OrderWorkflow' : `activity:${o.activityType}`,
    `customer:${o.customer}`,
  ];
  return { topic, content, keys, facts };
}
