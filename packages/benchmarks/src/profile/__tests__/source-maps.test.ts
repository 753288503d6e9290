import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceMapLocator } from '../source-maps';

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
    const frame = {
      functionName: 'b',
      url: `file://${join(dir, 'dist', 'outbox.js')}`,
      lineNumber: 1,
      columnNumber: 0,
    };
    expect(locate(frame)).toEqual({ file: join(dir, 'src', 'outbox.ts'), line: 2 });
  });

  it('reads workflow bundle frames through the copy of the bundle and its inline map', () => {
    const frame = {
      functionName: 'a',
      url: '/somewhere/workflow-bundle-0a1b2c.js',
      lineNumber: 0,
      columnNumber: 0,
    };
    expect(locate(frame)).toEqual({ file: '/repo/packages/plugin/src/workflow/x.ts', line: 1 });
  });

  it("keeps the bundle's own relative sources as they are", () => {
    const frame = {
      functionName: 'b',
      url: '/somewhere/workflow-bundle-0a1b2c.js',
      lineNumber: 1,
      columnNumber: 0,
    };
    expect(locate(frame)).toEqual({ file: 'webpack/bootstrap', line: 1 });
  });

  it('leaves native frames and scripts without a map alone', () => {
    expect(locate({ functionName: 'run', url: '', lineNumber: -1, columnNumber: -1 })).toBeUndefined();
    expect(
      locate({ functionName: 'x', url: 'node:internal/timers', lineNumber: 3, columnNumber: 0 }),
    ).toBeUndefined();
  });
});
