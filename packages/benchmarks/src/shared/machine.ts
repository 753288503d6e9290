import { cpus, loadavg, totalmem } from 'node:os';
import Database from 'better-sqlite3';

/** The machine a benchmark ran on, as one Markdown line. */
export function describeMachine(): string {
  const cpu = cpus();
  const db = new Database(':memory:');
  const sqlite = db.prepare('select sqlite_version() as v').get() as { v: string };
  db.close();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return (
    `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, SQLite ${sqlite.v}, load average ${load}, ${new Date().toISOString()}`
  );
}
