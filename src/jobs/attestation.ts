import type { JSONWebKeySet } from 'jose';
import type { components } from '../api/platform';
import type { IJwks, Job } from '../api/types';

/**
 * What the platform signs for every finished job (docs/contracts.md §
 * Jobs API): the contract's `AttestationStatement` (server-mock/openapi.yaml).
 */
export type IAttestationStatement =
  components['schemas']['AttestationStatement'];

/** One output's hash as signed, and as found in the downloaded files. */
export interface IOutputCheck {
  name: string;
  signed: string;
  /** The downloaded file's SHA-256, or null when it was not downloaded (or is missing). */
  downloaded: string | null;
  matches: boolean | null;
}

export type AttestationCheck =
  | {
      valid: true;
      keyId: string | null;
      statement: IAttestationStatement;
      /** Problems with what the signature covers: another job, other script hashes. */
      problems: string[];
      outputs: IOutputCheck[];
    }
  | { valid: false; reason: string };

/**
 * Verify a job's attestation (compact JWS, ES256) against the platform's
 * published keys with `jose`, check that it names this job and the script as
 * submitted, and compare each signed output hash with the downloaded files'.
 * `jose` loads at the first verification (it is not needed before).
 *
 * @param downloaded SHA-256 of downloaded result files by output name, if any.
 */
export async function verifyAttestation(
  jws: string,
  jwks: IJwks,
  job: Pick<Job, 'job_id' | 'files'>,
  downloaded?: Map<string, string>
): Promise<AttestationCheck> {
  const { compactVerify, createLocalJWKSet, decodeProtectedHeader } =
    await import('jose');
  let statement: IAttestationStatement;
  let keyId: string | null = null;
  try {
    keyId = decodeProtectedHeader(jws).kid ?? null;
    const keys = createLocalJWKSet(jwks as JSONWebKeySet);
    const { payload } = await compactVerify(jws, keys, {
      algorithms: ['ES256']
    });
    statement = JSON.parse(
      new TextDecoder().decode(payload)
    ) as IAttestationStatement;
  } catch (error) {
    const message = (error as Error).message || String(error);
    return {
      valid: false,
      reason: `The signature does not verify with the platform's published key: ${message}`
    };
  }
  const problems: string[] = [];
  if (statement.job_id !== job.job_id) {
    problems.push(
      `The attestation names job ${statement.job_id}, not ${job.job_id}.`
    );
  }
  const signedFiles = new Map(
    (statement.submitted_files ?? []).map(file => [file.name, file.sha256])
  );
  for (const file of job.files) {
    const signed = signedFiles.get(file.name);
    if (signed !== file.sha256) {
      problems.push(
        signed
          ? `The submitted ${file.name} differs from the one signed.`
          : `The submitted ${file.name} is not named in the attestation.`
      );
    }
  }
  const outputs = (statement.outputs ?? []).map(output => {
    const found = downloaded?.get(output.name) ?? null;
    return {
      name: output.name,
      signed: output.sha256,
      downloaded: found,
      matches: downloaded ? found === output.sha256 : null
    };
  });
  return { valid: true, keyId, statement, problems, outputs };
}

/** Output hashes by output name, from files saved under `results/` of a results zip. */
export function downloadedOutputs(
  files: { name: string; sha256: string }[]
): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of files) {
    if (file.name.startsWith('results/')) {
      map.set(file.name.slice('results/'.length), file.sha256);
    }
  }
  return map;
}
