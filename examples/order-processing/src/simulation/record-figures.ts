// Records the demo's figures in docs/learning.md, between markers, with the conditions they were
// measured in: figures in the docs are ones a run of the demo printed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { dirname, join } from 'node:path';

const START = '<!-- demo:start -->';
const END = '<!-- demo:end -->';

/** The workspace root: the nearest folder up from here with a pnpm-workspace.yaml. */
function workspaceRoot(): string | undefined {
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** Writes `lines` into docs/learning.md between the demo's markers; returns the file, or undefined. */
export function recordFigures(lines: readonly string[], command: string): string | undefined {
  const root = workspaceRoot();
  const file = root && join(root, 'docs', 'learning.md');
  if (!file || !existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  const machine =
    `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`;
  const section = [
    START,
    `Printed by \`${command}\` on ${new Date().toISOString()} (${machine}):`,
    '',
    '```',
    ...lines,
    '```',
    END,
  ].join('\n');
  writeFileSync(file, `${text.slice(0, start)}${section}${text.slice(end + END.length)}`);
  return file;
}
