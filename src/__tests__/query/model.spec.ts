/**
 * The pure query model: every validation rule (and that the platform agrees),
 * the generated cell (snapshots; the guide's example verbatim), the parser's
 * readings and its refusals.
 */
import { generateCell } from '../../query/generate';
import { IQuery, toRequestBody } from '../../query/model';
import { looksLikeQueryCell, parseCell } from '../../query/read-cell';
import { pythonString } from '../../query/python/literals';
import {
  canInsert,
  hasErrors,
  IProblem,
  ProblemRule,
  validateQuery
} from '../../query/validate';
import {
  checkValue,
  dayToIsoDate,
  describeTime,
  editorKind,
  isoDateToDay,
  parseDay,
  regionName,
  takesManyValues
} from '../../query/values';
import { CATALOGUE } from '../../query/catalogue';
import { platformValidation } from '../helpers/query-platform';
import { SEED_CELL } from '../helpers/query-seed';

declare const require: (id: string) => any;
declare const __dirname: string;

const seedQuery = (): IQuery => ({
  category: 'video',
  groups: [
    {
      operator: 'and',
      conditions: [{ field: 'like_count', operation: 'GTE', values: ['10'] }]
    }
  ],
  fields: ['display_name', 'video_description', 'create_time', 'id'],
  limit: 10
});

const rulesOf = (problems: IProblem[]) => problems.map(problem => problem.rule);

describe('the seed example', () => {
  it('is generated character for character', () => {
    expect(generateCell(seedQuery())).toBe(SEED_CELL);
  });

  it("is the text of the platform's guide (docs/research/vce-getting-started.txt)", () => {
    const fs = require('fs');
    const path = require('path');
    const file = path.join(
      __dirname,
      '../../../docs/research/vce-getting-started.txt'
    );
    const guide: string = fs.readFileSync(file, 'utf8');
    const start = guide.indexOf('from pyrqs import rqs\n\ncategory');
    const end = guide.indexOf('print(data)', start) + 'print(data)'.length;
    expect(guide.slice(start, end)).toBe(SEED_CELL);
  });

  it('parses back to the query, printed', () => {
    expect(parseCell(SEED_CELL)).toEqual({
      ok: true,
      query: seedQuery(),
      output: 'print'
    });
  });

  it('is valid, and the platform agrees', () => {
    expect(validateQuery(seedQuery())).toEqual([]);
    expect(
      platformValidation().validateQuery(toRequestBody(seedQuery()), 'test').ok
    ).toBe(true);
  });
});

