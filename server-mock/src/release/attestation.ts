import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject
} from 'node:crypto';
import { join } from 'node:path';
import {
  compactVerify,
  CompactSign,
  exportJWK,
  calculateJwkThumbprint,
  importJWK,
  type JWK
} from 'jose';
import type { JobStage, JobStatus, JobVerdict } from '../jobs/model';
import { sha256Hex } from '../jobs/submission';

/**
 * Signed attestations: every finished job gets a statement signed with the
 * platform's key (a compact JWS, ES256) naming the job, the SHA-256 of each
 * submitted file, the runtime, the SHA-256 of each output and the verdict
 * (docs/contracts.md § Jobs API). The public key is served as a JWKS.
 */

export const ATTESTATION_ALG = 'ES256';
export const ATTESTATION_TYPE = 'vce-attestation+jwt';

/** openapi.yaml `AttestationStatement`: jest checks every attestation the platform serves against it. */
export interface AttestationStatement {
  iss: string;
  iat: number;
  job_id: string;
  /** 'execution' (all data) or 'test' (a test run on the sample; never released). */
  stage: JobStage;
  project_id: string;
  entry: string;
  status: JobStatus;
  verdict: JobVerdict['decision'] | null;
  submitted_files: { name: string; sha256: string }[];
  outputs: { name: string; sha256: string }[];
  runtime: Record<string, unknown>;
  times: {
    submitted_at: string;
    started_at: string | null;
    finished_at: string | null;
  };
}

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: JWK & { kid: string };
}

/** The platform's signing key, created once (0600) and reused across restarts. */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'attestation-private.pem');
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx'
    });
  }
  const privateKey = createPrivateKey(readFileSync(path));
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  return {
    privateKey,
    publicJwk: { ...jwk, kid, alg: ATTESTATION_ALG, use: 'sig' }
  };
}

export async function signStatement(
  key: SigningKey,
  statement: AttestationStatement
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(statement)))
    .setProtectedHeader({
      alg: ATTESTATION_ALG,
      kid: key.publicJwk.kid,
      typ: ATTESTATION_TYPE
    })
    .sign(key.privateKey);
}

export type VerificationResult =
  | { valid: true; statement: AttestationStatement; mismatches: string[] }
  | { valid: false; reason: string };

/**
 * Check a JWS against the platform's published keys and, when given, the
 * downloaded files against the hashes it names: `mismatches` lists every file
 * whose bytes differ or that is missing.
 */
export async function verifyAttestation(
  jws: string,
  jwks: { keys: JWK[] },
  files?: Map<string, Buffer>
): Promise<VerificationResult> {
  let statement: AttestationStatement;
  try {
    const header = JSON.parse(
      Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')
    ) as { kid?: string; alg?: string };
    const jwk = jwks.keys.find(key => key.kid === header.kid);
    if (!jwk) {
      return {
        valid: false,
        reason: `No published key has the id ${header.kid ?? '(none)'}.`
      };
    }
    const { payload } = await compactVerify(
      jws,
      await importJWK(jwk, ATTESTATION_ALG)
    );
    statement = JSON.parse(
      new TextDecoder().decode(payload)
    ) as AttestationStatement;
  } catch (error) {
    return {
      valid: false,
      reason: `The signature does not verify: ${(error as Error).message}`
    };
  }
  const mismatches: string[] = [];
  if (files) {
    for (const output of statement.outputs) {
      const content = files.get(output.name);
      if (!content) {
        mismatches.push(`${output.name}: missing`);
      } else if (sha256Hex(content) !== output.sha256) {
        mismatches.push(`${output.name}: SHA-256 differs`);
      }
    }
  }
  return { valid: true, statement, mismatches };
}
