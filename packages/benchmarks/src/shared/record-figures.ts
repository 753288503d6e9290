import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The file every benchmark records its figures in: the repository's docs/benchmarks.md. */
// From dist/shared/ (where this runs) or src/shared/ (under ts-jest): four folders up is the repository.
export const BENCHMARKS_DOC = resolve(__dirname, '../../../../docs/benchmarks.md');

const HEADER = `# Benchmarks

Figures written by the benchmark scripts; each rewrites only its own section. They are measured on
shared machines, so compare the ratios measured within one run rather than absolute numbers across
runs.
`;

/**
 * Writes a benchmark's section into a Markdown file between `<!-- name:start -->` and
 * `<!-- name:end -->`, keeping every other section as it is.
 */
export function recordSection(file: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
