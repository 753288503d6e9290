import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallFrame } from '../cpu-profile';
import { sourceMapLocator } from '../source-maps';

/** The name the workflow bundle runs under in a profile (it runs from memory). */
const BUNDLE_URL = '/somewhere/workflow-bundle-0a1b2c.js';

/** A frame of a function at 0-based `lineNumber` of `url`. */
function frameAt(url: string, lineNumber: number): CallFrame {
  return { functionName: 'f', url, lineNumber, columnNumber: lineNumber < 0 ? -1 : 0 };
}

describe('sourceMapLocator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'source-maps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'dist'));
  // Generated lines 1 and 2 come from lines 1 and 2 of ../src/outbox.ts.
  const map = { version: 3, sources: ['../src/outbox.ts'], names: [], mappings: 'AAAA;AACA' };
  writeFileSync(join(dir, 'dist', 'outbox.js.map'), JSON.stringify(map));
  writeFileSync(join(dir, 'dist', 'outbox.js'), 'a();\nb();\n//# sourceMappingURL=outbox.js.map\n');
  const inline = Buffer.from(
    JSON.stringify({
      ...map,
      sources: ['/repo/packages/plugin/src/workflow/x.ts', 'webpack/bootstrap'],
      mappings: 'AAAA;ACAA',
    }),
  ).toString('base64');
  writeFileSync(
    join(dir, 'bundle.js'),
    `a();\nb();\n//# sourceMappingURL=data:application/json;base64,${inline}\n`,
  );
  const locate = sourceMapLocator(join(dir, 'bundle.js'));

  it('finds the TypeScript source through a map file beside the script', () => {
    expect(locate(frameAt(`file://${join(dir, 'dist', 'outbox.js')}`, 1))).toEqual({
      file: join(dir, 'src', 'outbox.ts'),
      line: 2,
    });
  });

  it('reads workflow bundle frames through the copy of the bundle and its inline map', () => {
    expect(locate(frameAt(BUNDLE_URL, 0))).toEqual({
      file: '/repo/packages/plugin/src/workflow/x.ts',
      line: 1,
    });
  });

  it("keeps the bundle's own relative sources as they are", () => {
    expect(locate(frameAt(BUNDLE_URL, 1))).toEqual({ file: 'webpack/bootstrap', line: 1 });
  });

  it('leaves native frames and scripts without a map alone', () => {
    expect(locate(frameAt('', -1))).toBeUndefined();
    expect(locate(frameAt('node:internal/timers', 3))).toBeUndefined();
  });
});
