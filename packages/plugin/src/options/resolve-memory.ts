import { resolve as resolvePath } from 'node:path';
import type { MemoryTarget } from '../mcp/memory-target';
import { checkKeys, optionalString } from './option-checks';
import { StompyOptionsError } from './options-error';
import { resolveMemoryUrls } from './resolve-memory-urls';

/**
 * The memory connection after validation: a server over HTTP or stdio (exactly what the client
 * connects to), or the embedded server on a SQLite file (opened by the worker runtime).
 */
export type ResolvedMemory =
  | ResolvedHttpMemory
  | Extract<MemoryTarget, { kind: 'stdio' }>
  | { kind: 'embedded'; dbPath: string; reason: 'default' | 'configured' | 'url-unset' };

/** One memory server over HTTP, or several of a fleet (in order of preference), all with one token. */
export type ResolvedHttpMemory = Omit<Extract<MemoryTarget, { kind: 'http' }>, 'url'> & {
  readonly urls: readonly URL[];
};

const COMMON_MEMORY_KEYS = ['project', 'timeoutMs', 'maxCallsPerMinute', 'burst', 'recallShare'];
const HTTP_KEYS = [...COMMON_MEMORY_KEYS, 'url', 'token', 'transport'];
const STDIO_KEYS = [...COMMON_MEMORY_KEYS, 'command', 'args', 'env', 'cwd'];
const EMBEDDED_KEYS = [...COMMON_MEMORY_KEYS, 'dbPath'];

/** Validates the `memory` option group: a URL (or several), a stdio command, or the embedded server's file. */
export function resolveMemory(memory: Record<string, unknown>, cwd: string): ResolvedMemory {
  if ('url' in memory) {
    checkKeys('memory', memory, HTTP_KEYS);
    const transport = memory.transport ?? 'auto';
    if (transport !== 'auto' && transport !== 'streamable-http' && transport !== 'sse') {
      throw new StompyOptionsError(
        `memory.transport must be 'auto', 'streamable-http' or 'sse', not ${JSON.stringify(transport)}`,
      );
    }
    const urls = resolveMemoryUrls(memory.url);
    if (urls === undefined)
      return { kind: 'embedded', dbPath: resolvePath(cwd, '.stompy/memory.db'), reason: 'url-unset' };
    return { kind: 'http', urls, token: optionalString('memory.token', memory.token), transport };
  }
  if ('command' in memory) {
    checkKeys('memory', memory, STDIO_KEYS);
    const command = optionalString('memory.command', memory.command);
    if (!command) throw new StompyOptionsError('memory.command must be a non-empty string');
    const args = memory.args ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw new StompyOptionsError('memory.args must be an array of strings');
    }
    const env = memory.env as Record<string, string> | undefined;
    if (
      env !== undefined &&
      (typeof env !== 'object' || env === null || !Object.values(env).every((v) => typeof v === 'string'))
    ) {
      throw new StompyOptionsError('memory.env must map names to strings');
    }
    return { kind: 'stdio', command, args, env, cwd: optionalString('memory.cwd', memory.cwd) };
  }
  checkKeys(
    'memory',
    memory,
    EMBEDDED_KEYS,
    ' (give memory.url for a server over HTTP or memory.command for stdio)',
  );
  const dbPath = optionalString('memory.dbPath', memory.dbPath);
  return {
    kind: 'embedded',
    dbPath: resolvePath(cwd, dbPath ?? '.stompy/memory.db'),
    reason: dbPath ? 'configured' : 'default',
  };
}
