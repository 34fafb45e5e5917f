/**
 * Text for numbers, time spans and clock times, shared by the status bar, the
 * query builder and the Data Clean Room. Pure functions: easy to test.
 */
import { plainTranslate, type Translate } from './translate';

/** "1,234": grouped digits in the researcher's locale-independent form. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * How a time span is written:
 * - `countdown`: whole units, rounded up ("12 s", "42 min", "3 h 05 min"): a wait, a reset;
 * - `runtime`: tenths under 10 s ("1.2 s", "3 min 4 s", "1 h 2 min"): how long a job ran.
 */
export type DurationStyle = 'countdown' | 'runtime';

/** A time span for people, in the given style; '' when there is none. */
export function formatDuration(
  milliseconds: number | null | undefined,
  trans: Translate = plainTranslate,
  style: DurationStyle = 'countdown'
): string {
  if (
    milliseconds === null ||
    milliseconds === undefined ||
    Number.isNaN(milliseconds)
  ) {
    return '';
  }
  if (style === 'runtime') {
    const seconds = milliseconds / 1000;
    if (seconds < 60) {
      return trans.__(
        '%1 s',
        seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)
      );
    }
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return trans.__('%1 min %2 s', minutes, Math.round(seconds % 60));
    }
    return trans.__('%1 h %2 min', Math.floor(minutes / 60), minutes % 60);
  }
  const seconds = Math.ceil(Math.max(0, milliseconds) / 1000);
  if (seconds < 60) {
    return trans.__('%1 s', seconds);
  }
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) {
    return trans.__('%1 min', rest);
  }
  return trans.__('%1 h %2 min', hours, String(rest).padStart(2, '0'));
}

/** "00:00 UTC": the time of day the daily quota starts again. */
export function formatResetClock(resetsAt: string, trans: Translate): string {
  return trans.__('%1 UTC', new Date(resetsAt).toISOString().slice(11, 16));
}