describe('validation', () => {
  /** One query per rule, built from the seed example by a change. */
  const cases: [ProblemRule, (q: IQuery) => void, RegExp][] = [
    [
      'unknown-category',
      q => ((q as any).category = 'videos'),
      /"videos" is not a category/
    ],
    [
      'too-many-groups',
      q => {
        q.groups = Array.from({ length: 21 }, () => seedQuery().groups[0]);
      },
      /21 condition groups; the platform takes at most 20/
    ],
    [
      'too-many-conditions',
      q => {
        q.groups[0].conditions = Array.from({ length: 101 }, () => ({
          field: 'like_count',
          operation: 'GTE',
          values: ['1']
        }));
      },
      /101 conditions; the platform takes at most 100/
    ],
    [
      'no-conditions',
      q => (q.groups = []),
      /No conditions: the query samples all video records/
    ],
    [
      'group-operator',
      q => (q.groups[0].operator = 'xor'),
      /Group 1: "xor" is not a group operator/
    ],
    [
      'empty-group',
      q => (q.groups[0].conditions = []),
      /Group 1 has no conditions/
    ],
    [
      'unknown-field',
      q => (q.groups[0].conditions[0].field = 'likes'),
      /"likes" is not a video condition field/
    ],
    [
      'unknown-operation',
      q => (q.groups[0].conditions[0].operation = 'GE'),
      /"GE" is not an operation; like_count takes EQ, IN, GT, GTE, LT, LTE/
    ],
    [
      'operation-not-allowed',
      q => (q.groups[0].conditions[0].operation = 'LIKE'),
      /LIKE is not allowed on like_count; it takes EQ, IN, GT, GTE, LT, LTE/
    ],
    [
      'no-values',
      q => (q.groups[0].conditions[0].values = []),
      /like_count GTE needs a value/
    ],
    [
      'one-value',
      q => (q.groups[0].conditions[0].values = ['1', '2']),
      /like_count GTE takes exactly one value, not 2/
    ],
    [
      'too-many-values',
      q => {
        q.groups[0].conditions[0] = {
          field: 'id',
          operation: 'IN',
          values: Array.from({ length: 1001 }, (_, i) => String(i))
        };
      },
      /id IN has 1,001 values; the platform takes at most 1,000/
    ],
    [
      'value-too-long',
      q => {
        q.groups[0].conditions[0] = {
          field: 'display_name',
          operation: 'EQ',
          values: ['x'.repeat(1001)]
        };
      },
      /longer than 1,000 characters/
    ],
    [
      'bad-value',
      q => (q.groups[0].conditions[0].values = ['ten']),
      /like_count GTE "ten": like_count takes whole numbers/
    ],
    ['no-fields', q => (q.fields = []), /Choose at least one field to return/],
    [
      'unknown-return-field',
      q => (q.fields = ['id', 'likes']),
      /"likes" is not a video field to return/
    ],
    ['duplicate-field', q => (q.fields = ['id', 'id']), /id is listed twice/],
    ['limit-range', q => (q.limit = 5001), /whole number from 1 to 5,000/],
    [
      'limit-over-quota',
      q => (q.limit = 50),
      /Only 20 records are left today: a sample of up to 50 could go over that.*wait for the reset at 00:00 UTC \(in 3 h 05 min\)/
    ]
  ];

  it.each(cases)('flags %s', (rule, change, message) => {
    const query = seedQuery();
    change(query);
    const problems = validateQuery(query, {
      remaining: 20,
      resetText: '00:00 UTC (in 3 h 05 min)'
    });
    expect(rulesOf(problems)).toEqual([rule]);
    expect(problems[0].message).toMatch(message);
  });

  it('covers every rule', () => {
    const all: Record<ProblemRule, true> = {
      'unknown-category': true,
      'too-many-groups': true,
      'too-many-conditions': true,
      'no-conditions': true,
      'group-operator': true,
      'empty-group': true,
      'unknown-field': true,
      'unknown-operation': true,
      'operation-not-allowed': true,
      'no-values': true,
      'one-value': true,
      'too-many-values': true,
      'value-too-long': true,
      'bad-value': true,
      'no-fields': true,
      'unknown-return-field': true,
      'duplicate-field': true,
      'limit-range': true,
      'limit-over-quota': true
    };
    expect(cases.map(([rule]) => rule).sort()).toEqual(Object.keys(all).sort());
  });

  it.each(cases.filter(([, ,], i) => i >= 0))(
    'agrees with the platform on %s: an error here is a 400 there, a warning is not',
    (rule, change) => {
      const query = seedQuery();
      change(query);
      const problems = validateQuery(query);
      const platform = platformValidation().validateQuery(
        toRequestBody(query),
        'test'
      );
      if (rule === 'limit-over-quota') {
        // Quota is not a validation matter for the platform (a 429 at run time).
        expect(platform.ok).toBe(true);
      } else {
        expect(platform.ok).toBe(!hasErrors(problems));
      }
    }
  );

  it('points at the condition and the value', () => {
    const query = seedQuery();
    query.groups.push({
      operator: 'or',
      conditions: [
        { field: 'region_code', operation: 'IN', values: ['US', 'XX', 'gb'] },
        { field: 'create_time', operation: 'GTE', values: ['20240231'] }
      ]
    });
    const problems = validateQuery(query);
    expect(problems.map(problem => problem.target)).toEqual([
      { kind: 'condition', group: 1, condition: 0, part: 'values', value: 1 },
      { kind: 'condition', group: 1, condition: 1, part: 'values', value: 0 }
    ]);
    expect(problems[1].message).toMatch(/"20240231" is not a real date/);
  });

  it('lets a cell over the quota be inserted but not run; an error blocks both', () => {
    const over = validateQuery({ ...seedQuery(), limit: 30 }, { remaining: 0 });
    expect(over[0].message).toBe("Today's quota is used up.");
    expect(canInsert(over)).toBe(true);
    expect(hasErrors(over)).toBe(true);
    const bad = validateQuery({ ...seedQuery(), fields: [] });
    expect(canInsert(bad)).toBe(false);
    const warned = validateQuery({ ...seedQuery(), groups: [] });
    expect(canInsert(warned) && !hasErrors(warned)).toBe(true);
    expect(validateQuery(seedQuery(), { remaining: null })).toEqual([]);
  });

  it('reads every value type as the platform does', () => {
    const video = CATALOGUE.video.conditions;
    const user = CATALOGUE.user.conditions;
    const ok = (name: string, field: any, op: string, value: string) =>
      checkValue(name, field, op, value) === null;
    expect(ok('id', video.id, 'EQ', '7201388525814961198')).toBe(true);
    expect(ok('id', video.id, 'EQ', '99999999999999999999')).toBe(false);
    expect(ok('like_count', video.like_count, 'GT', ' -3 ')).toBe(true);
    expect(ok('like_count', video.like_count, 'GT', '1.5')).toBe(false);
    expect(ok('create_time', video.create_time, 'GT', '20240229')).toBe(true);
    expect(ok('create_time', video.create_time, 'GT', '20230229')).toBe(false);
    expect(ok('create_time', video.create_time, 'GT', '1717200000')).toBe(true);
    expect(ok('create_time', video.create_time, 'GT', '-1')).toBe(false);
    expect(ok('region_code', video.region_code, 'EQ', 'us')).toBe(true);
    expect(ok('region_code', video.region_code, 'EQ', 'USA')).toBe(false);
    expect(ok('video_length', video.video_length, 'EQ', 'extra_long')).toBe(
      true
    );
    expect(ok('video_length', video.video_length, 'EQ', 'HUGE')).toBe(false);
    expect(ok('is_verified', user.is_verified, 'EQ', 'TRUE')).toBe(true);
    expect(ok('is_verified', user.is_verified, 'EQ', 'yes')).toBe(false);
    expect(ok('hashtag_name', video.hashtag_name, 'EQ', '#')).toBe(false);
    expect(ok('hashtag_names', video.hashtag_names, 'CONTAINS', '#cats')).toBe(
      true
    );
    expect(ok('keyword', video.keyword, 'EQ', '!!')).toBe(false);
    expect(ok('video_description', video.video_description, 'LIKE', '')).toBe(
      false
    );
    expect(ok('video_description', video.video_description, 'EQ', '')).toBe(
      true
    );
  });

  it('describes dates and regions for people', () => {
    expect(parseDay('20240601')).toEqual({ from: 1717200000, to: 1717286400 });
    expect(isoDateToDay('2024-06-01')).toBe('20240601');
    expect(isoDateToDay('2024-02-30')).toBeNull();
    expect(dayToIsoDate('20240601')).toBe('2024-06-01');
    expect(describeTime('20240601')).toBe('2024-06-01 (the whole UTC day)');
    expect(describeTime('1717200000')).toBe('2024-06-01 00:00:00 UTC');
    expect(describeTime('soon')).toBeNull();
    expect(regionName('US')).toBe('United States');
    expect(editorKind(CATALOGUE.video.conditions.create_time)).toBe('time');
    expect(takesManyValues('IN')).toBe(true);
    expect(takesManyValues('LIKE', ['a'])).toBe(false);
    expect(takesManyValues('LIKE', ['a', 'b'])).toBe(true);
  });
});

