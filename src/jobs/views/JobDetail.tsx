/** One job's detail: its status, verdict, facts, actions, outputs, timeline and attestation. */
import { PathExt } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { formatDuration } from '../../common/format';
import {
  bytes,
  endReason,
  jobStatusLabel,
  runtimeSeconds,
  statusExplanation
} from '../format';
import type { Job } from '../../api/types';
import { isFinal } from '../statuses';
import { Attestation } from './Attestation';
import { ErrorReport } from './ErrorReport';
import type { IPanelContext } from './context';
import { useClock } from './hooks';
import { StatusBadge, Time } from './parts';
import { Verdict } from './Verdict';

/**
 * What a test run's status means: a rehearsal, never released. The ending's
 * reason may say that nothing was released already: then it is not said twice.
 */
export function testRunExplanation(
  job: Job,
  reason: string,
  trans: TranslationBundle
): string {
  const saysReleased = /\breleased\b/i.test(reason);
  const ended = (sentence: string) =>
    saysReleased
      ? sentence
      : trans.__('%1 Nothing is released from a test run.', sentence);
  switch (job.status) {
    case 'approved':
      return trans.__(
        'Test run on the sample: the review would approve these outputs. On all public data they are larger, and the rules on sizes and row counts may find more. Submit the script for real to run it on all data.'
      );
    case 'rejected':
      return trans.__(
        'Test run on the sample: the review would reject these outputs. Fix what it found below before submitting for real; on all public data, the rules on sizes and row counts may find more.'
      );
    case 'running':
      return trans.__(
        "Test run: the script runs on the test-stage sample (up to 1,000 records a query); what it reads counts toward today's quota. Nothing is released from a test run."
      );
    case 'failed':
      return ended(trans.__('Test run: the script stopped with an error.'));
    case 'timed_out':
      return ended(trans.__('Test run: the script ran past the time limit.'));
    case 'cancelled':
      return ended(trans.__('Test run cancelled.'));
    default:
      return trans.__(
        'Test run on the test-stage sample: %1 Nothing is released from a test run.',
        statusExplanation(job.status, trans)
      );
  }
}

export function JobDetail(props: {
  job: Job;
  context: IPanelContext;
  now: number;
}): JSX.Element {
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
      aria-label={trans.__(
        'Job %1: %2',
        job.job_id,
        jobStatusLabel(job.status, trans)
      )}
      onKeyDown={event => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          actions.state.selected = null;
        }
      }}
    >
      <button
        ref={back}
        className="jp-mod-styled jp-vce-Back"
        onClick={() => (actions.state.selected = null)}
      >
        ← {trans.__('All jobs')}
      </button>
      <h3 className="jp-vce-Detail-title">
        <span>{PathExt.basename(job.entry)}</span>{' '}
        <StatusBadge status={job.status} trans={trans} />
        {job.stage === 'test' && (
          <span className="jp-vce-Tag">{trans.__('Test run')}</span>
        )}
      </h3>
      <p className="jp-vce-Detail-status" aria-live="polite">
        {job.stage === 'test'
          ? testRunExplanation(job, reason, trans)
          : statusExplanation(job.status, trans)}
      </p>
      {reason && (
        <p
          className="jp-vce-Detail-reason"
          data-tone={job.status === 'cancelled' ? 'neutral' : 'danger'}
          role={
            job.status === 'failed' || job.status === 'timed_out'
              ? 'alert'
              : undefined
          }
        >
          {reason}
        </p>
      )}
      {job.error_report && (
        <ErrorReport report={job.error_report} trans={trans} />
      )}
      {job.verdict && (
        <Verdict verdict={job.verdict} trans={trans} stage={job.stage} />
      )}
      <dl className="jp-vce-Detail-facts">
        <dt>{trans.__('Job')}</dt>
        <dd>{job.job_id}</dd>
        <dt>{trans.__('Submitted')}</dt>
        <dd>
          <Time iso={job.created_at} now={now} trans={trans} />
        </dd>
        {job.started_at && (
          <>
            <dt>{trans.__('Started')}</dt>
            <dd>
              <Time iso={job.started_at} now={now} trans={trans} />
            </dd>
          </>
        )}
        {job.finished_at && (
          <>
            <dt>{trans.__('Finished')}</dt>
            <dd>
              <Time iso={job.finished_at} now={now} trans={trans} />
            </dd>
          </>
        )}
        {runtime !== null && (
          <>
            <dt>{trans.__('Runtime')}</dt>
            <dd>{formatDuration(runtime * 1000, trans, 'runtime')}</dd>
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
              <button
                className="jp-vce-LinkButton"
                onClick={() => void actions.open(job.resubmitted_from!)}
              >
                {job.resubmitted_from}
              </button>
            </dd>
          </>
        )}
      </dl>
      <div className="jp-vce-Detail-actions">
        {job.status === 'approved' && job.result_available && (
          <>
            <button
              className="jp-mod-styled jp-mod-accept jp-vce-SaveResults"
              disabled={busy}
              onClick={() => void actions.saveToWorkspace(job.job_id)}
            >
              {trans.__('Download into workspace')}
            </button>
            <button
              className="jp-mod-styled jp-vce-DownloadResults"
              disabled={busy}
              onClick={() => void actions.downloadToComputer(job.job_id)}
            >
              {trans.__('Download to computer')}
            </button>
          </>
        )}
        {actions.canCancel(job) && (
          <button
            className="jp-mod-styled jp-mod-warn jp-vce-Cancel"
            disabled={busy}
            onClick={() => void actions.cancel(job.job_id)}
          >
            {trans.__('Cancel job')}
          </button>
        )}
        {isFinal(job.status) && job.stage !== 'test' && (
          <button
            className="jp-mod-styled jp-vce-Resubmit"
            disabled={busy}
            onClick={() => void actions.resubmit(job.job_id)}
          >
            {trans.__('Resubmit')}
          </button>
        )}
        <button
          className="jp-mod-styled jp-vce-OpenSubmitted"
          disabled={busy}
          onClick={() => void actions.openSubmitted(job.job_id)}
        >
          {trans.__('View submitted script')}
        </button>
      </div>
      {mail && (
        <p className="jp-vce-Mail">
          {mail.kind === 'approved'
            ? trans.__('The download link was mailed to %1', mail.to)
            : trans.__(
                'The primary researcher (%1) was told by mail',
                mail.to
              )}{' '}
          <Time iso={mail.sent_at ?? mail.created_at} now={now} trans={trans} />
          .{' '}
          {actions.canOpenMail && (
            <button
              className="jp-mod-styled jp-mod-minimal jp-vce-OpenMail"
              onClick={() => actions.openMail(job.job_id)}
            >
              {trans.__('Open mail')}
            </button>
          )}
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
                {output.name}{' '}
                <span className="jp-vce-Hint">({bytes(output.bytes)})</span>
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
              <StatusBadge status={step.status} trans={trans} />{' '}
              <Time iso={step.at} now={now} trans={trans} />
              {step.note && (
                <div className="jp-vce-Timeline-note">{step.note}</div>
              )}
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
                <button
                  className="jp-vce-LinkButton"
                  onClick={() =>
                    void actions.openSubmitted(job.job_id, file.name)
                  }
                >
                  {file.name}
                </button>{' '}
                <span className="jp-vce-Hint">({bytes(file.bytes)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {isFinal(job.status) && (
        <Attestation
          check={actions.state.attestation(job.job_id)}
          job={job}
          context={props.context}
        />
      )}
    </div>
  );
}
