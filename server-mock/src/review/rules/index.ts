/**
 * The review's content rules: runs every rule family (identifiers, tables,
 * models) over one read document.
 */

import type { ReviewConfig } from '../config';
import type { DisclosureIndex } from '../disclosure-index';
import type { Document, Labels } from '../documents';
import type { Pacer } from '../pacer';
import type { Finding } from './findings';
import { highEntropyTokens } from './entropy';
import { identifierColumns, identifierValues } from './identifiers';
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
  const findings: Finding[] = [];
  for (const table of document.tables) {
    findings.push(
      ...identifierColumns(file, table, labels),
      ...tableSize(file, table, recordsRead, config),
      ...smallCounts(file, table, config, labels),
      ...minMaxColumns(file, table, labels)
    );
  }
  if (isLog || document.lines > 0) {
    if (!findings.some(finding => finding.rule === 'row_level_data')) {
      findings.push(...linesDump(file, document.lines, recordsRead, config));
    }
  }
  findings.push(
    ...(await identifierValues(file, document, index, config, pacer)),
    ...residualDof(file, document.values, config),
    ...(await highEntropyTokens(file, document, recordsRead, config, pacer)),
    ...(await shiftedIds(file, document, index, config, labels, pacer))
  );
  return findings;
}
