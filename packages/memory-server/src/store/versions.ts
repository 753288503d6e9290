/**
 * Version names: a topic's versions are "1.0", "1.1", ... "1.9", "1.10", ... in the order they were
 * locked. The minor number is stored as an integer so "1.10" sorts after "1.9".
 */
export function versionName(minor: number): string {
  return `1.${minor}`;
}
