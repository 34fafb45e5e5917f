/**
 * Round trip as a property: for every valid query q (generated over the whole
 * catalogue, with any Unicode text where the field takes text),
 * parseCell(generateCell(q)) gives q back; the platform accepts q; and real
 * Python reads the generated cell into exactly the request the model sends.
 */
import fc from 'fast-check';
import {
  CATALOGUE,
  CATEGORIES,
  Category,
  QUERY_LIMITS,
  REGION_CODES,
  returnableFields
} from '../../query/catalogue';
import { generateCell, ResultOutput } from '../../query/generate';
import { ICondition, IQuery, toRequestBody } from '../../query/model';
import { parseCell } from '../../query/read-cell';
import { validateQuery } from '../../query/validate';
import { platformValidation } from '../helpers/query-platform';

declare const require: (id: string) => any;
declare const __dirname: string;

const SEED = 20261125;

/** A valid value of a field (as a string, as the SDK sends it). */
function valueOf(
  field: (typeof CATALOGUE)['video']['conditions'][string],
  operation: string
): fc.Arbitrary<string> {
  const text = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 });
  switch (field.type) {
    case 'int':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    case 'time':
      return fc.oneof(
        // Epoch seconds; 8 digits read as YYYYMMDD on both sides (a date, or refused).
        fc
          .integer({ min: 0, max: 4_000_000_000 })
          .filter(n => String(n).length !== 8)
          .map(String),
        fc
          .date({
            min: new Date('1970-01-01T00:00:00Z'),
            max: new Date('2099-12-31T00:00:00Z'),
            noInvalidDate: true
          })
          .map(date => date.toISOString().slice(0, 10).replace(/-/g, ''))
      );
    case 'region':
      return fc.constantFrom(...REGION_CODES);
    case 'enum':
      return fc.constantFrom(...field.values!);
    case 'bool':
      return fc.constantFrom('true', 'false');
    case 'keyword':
      return fc
        .tuple(fc.constantFrom('cat', 'ü', '猫', '7'), text)
        .map(([word, more]) => word + more);
    case 'hashtag':
    case 'list':
      return fc
        .tuple(fc.constantFrom('a', '#b', 'fx1'), text)
        .map(([word, more]) => word + more);
    case 'string':
      return operation === 'LIKE'
        ? text.filter(value => value.length > 0)
        : text;
  }
}

function conditionOf(category: Category): fc.Arbitrary<ICondition> {
  const names = Object.keys(CATALOGUE[category].conditions);
  return fc
    .constantFrom(...names)
    .chain(name => {
      const field = CATALOGUE[category].conditions[name];
      return fc
        .constantFrom(...field.operations)
        .map(operation => ({ name, field, operation }));
    })
    .chain(({ name, field, operation }) => {
      const many =
        operation === 'IN' || operation === 'CONTAINS' || operation === 'LIKE';
      return fc
        .array(valueOf(field, operation), {
          minLength: 1,
          maxLength: many ? 4 : 1
        })
        .map(values => ({ field: name, operation, values }));
    });
}

const queryArb: fc.Arbitrary<IQuery> = fc
  .constantFrom(...CATEGORIES)
  .chain(category =>
    fc.record({
      category: fc.constant(category),
      groups: fc.array(
        fc.record({
          operator: fc.constantFrom('and', 'or', 'not'),
          conditions: fc.array(conditionOf(category), {
            minLength: 1,
            maxLength: 3
          })
        }),
        { minLength: 0, maxLength: 3 }
      ),
      fields: fc.uniqueArray(fc.constantFrom(...returnableFields(category)), {
        minLength: 1
      }),
      limit: fc.integer({ min: 1, max: QUERY_LIMITS.test.maxLimit })
    })
  );

const outputArb = fc.constantFrom<ResultOutput>('print', 'display');

describe('round trip', () => {
  it('parse(generate(q)) = q for every valid q, and both sides find q valid', () => {
    const platform = platformValidation();
    fc.assert(
      fc.property(queryArb, outputArb, (query, output) => {
        const problems = validateQuery(query).filter(
          problem => problem.severity === 'error'
        );
        expect(problems).toEqual([]);
        expect(
          platform.validateQuery(toRequestBody(query), 'test')
        ).toMatchObject({ ok: true });
        expect(parseCell(generateCell(query, { output }))).toEqual({
          ok: true,
          query,
          output
        });
      }),
      { numRuns: 400, seed: SEED }
    );
  });

  it('survives what people do to the cell: other quotes, spacing and comments', () => {
    fc.assert(
      fc.property(queryArb, query => {
        const cell = generateCell(query)
          .replace(
            /^category = '(\w+)'$/m,
            'category  =  "$1"  # which records'
          )
          .replace(/\n\]\n/, '\n]  # the conditions\n')
          .replace(/\nlimit = /, '\n\n# how many\nlimit = ')
          .replace('\nprint(data)', '\nprint( data )\n');
        expect(parseCell(cell)).toEqual({ ok: true, query, output: 'print' });
      }),
      { numRuns: 100, seed: SEED }
    );
  });

  it('real Python reads each generated cell into the request the model sends', () => {
    const { spawnSync } = require('child_process');
    const path = require('path');
    const fs = require('fs');
    const python = [
      path.join(__dirname, '../../../.venv/bin/python'),
      'python3'
    ].find(candidate => candidate === 'python3' || fs.existsSync(candidate));
    const queries = fc.sample(queryArb, { numRuns: 150, seed: SEED });
    const cells = queries.map(query =>
      generateCell(query, { output: 'display' })
    );
    // A stand-in pyrqs that records the call instead of reaching a platform.
    const script = `
import json, sys, types
captured = []
class RQSClient:
    def query(self, **kwargs):
        captured.append(kwargs)
        return kwargs
rqs = types.SimpleNamespace(RQSClient=RQSClient)
sys.modules['pyrqs'] = types.SimpleNamespace(rqs=rqs)
for cell in json.load(sys.stdin):
    exec(compile(cell, '<cell>', 'exec'), {})
json.dump(captured, sys.stdout)
`;
    const run = spawnSync(python, ['-c', script], {
      input: JSON.stringify(cells),
      encoding: 'utf8'
    });
    expect(run.stderr).toBe('');
    const sent = JSON.parse(run.stdout);
    expect(sent).toEqual(queries.map(query => toRequestBody(query)));
  });
});
