import { performance } from 'node:perf_hooks';
import { latencyOf, type Latency } from '../shared/percentiles';
import { HOT_KEY, insightsKeys } from './insights-corpus';

/** Loads of each page before timing starts (its first load fills the database's cache). */
const WARM_UP_LOADS = 2;

/**
 * The web page's views the stores section times, by label: the overview, the entity list, the hot
 * key's page in its own zone and in another (summed from its hours), a customer's page, the outcomes
 * behind one window of the hot key, version health and a search.
 */
export function pagePaths(size: number): Readonly<Record<string, string>> {
  const hot = encodeURIComponent(HOT_KEY);
  const customer = encodeURIComponent(insightsKeys('entity', 0, size)[0] ?? 'customer:C0');
  return {
    overview: '/',
    entities: '/keys?kind=entity',
    'hot key': `/key?key=${hot}`,
    'hot key, another time zone': `/key?key=${hot}&tz=America%2FNew_York`,
    'a customer': `/key?key=${customer}`,
    'outcomes behind a cell': `/outcomes?key=${hot}&window=39&tz=UTC`,
    'version health': '/versions',
    search: '/search?q=GatewayTimeout',
  };
}

/** p50/p99 of `loads` HTTP GETs of one page (the whole answer read), after {@link WARM_UP_LOADS}. */
export async function timePage(baseUrl: string, path: string, loads: number): Promise<Latency> {
  const load = async (): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`);
    await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  };
  for (let i = 0; i < WARM_UP_LOADS; i++) await load();
  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const started = performance.now();
    await load();
    times.push(performance.now() - started);
  }
  return latencyOf(times);
}