describe('code generation', () => {
  const query: IQuery = {
    category: 'video',
    groups: [
      {
        operator: 'or',
        conditions: [
          { field: 'region_code', operation: 'IN', values: ['US', 'GB'] },
          {
            field: 'video_description',
            operation: 'LIKE',
            values: ['it\'s "fun"\\ \n new line']
          }
        ]
      },
      {
        operator: 'not',
        conditions: [
          {
            field: 'hashtag_names',
            operation: 'CONTAINS',
            values: ['ads', 'spam']
          }
        ]
      },
      {
        operator: 'and',
        conditions: [
          { field: 'create_time', operation: 'GTE', values: ['20240601'] }
        ]
      }
    ],
    fields: ['id', 'region_code', 'view_count'],
    limit: 250
  };

  it('writes several groups, lists and escapes (print)', () => {
    expect(generateCell(query)).toMatchSnapshot();
  });

  it('writes a displayed result', () => {
    expect(generateCell(query, { output: 'display' })).toMatchSnapshot();
  });

  it('writes a query without conditions, for users', () => {
    expect(
      generateCell(
        {
          category: 'user',
          groups: [],
          fields: ['username', 'follower_count'],
          limit: 5
        },
        { output: 'display' }
      )
    ).toMatchSnapshot();
  });

  it('quotes any string as Python does', () => {
    expect(pythonString("a'b", "'")).toBe("'a\\'b'");
    expect(pythonString('tab\there')).toBe('"tab\\there"');
    expect(pythonString('\u2028\ud800')).toBe('"\\u2028\\ud800"');
    expect(pythonString('😀 ü')).toBe('"😀 ü"');
  });
});

