/** The files the review read of one job in the queue: name, size, the findings on each, Open. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { ReviewOutput } from '../../api/types';
import { bytes } from '../../jobs/format';
import type { ReviewModel } from '../model';

export interface IOutputListProps {
  model: ReviewModel;
  jobId: string;
  trans: TranslationBundle;
  /** Save the file into the workspace and show it in the lab's viewer. */
  open: (jobId: string, output: ReviewOutput) => void;
}

/** One file: what it is, what the review found in it, and the button to look at it. */
function OutputRow(props: IOutputListProps & { output: ReviewOutput }) {
  const { model, jobId, output, trans } = props;
  const opening = model.isOpening(jobId, output.name);
  const error = model.openError(jobId, output.name);
  const errorId = `jp-vce-review-${jobId}-${output.sha256.slice(0, 12)}-error`;
  return (
    <li
      className="jp-vce-ReviewFile"
      data-name={output.name}
      aria-busy={opening}
    >
      <div className="jp-vce-ReviewFile-main">
        <span className="jp-vce-ReviewFile-name" title={output.name}>
          {output.name}
        </span>
        <span className="jp-vce-ReviewFile-size">{bytes(output.bytes)}</span>
        <button
          className="jp-mod-styled jp-vce-ReviewFile-open"
          disabled={opening}
          onClick={() => props.open(jobId, output)}
          aria-label={trans.__('Open %1 of job %2', output.name, jobId)}
          aria-describedby={error ? errorId : undefined}
        >
          {opening ? trans.__('Opening…') : trans.__('Open')}
        </button>
      </div>
      {output.findings.length > 0 ? (
        <ul
          className="jp-vce-ReviewFile-findings"
          aria-label={trans.__('What the review found in %1', output.name)}
        >
          {output.findings.map((finding, index) => (
            <li
              key={index}
              className="jp-vce-ReviewFile-finding"
              data-rule={finding.rule}
              data-severity={finding.severity}
            >
              {finding.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="jp-vce-ReviewFile-clean">
          {trans.__('No finding on this file.')}
        </p>
      )}
      {error && (
        <p id={errorId} className="jp-vce-ReviewFile-error" role="alert">
          {trans.__('%1 could not be opened: %2', output.name, error)}
        </p>
      )}
    </li>
  );
}

/** The files of one job, loaded with the queue (they do not change while it waits). */
export function OutputList(props: IOutputListProps): JSX.Element {
  const { model, jobId, trans } = props;
  const outputs = model.outputsOf(jobId);
  const heading = `jp-vce-review-${jobId}-files`;
  return (
    <section className="jp-vce-ReviewFiles" aria-labelledby={heading}>
      <h4 id={heading} className="jp-vce-ReviewFiles-title">
        {trans.__('Files the review read')}
      </h4>
      {outputs === null || outputs.state === 'loading' ? (
        <p className="jp-vce-Hint" role="status">
          {trans.__('Listing the files…')}
        </p>
      ) : outputs.state === 'error' ? (
        <div role="alert">
          <p>{trans.__('The files could not be listed: %1', outputs.error)}</p>
          <button
            className="jp-mod-styled"
            onClick={() => void model.loadOutputs(jobId)}
          >
            {trans.__('List the files again')}
          </button>
        </div>
      ) : outputs.files.length === 0 ? (
        <p className="jp-vce-Hint">
          {trans.__('The job wrote no file and printed nothing.')}
        </p>
      ) : (
        <ul className="jp-vce-ReviewFiles-list">
          {outputs.files.map(output => (
            <OutputRow key={output.name} {...props} output={output} />
          ))}
        </ul>
      )}
    </section>
  );
}
