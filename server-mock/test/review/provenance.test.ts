import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildDisclosureIndex,
  DEFAULT_REVIEW_CONFIG,
  reviewOutputs,
  type Verdict
} from '../../src/review';
import {
  labelTable,
  parseRecord,
  renderSvg
} from '../../src/review/provenance';
import { jobTestData } from '../helpers/jobs-helpers';

/**
 * The provenance lane: files written by pyrqs.outputs (run here with the
 * repository's pyrqs) are checked exactly against their records.
 */

const PYRQS_PARENT = resolve(__dirname, '../../python');
const data = jobTestData();
let index: Awaited<ReturnType<typeof buildDisclosureIndex>>;
let dir: string;
let outputDir: string;

beforeAll(async () => {
  index = await buildDisclosureIndex(data);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vce-provenance-'));
  outputDir = join(dir, 'output');
  mkdirSync(outputDir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs Python with pyrqs in the temporary folder; `records` is a list of dicts made by `setup`. */
function python(code: string): void {
  const result = spawnSync(process.env.PYTHON || 'python3', ['-c', code], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PYTHONPATH: PYRQS_PARENT,
      PYTHONDONTWRITEBYTECODE: '1'
    }
  });
  if (result.status !== 0) {
    throw new Error(result.stderr);
  }
}

const RECORDS = `from pyrqs import outputs
records = [{"region_code": r, "hour": h, "like_count": (i * 37) % 101, "duration_type": d}
           for i, (r, h, d) in enumerate((r, h, d) for r in ("US", "MX", "FR") for h in range(4)
                                         for d in ("short", "long") for _ in range(15))]
`;

async function review(recordsRead = 3000): Promise<Verdict> {
  return reviewOutputs({
    outputDir,
    logs: [],
    recordsRead,
    index,
    config: DEFAULT_REVIEW_CONFIG
  });
}

const rules = (verdict: Verdict) =>
  verdict.findings.map(finding => `${finding.severity}:${finding.rule}`);

const path = (name: string) => join(outputDir, name);
const readRecord = (name: string) =>
  JSON.parse(readFileSync(path(`${name}.provenance.json`), 'utf8'));
const writeRecord = (name: string, record: unknown) =>
  writeFileSync(path(`${name}.provenance.json`), JSON.stringify(record));

describe('the provenance lane', () => {
  it('approves pyrqs.outputs files in every format and withholds their records', async () => {
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "region_code", "duration_type"), "output/by_region.csv")
outputs.write(outputs.describe_by(records, "region_code", "like_count"), "output/likes.md")
outputs.write(outputs.percentiles(records, "like_count", by="hour"), "output/pct.json")
outputs.write(outputs.bar_chart_svg(outputs.crosstab(records, "region_code"), "Videos & regions"), "output/chart.svg")
outputs.write(outputs.regression(records, "like_count", ["hour"]), "output/ols.csv")
`);
    const verdict = await review();
    expect(verdict.findings).toEqual([]);
    expect(verdict.decision).toBe('approved');
    // The label columns, for the linkage rule: the groups of a two-way crosstab.
    const crosstab = parseRecord(
      readFileSync(path('by_region.csv.provenance.json'), 'utf8')
    ) as Exclude<ReturnType<typeof parseRecord>, string>;
    expect(labelTable(crosstab)).toEqual({
      at: '',
      header: ['region_code'],
      rows: [['FR'], ['MX'], ['US']]
    });
    expect(verdict.files.map(file => file.name)).toEqual([
      'by_region.csv',
      'chart.svg',
      'likes.md',
      'ols.csv',
      'pct.json'
    ]);
  });

  it('approves a mean by a derived group that the heuristics would send to a reviewer', async () => {
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "hour", values="like_count", aggfunc="mean"), "output/by_hour.csv")
`);
    expect(await review()).toMatchObject({
      decision: 'approved',
      findings: []
    });
    // The same file without its record: the heuristic dominance rule cannot relate "hour" to the data.
    rmSync(path('by_hour.csv.provenance.json'));
    const heuristic = await review();
    expect(heuristic.decision).toBe('manual_review');
    expect(rules(heuristic)).toContain('manual:dominance');
  });

  it('renders awkward labels the same in Python and in the review (CSV quoting, markdown pipes, JSON escapes, XML)', async () => {
    python(`${RECORDS}
labels = ['Zürich, "old" town', " lead", "a|b", "x\\ny", "<&>'", "日本"]
rows = [dict(r, place=labels[i % len(labels)]) for i, r in enumerate(records)]
for name in ("places.csv", "places.md", "places.json"):
    outputs.write(outputs.crosstab(rows, "place", "duration_type"), "output/" + name)
outputs.write(outputs.bar_chart_svg(outputs.crosstab(rows, "place"), 'Places & "labels"'), "output/places.svg")
`);
    expect(await review()).toMatchObject({
      decision: 'approved',
      findings: []
    });
  });

  it('rejects a forged record whose rows each link to one video (every record counted ten times)', async () => {
    const videos = data.db
      .prepare(
        'SELECT create_time, like_count, view_count FROM videos WHERE like_count >= 10 ORDER BY id LIMIT 120'
      )
      .all();
    python(`from pyrqs import outputs
import json
videos = json.loads(${JSON.stringify(JSON.stringify(videos))})
records = [v for v in videos for _ in range(10)]
outputs.write(outputs.crosstab(records, ["create_time", "like_count", "view_count"]), "output/per_video.csv")
`);
    const verdict = await review(100_000);
    expect(verdict.decision).toBe('rejected');
    expect(verdict.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'linkage', file: 'per_video.csv' })
      ])
    );
  });

  it('rejects a file that differs from its record', async () => {
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "region_code"), "output/by_region.csv")
outputs.write(outputs.crosstab(records, "region_code"), "output/by_region.json")
`);
    const csv = readFileSync(path('by_region.csv'), 'utf8');
    writeFileSync(path('by_region.csv'), csv.replace('120', '121'));
    const json = readFileSync(path('by_region.json'), 'utf8');
    writeFileSync(path('by_region.json'), json.replace('"US"', '"US "'));
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    const differs = verdict.findings.filter(
      finding =>
        finding.rule === 'provenance' &&
        /differs from its provenance record/.test(finding.message)
    );
    expect(differs.map(finding => finding.file)).toEqual([
      'by_region.csv',
      'by_region.json'
    ]);
  });

  it('rejects a record that does not parse, and a record without its file', async () => {
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "region_code"), "output/a.csv")
outputs.write(outputs.crosstab(records, "region_code"), "output/b.csv")
`);
    writeFileSync(path('a.csv.provenance.json'), '{"format": 1');
    rmSync(path('b.csv'));
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    expect(verdict.findings.map(f => [f.rule, f.file])).toEqual([
      ['provenance', 'a.csv'],
      ['provenance', 'b.csv.provenance.json']
    ]);
    expect(verdict.findings[0].message).toMatch(/not valid JSON/);
  });

  it('rejects a record with a small unsuppressed cell, file and record edited alike', async () => {
    python(`${RECORDS}
few = records + [{"region_code": "DE", "hour": 0, "like_count": 1, "duration_type": "short"}] * 3
outputs.write(outputs.crosstab(few, "region_code"), "output/by_region.csv")
`);
    const record = readRecord('by_region.csv');
    const de = record.rows.findIndex(
      (row: { label?: string }[]) => row[0].label === 'DE'
    );
    record.rows[de][1] = { text: '3', stat: 'count', count: 3 };
    writeRecord('by_region.csv', record);
    writeFileSync(
      path('by_region.csv'),
      readFileSync(path('by_region.csv'), 'utf8').replace('DE,<10', 'DE,3')
    );
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        rule: 'small_count',
        severity: 'fail',
        file: 'by_region.csv',
        location: `row ${de + 1}`
      })
    ]);
  });

  it('rejects a dominated mean and a low p-ratio from the recorded shares', async () => {
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "region_code", values="like_count", aggfunc="mean"), "output/mean.csv")
`);
    const record = readRecord('mean.csv');
    record.rows[0][1].top = [0.5, 0.42];
    record.rows[1][1].top = [0.5, 0.46];
    writeRecord('mean.csv', record);
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    expect(
      verdict.findings.map(finding => [finding.rule, finding.location])
    ).toEqual([
      ['dominance', 'row 1; row 2'],
      ['p_ratio', 'row 2']
    ]);
    // A mean without its shares is not a valid record.
    delete record.rows[0][1].top;
    writeRecord('mean.csv', record);
    expect(rules(await review())).toEqual(['fail:provenance']);
  });

  it('never quotes the numbers a record claims (records, residual dof) in its findings', async () => {
    // A record is written by the script: its numbers are the script's, and a
    // finding that repeats them would carry any number out of the clean room.
    const secret = 7100000000046266;
    python(`${RECORDS}