describe('the parser', () => {
  it('reads what people change by hand: quotes, case, inline arguments, comments, list fields', () => {
    const cell = `# my sample
from pyrqs import rqs  # the SDK
c = rqs.RQSClient()
result = c.query(category="VIDEO", condition_groups=[{'operator': 'AND', 'conditions': [
    {'field': 'like_count', 'operator': 'Gte', 'field_values': ['10']},  # popular
]}], fields=['display_name', 'id'], limit=10)
result`;
    expect(parseCell(cell)).toEqual({
      ok: true,
      output: 'display',
      query: {
        category: 'video',
        groups: [
          {
            operator: 'and',
            conditions: [
              { field: 'like_count', operation: 'GTE', values: ['10'] }
            ]
          }
        ],
        fields: ['display_name', 'id'],
        limit: 10
      }
    });
  });

  it('reads positional arguments, from-imports, display(), a missing limit and no output', () => {
    const cell = `from pyrqs.rqs import RQSClient
data = RQSClient().query('comment', [], 'id,text')`;
    expect(parseCell(cell)).toEqual({
      ok: true,
      output: 'none',
      query: {
        category: 'comment',
        groups: [],
        fields: ['id', 'text'],
        limit: 100
      }
    });
    const shown = parseCell(SEED_CELL.replace('print(data)', 'display(data)'));
    expect(shown.ok && shown.output).toBe('display');
  });

  it('keeps what the builder would flag for validation rather than refusing it', () => {
    const result = parseCell(
      SEED_CELL.replace('"gte"', '"like"').replace('limit = 10', 'limit = 9000')
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(rulesOf(validateQuery(result.query))).toEqual([
        'operation-not-allowed',
        'limit-range'
      ]);
    }
  });

  const refusals: [string, string, RegExp][] = [
    ['no query', 'x = 1', /has no client\.query\(…\) call/],
    [
      'an unrelated statement',
      SEED_CELL + '\nprint("done")',
      /Line 22: print\(…\) of anything but the query result/
    ],
    [
      'a loop',
      'for x in y: print(x)',
      /Line 1: "for" statements are not part of a query cell/
    ],
    [
      'an indented block',
      SEED_CELL + '\nif data:\n    print(1)',
      /Line 23: an indented line: the builder reads top-level statements only/
    ],
    [
      'a computed limit',
      SEED_CELL.replace('limit = 10', 'limit = 5 * 2'),
      /Line 17: a computed value \("\*"\) is not read/
    ],
    [
      'a number as a value',
      SEED_CELL.replace('["10"]', '[10]'),
      /the SDK sends strings: write it in quotes/
    ],
    [
      'an unused variable',
      SEED_CELL.replace('limit = 10', 'limit = 10\nextra = 3'),
      /Line 18: "extra" is set but the query does not use it/
    ],
    [
      'start_date',
      SEED_CELL.replace('limit=limit)', "limit=limit, start_date='20240101')"),
      /start_date is not set by the builder/
    ],
    [
      'an unknown argument',
      SEED_CELL.replace('limit=limit)', 'limit=limit, foo=1)'),
      /client\.query\(…\) has no argument "foo"/
    ],
    [
      'a client with arguments',
      SEED_CELL.replace('rqs.RQSClient()', "rqs.RQSClient(key='k')"),
      /RQSClient\(…\) with arguments is not read/
    ],
    [
      'a missing import',
      SEED_CELL.replace('from pyrqs import rqs\n', ''),
      /"rqs" is not defined: the cell needs "from pyrqs import rqs"/
    ],
    [
      'another import',
      'import pandas\n' + SEED_CELL,
      /Line 1: the import of "pandas" is not part of a query cell/
    ],
    [
      'an unknown key',
      SEED_CELL.replace('"field_values"', '"values"'),
      /has an unknown key "values": it takes field, operator, field_values/
    ],
    [
      'a missing key',
      SEED_CELL.replace('"operator": "and",\n', ''),
      /condition_groups\[0\] has no "operator"/
    ],
    [
      'an unknown category',
      SEED_CELL.replace("'video'", "'videos'"),
      /category "videos" is not one of video, comment, user/
    ],
    [
      'a float limit',
      SEED_CELL.replace('limit = 10', 'limit = 10.0'),
      /limit is the number 10\.0; the builder reads a whole number/
    ],
    [
      'an f-string',
      SEED_CELL.replace("fields = 'display", "fields = f'display"),
      /f-strings are not read/
    ],
    [
      'an unclosed bracket',
      SEED_CELL.replace(/\]\nfields/, '\nfields'),
      /never closed/
    ],
    [
      'an unclosed string',
      SEED_CELL.replace("'video'", "'video"),
      /Line 3: a string that is not closed on its line/
    ],
    ['a magic', '%time ' + SEED_CELL, /IPython magics and shell commands/],
    [
      'two queries',
      SEED_CELL +
        '\nmore = client.query(category, condition_groups, fields, limit)',
      /a second client\.query/
    ],
    ['a shown result twice', SEED_CELL + '\ndata', /the result is shown twice/],
    ['an indexed result', SEED_CELL + '\ndata[0]', /indexing or slicing/],
    [
      'a variable set twice',
      SEED_CELL.replace('limit = 10', 'limit = 10\nlimit = 20'),
      /"limit" is set twice/
    ],
    [
      'a comprehension',
      SEED_CELL.replace('["10"]', '[str(x) for x in range(3)]'),
      /this call is not part of a query cell|comprehensions are not read/
    ],
    ['a bytes value', SEED_CELL.replace('["10"]', '[b"10"]'), /byte strings/]
  ];

  it.each(refusals)('refuses %s and says why', (_name, cell, reason) => {
    const result = parseCell(cell);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
    }
  });

  it('never throws, whatever the text', () => {
    for (const cell of [
      '',
      '(',
      ')',
      '"""',
      '\\',
      'from',
      'a =',
      '{1:',
      'x.y.z(',
      '\u0000',
      '#'
    ]) {
      const result = parseCell(cell);
      expect(result.ok).toBe(false);
    }
  });

  it('tells query cells from others cheaply', () => {
    expect(looksLikeQueryCell(SEED_CELL)).toBe(true);
    expect(looksLikeQueryCell('import pandas as pd')).toBe(false);
  });
});
