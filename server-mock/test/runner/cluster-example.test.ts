import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderExamples } from './cluster-example';

/** docs/scaling/ shows what the generators make: the files must be their current output. */
describe('docs/scaling examples', () => {
  const docs = resolve(__dirname, '..', '..', '..', 'docs', 'scaling');
  for (const [name, text] of Object.entries(renderExamples())) {
    it(`${name} is current (else: cd server-mock && npx tsx scripts/render-job-manifest.mjs)`, () => {
      expect(readFileSync(resolve(docs, name), 'utf8')).toBe(text);
    });
  }
});
