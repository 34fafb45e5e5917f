/**
 * The automatic output review's settings. Defaults and their sources are in
 * docs/research/sdc-rules.md; README § "Output review" lists them.
 */
export interface ReviewConfig {
  /** Minimum count in a frequency-table cell (ACRO `safe_threshold: 10`; SDC Handbook rule of 10). */
  threshold: number;
  /** Zero cells are sent to a reviewer (ACRO `zeros_are_disclosive: True`; class disclosure). */
  zerosAreDisclosive: boolean;
  /** NK dominance: the top `dominanceN` contributions over `dominanceK` of a cell's total fail (ACRO `safe_nk_n: 2`, `safe_nk_k: 0.90`). */
  dominanceN: number;
  dominanceK: number;
  /** p-ratio: (total − top1 − top2) / top1 below this fails (ACRO `safe_pratio_p: 0.10`). */
  pRatio: number;
  /** Residual degrees of freedom of a model below this fail (ACRO `safe_dof_threshold: 10`). */
  minResidualDof: number;
  /** Largest output file (OpenSAFELY job-runner `LEVEL4_MAX_FILESIZE = 16*1024*1024`). */
  maxFileBytes: number;
  /**
   * Most output files in a job; over it nothing is read and the job is refused.
   * A platform choice (no source sets one): far above what an analysis
   * writes, low enough that walking and hashing them stays quick.
   */
  maxFiles: number;
  /**
   * Most bytes of all outputs and logs together; over it nothing is read and
   * the job is refused. A platform choice: about six files at the 16 MiB
   * per-file limit, so one review reads at most this much.
   */
  maxTotalBytes: number;
  /**
   * Most distinct groups whose contributions the dominance check looks up in
   * the data per job; cells beyond go to a reviewer. A platform choice that
   * bounds the queries one review makes.
   */
  maxDominanceLookups: number;
  /** Most rows in a table (OpenSAFELY job-runner `LEVEL4_MAX_CSV_ROWS = 5000`). */
  maxTableRows: number;
  /** A table or log with at least this share of the records read, row for row, is a row-level dump; so are all outputs' rows and lines together. */
  rowDumpRatio: number;
  /** Text copied from the data set: this many consecutive words of one description, transcript, comment or bio. */
  verbatimWords: number;
  /**
   * Key columns and key lines: a column, JSON field or field of lines with at
   * least this many distinct values (nearly all distinct, not categories of the
   * data set) holds a value per record. SDC practice: a cell per individual is
   * microdata, not an aggregate (ESSnet/DwB output-checking guidelines, SACRO
   * guide; docs/research/sdc-rules.md §6); the number is a platform choice,
   * far above the rule-of-10 groups an aggregate's labels make.
   */
  keyFloor: number;
  /** Share of a column's non-empty values that must be distinct for it to be a key (platform choice: "nearly all"); also the share of values that must be categories for a column to be one. */
  keyDistinctShare: number;
  /** A folder holding at least this many files of one shape (same JSON keys, same line template) is also read as one table, a row per file (platform choice: a handful of per-record files). */
  collectionMinFiles: number;
  /** Allowed output types (OpenSAFELY pipeline `LEVEL4_FILE_TYPES`), checked automatically. */
  checkedTypes: string[];
  /** Allowed types that no rule can read (figures, HTML): always sent to a reviewer. */
  manualTypes: string[];
}

export const DEFAULT_REVIEW_CONFIG: ReviewConfig = {
  threshold: 10,
  zerosAreDisclosive: true,
  dominanceN: 2,
  dominanceK: 0.9,
  pRatio: 0.1,
  minResidualDof: 10,
  maxFileBytes: 16 * 1024 * 1024,
  maxFiles: 200,
  maxTotalBytes: 100 * 1024 * 1024,
  maxDominanceLookups: 500,
  maxTableRows: 5000,
  rowDumpRatio: 0.5,
  verbatimWords: 8,
  keyFloor: 50,
  keyDistinctShare: 0.9,
  collectionMinFiles: 5,
  checkedTypes: ['.csv', '.txt', '.log', '.json', '.md'],
  manualTypes: ['.png', '.jpg', '.jpeg', '.svg', '.svgz', '.html']
};

/** `--review-threshold N`: the frequency threshold; the other rules keep their defaults. */
export function reviewThresholdConfig(
  threshold: number
): Partial<ReviewConfig> {
  return { threshold };
}
