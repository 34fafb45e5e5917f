import { ReactWidget } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { StreamState } from '../events/stream';
import type { JobActions as DataCleanRoom } from './actions';
import type { AttestationCheck } from './attestation';
import {
  bytes,
  duration,
  endReason,
  exactTime,
  groupFindings,
  relativeTime,
  runtimeSeconds,
  ruleTitle,
  statusExplanation,
  jobStatusLabel as statusLabel,
  statusTone
} from './format';
import type { JobsPhase } from './model';
import { isScriptPath } from './submission';
import { isFinal, type Job, type JobStatus, type JobVerdict } from './types';

/** What the panel needs beyond the actions: who is signed in, the stream, sign-in. */
export interface IPanelContext {
  actions: DataCleanRoom;
  trans: TranslationBundle;
  signIn: () => void;
  streamState: () => StreamState;
  /** Re-render when these fire. */
  now?: () => number;
}

/** Re-render when a signal-like source changes. */
function useChanges(sources: { connect: (fn: () => void) => unknown; disconnect: (fn: () => void) => unknown }[]): number {
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    const bump = () => setTick(value => value + 1);
    sources.forEach(source => source.connect(bump));
    return () => sources.forEach(source => source.disconnect(bump));
  }, sources);
  return tick;
}

/** Re-render every `ms` (relative times). */
function useClock(ms: number): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function StatusBadge(props: { status: string; trans: TranslationBundle }): JSX.Element {
  return (
    <span
      className="jp-vce-Badge"
      data-tone={statusTone(props.status)}
      data-status={props.status}
      title={statusExplanation(props.status, props.trans)}
    >
      {statusLabel(props.status, props.trans)}
    </span>
  );
}

function Time(props: { iso: string | null | undefined; now: number; trans: TranslationBundle }): JSX.Element | null {
  if (!props.iso) {
    return null;
  }
  return (
    <time dateTime={props.iso} title={exactTime(props.iso)}>
      {relativeTime(props.iso, props.now, props.trans)}
    </time>
  );
}

function Banner(props: { context: IPanelContext }): JSX.Element | null {
  const { actions, trans } = props.context;
  const banner = actions.state.banner;
  if (!banner) {
    return null;
  }
  return (
    <div
      className="jp-vce-Banner"
      data-kind={banner.kind}
      role={banner.kind === 'error' ? 'alert' : 'status'}
    >
      <span className="jp-vce-Banner-text">{banner.text}</span>
      {banner.jobId && actions.state.selected !== banner.jobId && (
        <button className="jp-vce-LinkButton" onClick={() => void actions.open(banner.jobId!)}>
          {trans.__('Show job')}
        </button>
      )}
      <button
        className="jp-vce-LinkButton"
        aria-label={trans.__('Dismiss message')}
        title={trans.__('Dismiss message')}
        onClick={() => (actions.state.banner = null)}
      >
        ×
      </button>
    </div>
  );
}

