/** A reviewer's queue: the jobs in manual review, what the automatic review found, Approve / Reject. */
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { ReviewDecision, ReviewItem, ReviewOutput } from '../../api/types';
import { formatCount } from '../../common/format';
import { useChanges, useClock } from '../../jobs/views/hooks';
import { Time } from '../../jobs/views/parts';
import { Verdict } from '../../jobs/views/Verdict';
import type { ReviewModel } from '../model';
import { OutputList } from './OutputList';
import { RefreshButton } from '../../common/RefreshButton';

export interface IReviewQueueProps {
  model: ReviewModel;
  trans: TranslationBundle;
  /** Open the decision dialog for one job. */
  decide: (job: ReviewItem, decision: ReviewDecision['decision']) => void;
  /** Save one of a job's files into the workspace and open it in the lab. */
  open: (jobId: string, output: ReviewOutput) => void;
}

/** One job waiting for a decision. */
function ReviewCard(props: {
  job: ReviewItem;
  model: ReviewModel;
  busy: boolean;
  now: number;
  trans: TranslationBundle;
  decide: IReviewQueueProps['decide'];
  open: IReviewQueueProps['open'];
}): JSX.Element {
  const { job, trans, busy } = props;
  const name = PathExt.basename(job.entry ?? job.job_id);
  return (
    <li className="jp-vce-ReviewItem" data-job-id={job.job_id} aria-busy={busy}>
      <div className="jp-vce-JobItem-main">
        <span className="jp-vce-JobItem-file" title={job.entry}>
          {name}
        </span>
        <span className="jp-vce-Tag">{trans.__('Manual review')}</span>
      </div>
      <dl className="jp-vce-ReviewItem-facts">
        <dt>{trans.__('Client')}</dt>
        <dd>{job.client_key}</dd>
        <dt>{trans.__('Job')}</dt>
        <dd className="jp-vce-JobItem-id">{job.job_id}</dd>
        {job.created_at && (
          <>
            <dt>{trans.__('Submitted')}</dt>
            <dd>
              <Time iso={job.created_at} now={props.now} trans={trans} />
            </dd>
          </>
        )}
        {typeof job.records_read === 'number' && (
          <>
            <dt>{trans.__('Records read')}</dt>
            <dd>{formatCount(job.records_read)}</dd>
          </>
        )}
      </dl>
      <Verdict verdict={job.verdict} trans={trans} />
      <OutputList
        model={props.model}
        jobId={job.job_id}
        trans={trans}
        open={props.open}
      />
      <div className="jp-vce-Detail-actions">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={busy}
          onClick={() => props.decide(job, 'approve')}
          aria-label={trans.__('Approve %1 (%2)', name, job.job_id)}
        >
          {trans.__('Approve…')}
        </button>
        <button
          className="jp-mod-styled jp-mod-warn"
          disabled={busy}
          onClick={() => props.decide(job, 'reject')}
          aria-label={trans.__('Reject %1 (%2)', name, job.job_id)}
        >
          {trans.__('Reject…')}
        </button>
        {busy && (
          <span className="jp-vce-Busy" role="status">
            <span className="jp-vce-Spinner" aria-hidden="true" />
            {trans.__('Sending the decision…')}
          </span>
        )}
      </div>
    </li>
  );
}

/** The "Manual review" section of the shield panel, for reviewer clients. */
export function ReviewQueueView(props: IReviewQueueProps): JSX.Element {
  const { model, trans } = props;
  useChanges([model.changed]);
  const now = useClock(30_000);
  const jobs = model.jobs;
  return (
    <div className="jp-vce-Jobs jp-vce-Review">
      <div className="jp-vce-Jobs-toolbar">
        <span className="jp-vce-Review-count" role="status">
          {model.phase === 'inactive'
            ? trans.__('Not connected')
            : model.phase === 'loading'
              ? trans.__('Loading the queue…')
              : trans._n(
                  '%1 job waiting for a decision',
                  '%1 jobs waiting for a decision',
                  jobs.length
                )}
        </span>
        <RefreshButton
          label={trans.__('Refresh the review queue')}
          onRefresh={() => void model.refresh()}
        />
      </div>
      <p className="jp-vce-Hint">
        {trans.__(
          'Jobs the automatic review could not decide, oldest first. Read what it found, open the files it read, then approve (the results go to the primary researcher) or reject (with the reason they read).'
        )}
      </p>
      {model.error && (
        <div className="jp-vce-Empty" role="alert">
          <p>
            {trans.__('The review queue could not be read: %1', model.error)}
          </p>
          <button
            className="jp-mod-styled"
            onClick={() => void model.refresh()}
          >
            {trans.__('Try again')}
          </button>
        </div>
      )}
      {model.phase === 'inactive' ? (
        <p className="jp-vce-Empty">
          {trans.__(
            'Not connected to the platform: the queue shows again once the connection is back (the status bar says when the next attempt is).'
          )}
        </p>
      ) : model.phase === 'loading' ? (
        <p className="jp-vce-Hint" role="status">
          <span className="jp-vce-Spinner" aria-hidden="true" />{' '}
          {trans.__('Loading the jobs waiting for a reviewer…')}
        </p>
      ) : jobs.length === 0 && model.phase === 'ready' ? (
        <p className="jp-vce-Empty">
          {trans.__(
            'No job is waiting for a reviewer. New ones show here (the queue is read again every 30 seconds and when you come back to this panel).'
          )}
        </p>
      ) : (
        <ul
          className="jp-vce-JobList"
          aria-label={trans.__('Jobs waiting for a decision, oldest first')}
        >
          {jobs.map(job => (
            <ReviewCard
              key={job.job_id}
              job={job}
              model={model}
              busy={model.isDeciding(job.job_id)}
              now={now}
              trans={trans}
              decide={props.decide}
              open={props.open}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
