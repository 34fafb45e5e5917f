import { ApiError } from '../http/errors';
import { invalidParams } from './body';
import { dailyQuotaRefusal } from './quota';
import { rateLimitRefusal } from './rate-limit';
import {
  FAULT_MESSAGES,
  searchIdExpiredMessage,
  type RequestFault
} from './faults';

/** A fault's refusal; `retryAfter` (seconds) becomes the `Retry-After` header (routes/research-faults.ts). */
export class FaultRefusal extends ApiError {
  retryAfter?: number;
}

/**
 * What a request-level fault (./faults.ts) makes a Research API route answer,
 * in the real API's words (README § Faults on a switch); null for
 * `empty_results`, which the route answers as an empty page without an error.
 * The 429s carry `data: {}` as the observed daily-quota body does.
 */
export function faultError(
  fault: RequestFault,
  /** The Research API's per-minute limit, which a rate_limit refusal names (H-QUOTA's words). */
  perMinute: number,
  searchId: string | null = null
): ApiError | null {
  switch (fault.kind) {
    case 'internal_error':
      return new ApiError(500, 'internal_error', FAULT_MESSAGES.internalError);
    case 'search_id_expired':
      return invalidParams(searchIdExpiredMessage(searchId ?? ''));
    case 'invalid_count_or_cursor':
      return invalidParams(FAULT_MESSAGES.invalidCountOrCursor);
    case 'rate_limit': {
      // The same bodies as the real limits' (./rate-limit.ts, ./quota.ts).
      const { statusCode, code, message, data } = rateLimitRefusal(
        fault.retryAfter,
        perMinute
      );
      const refusal = new FaultRefusal(statusCode, code, message, data);
      refusal.retryAfter = fault.retryAfter;
      return refusal;
    }
    case 'daily_quota':
      return dailyQuotaRefusal();
    case 'empty_results':
      return null;
  }
}
