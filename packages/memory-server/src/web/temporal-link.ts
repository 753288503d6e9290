// The Temporal Web UI page of the run behind an outcome. The plugin's note names it on two lines:
// `Workflow: <type> (<workflowId>, run <runId>)` and `Task queue: <queue>; namespace: <namespace>`.
// Ids may hold any characters, so each line is read from its end, where the run id and the namespace
// are; a note that does not read this way gets no link, never a wrong one.

/** The run an outcome's note names. */
export interface NotedRun {
  readonly namespace: string;
  readonly workflowId: string;
  readonly runId: string;
}

/** The run a plugin outcome's note names, or undefined when the note is not one. */
export function notedRun(note: string): NotedRun | undefined {
  const lines = note.split('\n');
  const workflow = /^Workflow: .*? \((.+), run ([^,()\s]+)\)$/.exec(lines[0] ?? '');
  const queue = lines.map((line) => /^Task queue: .*; namespace: (.+)$/.exec(line)).find((m) => m !== null);
  if (!workflow?.[1] || !workflow[2] || !queue?.[1]) return undefined;
  return { namespace: queue[1], workflowId: workflow[1], runId: workflow[2] };
}

/** The address of a run's history in the Temporal Web UI at `baseUrl` (such as `http://localhost:8233`). */
export function temporalRunUrl(baseUrl: string, run: NotedRun): string {
  const base = baseUrl.replace(/\/+$/, '');
  const segment = encodeURIComponent;
  return `${base}/namespaces/${segment(run.namespace)}/workflows/${segment(run.workflowId)}/${segment(run.runId)}/history`;
}
