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
   * guide; docs/research/sdc-rules.md §7); the number is a platform choice,
   * far above the rule-of-10 groups an aggregate's labels make.
   */
  keyFloor: number;
  /** Share of a column's non-empty values that must be distinct for it to be a key (platform choice: "nearly all"); also the share of values that must be categories for a column to be one. */
  keyDistinctShare: number;
  /** A folder holding at least this many files of one shape (same JSON keys, same line template) is also read as one table, a row per file (platform choice: a handful of per-record files). */
  collectionMinFiles: number;
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
  /**
   * Linkage (rule `linkage`): a table is microdata when at least this many of
   * its checked rows each match exactly one record of the data set on their
   * quasi-identifiers (exact times, counts); tables with fewer rows are not
   * checked. SDC practice: record linkage / re-identification by key
   * variables (docs/research/sdc-rules.md § 6 Record linkage); the number is a
   * platform choice (a handful of records is already a disclosure).
   */
  linkageMinRows: number;
  /** Rows of a table the linkage rule checks, spread over it (platform choice: bounds the lookups one table costs). */
  linkageSampleRows: number;
  /**
   * Share of the checked rows that must link for the table to be refused
   * (platform choice: an aggregate's row matches one record only by chance,
   * well under this; a table of records links nearly row for row).
   */
  linkageShare: number;
  /** Allowed output types (OpenSAFELY pipeline `LEVEL4_FILE_TYPES`), checked automatically. */
  checkedTypes: string[];
  /** Allowed types that no rule can read (figures, HTML): always sent to a reviewer. */
  manualTypes: string[];
  /**
   * Rule families the review skips, by rule id (or family name for a part of a
   * rule, e.g. `decodes`). A platform choice for measuring only: `bench:jobs`
   * reviews with the families issue 16 added turned off as its baseline.
   * Empty by default: every rule runs. A rule's hook checks `ruleEnabled`
   * before it runs; findings of a disabled rule are dropped in any case.
   */
  disabledRules?: string[];
  /**
   * Time one rule family may take on one file (ms); past it the rule stops
   * at its next pause and the file goes to a reviewer (`rule_error`). A
   * platform choice: far above what a rule takes on the largest allowed file.
   */
  ruleBudgetMs: number;
  /**
   * Time the whole review of one job may take (ms). Files not yet reviewed
   * when it is spent are not read; one `rule_error` (manual) says so and a
   * reviewer checks the rest: never an approval. A platform choice: well
   * above a normal job's review (seconds), below what crafted outputs can
   * make it take (200 files of 100 KB took 41–49 s before it).
   */
  reviewBudgetMs: number;
  /**
   * `unclassified`: a run of this many characters without a space (in a
   * line, CSV cell or JSON string) is no word, number or label an aggregate
   * has; bars drawn with one character excepted. A platform choice.
   */
  unclassifiedTokenChars: number;
  /** `unclassified`: share of visible characters that are non-ASCII symbols, private-use or zero-width characters (at least 100). A platform choice. */
  unclassifiedSymbolShare: number;
  /** `unclassified`: JSON nested deeper than this. A platform choice: summaries by two or three groups are 4–6 levels deep. */
  unclassifiedJsonDepth: number;
  /**
   * `differencing`: two releases of the same table (same header and groups)
   * whose counts differ by less than this in a few groups single those
   * records out (ABS DataLab: "differences of less than ten should not be
   * able to be calculated through combining the tables"; ACRO lists
   * Differencing among the risks of frequency and magnitude tables).
   */
  differencingGap: number;
  /** `differencing`: most groups that may differ (by less than the gap) while the rest are equal. A platform choice ("one group, or a few"). */
  differencingMaxCells: number;
  /** `differencing`: most tables of a job fingerprinted and compared. A platform choice that bounds the work and the store. */
  maxDifferencingTables: number;
  /**
   * Most scans of a data table (one GROUP BY a time bucket, a comment or
   * user group) the dominance check makes per job; cells beyond go to a
   * reviewer. A platform choice: each scan reads the table once.
   */
  maxDominanceScans: number;
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
  shuffledWords: 8,
  highEntropyLength: 16,
  highEntropyFloor: 50,
  highEntropyShare: 0.5,
  shiftMinValues: 10,
  linkageMinRows: 5,
  linkageSampleRows: 200,
  linkageShare: 0.1,
  checkedTypes: ['.csv', '.txt', '.log', '.json', '.md'],
  manualTypes: ['.png', '.jpg', '.jpeg', '.svg', '.svgz', '.html'],
  disabledRules: [],
  ruleBudgetMs: 5000,
  reviewBudgetMs: 60_000,
  unclassifiedTokenChars: 200,
  unclassifiedSymbolShare: 0.3,
  unclassifiedJsonDepth: 10,
  differencingGap: 10,
  differencingMaxCells: 3,
  maxDifferencingTables: 100,
  maxDominanceScans: 8
};

/** Whether a rule family runs under this configuration (`disabledRules`). */
export function ruleEnabled(config: ReviewConfig, family: string): boolean {
  return !config.disabledRules?.includes(family);
}

/** `--review-threshold N`: the frequency threshold; the other rules keep their defaults. */
export function reviewThresholdConfig(
  threshold: number
): Partial<ReviewConfig> {
  return { threshold };
}
