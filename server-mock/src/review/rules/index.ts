/**
 * The review's content rules: runs every rule family (identifiers, tables,
 * models) over one read document.
 */

import { ruleEnabled, type ReviewConfig } from '../config';
import type { DisclosureIndex } from '../disclosure-index';
import type { Document, Labels } from '../documents';
import { linkageFindings } from '../linkage';
import { lineTables } from '../linkage/lines';
import { guarded } from '../guard';
import type { Pacer } from '../pacer';
import type { Finding } from './findings';
import { highEntropyTokens } from './entropy';
import { identifierColumns, identifierValues } from './identifiers';
import { keyValueFindings } from './key-values';
import { residualDof } from './models';
import { shiftedIds } from './shifted-ids';
import { linesDump, minMaxColumns, smallCounts, tableSize } from './tables';

export interface ContentContext {
  recordsRead: number;
  index: DisclosureIndex;
  config: ReviewConfig;
  labels: Labels;
  pacer: Pacer;
}

/** Every check that reads a document's content. `file` is the file as findings may show it. */
export async function contentFindings(
  file: string,
  document: Document,
  isLog: boolean,
  context: ContentContext
): Promise<Finding[]> {
  const { recordsRead, index, config, labels, pacer } = context;
  // Each rule family runs guarded (guard.ts): one that throws or overruns is a rule_error, never an approval.
  const guard = (rule: string, run: () => Finding[] | Promise<Finding[]>) =>
    guarded(rule, file, config, pacer, run);
  const findings: Finding[] = [];
  findings.push(
    ...(await guard('tables', () =>
      document.tables.flatMap(table => [
        ...identifierColumns(file, table, labels),
        ...tableSize(file, table, recordsRead, config),
        ...smallCounts(file, table, config, labels),
        ...minMaxColumns(file, table, labels)
      ])
    ))
  );
  if (ruleEnabled(config, 'linkage')) {
    findings.push(
      ...(await guard('linkage', async () => {
        const linked: Finding[] = [];
        for (const table of document.tables) {
          linked.push(
            ...(await linkageFindings(
              file,
              table,
              index.data,
              config,
              labels,
              pacer
            ))
          );
        }
        // Tables printed as lines (print(a, b, c), tab- or comma-separated text) are joined to the data too.
        // (One finding is enough: the same lines can be read both as delimited and by their form.)
        for (const table of lineTables(
          document.values,
          config.linkageMinRows
        )) {
          const found = await linkageFindings(
            file,
            table,
            index.data,
            config,
            labels,
            pacer
          );
          linked.push(...found);
          if (found.length) {
            break;
          }
        }
        return linked;
      }))
    );
  }
  if (isLog || document.lines > 0) {
    if (!findings.some(finding => finding.rule === 'row_level_data')) {
      findings.push(
        ...(await guard('row_level_data', () =>
          linesDump(file, document.lines, recordsRead, config)
        ))
      );
    }
  }
  findings.push(
    ...(await guard('identifiers', () =>
      identifierValues(file, document, index, config, pacer)
    )),
    ...(await guard('residual_dof', () =>
      residualDof(file, document.values, config)
    )),
    ...(await guard('key_column', () =>
      keyValueFindings(file, document, context, 'key_column')
    )),
    ...(await guard('key_lines', () =>
      keyValueFindings(file, document, context, 'key_lines')
    )),
    ...(ruleEnabled(config, 'high_entropy')
      ? await guard('high_entropy', () =>
          highEntropyTokens(file, document, recordsRead, config, pacer)
        )
      : []),
    ...(ruleEnabled(config, 'decodes')
      ? await guard('decodes', () =>
          shiftedIds(file, document, index, config, labels, pacer)
        )
      : [])
  );
  return findings;
}
