/** The status filters of the jobs list, and what the list calls them. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { JobStatus } from '../../api/types';

export const FILTERS: { id: string; statuses: JobStatus[] }[] = [
  { id: 'all', statuses: [] },
  { id: 'active', statuses: ['submitted', 'queued', 'running', 'reviewing'] },
  { id: 'approved', statuses: ['approved'] },
  { id: 'rejected', statuses: ['rejected'] },
  { id: 'failed', statuses: ['failed', 'timed_out'] },
  { id: 'cancelled', statuses: ['cancelled'] }
];

export function filterLabel(id: string, trans: TranslationBundle): string {
  switch (id) {
    case 'active':
      return trans.__('In progress');
    case 'approved':
      return trans.__('Approved');
    case 'rejected':
      return trans.__('Rejected');
    case 'failed':
      return trans.__('Failed or timed out');
    case 'cancelled':
      return trans.__('Cancelled');
    default:
      return trans.__('All jobs');
  }
}
