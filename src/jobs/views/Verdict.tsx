/** A job's review verdict: the decision and its findings grouped by place. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { groupFindings, ruleTitle } from '../format';
import type { JobVerdict } from '../../api/types';

export function Verdict(props: {
  verdict: JobVerdict;
  trans: TranslationBundle;
}): JSX.Element {
  const { verdict, trans } = props;
  const failed = verdict.findings.filter(
    finding => finding.severity === 'fail'
  );
  const manual = verdict.findings.filter(
    finding => finding.severity === 'manual'
  );
  const groups = groupFindings([...failed, ...manual], trans);
  const failedPlaces = groupFindings(failed, trans).length;
  const heading =
    verdict.decision === 'approved'
      ? trans.__('Approved: the results are aggregated.')
      : verdict.decision === 'rejected'
        ? failedPlaces > 1
          ? trans.__(
              'Rejected: the review found %1 problems in %2 places.',
              failed.length,
              failedPlaces
            )
          : trans._n(
              'Rejected: the review found %1 problem.',
              'Rejected: the review found %1 problems.',
              Math.max(failed.length, 1)
            )
        : trans.__(
            'Sent to a reviewer: a person checks what no rule can decide.'
          );
  return (
    <section
      className="jp-vce-Verdict"
      data-decision={verdict.decision}
      aria-label={trans.__('Review verdict')}
    >
      <h4>{trans.__('Review')}</h4>
      <p className="jp-vce-Verdict-decision">{heading}</p>
      {verdict.decided_by === 'reviewer' && verdict.reviewer_reason && (
        <p className="jp-vce-Verdict-reason">
          {trans.__('Reviewer: %1', verdict.reviewer_reason)}
        </p>
      )}
      {groups.length > 0 && (
        <ul className="jp-vce-Findings">
          {groups.map(group => (
            <li key={group.place} className="jp-vce-FindingGroup">
              <div className="jp-vce-Finding-place">
                {trans.__('Where: %1', group.place)}
              </div>
              <ul className="jp-vce-FindingGroup-findings">
                {group.findings.map(({ finding, detail }, index) => (
                  <li
                    key={index}
                    className="jp-vce-Finding"
                    data-severity={finding.severity}
                    data-rule={finding.rule}
                  >
                    <div className="jp-vce-Finding-title">
                      <span className="jp-vce-Finding-severity">
                        {finding.severity === 'fail'
                          ? trans.__('Failed')
                          : trans.__('For a reviewer')}
                      </span>{' '}
                      <strong>{ruleTitle(finding.rule, trans)}</strong>
                    </div>
                    {detail && (
                      <div className="jp-vce-Finding-detail">{detail}</div>
                    )}
                    <div className="jp-vce-Finding-message">
                      {finding.message}
                    </div>
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
