import { readFileSync } from 'node:fs';

/** Where `stompy-memory serve` found its bearer tokens. */
export interface ServeTokens {
  readonly tokens: readonly string[];
  /** Whether any came from `--token` on the command line, where every local user sees it in `ps`. */
  readonly onArgv: boolean;
}

/** What `serve` was given: `--token` values (and whether they came from argv), `--token-file`, the environment. */
export interface TokenSources {
  readonly tokenOption: readonly string[] | undefined;
  readonly tokenOptionFromArgv: boolean;
  readonly tokenFile: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The bearer tokens of `serve`, from `--token` (or `STOMPY_MEMORY_TOKEN`), `STOMPY_TOKEN` and
 * `--token-file` (one token per line, surrounding whitespace trimmed, blank lines ignored), all of
 * them accepted. A file that cannot be read is an error naming it.
 */
export function serveTokens(sources: TokenSources): ServeTokens {
  const tokens = [...(sources.tokenOption ?? [])];
  const envToken = sources.env['STOMPY_TOKEN'];
  if (envToken !== undefined && envToken !== '') tokens.push(envToken);
  if (sources.tokenFile !== undefined) tokens.push(...readTokenFile(sources.tokenFile));
  return {
    tokens: [...new Set(tokens)],
    onArgv: sources.tokenOptionFromArgv && (sources.tokenOption?.length ?? 0) > 0,
  };
}

function readTokenFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--token-file ${path}: cannot read it (${(error as Error).message})`);
  }
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (tokens.length === 0) throw new Error(`--token-file ${path}: holds no token (one per line)`);
  return tokens;
}
