import type { TranslationBundle } from '@jupyterlab/translation';
import type { Job, JobStatus, VerdictFinding } from '../api/types';

export { jobStatusLabel } from './status-label';

/** What a status means for the researcher, in one sentence (tooltips, timeline). */
export function statusExplanation(
  status: string,
  trans: TranslationBundle
): string {
  switch (status as JobStatus) {
    case 'submitted':
      return trans.__('The platform received the script.');
    case 'queued':
      return trans.__('Waiting for a free slot in the trusted environment.');
    case 'running':
      return trans.__('The script runs against all public data.');
    case 'reviewing':
      return trans.__(
        'The outputs are checked: only aggregated results may leave.'
      );
    case 'approved':
      return trans.__(
        'The results passed review: download them, and the primary researcher gets a link by email.'
      );
    case 'rejected':
      return trans.__(
        'The review found outputs that are not aggregated enough: nothing was released.'
      );
    case 'failed':
      return trans.__(
        'The script stopped with an error: nothing was released.'
      );
    case 'cancelled':
      return trans.__('Cancelled: nothing was released.');
    case 'timed_out':
      return trans.__(
        'The script ran past the time limit: nothing was released.'
      );
    default:
      return '';
  }
}

/** The badge's colour family. */
export function statusTone(
  status: string
): 'progress' | 'success' | 'danger' | 'neutral' {
  switch (status) {
    case 'approved':
      return 'success';
    case 'rejected':
    case 'failed':
    case 'timed_out':
      return 'danger';
    case 'cancelled':
      return 'neutral';
    default:
      return 'progress';
  }
}

/** "3 min ago", "in 2 h", "just now"; exact time goes in the title. */
export function relativeTime(
  iso: string | null | undefined,
  now: number,
  trans: TranslationBundle
): string {
  if (!iso) {
    return '';
  }
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return iso;
  }
  const seconds = Math.round((now - then) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) {
    return trans.__('just now');
  }
  const [value, unit] =
    abs < 3600
      ? [Math.round(abs / 60), 'min']
      : abs < 86400
        ? [Math.round(abs / 3600), 'h']
        : [Math.round(abs / 86400), 'd'];
  return seconds >= 0
    ? trans.__('%1 %2 ago', value, unit)
    : trans.__('in %1 %2', value, unit);
}

/** The exact time, local, with the zone: for titles on relative times. */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : `${date.toLocaleString()} (${iso})`;
}

/** 512 B, 1.5 KiB, 2.0 MiB. */
export function bytes(count: number): string {
  if (count < 1024) {
    return `${count} B`;
  }
  if (count < 1024 * 1024) {
    return `${(count / 1024).toFixed(1)} KiB`;
  }
  return `${(count / 1048576).toFixed(1)} MiB`;
}

