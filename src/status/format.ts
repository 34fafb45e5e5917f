/**
 * Pure text for the connection and quota status: what the status bar shows
 * and what its tooltip explains. No DOM, no signals: easy to test.
 */
import type { IVCEStatus, Quota } from '../api/types';
import {
  formatCount,
  formatDuration,
  formatResetClock
} from '../common/format';
import type { Translate } from '../common/translate';

/** What the status item is showing, derived from the last answer. */
export type ConnectionPhase =
  | 'loading'
  | 'starting'
  | 'connected'
  | 'signed-out'
  | 'rejected'
  | 'unreachable'
  | 'not-configured'
  | 'unavailable';

/** Map the server extension's answer (or its absence) to a phase. */
export function phaseOf(
  status: IVCEStatus | null,
  requestError: string | null
): ConnectionPhase {
  if (requestError !== null) {
    return 'unavailable';
  }
  if (status === null) {
    return 'loading';
  }
  switch (status.platform.state) {
    case 'connected':
      return 'connected';
    case 'not_signed_in':
      return 'signed-out';
    case 'rejected':
      return 'rejected';
    case 'unreachable':
      return 'unreachable';
    case 'not_configured':
      return 'not-configured';
    case 'starting':
      return 'starting';
  }
}

/** "12 / 5,000": records used today of the daily limit. */
export function formatUsage(quota: Quota): string {
  return `${formatCount(quota.used)} / ${formatCount(quota.daily_limit)}`;
}

/** "00:00 UTC (in 3 h 05 min)": when the daily quota starts again. */
export function formatReset(
  resetsAt: string,
  now: Date,
  trans: Translate
): string {
  const reset = new Date(resetsAt);
  return trans.__(
    '%1 (in %2)',
    formatResetClock(resetsAt, trans),
    formatDuration(reset.getTime() - now.getTime(), trans)
  );
}

/** The status bar's short label. */
export function connectionLabel(
  phase: ConnectionPhase,
  status: IVCEStatus | null,
  trans: Translate
): string {
  switch (phase) {
    case 'loading':
      return trans.__('VCE …');
    case 'starting':
      return trans.__('Platform starting…');
    case 'connected':
      if (status?.identity?.role === 'reviewer') {
        return trans.__('VCE reviewer'); // a reviewer runs no queries: no quota
      }
      return status?.quota
        ? trans.__('VCE %1', formatUsage(status.quota))
        : trans.__('VCE connected');
    case 'signed-out':
      return trans.__('VCE: sign in');
    case 'rejected':
      return trans.__('VCE: sign in again');
    case 'unreachable':
      return trans.__('VCE unreachable');
    case 'not-configured':
      return trans.__('VCE not configured');
    case 'unavailable':
      return trans.__('VCE unavailable');
  }
}

/** The status bar's tooltip: the whole story in plain words. */
export function statusTooltip(
  phase: ConnectionPhase,
  status: IVCEStatus | null,
  requestError: string | null,
  now: Date,
  nextAttemptAt: number | null,
  trans: Translate
): string {
  const retry =
    nextAttemptAt === null
      ? ''
      : ' ' +
        trans.__(
          'Next attempt in %1; click to retry now.',
          formatDuration(nextAttemptAt - now.getTime(), trans)
        );
  switch (phase) {
    case 'loading':
      return trans.__('Connecting to the Virtual Compute Environment…');
    case 'starting':
      return (
        (status?.platform.message ??
          trans.__('The local platform is starting.')) +
        ' ' +
        trans.__('The status moves on by itself as soon as it answers.')
      );
    case 'connected': {
      const lines = [trans.__('Connected to the Virtual Compute Environment.')];
      if (status?.identity) {
        lines.push(
          trans.__(
            'Client %1; results go to %2.',
            status.identity.client_key,
            status.identity.primary_researcher_email
          )
        );
      }
      if (status?.quota) {
        const quota = status.quota;
        lines.push(
          trans.__(
            'Test-stage records used today: %1 of %2 (%3 left); resets at %4.',
            formatCount(quota.used),
            formatCount(quota.daily_limit),
            formatCount(quota.remaining),
            formatReset(quota.resets_at, now, trans)
          )
        );
      }
      lines.push(trans.__('Click for details.'));
      return lines.join('\n');
    }
    case 'signed-out':
      return trans.__(
        'Not signed in to the Virtual Compute Environment. Click to sign in with your client key and secret.'
      );
    case 'rejected':
      return (
        (status?.platform.message ??
          trans.__('The platform refused the credentials.')) +
        ' ' +
        trans.__('Click to sign in again.')
      );
    case 'unreachable':
      return (
        (status?.platform.message ??
          trans.__('The platform is not answering.')) + retry
      );
    case 'not-configured':
      return status?.platform.message ?? trans.__('No platform is configured.');
    case 'unavailable':
      return (
        (requestError ?? trans.__('The Jupyter server is not answering.')) +
        retry
      );
  }
}
