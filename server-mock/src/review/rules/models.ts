/**
 * Model rules: residual degrees of freedom of the models an output prints
 * (docs/research/sdc-rules.md).
 */

import type { ReviewConfig } from '../config';
import type { TextValue } from '../documents';
import { places, type Finding } from './findings';

const DOF_PATTERNS = [
  /Df Residuals:\s*(\d+(?:\.\d+)?)/g,
  /"?df_resid(?:ual)?"?\s*[:=]\s*(\d+(?:\.\d+)?)/gi,
  /residual degrees of freedom\D{0,5}(\d+(?:\.\d+)?)/gi
];

/** Models with too few residual degrees of freedom (ACRO `safe_dof_threshold`). */
export function residualDof(
  file: string,
  values: Iterable<TextValue>,
  config: ReviewConfig
): Finding[] {
  const low: string[] = [];
  for (const value of values) {
    if (!/resid/i.test(value.text)) {
      continue;
    }
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
