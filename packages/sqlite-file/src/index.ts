/**
 * `@temporal-stompy/sqlite-file`: an internal building block of temporal-stompy, shared by the
 * memory server's store and the plugin's outbox. It opens a SQLite file that several processes may
 * open at the same moment. Not meant for use outside temporal-stompy: it makes no stability promise,
 * and may change in any release.
 *
 * @module
 */
export { openSharedDatabase } from './shared-database';
export type { SharedDatabaseOptions } from './shared-database';
