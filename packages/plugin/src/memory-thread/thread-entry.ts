import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The compiled file the memory thread runs. A worker thread runs JavaScript, so when the plugin
 * itself runs from its TypeScript sources (the project's own tests, under ts-jest), the thread runs
 * the package's build of the same sources instead: `src/...` maps to `dist/...`, which the tests'
 * global setup builds first.
 */
export function memoryThreadFile(): string {
  const dir = __filename.endsWith('.ts')
    ? __dirname.replace(`${sep}src${sep}`, `${sep}dist${sep}`)
    : __dirname;
  const file = join(dir, 'memory-thread-main.js');
  if (!existsSync(file)) {
    throw new Error(
      `the plugin's memory thread is not built (${file} is missing); run \`corepack pnpm build\``,
    );
  }
  return file;
}
