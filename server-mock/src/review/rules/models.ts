/**
 * Model rules: residual degrees of freedom of the models an output prints
 * (docs/research/sdc-rules.md).
 */

import type { ReviewConfig } from '../config';
import { CsvValues, type TextValue } from '../documents';
import { places, type Finding } from './findings';

const DOF_PATTERNS = [
  /Df Residuals:\s*(\d+(?:\.\d+)?)/g,
  /"?df_resid(?:ual)?"?\s*[:=]\s*(\d+(?:\.\d+)?)/gi,
  /residual degrees of freedom\D{0,5}(\d+(?:\.\d+)?)/gi
];

/** The values whose text has `word`; a CSV's cells are tested without a value object each. */
function* withWord(
  values: Iterable<TextValue>,
  word: RegExp
): Generator<TextValue> {
  if (!(values instanceof CsvValues)) {
    for (const value of values) {
      if (word.test(value.text)) {
        yield value;
      }
    }
    return;
  }
  for (let column = 0; column < values.header.length; column++) {
    if (word.test(values.header[column])) {
      yield values.headerCell(column);
    }
  }
  for (let row = 0; row < values.rows.length; row++) {
    const cells = values.rows[row];
    for (let column = 0; column < cells.length; column++) {
      if (word.test(cells[column])) {
        yield values.cell(row, column);
      }
    }
  }
}

/** Models with too few residual degrees of freedom (ACRO `safe_dof_threshold`). */
export function residualDof(
  file: string,
  values: Iterable<TextValue>,
  config: ReviewConfig
): Finding[] {
  const low: string[] = [];
  for (const value of withWord(values, /resid/i)) {
    for (const pattern of DOF_PATTERNS) {
      for (const match of value.text.matchAll(pattern)) {
        if (Number(match[1]) < config.minResidualDof) {
          low.push(value.location);
        }
      }
    }
  }
  return low.length
    ? [
        {
          rule: 'residual_dof',
          severity: 'fail',
          file,
          location: places(low),
          message: `${file}: a model has fewer than ${config.minResidualDof} residual degrees of freedom (${places(low)}); its coefficients can reveal single records. Use more data or fewer parameters.`
        }
      ]
    : [];
}
