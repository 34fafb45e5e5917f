import type { TranslationBundle } from '@jupyterlab/translation';
import type { JobStatus } from '../api/types';

/** A status as the researcher reads it (a badge's text). */
export function jobStatusLabel(
  status: string,
  trans: TranslationBundle
): string {
  switch (status as JobStatus) {
    case 'submitted':
      return trans.__('Submitted');
    case 'queued':
      return trans.__('Queued');
    case 'running':
      return trans.__('Running');
    case 'reviewing':
      return trans.__('In review');
    case 'approved':
      return trans.__('Approved');
    case 'rejected':
      return trans.__('Rejected');
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
    case 'timed_out':
      return trans.__('Timed out');
    default:
      return status;
  }
}
