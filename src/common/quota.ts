import type { Quota } from '../api/types';

/** Whether two quotas show the same thing: same day, same use, same limit. */
export function sameQuota(
  a: Quota | null | undefined,
  b: Quota | null | undefined
): boolean {
  return (
    a?.day === b?.day &&
    a?.used === b?.used &&
    a?.daily_limit === b?.daily_limit
  );
}
