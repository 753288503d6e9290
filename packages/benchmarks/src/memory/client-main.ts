/**
 * Entry of the benchmark's client process (forked by `ClientProcess`): runs each job the parent sends
 * over IPC and answers with its figures or its error. Exits when the parent goes away.
 */
import { runClientJob, type ClientJob } from './bench-clients';

process.on('message', (message: { id: number; job: ClientJob }) => {
  runClientJob(message.job).then(
    (figures) => process.send?.({ id: message.id, figures }),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