outputs.write(outputs.crosstab(records, "region_code"), "output/by_region.csv")
outputs.write(outputs.regression(records, "like_count", ["hour"]), "output/ols.csv")
`);
    const table = readRecord('by_region.csv');
    table.records = secret;
    writeRecord('by_region.csv', table);
    const model = readRecord('ols.csv');
    model.model = {
      n: 0,
      parameters: 4100000000000000,
      df_resid: -4100000000000000
    };
    writeRecord('ols.csv', model);
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    expect(rules(verdict)).toEqual(
      expect.arrayContaining(['fail:provenance', 'fail:residual_dof'])
    );
    const text = JSON.stringify(verdict.findings);
    for (const number of [
      '7100000000046266',
      '7,100,000,000,046,266',
      '4100000000000000',
      '4,100,000,000,000,000'
    ]) {
      expect(text).not.toContain(number);
    }
  });

  it('rejects labels that are identifiers of the data set', async () => {
    const { id, username } = data.db
      .prepare('SELECT id, username FROM videos LIMIT 1')
      .get() as { id: number; username: string };
    python(`${RECORDS}
rows = [dict(r, who=${JSON.stringify(username)}, vid=${JSON.stringify(String(id))}) for r in records]
outputs.write(outputs.crosstab(rows, "who"), "output/by_user.csv")
outputs.write(outputs.crosstab(rows, "vid"), "output/by_video.md")
`);
    const verdict = await review();
    expect(verdict.decision).toBe('rejected');
    expect(
      verdict.findings.map(finding => [finding.rule, finding.file])
    ).toEqual([
      ['identifier_value', 'by_user.csv'],
      ['identifier_value', 'by_video.md']
    ]);
  });

  it('rejects a model with too few residual degrees of freedom and inconsistent counts', async () => {
    python(`${RECORDS}
