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
   * Shuffled text: a value or line with at least this many words (words with
   * a letter) whose words, in any order, are those of one text of the data
   * set (one word more allowed). A platform choice, equal to `verbatimWords`;
   * the index holds texts of 8 or more words (disclosure-index BAG_MIN_WORDS).
   */
  shuffledWords: number;
  /**
   * High-entropy tokens (rules/entropy.ts): random-looking tokens of at least
   * `highEntropyLength` characters (hashes: MD5 has 32 hex digits, a 64-bit
   * value 16) are counted per file; `highEntropyFloor` of them, or
   * `highEntropyShare` of the records read when fewer were read (never under
   * `threshold`), are per-record and go to a reviewer. Platform choices: one
   * checksum or job id is fine, one per record is microdata (SDC practice).
   */
  highEntropyLength: number;
  highEntropyFloor: number;
  highEntropyShare: number;
  /**
   * Ids under a constant offset or XOR (rules/shifted-ids.ts): a column or
   * sequence with at least this many distinct integers (or date-times),
   * mostly distinct, is tested. A platform choice: the constant is verified
   * on a sample, so few values suffice; fewer are not worth a scan of the ids.
   */
  shiftMinValues: number;
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
  shuffledWords: 8,
  highEntropyLength: 16,
  highEntropyFloor: 50,
  highEntropyShare: 0.5,
  shiftMinValues: 10,
  checkedTypes: ['.csv', '.txt', '.log', '.json', '.md'],
  manualTypes: ['.png', '.jpg', '.jpeg', '.svg', '.svgz', '.html']
};

/** `--review-threshold N`: the frequency threshold; the other rules keep their defaults. */
export function reviewThresholdConfig(
  threshold: number
): Partial<ReviewConfig> {
  return { threshold };
}
