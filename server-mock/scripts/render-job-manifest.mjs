// Writes docs/scaling/clean-room-job.yaml and docs/scaling/clean-room-job.sbatch:
// the Kubernetes objects and the Slurm batch script the example job of
// docs/scaling.md gets from the generators (src/runner/kubernetes-job.ts,
// src/runner/slurm-job.ts). Run from server-mock/ after changing them:
//   npx tsx scripts/render-job-manifest.mjs
// test/runner/cluster-example.test.ts fails while the files are not current.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderExamples } from '../test/runner/cluster-example.ts';

const docs = resolve(import.meta.dirname, '..', '..', 'docs', 'scaling');
for (const [name, text] of Object.entries(renderExamples())) {
  writeFileSync(resolve(docs, name), text);
  console.log(`wrote ${resolve(docs, name)}`);
}
