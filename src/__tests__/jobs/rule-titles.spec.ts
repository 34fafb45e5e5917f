declare const require: (id: string) => any;
declare const __dirname: string;

import { nullTranslator } from '@jupyterlab/translation';
import { ruleTitle } from '../../jobs/format';

/**
 * Every rule of the platform's output review (the rules table of
 * server-mock/README.md § Output review) has a title of its own in the
 * verdict, not its id made into words.
 */
describe('rule titles', () => {
  // The extension's tests have no Node types (as in helpers/query-platform.ts).
  const fs = require('fs');
  const path = require('path');
  const readme: string = fs.readFileSync(
    path.join(__dirname, '../../../server-mock/README.md'),
    'utf8'
  );
  // The Output review section only: other sections have tables of their own (faults, quotas).
  const review = readme.slice(
    readme.indexOf('### Output review'),
    readme.indexOf('\n### ', readme.indexOf('### Output review') + 1)
  );
  const rules = [...review.matchAll(/^\| `([a-z_]+)`[^|]*\|/gm)].map(
    match => match[1]
  );
  const trans = nullTranslator.load('jupyterlab_vce');
  const fromId = (rule: string) => {
    const words = rule.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  };

  it('reads the rules table', () => {
    expect(rules).toEqual(
      expect.arrayContaining(['small_count', 'linkage', 'key_column'])
    );
  });

  it.each(rules.map(rule => [rule]))('%s has a title', rule => {
    const title = ruleTitle(rule, trans);
    expect(title).not.toBe(fromId(rule));
    expect(title.length).toBeGreaterThan(5);
  });
});