/** A review rule's name in plain words; unknown rules are spelled out from their id. */
export function ruleTitle(rule: string, trans: TranslationBundle): string {
  const titles: Record<string, string> = {
    identifier_column: trans.__('A column of identifiers'),
    identifier_value: trans.__('Identifiers from the data set'),
    verbatim_text: trans.__('Text copied from the data set'),
    encoded_identifier: trans.__('Identifiers hidden in an encoding'),
    shuffled_text: trans.__('Text of the data set with its words shuffled'),
    high_entropy: trans.__('Hashes or encoded data, one per record'),
    small_count: trans.__('A count below the threshold'),
    zero_count: trans.__('A zero count'),
    dominance: trans.__('One or two records dominate a total'),
    p_ratio: trans.__('A total that reveals its largest contributor'),
    residual_dof: trans.__('A model with too few degrees of freedom'),
    linkage: trans.__('Rows that link back to single records'),
    row_level_data: trans.__('Row-level records instead of aggregates'),
    key_column: trans.__('A column with a value per record'),
    output_limits: trans.__('More outputs than the review reads'),
    file_size: trans.__('An output file that is too large'),
    table_rows: trans.__('A table with too many rows'),
    figure: trans.__('A figure or page that a person must check'),
    extreme_values: trans.__('Minimums or maximums of single records'),
    key_lines: trans.__('Lines with a value per record'),
    file_type: trans.__('A file type that cannot leave'),
    differencing: trans.__('Tables that differ by a few records'),
    unclassified: trans.__('An output the review cannot classify'),
    rule_error: trans.__('A check that could not finish'),
    provenance: trans.__('A pyrqs.outputs file that does not match its record')
  };
  if (titles[rule]) {
    return titles[rule];
  }
  const words = rule.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Where a finding was found: "counts.csv, column user_id". */
export function findingPlace(
  finding: VerdictFinding,
  trans: TranslationBundle
): string {
  return finding.location
    ? trans.__('%1, %2', finding.file, finding.location)
    : finding.file;
}

/** A verdict's decision in one line; a test run's says it is one (the heading is read scrolled away from the title). */
export function verdictHeading(
  decision: string,
  failed: number,
  failedPlaces: number,
  testRun: boolean,
  trans: TranslationBundle
): string {
  if (decision === 'approved') {
    return testRun
      ? trans.__('Test run approved: the review would approve these outputs.')
      : trans.__('Approved: the results are aggregated.');
  }
  if (decision === 'rejected') {
    if (failedPlaces > 1) {
      return testRun
        ? trans.__(
            'Test run rejected: the review found %1 problems in %2 places.',
            failed,
            failedPlaces
          )
        : trans.__(
            'Rejected: the review found %1 problems in %2 places.',
            failed,
            failedPlaces
          );
    }
    return testRun
      ? trans._n(
          'Test run rejected: the review found %1 problem.',
          'Test run rejected: the review found %1 problems.',
          Math.max(failed, 1)
        )
      : trans._n(
          'Rejected: the review found %1 problem.',
          'Rejected: the review found %1 problems.',
          Math.max(failed, 1)
        );
  }
  return testRun
    ? trans.__(
        'Test run: a reviewer would look at these outputs; a person checks what no rule can decide.'
      )
    : trans.__('Sent to a reviewer: a person checks what no rule can decide.');
}

/** A Where line's location longer than this is cut (the whole in its tooltip): two lines of a narrow panel. */
const SHORT_LOCATION = 40;

/**
 * A Where line in two parts: the file (shown as code) and where in it (plain
 * text, cut after SHORT_LOCATION characters at a ", " or "; ", else at a word,
 * never inside an open parenthesis, so a narrow panel shows it on a line or
 * two; `full` is the whole place for the tooltip).
 */
export function placeParts(place: string): {
  file: string;
  location: string;
  full: string;
} {
  const comma = place.indexOf(', ');
  const file = comma === -1 ? place : place.slice(0, comma);
  const location = comma === -1 ? '' : place.slice(comma + 2);
  if (location.length <= SHORT_LOCATION) {
    return { file, location, full: place };
  }
  let head = location.slice(0, SHORT_LOCATION + 1);
  const list = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '));
  head = list > 0 ? head.slice(0, list) : head.slice(0, head.lastIndexOf(' '));
  // An open parenthesis is left out with what it opened.
  while (head.split('(').length > head.split(')').length) {
    head = head.slice(0, head.lastIndexOf('('));
  }
  return {
    file,
    location: `${head.replace(/[\s,;]+$/, '')} …`,
    full: place
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A finding's message without what its Where line already says: the file
 * named at its start becomes "The file", and the location in parentheses
 * (or after a "; " in them) goes.
 */
export function findingMessage(finding: VerdictFinding): string {
  let message = finding.message;
  const location = finding.location;
  if (location) {
    const at = escapeRegExp(location);
    message = message
      .replace(new RegExp(` \\(${at}\\)`), '')
      .replace(new RegExp(`; ${at}\\)`), ')')
      .replace(new RegExp(`\\(${at}; `), '(');
  }
  const file = escapeRegExp(finding.file);
  // "counts.csv (table 2): 12 of 40 rows ..." and "stdout.txt: ..." → "12 of 40 rows ..."
  const prefixed = new RegExp(
    `^${file}(?: \\((?:[^()]|\\([^()]*\\))*\\))?: `
  ).exec(message);
  if (prefixed) {
    const rest = message.slice(prefixed[0].length);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  // "stdout.txt contains ..." → "The file contains ..."
  return message.replace(new RegExp(`^${file} (?=[a-z])`), 'The file ');
}

/** A place in the outputs and every finding about it, in the order the review found them. */
export interface IFindingGroup {
  place: string;
  /** Each finding, with where exactly when that is more than the place (the rows of a column). */
  findings: { finding: VerdictFinding; detail: string | null }[];
}

/**
 * Findings by place: by file and column when the platform names the column
 * (VerdictFinding.column), else by file and location. One column of
 * identifiers can break several rules, and the researcher fixes it once.
 */
export function groupFindings(
  findings: VerdictFinding[],
  trans: TranslationBundle
): IFindingGroup[] {
  const groups = new Map<string, IFindingGroup>();
  for (const finding of findings) {
    const column = finding.column ?? null;
    const place = findingPlace(
      column ? { ...finding, location: column } : finding,
      trans
    );
    const group = groups.get(place) ?? { place, findings: [] };
    group.findings.push({
      finding,
      detail: column && finding.location !== column ? finding.location : null
    });
    groups.set(place, group);
  }
  return [...groups.values()];
}

/** Seconds the job has run: counted from its start while it runs, the platform's figure once it stopped. */
export function runtimeSeconds(
  job: Pick<Job, 'status' | 'started_at' | 'runtime_seconds'>,
  now: number
): number | null {
  if (job.status === 'running' && job.started_at) {
    const started = Date.parse(job.started_at);
    if (Number.isFinite(started)) {
      return Math.max(0, (now - started) / 1000);
    }
  }
  return job.runtime_seconds;
}

/** Why a job ended as it did, in one line, or '' while it runs or when approved. */
export function endReason(job: Job, trans: TranslationBundle): string {
  if (job.failure) {
    const where = job.failure.file
      ? job.failure.line !== null
        ? trans.__(' in %1, line %2', job.failure.file, job.failure.line)
        : trans.__(' in %1', job.failure.file)
      : job.failure.line !== null
        ? trans.__(' at line %1', job.failure.line)
        : '';
    return trans.__('The script raised %1%2.', job.failure.type, where);
  }
  return job.reason ?? '';
}

/**
 * A submitted file as text to read: a notebook's cells one after the other
 * (markdown and code, marked), anything else unchanged.
 */
export function readableSubmission(name: string, content: string): string {
  if (!name.toLowerCase().endsWith('.ipynb')) {
    return content;
  }
  try {
    const notebook = JSON.parse(content) as {
      cells?: { cell_type?: string; source?: string | string[] }[];
    };
    if (!Array.isArray(notebook.cells)) {
      return content;
    }
    return notebook.cells
      .map((cell, index) => {
        const source = Array.isArray(cell.source)
          ? cell.source.join('')
          : (cell.source ?? '');
        return `# ── cell ${index + 1} (${cell.cell_type ?? 'unknown'}) ──\n${source}`;
      })
      .join('\n\n');
  } catch {
    return content;
  }
}

/**
 * The platform's reason a part of an error report is withheld ("withheld: the
 * output review found identifiers of the data set in it"), as it reads after
 * "The error message is …".
 */
export function withheldText(reason: string): string {
  return reason.trim().replace(/\.$/, '');
}
