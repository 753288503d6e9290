import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('createLogger', () => {
  it('writes JSON lines to stderr and nothing to stdout (stdout carries the stdio protocol)', () => {
    const register = require.resolve('@temporal-stompy/testing/register-typescript');
    const logger = join(__dirname, '..', 'logger.ts');
    const script = `require(${JSON.stringify(logger)}).createLogger({ level: 'debug' }).debug({ tool: 'x' }, 'hello');`;
    const child = spawnSync(process.execPath, ['-r', register, '-e', script], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('');
    expect(JSON.parse(child.stderr)).toMatchObject({
      level: 20,
      name: 'stompy-memory',
      tool: 'x',
      msg: 'hello',
    });
  });
});
