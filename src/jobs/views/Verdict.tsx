/** A job's review verdict: the decision and its findings grouped by place. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import {
  findingMessage,
  groupFindings,
  placeParts,
  ruleTitle,
  verdictHeading
} from '../format';
import type { JobStage, JobVerdict } from '../../api/types';

export function Verdict(props: {
  verdict: JobVerdict;
  trans: TranslationBundle;
  /** A test run's verdict says so in its heading (it is read scrolled away from the title). */
  stage?: JobStage;
}): JSX.Element {
  const { verdict, trans } = props;
  const testRun = props.stage === 'test';
  const failed = verdict.findings.filter(
    finding => finding.severity === 'fail'
  );
  const manual = verdict.findings.filter(
    finding => finding.severity === 'manual'
  );
  const groups = groupFindings([...failed, ...manual], trans);
  const heading = verdictHeading(
    verdict.decision,
    failed.length,
    groupFindings(failed, trans).length,
    testRun,
    trans
  );
  return (
    <section
      className="jp-vce-Verdict"
      data-decision={verdict.decision}
      aria-label={trans.__('Review verdict')}
    >
      <h4>
        {testRun ? trans.__('Review of the test run') : trans.__('Review')}
      </h4>
      <p className="jp-vce-Verdict-decision">{heading}</p>
      {verdict.decided_by === 'reviewer' && verdict.reviewer_reason && (
        <p className="jp-vce-Verdict-reason">
          {trans.__('Reviewer: %1', verdict.reviewer_reason)}
        </p>
      )}
      {groups.length > 0 && (
        <ul className="jp-vce-Findings">
          {groups.map(group => {
            const where = placeParts(group.place);
            return (
              <li key={group.place} className="jp-vce-FindingGroup">
                <div className="jp-vce-Finding-place" title={where.full}>
                  {trans.__('Where:')}{' '}
                  <code className="jp-vce-Finding-file">{where.file}</code>
                  {where.location && (
                    <span className="jp-vce-Finding-location">
                      {', '}
                      {where.location}
                    </span>
                  )}
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
                        {findingMessage(finding)}
                      </div>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
