import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePublicData } from '../../src/data/generate';

describe('generator phase timings (bench/generate.ts)', () => {
  it('reports rows, indexes, keyword index and statistics in order, and leaves the data as they were', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vce-phases-'));
    try {
      const phases: [string, number][] = [];
      generatePublicData(join(dir, 'a.sqlite'), {
        seed: 3,
        videos: 500,
        onPhase: (phase, seconds) => phases.push([phase, seconds])
      });
      generatePublicData(join(dir, 'b.sqlite'), { seed: 3, videos: 500 });
      expect(phases.map(([phase]) => phase)).toEqual([
        'rows',
        'indexes',
        'keyword index',
        'statistics'
      ]);
      for (const [, seconds] of phases) {
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThan(60);
      }
      const digest = (name: string) =>
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex');
      expect(digest('a.sqlite')).toBe(digest('b.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
