/**
 * The bench's statistics: quantiles, and a seeded bootstrap of the ratio of
 * two medians (percentile interval). Pure.
 */
import { mulberry32 } from '../../server-mock/src/query/mulberry32';

/** The q-quantile (0..1) of `values`, linear between the closest ranks. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export const median = (values: number[]): number => quantile(values, 0.5);

function resample(values: number[], random: () => number): number[] {
  return values.map(() => values[Math.floor(random() * values.length)]);
}

export interface RatioInterval {
  ratio: number;
  low: number;
  high: number;
}

/**
 * median(a) / median(b), with the 95 % percentile interval of that ratio over
 * `resamples` bootstrap resamples of each sample (independently), seeded.
 */
export function medianRatio(
  a: number[],
  b: number[],
  seed: number,
  resamples: number
): RatioInterval {
  const random = mulberry32(seed);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    ratios.push(median(resample(a, random)) / median(resample(b, random)));
  }
  return {
    ratio: median(a) / median(b),
    low: quantile(ratios, 0.025),
    high: quantile(ratios, 0.975)
  };
}
