/** The "Jobs" section: the list with its filter and live state, or one job's detail. */
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { StreamState } from '../../events/stream';
import { exactTime, jobStatusLabel, relativeTime } from '../format';
import type { JobsPhase } from '../model';
import type { IPanelContext } from './context';
import { filterLabel, FILTERS } from './filters';
import { useChanges, useClock } from './hooks';
import { JobDetail } from './JobDetail';
import {
  jobItemTooltip,
  nameParts,
  shortJobId,
  submittedAt
} from './list-item';
import { StatusBadge } from './parts';
import { RefreshButton } from '../../common/RefreshButton';
import { Select } from '../../common/Select';

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

function emptyText(
  phase: JobsPhase,
  filtered: boolean,
  trans: TranslationBundle
): string {
  if (filtered) {
    return trans.__(
      'No job has this status. Choose "All jobs" to see every job.'
    );
  }
  return trans.__(
    'No jobs yet. Submit a script above: it runs against all public data, its results are reviewed, and only aggregated results come back.'
  );
}

/** The "Jobs" section: the list, or one job's detail. */
export function JobsView(props: {
  context: IPanelContext;
  streamChanged: {
    connect: (fn: () => void) => unknown;
    disconnect: (fn: () => void) => unknown;
  };
}): JSX.Element {
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
      list.current
        ?.querySelector<HTMLButtonElement>(
          `[data-job-id="${previous.current}"] button`
        )
        ?.focus();
    }
    previous.current = state.selected;
  }, [state.selected]);
  if (state.selected) {
    return selected ? (
      <JobDetail job={selected} context={props.context} now={now} />
    ) : (
      <div className="jp-vce-Detail">
        <button
          className="jp-mod-styled jp-vce-Back"
          onClick={() => (state.selected = null)}
        >
          ← {trans.__('All jobs')}
        </button>
        {model.phase === 'signed-out' ? (
          <div className="jp-vce-Empty">
            <p>
              {trans.__(
                'Not signed in: job %1 shows here again once you sign in.',
                state.selected
              )}
            </p>
            <button
              className="jp-mod-styled jp-mod-accept"
              onClick={props.context.signIn}
            >
              {trans.__('Sign in…')}
            </button>
          </div>
        ) : (
          <p className="jp-vce-Hint">
            {trans.__('Loading job %1…', state.selected)}
          </p>
        )}
      </div>
    );
  }
  const filterId =
    FILTERS.find(filter => filter.statuses.join(',') === model.filter.join(','))
      ?.id ?? 'all';
  const stream = props.context.streamState();
  const signedIn = model.phase !== 'signed-out';
  return (
    <div className="jp-vce-Jobs" ref={list}>
      <div className="jp-vce-Jobs-toolbar" hidden={!signedIn}>
        <label className="jp-vce-Jobs-filter">
          <span className="jp-vce-VisuallyHidden">{trans.__('Show')}</span>
          <Select
            className="jp-vce-Jobs-filterSelect"
            aria-label={trans.__('Filter jobs by status')}
            value={filterId}
            onChange={event => {
              const filter = FILTERS.find(
                item => item.id === event.currentTarget.value
              )!;
              void model.setFilter(filter.statuses);
            }}
          >
            {FILTERS.map(filter => (
              <option key={filter.id} value={filter.id}>
                {filterLabel(filter.id, trans)}
              </option>
            ))}
          </Select>
        </label>
        <span
          className="jp-vce-Live"
          data-state={stream}
          title={trans.__('Job statuses update by themselves while live.')}
        >
          {streamLabel(stream, trans)}
        </span>
        <RefreshButton
          label={trans.__('Refresh the jobs')}
          onRefresh={() => void model.refresh()}
        />
      </div>
      {model.phase === 'signed-out' ? (
        <div className="jp-vce-Empty">
          <p>
            {trans.__(
              'Not signed in: your jobs show here once you sign in with your client key and secret.'
            )}
          </p>
          <button
            className="jp-mod-styled jp-mod-accept"
            onClick={props.context.signIn}
          >
            {trans.__('Sign in…')}
          </button>
        </div>
      ) : model.phase === 'loading' ? (
        <p className="jp-vce-Hint" role="status">
          <span className="jp-vce-Spinner" aria-hidden="true" />{' '}
          {trans.__('Loading your jobs…')}
        </p>
      ) : model.phase === 'error' && model.jobs.length === 0 ? (
        <div className="jp-vce-Empty" role="alert">
          <p>
            {trans.__(
              'The jobs could not be loaded: %1',
              model.error?.message ?? ''
            )}
          </p>
          <button
            className="jp-mod-styled"
            onClick={() => void model.refresh()}
          >
            {trans.__('Try again')}
          </button>
        </div>
      ) : model.jobs.length === 0 ? (
        <p className="jp-vce-Empty">
          {emptyText(model.phase, model.filter.length > 0, trans)}
        </p>
      ) : (
        <>
          <ul
            className="jp-vce-JobList"
            aria-label={trans.__('Jobs, newest first')}
          >
            {model.jobs.map(job => (
              <li
                key={job.job_id}
                className="jp-vce-JobItem"
                data-job-id={job.job_id}
                data-status={job.status}
              >
                <button
                  className="jp-vce-JobItem-button"
                  onClick={() => void actions.open(job.job_id)}
                  title={jobItemTooltip(job, trans)}
                  aria-label={trans.__(
                    '%1%2, %3, submitted %4 (%5), id %6',
                    job.entry,
                    job.stage === 'test' ? ` (${trans.__('test run')})` : '',
                    jobStatusLabel(job.status, trans),
                    submittedAt(job.created_at, now),
                    relativeTime(job.created_at, now, trans),
                    shortJobId(job.job_id)
                  )}
                >
                  <span className="jp-vce-JobItem-main">
                    <span className="jp-vce-JobItem-file">
                      {nameParts(PathExt.basename(job.entry)).map(
                        (part, at) => (
                          <React.Fragment key={at}>
                            {at > 0 && <wbr />}
                            {part}
                          </React.Fragment>
                        )
                      )}
                    </span>
                    <StatusBadge status={job.status} trans={trans} />
                  </span>
                  <span className="jp-vce-JobItem-meta">
                    <time
                      className="jp-vce-JobItem-time"
                      dateTime={job.created_at}
                      title={exactTime(job.created_at)}
                    >
                      {submittedAt(job.created_at, now)}
                    </time>
                    <span className="jp-vce-JobItem-ago">
                      {relativeTime(job.created_at, now, trans)}
                    </span>
                    <span className="jp-vce-JobItem-id">
                      {shortJobId(job.job_id)}
                    </span>
                    {job.stage === 'test' && (
                      <span className="jp-vce-Tag">{trans.__('Test run')}</span>
                    )}
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
            <button
              className="jp-mod-styled jp-vce-More"
              disabled={model.loadingMore}
              onClick={() => void model.loadMore()}
            >
              {model.loadingMore
                ? trans.__('Loading…')
                : trans.__('Show older jobs')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
