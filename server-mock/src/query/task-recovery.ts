import type { Store } from '../store';
import { ACTIVE } from './tasks';

/**
 * Query tasks after a crash or kill -9 (issue 18): a task lives in the process
 * that created it (its steps are turns of that event loop), so one the store
 * shows Created, Validating or Processing at start was cut short. It read and
 * charged nothing (a task's charge and its result are one transaction:
 * ./tasks.ts), so it ends AnalysisFailed saying so, and the researcher creates
 * it again. A test run's tasks go with its run (the run is done again: its
 * tokens and tasks are revoked by src/jobs/recovery.ts).
 */

export const RESTARTED_CODE = 'platform_restarted';

export const RESTARTED_MESSAGE =
  'The platform restarted while this task was running: it was stopped, and nothing was charged to your quota. Create the task again.';

/** End every task a previous process left mid-way; how many were ended. */
export function recoverTasks(store: Store, now: Date): number {
  return store.endTasks(ACTIVE, {
    status: 'AnalysisFailed',
    updatedAt: now.toISOString(),
    errorCode: RESTARTED_CODE,
    errorMessage: RESTARTED_MESSAGE
  });
}
