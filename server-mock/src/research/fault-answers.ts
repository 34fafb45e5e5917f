import { ApiError } from '../http/errors';
import { invalidParams } from './body';
import {
  FAULT_MESSAGES,
  searchIdExpiredMessage,
  type RequestFault
} from './faults';

/**
 * What a request-level fault (./faults.ts) makes a Research API route answer,
 * in the real API's words (README § Faults on a switch); null for
 * `empty_results`, which the route answers as an empty page without an error.
 * The 429s carry `data: {}` as the observed daily-quota body does.
 */

/** A fault's refusal; `retryAfter` (seconds) becomes the `Retry-After` header (routes/research-faults.ts). */
export class FaultRefusal extends ApiError {
  retryAfter?: number;
}

export function faultError(
  fault: RequestFault,
  searchId: string | null
): ApiError | null {
  switch (fault.kind) {
    case 'internal_error':
      return new ApiError(500, 'internal_error', FAULT_MESSAGES.internalError);
    case 'search_id_expired':
      return invalidParams(searchIdExpiredMessage(searchId ?? ''));
    case 'invalid_count_or_cursor':
      return invalidParams(FAULT_MESSAGES.invalidCountOrCursor);
    case 'rate_limit': {
      const refusal = new FaultRefusal(
        429,
        'rate_limit_exceeded',
        FAULT_MESSAGES.rateLimit,
        {}
      );
      refusal.retryAfter = fault.retryAfter;
      return refusal;
    }
    case 'daily_quota':
      return new ApiError(
        429,
        'daily_quota_limit_exceeded',
        FAULT_MESSAGES.dailyQuota,
        {}
      );
    case 'empty_results':
      return null;
  }
}
