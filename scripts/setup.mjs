// Installs the workspace (and so builds it, through the root postinstall) when a clean clone runs
// `corepack pnpm demo` or `corepack pnpm test` first. A no-op costing ~1 s when already installed.
import { spawnSync } from 'node:child_process';

const pnpm = process.env.npm_execpath;
const [cmd, args] = pnpm ? [process.execPath, [pnpm]] : ['corepack', ['pnpm']];
const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
const result = spawnSync(cmd, [...args, 'install', ...frozen], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('setup: `pnpm install` failed; see the output above.');
  process.exit(result.status ?? 1);
}
