/** A finished job's attestation: verify the platform's signature and the outputs' hashes. */
import * as React from 'react';
import type { AttestationCheck } from '../attestation';
import type { Job } from '../../api/types';
import type { IPanelContext } from './context';

export function Attestation(props: {
  check: AttestationCheck | 'checking' | undefined;
  job: Job;
  context: IPanelContext;
}): JSX.Element {
  const { check, job } = props;
  const { actions, trans } = props.context;
  return (
    <section
      className="jp-vce-Attestation"
      aria-label={trans.__('Attestation')}
    >
      <h4>{trans.__('Attestation')}</h4>
      {check === undefined ? (
        <button
          className="jp-mod-styled jp-vce-Verify"
          onClick={() => void actions.verify(job.job_id)}
        >
          {trans.__('Verify attestation')}
        </button>
      ) : check === 'checking' ? (
        <p className="jp-vce-Hint" role="status">
          {trans.__('Checking the signature…')}
        </p>
      ) : !check.valid ? (
        <div className="jp-vce-Attestation-result" data-valid="false">
          <p role="alert">✗ {check.reason}</p>
          <button
            className="jp-vce-LinkButton"
            onClick={() => void actions.verify(job.job_id)}
          >
            {trans.__('Check again')}
          </button>
        </div>
      ) : (
        <div
          className="jp-vce-Attestation-result"
          data-valid={check.problems.length === 0 ? 'true' : 'false'}
          role="status"
        >
          {check.problems.length === 0 ? (
            <p>
              ✓{' '}
              {check.outputs.some(output => output.matches === true) &&
              check.outputs.every(output => output.matches !== false)
                ? trans.__(
                    'Verified: these outputs came from this script (signed by the platform, key %1).',
                    shortKey(check.keyId)
                  )
                : trans.__(
                    'Verified: the platform signed this job and this script (key %1).',
                    shortKey(check.keyId)
                  )}
            </p>
          ) : (
            <ul>
              {check.problems.map(problem => (
                <li key={problem}>✗ {problem}</li>
              ))}
            </ul>
          )}
          {check.outputs.length > 0 && (
            <ul
              className="jp-vce-Hashes"
              aria-label={trans.__('Output hashes')}
            >
              {check.outputs.map(output => (
                <li key={output.name} data-matches={String(output.matches)}>
                  {output.matches === true
                    ? '✓'
                    : output.matches === false
                      ? '✗'
                      : '·'}{' '}
                  {output.name}{' '}
                  <code title={output.signed}>
                    {output.signed.slice(0, 12)}…
                  </code>{' '}
                  {output.matches === true
                    ? trans.__('matches the downloaded file')
                    : output.matches === false
                      ? output.downloaded
                        ? trans.__('differs from the downloaded file')
                        : trans.__('missing from the download')
                      : trans.__('download the results to compare')}
                </li>
              ))}
            </ul>
          )}
          <button
            className="jp-vce-LinkButton"
            onClick={() => void actions.verify(job.job_id)}
          >
            {trans.__('Check again')}
          </button>
        </div>
      )}
    </section>
  );
}

function shortKey(keyId: string | null): string {
  return keyId ? `${keyId.slice(0, 10)}…` : '?';
}
