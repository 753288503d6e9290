import { BENCHMARKS_DOC, recordSection } from './record-figures';

/**
 * Runs a benchmark's `main` as the whole process: exits 0 when it resolves, prints the error and exits
 * 1 when it rejects (the exit also ends any child process or handle left behind).
 */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Prints a benchmark's Markdown section, and when `record` is set writes it into docs/benchmarks.md. */
export function printAndRecord(section: string, text: string, record: boolean): void {
  process.stdout.write(`\n${text}\n`);
  if (!record) return;
  recordSection(BENCHMARKS_DOC, section, text);
  process.stdout.write(`\nrecorded in ${BENCHMARKS_DOC}\n`);
}