/** The "Submit" section: the active script, a searchable picker, a drop zone. */
export function SubmitView(props: { context: IPanelContext }): JSX.Element {
  const { actions, trans } = props.context;
  const { state } = actions;
  useChanges([state.changed, actions.model.changed]);
  const [picking, setPicking] = React.useState(false);
  const [scripts, setScripts] = React.useState<string[] | null>(null);
  const [query, setQuery] = React.useState('');
  const [dragging, setDragging] = React.useState(false);
  const signedIn = actions.model.phase !== 'signed-out';
  const chosen = state.chosenPath;
  const current = state.target;
  const submittable = current !== null && isScriptPath(current);
  const busy = state.busy !== null;
  // Why Submit and Test run are disabled, said on the buttons themselves.
  const blocked = !signedIn
    ? trans.__('Sign in to the Virtual Compute Environment first.')
    : current === null
      ? trans.__('Open a script or notebook, choose one from the workspace, or drop one here.')
      : !submittable
        ? trans.__('"%1" is not a Python script (.py) or notebook (.ipynb).', PathExt.basename(current))
        : busy
          ? trans.__('Wait for "%1" to finish.', state.busy)
          : null;

  const openPicker = async () => {
    setPicking(true);
    setScripts(null);
    setScripts(await actions.listScripts());
  };
  const shown = (scripts ?? []).filter(path => path.toLowerCase().includes(query.trim().toLowerCase()));

  const onDrop = (event: React.DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const path = droppedPath(event.dataTransfer);
    if (path) {
      state.chosenPath = path;
      void actions.submit(path);
    } else {
      state.banner = {
        kind: 'error',
        text: trans.__('Drop a .py or .ipynb file from the file browser: files from the computer must be uploaded to the workspace first.')
      };
    }
  };

  return (
    <div
      className={`jp-vce-Submit${dragging ? ' jp-mod-dragging' : ''}`}
      onDragOver={event => {
        if (hasDroppablePath(event.dataTransfer)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Banner context={props.context} />
      {!signedIn && (
        <p className="jp-vce-Hint">
          {trans.__('Sign in to the Virtual Compute Environment to submit scripts.')}{' '}
          <button className="jp-vce-LinkButton" onClick={props.context.signIn}>
            {trans.__('Sign in…')}
          </button>
        </p>
      )}
      <div className="jp-vce-Submit-current" aria-live="polite">
        <span className="jp-vce-Submit-label">{trans.__('Script')}</span>
        {current ? (
          <span className="jp-vce-Submit-path" title={current} data-path={current}>
            {PathExt.basename(current)}
            {!submittable && <span className="jp-vce-Hint jp-vce-Submit-notScript"> {trans.__('(not a .py or .ipynb file)')}</span>}
          </span>
        ) : (
          <span className="jp-vce-Hint">{trans.__('Open a script or notebook, pick one, or drop one here.')}</span>
        )}
        {chosen && (
          <button className="jp-vce-LinkButton" onClick={() => (state.chosenPath = null)} title={trans.__('Use the active document again')}>
            {trans.__('use active')}
          </button>
        )}
      </div>
      <label className="jp-vce-Check">
        <input
          type="checkbox"
          checked={state.withCompanions}
          onChange={event => (state.withCompanions = event.currentTarget.checked)}
        />{' '}
        {trans.__("Include the folder's companion files (modules, small inputs)")}
      </label>
      <div className="jp-vce-Submit-buttons">
        <button
          className="jp-mod-styled jp-mod-accept jp-vce-SubmitButton"
          disabled={blocked !== null}
          onClick={() => current && void actions.submit(current)}
          title={blocked ?? trans.__('Submit the script to run against all public data')}
        >
          {trans.__('Submit…')}
        </button>
        <button
          className="jp-mod-styled jp-vce-TestRunButton"
          disabled={blocked !== null}
          onClick={() => current && void actions.submit(current, { testRun: true })}
          title={blocked ?? trans.__('Run on the test-stage sample and see what the review would say, without releasing anything')}
        >
          {trans.__('Test run…')}
        </button>
        <button
          className="jp-mod-styled jp-vce-PickButton"
          aria-expanded={picking}
          onClick={() => (picking ? setPicking(false) : void openPicker())}
        >
          {picking ? trans.__('Close list') : trans.__('Choose from workspace…')}
        </button>
      </div>
      {busy && (
        <p className="jp-vce-Busy" role="status">
          <span className="jp-vce-Spinner" aria-hidden="true" /> {state.busy}
        </p>
      )}
      {picking && (
        <div className="jp-vce-Picker">
          <input
            className="jp-mod-styled jp-vce-Picker-search"
            type="search"
            placeholder={trans.__('Search scripts')}
            aria-label={trans.__('Search scripts in the workspace')}
            value={query}
            autoFocus
            onChange={event => setQuery(event.currentTarget.value)}
          />
          {scripts === null ? (
            <p className="jp-vce-Hint">{trans.__('Looking for scripts…')}</p>
          ) : shown.length === 0 ? (
            <p className="jp-vce-Hint">
              {scripts.length === 0
                ? trans.__('No .py or .ipynb files in the workspace yet.')
                : trans.__('No script matches "%1".', query)}
            </p>
          ) : (
            <ul className="jp-vce-Picker-list" aria-label={trans.__('Scripts in the workspace')}>
              {shown.map(path => (
                <li key={path}>
                  <button
                    className="jp-vce-Picker-item"
                    aria-pressed={chosen === path}
                    title={path}
                    onClick={() => {
                      state.chosenPath = path;
                      setPicking(false);
                    }}
                  >
                    {path}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <HowAJobRuns trans={trans} />
    </div>
  );
}

/** What a researcher needs to know to write a script for the clean room, folded away. */
function HowAJobRuns(props: { trans: TranslationBundle }): JSX.Element {
  const { trans } = props;
  return (
    <details className="jp-vce-HowItRuns">
      <summary>{trans.__('How a job runs')}</summary>
      <ul>
        <li>{trans.__('Your script runs in a folder of its own against all public data, with no network.')}</li>
        <li>
          <code>client.query_all(…)</code> {trans.__('or')} <code>client.iter_query(…)</code>{' '}
          {trans.__('reads every matching record, page by page (up to 100,000 a page with')} <code>page_size</code>
          {trans.__(');')} <code>client.query(…)</code> {trans.__('reads one page.')}
        </li>
        <li>
          {trans.__('What it writes to')} <code>output/</code> {trans.__('and what it prints are its results.')}{' '}
          {trans.__('They are reviewed before they leave: aggregates only, no ids, usernames or verbatim texts, no small counts.')}
        </li>
        <li>{trans.__('"Test run…" runs it on a test-stage sample and shows what the review would say, releasing nothing.')}</li>
      </ul>
    </details>
  );
}

const FILTERS: { id: string; statuses: JobStatus[] }[] = [
  { id: 'all', statuses: [] },
  { id: 'active', statuses: ['submitted', 'queued', 'running', 'reviewing'] },
  { id: 'approved', statuses: ['approved'] },
  { id: 'rejected', statuses: ['rejected'] },
  { id: 'failed', statuses: ['failed', 'timed_out'] },
  { id: 'cancelled', statuses: ['cancelled'] }
];

function filterLabel(id: string, trans: TranslationBundle): string {
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

function streamLabel(state: StreamState, trans: TranslationBundle): string {
  switch (state) {
    case 'open':
      return trans.__('Live');
    case 'connecting':
      return trans.__('Connecting…');
    case 'waiting':
      return trans.__('Reconnecting…');
    default:
      return trans.__('Not live');
  }
}

function emptyText(phase: JobsPhase, filtered: boolean, trans: TranslationBundle): string {
  if (filtered) {
    return trans.__('No job has this status. Choose "All jobs" to see every job.');
  }
  return trans.__(
    'No jobs yet. Submit a script above: it runs against all public data, its results are reviewed, and only aggregated results come back.'
  );
}

/** The "Jobs" section: the list, or one job's detail. */
export function JobsView(props: { context: IPanelContext; streamChanged: { connect: (fn: () => void) => unknown; disconnect: (fn: () => void) => unknown } }): JSX.Element {
  const { actions, trans } = props.context;
  const { model, state } = actions;
  useChanges([model.changed, state.changed, props.streamChanged]);
  const now = useClock(30_000);
  const selected = state.selected ? model.job(state.selected) : undefined;
  const list = React.useRef<HTMLDivElement>(null);
  const previous = React.useRef<string | null>(null);
  React.useEffect(() => {
    // Back from a job's detail: the focus returns to that job in the list.
    if (state.selected === null && previous.current) {
      list.current?.querySelector<HTMLButtonElement>(`[data-job-id="${previous.current}"] button`)?.focus();
    }
    previous.current = state.selected;
  }, [state.selected]);
  if (state.selected) {
    return selected ? (
      <JobDetail job={selected} context={props.context} now={now} />
    ) : (
      <div className="jp-vce-Detail">
        <button className="jp-mod-styled jp-vce-Back" onClick={() => (state.selected = null)}>
          ← {trans.__('All jobs')}
        </button>
        <p className="jp-vce-Hint">{trans.__('Loading job %1…', state.selected)}</p>
      </div>
    );
  }
  const filterId = FILTERS.find(filter => filter.statuses.join(',') === model.filter.join(','))?.id ?? 'all';
  const stream = props.context.streamState();
  const signedIn = model.phase !== 'signed-out';
  return (
    <div className="jp-vce-Jobs" ref={list}>
      <div className="jp-vce-Jobs-toolbar" hidden={!signedIn}>
        <label className="jp-vce-Jobs-filter">
          <span className="jp-vce-VisuallyHidden">{trans.__('Show')}</span>
          <select
            className="jp-mod-styled"
            aria-label={trans.__('Filter jobs by status')}
            value={filterId}
            onChange={event => {
              const filter = FILTERS.find(item => item.id === event.currentTarget.value)!;
              void model.setFilter(filter.statuses);
            }}
          >
            {FILTERS.map(filter => (
              <option key={filter.id} value={filter.id}>
                {filterLabel(filter.id, trans)}
              </option>
            ))}
          </select>
        </label>
        <span className="jp-vce-Live" data-state={stream} title={trans.__('Job statuses update by themselves while live.')}>
          {streamLabel(stream, trans)}
        </span>
        <button
          className="jp-mod-styled jp-vce-Refresh"
          onClick={() => void model.refresh()}
          aria-label={trans.__('Refresh the jobs')}
          title={trans.__('Refresh the jobs')}
        >
          ⟳
        </button>
      </div>
      {model.phase === 'signed-out' ? (
        <div className="jp-vce-Empty">
          <p>{trans.__('Not signed in: your jobs show here once you sign in with your client key and secret.')}</p>
          <button className="jp-mod-styled jp-mod-accept" onClick={props.context.signIn}>
            {trans.__('Sign in…')}
          </button>
        </div>
      ) : model.phase === 'loading' ? (
        <p className="jp-vce-Hint" role="status">
          <span className="jp-vce-Spinner" aria-hidden="true" /> {trans.__('Loading your jobs…')}
        </p>
      ) : model.phase === 'error' && model.jobs.length === 0 ? (
        <div className="jp-vce-Empty" role="alert">
          <p>{trans.__('The jobs could not be loaded: %1', model.error?.message ?? '')}</p>
          <button className="jp-mod-styled" onClick={() => void model.refresh()}>
            {trans.__('Try again')}
          </button>
        </div>
      ) : model.jobs.length === 0 ? (
        <p className="jp-vce-Empty">{emptyText(model.phase, model.filter.length > 0, trans)}</p>
      ) : (
        <>
          <ul className="jp-vce-JobList" aria-label={trans.__('Jobs, newest first')}>
            {model.jobs.map(job => (
              <li key={job.job_id} className="jp-vce-JobItem" data-job-id={job.job_id} data-status={job.status}>
                <button
                  className="jp-vce-JobItem-button"
                  onClick={() => void actions.open(job.job_id)}
                  aria-label={trans.__('%1, %2, submitted %3', job.entry, statusLabel(job.status, trans), relativeTime(job.created_at, now, trans))}
                >
                  <span className="jp-vce-JobItem-main">
                    <span className="jp-vce-JobItem-file">{PathExt.basename(job.entry)}</span>
                    {job.stage === 'test' && <span className="jp-vce-Tag">{trans.__('Test run')}</span>}
                    <StatusBadge status={job.status} trans={trans} />
                  </span>
                  <span className="jp-vce-JobItem-meta">
                    <span className="jp-vce-JobItem-id">{job.job_id}</span> · <Time iso={job.created_at} now={now} trans={trans} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {model.error && model.phase === 'error' && (
            <p className="jp-vce-Hint" role="alert">
              {trans.__('Could not refresh: %1', model.error.message)}
            </p>
          )}
          {model.hasMore && (
            <button className="jp-mod-styled jp-vce-More" disabled={model.loadingMore} onClick={() => void model.loadMore()}>
              {model.loadingMore ? trans.__('Loading…') : trans.__('Show older jobs')}
            </button>
          )}
        </>
      )}
    </div>
  );
}

function Verdict(props: { verdict: JobVerdict; trans: TranslationBundle }): JSX.Element {
  const { verdict, trans } = props;
  const failed = verdict.findings.filter(finding => finding.severity === 'fail');
  const manual = verdict.findings.filter(finding => finding.severity === 'manual');
  const groups = groupFindings([...failed, ...manual], trans);
  const failedPlaces = groupFindings(failed, trans).length;
  const heading =
    verdict.decision === 'approved'
      ? trans.__('Approved: the results are aggregated.')
      : verdict.decision === 'rejected'
        ? failedPlaces > 1
          ? trans.__('Rejected: the review found %1 problems in %2 places.', failed.length, failedPlaces)
          : trans._n('Rejected: the review found %1 problem.', 'Rejected: the review found %1 problems.', Math.max(failed.length, 1))
        : trans.__('Sent to a reviewer: a person checks what no rule can decide.');
  return (
    <section className="jp-vce-Verdict" data-decision={verdict.decision} aria-label={trans.__('Review verdict')}>
      <h4>{trans.__('Review')}</h4>
      <p className="jp-vce-Verdict-decision">{heading}</p>
      {verdict.decided_by === 'reviewer' && verdict.reviewer_reason && (
        <p className="jp-vce-Verdict-reason">{trans.__('Reviewer: %1', verdict.reviewer_reason)}</p>
      )}
      {groups.length > 0 && (
        <ul className="jp-vce-Findings">
          {groups.map(group => (
            <li key={group.place} className="jp-vce-FindingGroup">
              <div className="jp-vce-Finding-place">{trans.__('Where: %1', group.place)}</div>
              <ul className="jp-vce-FindingGroup-findings">
                {group.findings.map(({ finding, detail }, index) => (
                  <li key={index} className="jp-vce-Finding" data-severity={finding.severity} data-rule={finding.rule}>
                    <div className="jp-vce-Finding-title">
                      <span className="jp-vce-Finding-severity">
                        {finding.severity === 'fail' ? trans.__('Failed') : trans.__('For a reviewer')}
                      </span>{' '}
                      <strong>{ruleTitle(finding.rule, trans)}</strong>
                    </div>
                    {detail && <div className="jp-vce-Finding-detail">{detail}</div>}
                    <div className="jp-vce-Finding-message">{finding.message}</div>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Attestation(props: { check: AttestationCheck | 'checking' | undefined; job: Job; context: IPanelContext }): JSX.Element {
  const { check, job } = props;
  const { actions, trans } = props.context;
  return (
    <section className="jp-vce-Attestation" aria-label={trans.__('Attestation')}>
      <h4>{trans.__('Attestation')}</h4>
      {check === undefined ? (
        <button className="jp-mod-styled jp-vce-Verify" onClick={() => void actions.verify(job.job_id)}>
          {trans.__('Verify attestation')}
        </button>
      ) : check === 'checking' ? (
        <p className="jp-vce-Hint" role="status">{trans.__('Checking the signature…')}</p>
      ) : !check.valid ? (
        <p className="jp-vce-Attestation-result" data-valid="false" role="alert">
          ✗ {check.reason}
        </p>
      ) : (
        <div className="jp-vce-Attestation-result" data-valid={check.problems.length === 0 ? 'true' : 'false'} role="status">
          {check.problems.length === 0 ? (
            <p>
              ✓{' '}
              {check.outputs.some(output => output.matches === true) && check.outputs.every(output => output.matches !== false)
                ? trans.__('Verified: these outputs came from this script (signed by the platform, key %1).', shortKey(check.keyId))
                : trans.__('Verified: the platform signed this job and this script (key %1).', shortKey(check.keyId))}
            </p>
          ) : (
            <ul>
              {check.problems.map(problem => (
                <li key={problem}>✗ {problem}</li>
              ))}
            </ul>
          )}
          {check.outputs.length > 0 && (
            <ul className="jp-vce-Hashes" aria-label={trans.__('Output hashes')}>
              {check.outputs.map(output => (
                <li key={output.name} data-matches={String(output.matches)}>
                  {output.matches === true ? '✓' : output.matches === false ? '✗' : '·'} {output.name}{' '}
                  <code title={output.signed}>{output.signed.slice(0, 12)}…</code>{' '}
                  {output.matches === true
                    ? trans.__('matches the downloaded file')
                    : output.matches === false
                      ? output.downloaded
                        ? trans.__('differs from the downloaded file')
                        : trans.__('missing from the download')
                      : trans.__('download the results to compare')}
                </li>
              ))}
            </ul>
          )}
          <button className="jp-vce-LinkButton" onClick={() => void actions.verify(job.job_id)}>
            {trans.__('Check again')}
          </button>
        </div>
      )}
    </section>
  );
}

/** What a test run's status means: a rehearsal, never released. */
function testRunExplanation(job: Job, trans: TranslationBundle): string {
  switch (job.status) {
    case 'approved':
      return trans.__(
        'Test run on the sample: the review would approve these outputs. On all public data they are larger, and the rules on sizes and row counts may find more. Submit the script for real to run it on all data.'
      );
    case 'rejected':
      return trans.__(
        'Test run on the sample: the review would reject these outputs. Fix what it found below before submitting for real; on all public data, the rules on sizes and row counts may find more.'
      );
    default:
      return trans.__('Test run on the test-stage sample: %1 Nothing is released.', statusExplanation(job.status, trans));
  }
}

function shortKey(keyId: string | null): string {
  return keyId ? `${keyId.slice(0, 10)}…` : '?';
}

function JobDetail(props: { job: Job; context: IPanelContext; now: number }): JSX.Element {
  const { job, now } = props;
  // While the job runs, its runtime counts up every second.
  const tick = useClock(job.status === 'running' ? 1_000 : 3_600_000);
  const runtime = runtimeSeconds(job, tick);
  const { actions, trans } = props.context;
  const busy = actions.state.busy !== null;
  const saved = actions.state.saved(job.job_id);
  const reason = endReason(job, trans);
  const back = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => back.current?.focus(), [job.job_id]);
  const mailed = job.stage !== 'test' && isFinal(job.status);
  React.useEffect(() => {
    if (mailed) {
      void actions.loadMail(job.job_id);
    }
  }, [job.job_id, mailed]);
  const mail = mailed ? actions.state.mail(job.job_id) : null;
  return (
    <div
      className="jp-vce-Detail"
      data-job-id={job.job_id}
      data-status={job.status}
      aria-label={trans.__('Job %1: %2', job.job_id, statusLabel(job.status, trans))}
      onKeyDown={event => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          actions.state.selected = null;
        }
      }}
    >
      <button ref={back} className="jp-mod-styled jp-vce-Back" onClick={() => (actions.state.selected = null)}>
        ← {trans.__('All jobs')}
      </button>
      <h3 className="jp-vce-Detail-title">
        <span>{PathExt.basename(job.entry)}</span> <StatusBadge status={job.status} trans={trans} />
        {job.stage === 'test' && <span className="jp-vce-Tag">{trans.__('Test run')}</span>}
      </h3>
      <p className="jp-vce-Detail-status" aria-live="polite">
        {job.stage === 'test' ? testRunExplanation(job, trans) : statusExplanation(job.status, trans)}
      </p>
      {reason && (
        <p
          className="jp-vce-Detail-reason"
          data-tone={job.status === 'cancelled' ? 'neutral' : 'danger'}
          role={job.status === 'failed' || job.status === 'timed_out' ? 'alert' : undefined}
        >
          {reason}
        </p>
      )}
      {job.verdict && <Verdict verdict={job.verdict} trans={trans} />}
      <dl className="jp-vce-Detail-facts">
        <dt>{trans.__('Job')}</dt>
        <dd>{job.job_id}</dd>
        <dt>{trans.__('Submitted')}</dt>
        <dd><Time iso={job.created_at} now={now} trans={trans} /></dd>
        {job.started_at && (
          <>
            <dt>{trans.__('Started')}</dt>
            <dd><Time iso={job.started_at} now={now} trans={trans} /></dd>
          </>
        )}
        {job.finished_at && (
          <>
            <dt>{trans.__('Finished')}</dt>
            <dd><Time iso={job.finished_at} now={now} trans={trans} /></dd>
          </>
        )}
        {runtime !== null && (
          <>
            <dt>{trans.__('Runtime')}</dt>
            <dd>{duration(runtime)}</dd>
          </>
        )}
        {job.records_read > 0 && (
          <>
            <dt>{trans.__('Records read')}</dt>
            <dd>{job.records_read.toLocaleString()}</dd>
          </>
        )}
        {job.resubmitted_from && (
          <>
            <dt>{trans.__('Resubmitted from')}</dt>
            <dd>
              <button className="jp-vce-LinkButton" onClick={() => void actions.open(job.resubmitted_from!)}>
                {job.resubmitted_from}
              </button>
            </dd>
          </>
        )}
      </dl>
      <div className="jp-vce-Detail-actions">
        {job.status === 'approved' && job.result_available && (
          <>
            <button className="jp-mod-styled jp-mod-accept jp-vce-SaveResults" disabled={busy} onClick={() => void actions.saveToWorkspace(job.job_id)}>
              {trans.__('Download into workspace')}
            </button>
            <button className="jp-mod-styled jp-vce-DownloadResults" disabled={busy} onClick={() => void actions.downloadToComputer(job.job_id)}>
              {trans.__('Download to computer')}
            </button>
          </>
        )}
        {actions.canCancel(job) && (
          <button className="jp-mod-styled jp-mod-warn jp-vce-Cancel" disabled={busy} onClick={() => void actions.cancel(job.job_id)}>
            {trans.__('Cancel job')}
          </button>
        )}
        {isFinal(job.status) && job.stage !== 'test' && (
          <button className="jp-mod-styled jp-vce-Resubmit" disabled={busy} onClick={() => void actions.resubmit(job.job_id)}>
            {trans.__('Resubmit')}
          </button>
        )}
        <button className="jp-mod-styled jp-vce-OpenSubmitted" disabled={busy} onClick={() => void actions.openSubmitted(job.job_id)}>
          {trans.__('View submitted script')}
        </button>
      </div>
      {mail && (
        <p className="jp-vce-Mail">
          {mail.kind === 'approved'
            ? trans.__('The download link was mailed to %1', mail.to)
            : trans.__('The primary researcher (%1) was told by mail', mail.to)}{' '}
          <Time iso={mail.sent_at ?? mail.created_at} now={now} trans={trans} />
          {mail.transport === 'outbox' && mail.file ? trans.__(' (local outbox: %1)', mail.file) : ''}.
        </p>
      )}
      {saved && (
        <p className="jp-vce-Saved" role="status">
          {trans.__('Saved into %1/:', saved.folder)}{' '}
          {saved.files.map(file => file.name).join(', ')}
        </p>
      )}
      {job.outputs.length > 0 && (
        <section aria-label={trans.__('Outputs')}>
          <h4>{trans.__('Outputs')}</h4>
          <ul className="jp-vce-Outputs">
            {job.outputs.map(output => (
              <li key={output.name}>
                {output.name} <span className="jp-vce-Hint">({bytes(output.bytes)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label={trans.__('Timeline')}>
        <h4>{trans.__('Timeline')}</h4>
        <ol className="jp-vce-Timeline">
          {job.history.map((step, index) => (
            <li key={index} data-status={step.status}>
              <StatusBadge status={step.status} trans={trans} /> <Time iso={step.at} now={now} trans={trans} />
              {step.note && <div className="jp-vce-Timeline-note">{step.note}</div>}
            </li>
          ))}
        </ol>
      </section>
      {job.files.length > 1 && (
        <section aria-label={trans.__('Submitted files')}>
          <h4>{trans.__('Submitted files')}</h4>
          <ul className="jp-vce-Outputs">
            {job.files.map(file => (
              <li key={file.name}>
                <button className="jp-vce-LinkButton" onClick={() => void actions.openSubmitted(job.job_id, file.name)}>
                  {file.name}
                </button>{' '}
                <span className="jp-vce-Hint">({bytes(file.bytes)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {isFinal(job.status) && <Attestation check={actions.state.attestation(job.job_id)} job={job} context={props.context} />}
    </div>
  );
}

/** A workspace path dragged from the file browser (or from our own lists). */
export function droppedPath(data: DataTransfer | null): string | null {
  if (!data) {
    return null;
  }
  const candidates = [
    data.getData('text/x-vce-path'),
    data.getData('application/x-jupyter-icontents'),
    data.getData('text/plain')
  ];
  for (const candidate of candidates) {
    const path = candidate?.trim();
    if (path && !path.includes('\n') && !/^[a-z]+:\/\//i.test(path)) {
      return path.replace(/^\/+/, '');
    }
  }
  return null;
}

function hasDroppablePath(data: DataTransfer | null): boolean {
  if (!data) {
    return false;
  }
  const types = Array.from(data.types ?? []);
  return types.some(type => type === 'text/x-vce-path' || type === 'application/x-jupyter-icontents' || type === 'text/plain');
}

/** The sections of the shield panel as widgets. */
export function submitWidget(context: IPanelContext): ReactWidget {
  const widget = ReactWidget.create(<SubmitView context={context} />);
  widget.addClass('jp-vce-SubmitSection');
  widget.title.label = context.trans.__('Submit');
  return widget;
}

export function jobsWidget(
  context: IPanelContext,
  streamChanged: { connect: (fn: () => void) => unknown; disconnect: (fn: () => void) => unknown }
): ReactWidget {
  const widget = ReactWidget.create(<JobsView context={context} streamChanged={streamChanged} />);
  widget.addClass('jp-vce-JobsSection');
  widget.title.label = context.trans.__('Jobs');
  return widget;
}
