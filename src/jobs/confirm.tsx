import { ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { bytes } from './format';
import type { IPreparedSubmission } from './submission';

/** What the confirmation dialog says: the file, its size and checksum, and what will happen. */
export function ConfirmSubmission(props: {
  prepared: IPreparedSubmission;
  testRun: boolean;
  email: string | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { prepared, testRun, email, trans } = props;
  const [entry, ...companions] = prepared.files;
  return (
    <div className="jp-vce-Confirm">
      <dl className="jp-vce-Confirm-facts">
        <dt>{trans.__('File')}</dt>
        <dd className="jp-vce-Confirm-file">{prepared.path}</dd>
        <dt>{trans.__('Size')}</dt>
        <dd>{bytes(entry.bytes)}</dd>
        <dt>{trans.__('SHA-256')}</dt>
        <dd>
          <code className="jp-vce-Confirm-sha">{entry.sha256}</code>
        </dd>
        <dt>{trans.__('Companion files')}</dt>
        <dd>
          {companions.length === 0
            ? trans.__('none (the script alone)')
            : trans._n(
                '%1 file, %2 in all',
                '%1 files, %2 in all',
                companions.length,
                bytes(prepared.totalBytes)
              )}
          {companions.length > 0 && (
            <details>
              <summary>{trans.__('Show them')}</summary>
              <ul className="jp-vce-Confirm-companions">
                {companions.map(file => (
                  <li key={file.name}>
                    {file.name} ({bytes(file.bytes)})
                  </li>
                ))}
              </ul>
            </details>
          )}
        </dd>
      </dl>
      {testRun ? (
        <ul className="jp-vce-Confirm-what">
          <li>
            {trans.__(
              "It runs on a random test-stage sample (up to 1,000 records a query, whatever page size the script asks for), not on all public data; the records it reads count toward today's quota."
            )}
          </li>
          <li>
            {trans.__(
              'Its outputs go through the same review, so you see what the review would say on the sample. On all public data the outputs are larger: the rules on sizes and row counts (rows near the records read, table rows, file sizes) may find more.'
            )}
          </li>
          <li>{trans.__('Nothing is released: no download, no email.')}</li>
        </ul>
      ) : (
        <ul className="jp-vce-Confirm-what">
          <li>
            {trans.__(
              'It runs in the trusted environment against all public data.'
            )}
          </li>
          <li>
            {trans.__(
              'The results are reviewed: only aggregated results may leave.'
            )}
          </li>
          <li>
            {email
              ? trans.__(
                  'Once approved, a download link goes to the primary researcher: %1.',
                  email
                )
              : trans.__(
                  "Once approved, a download link goes to the primary researcher's email."
                )}
          </li>
        </ul>
      )}
    </div>
  );
}

export function confirmBody(
  prepared: IPreparedSubmission,
  options: { testRun: boolean; email: string | null; trans: TranslationBundle }
): ReactWidget {
  return ReactWidget.create(
    <ConfirmSubmission prepared={prepared} {...options} />
  );
}
