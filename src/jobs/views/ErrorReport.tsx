/** A failed job's error beyond its type and line: the exception's message and stderr's last lines, as the review let them through. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import type { JobErrorReport } from '../../api/types';
import { withheldText } from '../format';

export function ErrorReport(props: {
  report: JobErrorReport;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { report, trans } = props;
  const hasMessage = report.message !== null || report.message_withheld;
  const hasStderr = report.stderr_tail.length > 0 || report.stderr_withheld;
  if (!hasMessage && !hasStderr) {
    return null;
  }
  return (
    <section
      className="jp-vce-ErrorReport"
      aria-label={trans.__('Error details')}
    >
      {report.message !== null && (
        <>
          <h4>{trans.__('Error message')}</h4>
          <pre className="jp-vce-ErrorReport-message">{report.message}</pre>
        </>
      )}
      {report.message === null && report.message_withheld && (
        <p className="jp-vce-ErrorReport-withheld">
          {trans.__(
            'The error message is %1.',
            withheldText(report.message_withheld)
          )}
        </p>
      )}
      {report.stderr_tail.length > 0 && (
        <details className="jp-vce-ErrorReport-stderr" open>
          <summary>
            {trans._n(
              'Last line of stderr',
              'Last %1 lines of stderr',
              report.stderr_tail.length
            )}
          </summary>
          <pre>{report.stderr_tail.join('\n')}</pre>
        </details>
      )}
      {report.stderr_tail.length === 0 && report.stderr_withheld && (
        <p className="jp-vce-ErrorReport-withheld">
          {trans.__(
            'The last lines of stderr are %1.',
            withheldText(report.stderr_withheld)
          )}
        </p>
      )}
    </section>
  );
}
