/** The folded guide under Submit: what a job can do and what comes back. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

/** What a researcher needs to know to write a script for the clean room, folded away. */
export function HowAJobRuns(props: { trans: TranslationBundle }): JSX.Element {
  const { trans } = props;
  return (
    <details className="jp-vce-HowItRuns">
      <summary>{trans.__('How a job runs')}</summary>
      <ul>
        <li>
          {trans.__(
            'Your script runs in a folder of its own against all public data, with no network.'
          )}
        </li>
        <li>
          <code>client.query_all(…)</code> {trans.__('or')}{' '}
          <code>client.iter_query(…)</code>{' '}
          {trans.__(
            'reads every matching record, page by page (up to 100,000 a page with'
          )}{' '}
          <code>page_size</code>
          {trans.__(');')} <code>client.query(…)</code>{' '}
          {trans.__('reads one page.')}
        </li>
        <li>
          {trans.__('What it writes to')} <code>output/</code>{' '}
          {trans.__('and what it prints are its results.')}{' '}
          {trans.__(
            'They are reviewed before they leave: aggregates only, no ids, usernames or verbatim texts, no small counts.'
          )}
        </li>
        <li>
          {trans.__(
            '"Test run…" runs the same script, page sizes and all, on the test-stage sample (up to 1,000 records a query) and shows what the review would say, releasing nothing.'
          )}
        </li>
      </ul>
    </details>
  );
}