outputs.write(outputs.regression(records[::15][:8], "like_count", ["hour"]), "output/ols.md")
outputs.write(outputs.crosstab(records, "region_code"), "output/n.csv")
`);
    const record = readRecord('n.csv');
    record.records = 5000;
    writeRecord('n.csv', record);
    const verdict = await review(180);
    expect(verdict.decision).toBe('rejected');
    expect(rules(verdict)).toEqual(['fail:provenance', 'fail:residual_dof']);
  });

  it('redraws the SVG chart exactly and rejects an edited one', async () => {
    python(`${RECORDS}
outputs.write(outputs.bar_chart_svg({"US": 120, "MX": 45, "<b>": 3}, "Videos"), "output/chart.svg")
`);
    const record = parseRecord(
      readFileSync(path('chart.svg.provenance.json'), 'utf8')
    );
    expect(typeof record).toBe('object');
    const svg = readFileSync(path('chart.svg'), 'utf8');
    expect(renderSvg(record as Exclude<typeof record, string>)).toBe(svg);
    expect((await review(180)).decision).toBe('approved');
    writeFileSync(path('chart.svg'), svg.replace('</svg>', '<script/></svg>'));
    expect(rules(await review(180))).toEqual(['fail:provenance']);
    // Without its record an SVG is a figure a reviewer looks at.
    renameSync(path('chart.svg.provenance.json'), path('chart.json'));
    expect(rules(await review(180))).toContain('manual:figure');
  });
});
