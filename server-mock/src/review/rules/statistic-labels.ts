/**
 * Labels that name a statistic rather than a count: "median hashtags per
 * video", "mean likes", "p90 views", "R-squared", "std of comments". A small
 * number after such a label is a statistic of a group, not the size of one,
 * so the inferred `label: N` tables (documents.ts) leave these lines out and
 * the count columns (tables.ts) do not take such columns as counts.
 */

const STATISTIC_WORDS = new Set([
  'median',
  'mean',
  'means',
  'average',
  'averages',
  'avg',
  'percentile',
  'percentiles',
  'pct',
  'percent',
  'percentage',
  'quantile',
  'quantiles',
  'quartile',
  'quartiles',
  'decile',
  'deciles',
  'iqr',
  'std',
  'stdev',
  'stddev',
  'sd',
  'se',
  'stderr',
  'sem',
  'variance',
  'var',
  'ratio',
  'ratios',
  'rate',
  'rates',
  'proportion',
  'fraction',
  'per',
  'squared',
  'rsquared',
  'r2',
  'coefficient',
  'coefficients',
  'coef',
  'correlation',
  'corr',
  'slope',
  'intercept',
  'beta',
  'estimate',
  'elasticity',
  'skew',
  'skewness',
  'kurtosis',
  'mode',
  'aic',
  'bic',
  'loglik',
  'likelihood',
  'tstat',
  'zscore',
  'pvalue',
  'odds'
]);

/** pNN / qNN / PNN percentiles and quantiles ("p90", "q3"). */
const PERCENTILE_WORD = /^[pq]\d{1,2}$/;

/** True when a label or column name names a statistic (median, mean, pNN, std, ratio, per, R-squared…). */
export function namesStatistic(label: string): boolean {
  const words = label
    .toLowerCase()
    .replace(/r[\s_-]*(?:squared|²|\^2)/g, ' rsquared ')
    .replace(/p[\s_-]?value/g, ' pvalue ')
    // "share of videos" is a proportion; a bare "shares" is the platform's share count.
    .replace(/share[\s_-]+of\b/g, ' proportion ')
    .split(/[^a-z0-9²]+/)
    .filter(Boolean);
  return words.some(
    word =>
      STATISTIC_WORDS.has(word) || PERCENTILE_WORD.test(word) || word === 'r²'
  );
}
