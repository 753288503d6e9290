// The handling fixtures' activity: it labels the handling it chose, as an activity that routes around
// a failing gateway would.
import { recordHandling } from '../../../index';

/** Charges through the backup gateway (labelled) or the primary one (the default path). */
export async function chargeWithFallback(useBackup: boolean): Promise<string> {
  if (!useBackup) return 'primary';
  recordHandling('  backup-gateway\n');
  return 'backup';
}
