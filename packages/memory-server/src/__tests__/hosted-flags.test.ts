import { spawnSync } from 'node:child_process';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';

// `stompy-memory serve` refuses bad hosted-profile flags at startup, before it opens anything, with a
// message that names the flag and what it accepts, and a non-zero exit.

function serveWith(...args: string[]) {
  return spawnSync(
    process.execPath,
    [STOMPY_MEMORY_BIN, 'serve', '--port', '0', '--db', ':memory:', ...args],
    {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, STOMPY_MEMORY_TOKEN: undefined },
    },
  );
}

it.each([
  [['--plan', 'gold'], /argument 'gold' is invalid\. Allowed choices are free, beta, pro, enterprise, admin/],
  [
    ['--rate-per-minute', '0'],
    /--rate-per-minute <calls>' argument '0' is invalid\. expected a positive integer/,
  ],
  [
    ['--burst-per-10s', '-5'],
    /--burst-per-10s <calls>' argument '-5' is invalid\. expected a positive integer/,
  ],
  [['--rate-per-minute', '2.5'], /expected a positive integer/],
  [
    ['--rate-per-minute', '10', '--burst-per-10s', '11'],
    /burstPer10s \(--burst-per-10s\) is 11, larger than the per-minute cap 10/,
  ],
  [['--plan', 'pro', '--burst-per-10s', '181'], /is 181, larger than the per-minute cap 180/],
  [
    ['--rate-per-minute', '10', '--rate-limit', '20'],
    /--rate-per-minute and --rate-limit name the same limit/,
  ],
  [
    ['--extra-tools', 'lock_context_batch,recall_all'],
    /unknown tool "recall_all"; the extra tools are lock_context_batch/,
  ],
])('refuses --profile hosted %j', (flags, message) => {
  const result = serveWith('--profile', 'hosted', ...flags);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).not.toMatch(/listening/);
});

it('documents the hosted flags in serve --help', () => {
  const help = spawnSync(process.execPath, [STOMPY_MEMORY_BIN, 'serve', '--help'], {
    encoding: 'utf8',
  }).stdout.replace(/\s+/g, ' ');
  for (const flag of [
    '--plan <plan>',
    '--rate-per-minute <calls>',
    '--burst-per-10s <calls>',
    '--extra-tools [names]',
  ]) {
    expect(help).toContain(flag);
  }
  expect(help).toMatch(
    /free and beta 60\/min \+ 20 per 10 s, pro 180 \+ 45, enterprise 300 \+ 75, admin 600 \+ 150/,
  );
});
