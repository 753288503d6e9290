import { at, attempt, seededRandom } from './helpers/generated-outcomes';
import { replayRisk, type ReplayedAttempt } from './helpers/risk-replay';

// A detector that fires on random data is a bug: on uniform noise (no injected pattern, 5% failures,
// 20,000 outcomes over 12 weeks, 3 activity types, 200 customers, 2 versions) the memory must almost
// never call an attempt high risk, whatever it is tempted by: 168 windows, 200 customers, versions.

const TYPES = ['chargePayment', 'reserveInventory', 'shipOrder'];

function uniformNoise(seed: number): ReplayedAttempt[] {
  const random = seededRandom(seed);
  const orders: { time: number; customer: string }[] = [];
  for (let i = 0; i < 20_000 / TYPES.length; i++) {
    const week = Math.floor(random() * 12);
    orders.push({
      time: at(week, Math.floor(random() * 168), Math.floor(random() * 60)),
      customer: `C${Math.floor(random() * 200)}`,
    });
  }
  orders.sort((a, b) => a.time - b.time);
  return orders.flatMap((order, index) =>
    TYPES.map((activityType, step) => ({
      facts: attempt(order.time + step * 1_000, random() < 0.05, {
        activityType,
        version: index < orders.length / 2 ? 'build-1' : 'build-2',
      }),
      entities: [`customer:${order.customer}`],
    })),
  );
}

it.each([11, 12, 13])('raises high risk on under 1%% of attempts of uniform noise (seed %i)', (seed) => {
  const attempts = uniformNoise(seed);
  expect(attempts.length).toBeGreaterThanOrEqual(20_000);
  let high = 0;
  let elevated = 0;
  replayRisk(attempts, (_, risk) => {
    if (risk.level === 'high') high += 1;
    if (risk.level === 'elevated') elevated += 1;
  });
  expect(high / attempts.length).toBeLessThan(0.01);
  expect(elevated / attempts.length).toBeLessThan(0.05);
});
