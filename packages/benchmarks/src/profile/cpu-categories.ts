/**
 * Who a profiled file belongs to, for the share of CPU each part of a worker takes: the plugin, the
 * memory server embedded in it, the Temporal SDK, better-sqlite3, the MCP SDK, pino, Node itself...
 */

/** The plugin's own category, whose share the team cuts. */
export const PLUGIN_CATEGORY = 'StompyPlugin';

/** Node's own code; Node.js and native frames are charged to the code that called into them when there is one. */
export const NODE_CATEGORY = 'Node.js';

/** Packages that come with the Temporal SDK, counted with it. */
const TEMPORAL_DEPENDENCIES = [
  'rxjs',
  'protobufjs',
  '@protobufjs',
  'long',
  'nexus-rpc',
  'heap-js',
  'ms',
  'source-map',
];

const BY_PREFIX: readonly [string, string][] = [
  ['packages/plugin/', PLUGIN_CATEGORY],
  ['packages/memory-server/', 'memory server (embedded)'],
  ['packages/benchmarks/', 'benchmark (probe, activities)'],
  ['@temporalio/', 'Temporal SDK'],
  ['better-sqlite3/', 'better-sqlite3'],
  ['@modelcontextprotocol/', 'MCP SDK'],
  ['pino', 'pino'],
  ['sonic-boom/', 'pino'],
  ['thread-stream/', 'pino'],
  ['zod/', 'zod'],
  ['@opentelemetry/', 'OpenTelemetry'],
  ['node:', NODE_CATEGORY],
  ['evalmachine.', 'Temporal SDK'],
  ['webpack/', 'Temporal SDK'], // the workflow bundle's module runtime
];

/** The package a `node_modules`-relative path starts with (`@scope/name` or `name`). */
function packageOf(path: string): string {
  const [first, second] = path.split('/');
  return first?.startsWith('@') ? `${first}/${second ?? ''}` : (first ?? path);
}

/**
 * A readable path: the part after the last `node_modules/` for a dependency, from `packages/` (or
 * `examples/`) for the workspace's own files, without `file://`.
 */
export function displayPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) return path.slice(nodeModules + '/node_modules/'.length);
  const own = /\/((?:packages|examples)\/.*)$/.exec(path);
  return own?.[1] ?? path;
}

/** The category of a frame's file (a {@link displayPath}), or of a V8 pseudo-frame such as `(program)`. */
export function categoryOf(path: string, functionName = ''): string {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'V8 and native code (program)';
  for (const [prefix, category] of BY_PREFIX) if (path.startsWith(prefix)) return category;
  if (!path.startsWith('/') && path.includes('/')) {
    const name = packageOf(path);
    return TEMPORAL_DEPENDENCIES.includes(name) ? 'Temporal SDK' : `other: ${name}`;
  }
  return path === '' ? 'native code' : 'other';
}
