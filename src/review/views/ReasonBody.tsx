/** The decision dialog's body: the job in one line and the reason the researcher reads. */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { ReviewDecision, ReviewItem } from '../../api/types';
import { MAX_REASON } from '../model';

export interface IReasonFormProps {
  job: ReviewItem;
  decision: ReviewDecision['decision'];
  initial: string;
  error: string | null;
  trans: TranslationBundle;
  onChange: (reason: string) => void;
}

export const REASON_FIELD_ID = 'jp-vce-review-reason';

/** The reason, required to reject (the researcher fixes the script from it). */
export function ReasonForm(props: IReasonFormProps): JSX.Element {
  const { job, decision, trans } = props;
  const [reason, setReason] = React.useState(props.initial);
  const left = MAX_REASON - reason.trim().length;
  return (
    <form
      className="jp-vce-ReasonForm"
      onSubmit={event => event.preventDefault()}
    >
      <p className="jp-vce-ReasonForm-job">
        {trans.__(
          '%1 (%2), submitted by client %3.',
          job.entry ?? job.job_id,
          job.job_id,
          job.client_key
        )}
      </p>
      <p className="jp-vce-ReasonForm-help">
        {decision === 'reject'
          ? trans.__(
              'Rejecting releases nothing. Say what is disclosive and how to fix it: the researcher reads this with the decision.'
            )
          : trans.__(
              'Approving releases the results to the primary researcher. The reason is optional: the researcher reads it with the results.'
            )}
      </p>
      <label className="jp-vce-ReasonForm-label" htmlFor={REASON_FIELD_ID}>
        {decision === 'reject'
          ? trans.__('Reason (required)')
          : trans.__('Reason (optional)')}
      </label>
      <textarea
        id={REASON_FIELD_ID}
        className="jp-mod-styled jp-vce-ReasonForm-text"
        rows={5}
        required={decision === 'reject'}
        aria-invalid={props.error !== null}
        aria-describedby="jp-vce-review-reason-count"
        value={reason}
        onChange={event => {
          setReason(event.target.value);
          props.onChange(event.target.value);
        }}
      />
      <span
        id="jp-vce-review-reason-count"
        className="jp-vce-ReasonForm-count"
        data-over={left < 0}
      >
        {trans.__('%1 characters left', left.toLocaleString('en-US'))}
      </span>
      {props.error && (
        <p className="jp-vce-ReasonForm-error" role="alert">
          {props.error}
        </p>
      )}
    </form>
  );
}

/** A `Dialog` body whose value is the reason as typed. */
export class ReasonBody
  extends ReactWidget
  implements Dialog.IBodyWidget<string>
{
  constructor(private readonly _props: Omit<IReasonFormProps, 'onChange'>) {
    super();
    this._reason = _props.initial;
    this.addClass('jp-vce-ReasonBody');
  }

  getValue(): string {
    return this._reason;
  }

  protected render(): JSX.Element {
    return (
      <ReasonForm
        {...this._props}
        onChange={reason => (this._reason = reason)}
      />
    );
  }

  private _reason: string;
}
