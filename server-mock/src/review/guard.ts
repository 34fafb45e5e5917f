import type { ReviewConfig } from './config';
import { RuleTimeout, type Pacer } from './pacer';
import type { Finding } from './rules/findings';

/**
 * Fail closed: a rule family that throws, or runs past its time budget, does
 * not approve anything and does not stop the review; it becomes a
 * `rule_error` finding (manual), so a reviewer checks what the rule could
 * not. Rules that pause through the `Pacer` are stopped at their next pause
 * once the budget is spent; a rule that does not pause is let finish and its
 * findings kept, with a `rule_error` when it took longer than the budget.
 * The message names the rule and the file, never the error's text (it can
 * quote the output).
 */
export async function guarded(
  rule: string,
  file: string,
  config: Pick<ReviewConfig, 'ruleBudgetMs'>,
  pacer: Pacer,
  run: () => Finding[] | Promise<Finding[]>,
  /** Time (ms) the run spent on fixed costs of the data set rather than of the output (dominance's table scans): not counted. */
  allowance: () => number = () => 0
): Promise<Finding[]> {
  const started = Date.now();
  const outer = pacer.deadline;
  pacer.deadline = started + config.ruleBudgetMs;
  let findings: Finding[];
  let why: string | null = null;
  try {
    findings = await run();
    if (Date.now() - started - allowance() > config.ruleBudgetMs) {
      why = `took longer than ${budget(config.ruleBudgetMs)}`;
    }
  } catch (error) {
    findings = [];
    why =
      error instanceof RuleTimeout
        ? `ran out of its ${budget(config.ruleBudgetMs)}`
        : 'failed with an error';
  } finally {
    pacer.deadline = outer;
  }
  if (why) {
    findings.push(ruleError(rule, file, why));
  }
  return findings;
}

function budget(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function ruleError(rule: string, file: string, why: string): Finding {
  return {
    rule: 'rule_error',
    severity: 'manual',
    file,
    location: null,
    message: `${file}: the review could not finish its check "${rule.replace(/_/g, ' ')}" on this file (it ${why}); nothing is approved unchecked: a reviewer checks it.`
  };
}
