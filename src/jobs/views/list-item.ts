/**
 * What the jobs list shows of one job, so that two runs of the same script
 * can be told apart in a narrow sidebar: the submitted time (a clock time
 * today, a date before), a short id, and a tooltip with the full name.
 * Pure functions: the list (JobsView.tsx) renders them.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Job } from '../../api/types';
import { exactTime, jobStatusLabel } from '../format';

/** Characters of a job id the list shows: the end, where ids differ (job_<time><random>). */
export const SHORT_ID_LENGTH = 6;

/** The end of a job id (the random part of the platform's ids); short ids are shown whole. */
export function shortJobId(jobId: string): string {
  const bare = jobId.replace(/^job_/, '');
  return bare.length <= SHORT_ID_LENGTH + 2
    ? bare
    : bare.slice(-SHORT_ID_LENGTH);
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * When a job was submitted, in local time: "14:03" today, "5 Dec 14:03" this
 * year, "5 Dec 2025 14:03" before; '' when unknown.
 */
export function submittedAt(
  iso: string | null | undefined,
  now: number,
  locale?: string
): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return clock;
  }
  const day = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' })
  }).format(date);
  return `${day} ${clock}`;
}

/**
 * A file name in parts that may end a line: after each `_`, `-` and `.`, so a
 * long name wraps between its words instead of being cut ("videos_by_regi…").
 */
export function nameParts(name: string): string[] {
  return name.split(/(?<=[_.-])/);
}

/** The tooltip of a job in the list: its full name, what it is, its status, when, its id. */
export function jobItemTooltip(job: Job, trans: TranslationBundle): string {
  return [
    job.entry,
    job.stage === 'test'
      ? trans.__('Test run (on the sample; nothing is released)')
      : trans.__('Job (on all public data)'),
    trans.__('Status: %1', jobStatusLabel(job.status, trans)),
    trans.__('Submitted: %1', exactTime(job.created_at)),
    trans.__('Id: %1', job.job_id)
  ].join('\n');
}
