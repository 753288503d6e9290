import { execFileSync } from 'node:child_process';

/** Longest a git command may take here. */
const GIT_TIMEOUT_MS = 5_000;

function git(args: string[]): string {
  return execFileSync('git', args, {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: GIT_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

/**
 * The code the figures were measured on, as a sentence: `Measured on commit abc1234 (its subject)`,
 * saying so when files other than the benchmark figures had uncommitted changes; empty outside a git clone.
 */
export function describeCommit(): string {
  try {
    const sha = git(['rev-parse', '--short', 'HEAD']);
    const subject = git(['log', '-1', '--format=%s']);
    const changed = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/benchmarks.md']);
    return `Measured on commit ${sha} ("${subject}")${changed ? ', with uncommitted changes' : ''}.`;
  } catch {
    return '';
  }
}
