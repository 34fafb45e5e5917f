import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { ZipFile } from 'yazl';
import type { OutputFile } from '../jobs/model';

/** What the released zip holds beside the results: the manifest and the attestation. */
export const MANIFEST_NAME = 'manifest.json';
export const ATTESTATION_NAME = 'attestation.jws';
/** The results sit in this folder of the zip, as the script wrote them to output/. */
export const RESULTS_FOLDER = 'results';

export interface ReleaseManifest {
  job_id: string;
  entry: string;
  released_at: string;
  verdict: string;
  files: { name: string; bytes: number; sha256: string }[];
  attestation: string;
  verify: string;
}

/**
 * Write the release zip (results/ with the printed output under results/logs/,
 * manifest.json, attestation.jws) to
 * `target` atomically (a temporary file renamed), and return its SHA-256 and size.
 */
export async function writeReleaseArchive(
  target: string,
  /** Where each output's bytes are (JobPaths.outputSource). */
  sourceOf: (name: string) => string,
  outputs: OutputFile[],
  manifest: ReleaseManifest,
  attestation: string
): Promise<{ sha256: string; bytes: number }> {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const zip = new ZipFile();
  for (const output of outputs) {
    zip.addFile(sourceOf(output.name), `${RESULTS_FOLDER}/${output.name}`);
  }
  zip.addBuffer(
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    MANIFEST_NAME
  );
  zip.addBuffer(Buffer.from(`${attestation}\n`), ATTESTATION_NAME);
  zip.end();
  const hash = createHash('sha256');
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(temporary, { mode: 0o600 });
    zip.outputStream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    zip.outputStream.on('error', reject);
    out.on('error', reject);
    out.on('close', () => resolve());
    zip.outputStream.pipe(out);
  });
  renameSync(temporary, target);
  return { sha256: hash.digest('hex'), bytes };
}
