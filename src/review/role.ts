import type { IVCEStatus } from '../api/types';

/**
 * Whether the lab's client is a reviewer (the platform's role that decides
 * jobs in manual review: `role` of `GET /v2/vce/me/`), given what was known before: the
 * identity says so when the status has one; a status without one (the
 * platform unreachable for a while) keeps the last answer, so a reviewer's
 * panel does not turn into a researcher's during an outage; signed out, no.
 */
export function reviewerRole(
  previous: boolean,
  status: IVCEStatus | null
): boolean {
  if (status?.identity) {
    return status.identity.role === 'reviewer';
  }
  return status?.signed_in === false ? false : previous;
}
