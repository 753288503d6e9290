import { describeCommit } from '../shared/commit';
import { describeMachine } from '../shared/machine';
import { describeConditions, percent, type RunConditions } from '../shared/run-conditions';
import { CONFIGURATION_LABELS, type Configuration } from '../plugin/worker-protocol';
import { PLUGIN_CATEGORY } from './cpu-categories';
import type { ProfileItem, ProfileSummary } from './cpu-profile-summary';
import type { ProfileOptions } from './profile-options';

/** One configuration's profiled stretch. */
export interface ProfiledConfiguration {
  configuration: Configuration;
  workflows: number;
  /** The worker process's CPU over the stretch (every thread), in ms. */
  cpuMs: number;
  /** Share of the machine's CPU capacity other processes used over the stretch. */
  othersShare: number | undefined;
  summary: ProfileSummary;
}

function share(us: number, of: number): string {
  return of > 0 ? `${((100 * us) / of).toFixed(1)}%` : '?';
}

function perWorkflow(us: number, workflows: number): string {
  return (us / 1000 / workflows).toFixed(2);
}

/** Markdown table cells must not break on `|`. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Categories every worker has, plugin or not: left out of the table of what the plugin brings. */
const WORKER_BASELINE = new Set([
  'Temporal SDK',
  'V8 and native code (program)',
  'garbage collector',
  'benchmark (probe, activities)',
]);

/** A numbered table of functions with their self time. */
function itemTable(items: readonly ProfileItem[], busyUs: number, workflows: number): string[] {
  return [
    '| # | function | where | category | self | ms per workflow |',
    '|---:|---|---|---|---:|---:|',
    ...items.map(
      (item, i) =>
        `| ${i + 1} | \`${cell(item.functionName)}\` | ${cell(item.location)} | ${cell(item.category)} | ` +
        `${share(item.selfUs, busyUs)} | ${perWorkflow(item.selfUs, workflows)} |`,
    ),
  ];
}

function configurationSection(p: ProfiledConfiguration, top: number): string[] {
  const { summary: s, workflows } = p;
  const plugin = s.categories.find((c) => c.category === PLUGIN_CATEGORY)?.selfUs ?? 0;
  return [
    `### ${CONFIGURATION_LABELS[p.configuration]}`,
    '',
    `${workflows} workflows; other processes used ${percent(p.othersShare)} of the machine meanwhile. Worker process CPU (every thread): **${(p.cpuMs / workflows).toFixed(1)} ms per workflow**; ` +
      `JS threads sampled busy: ${perWorkflow(s.busyUs, workflows)} ms per workflow. ` +
      `The plugin's own code (self time): **${share(plugin, s.busyUs)}**; stacks through the plugin's code ` +
      `(the plugin and everything it calls: SQLite, the MCP SDK, pino, the embedded server): **${share(s.throughPluginUs, s.busyUs)}**.`,
    '',
    '| category | share of sampled busy time | ms per workflow |',
    '|---|---:|---:|',
    ...s.categories.map(
      (c) => `| ${cell(c.category)} | ${share(c.selfUs, s.busyUs)} | ${perWorkflow(c.selfUs, workflows)} |`,
    ),
    '',
    `Top ${top} functions by self time:`,
    '',
    ...itemTable(s.items.slice(0, top), s.busyUs, workflows),
    '',
    `Top ${top} functions outside the Temporal SDK, V8 and the benchmark: what the plugin brings into the worker ` +
      '(its own code, the embedded memory server, SQLite, the MCP client, zod, pino and the Node.js work they start):',
    '',
    ...itemTable(
      s.items.filter((item) => !WORKER_BASELINE.has(item.category)).slice(0, top),
      s.busyUs,
      workflows,
    ),
  ];
}

/** The `bench:plugin:profile` section of docs/benchmarks.md, in Markdown. */
export function profileReport(
  results: readonly ProfiledConfiguration[],
  options: ProfileOptions,
  conditions: RunConditions,
): string {
  return [
    "## Where a plugin worker's CPU goes (`corepack pnpm bench:plugin:profile`)",
    '',
    `${describeCommit()} Machine: ${describeMachine()}. ${describeConditions(conditions)}`,
    '',
    "How: the set-up of `bench:plugin`, with each profiled worker process started under Node's `--cpu-prof` " +
      '(a profile per JS thread: the main thread, which runs activities and the plugin, and the workflow thread). ' +
      `After ${options.warmUpWorkflows} warm-up workflows, each worker ran ${options.workflows} workflows ` +
      `(3 activities, ${options.concurrency} at a time, 20 customers seen again and again); only samples of that stretch count. ` +
      "Shares are of the JS threads' sampled busy time, which is wall time while a thread is not idle (on a loaded " +
      "machine it includes waiting for a core) and leaves out the SDK's Rust core threads; the worker process's CPU " +
      'time is given beside it. Functions are located through source maps (TypeScript sources); native code is ' +
      'charged to the JavaScript function that called it.',
    '',
    ...results.flatMap((r) => [...configurationSection(r, options.top), '']),
  ]
    .join('\n')
    .trimEnd();
}
