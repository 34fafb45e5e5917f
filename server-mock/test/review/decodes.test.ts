import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Verdict } from '../../src/review';
import { jobTestData } from '../helpers/jobs-helpers';
import { outputReviewer } from '../helpers/review-helpers';

/**
 * The cheap decodes (review/decodes.ts, rules/decodes.ts), shuffled text and
 * high-entropy tokens: each transform a script can write ids, usernames or
 * texts in is undone and the leak refused; honest look-alikes pass. The
 * encoded outputs are made by Python's own standard library, as a job would.
 */

const data = jobTestData();
const reviewer = outputReviewer('decodes');
const review = (
  files: Record<string, string | Buffer>,
  stdout = '',
  recordsRead = 3000
): Promise<Verdict> => reviewer.review(files, { stdout, recordsRead });

const rows = data.db
  .prepare(
    "SELECT id, username, video_description AS text FROM videos WHERE username GLOB '[a-z]*' ORDER BY id LIMIT 30"
  )
  .all() as { id: number; username: string; text: string }[];
const ids = rows.map(row => row.id);
const usernames = rows.map(row => row.username);
const longTexts = (
  data.db
    .prepare(
      "SELECT video_description AS text FROM videos WHERE length(video_description) - length(replace(video_description, ' ', '')) >= 9 AND video_description NOT LIKE '%#%' LIMIT 20"
    )
    .all() as { text: string }[]
).map(row => row.text);

/** What a Python expression prints for every id (`i`), username (`u`) and text (`t`). */
function python(body: string): string {
  const program = `import base64, zlib, gzip, json, sys, datetime
ids = ${JSON.stringify(ids)}
names = ${JSON.stringify(usernames)}
texts = ${JSON.stringify(longTexts)}
def to_base(n, alphabet):
    s = ""
    while n:
        n, r = divmod(n, len(alphabet))
        s = alphabet[r] + s
    return s
B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = "zero one two three four five six seven eight nine".split()
def b58bytes(b):
    n = int.from_bytes(b, "big")
    return "1" * (len(b) - len(b.lstrip(b"\\0"))) + to_base(n, B58)
SMALL = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
def spell_group(n):
    out = []
    if n >= 100:
        out += [SMALL[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        out.append(TENS[n // 10] + ("-" + SMALL[n % 10] if n % 10 else ""))
    elif n:
        out.append(SMALL[n])
    return out
def spell(n):
    scales = ["", "thousand", "million", "billion", "trillion", "quadrillion"]
    out = []
    for power in range(5, -1, -1):
        group = (n // 1000 ** power) % 1000
        if group:
            out += spell_group(group) + ([scales[power]] if power else [])
    return " ".join(out)
${body}
`;
  return execFileSync('python3', ['-c', program], {
    encoding: 'utf8',
    maxBuffer: 64 << 20
  });
}

const encodedRule = (verdict: Verdict) =>
  verdict.findings.find(finding => finding.rule === 'encoded_identifier');

describe('ids and names under a reversible transform are found', () => {
  const cases: [string, string, string, RegExp][] = [
    [
      'base32 of ids',
      'codes.txt',
      'for i in ids: print(base64.b32encode(str(i).encode()).decode())',
      /base32/
    ],
    [
      'base32 of usernames',
      'codes.txt',
      'for u in names: print(base64.b32encode(u.encode()).decode())',
      /base32/
    ],
    [
      'base32hex of ids',
      'codes.txt',
      'for i in ids: print(base64.b32hexencode(str(i).encode()).decode())',
      /base32hex/
    ],
    [
      'base36 of ids',
      'codes.csv',
      'print("code")\nfor i in ids: print(to_base(i, B36))',
      /base36/
    ],
    [
      'base58 of ids',
      'codes.txt',
      'for i in ids: print("video", to_base(i, B58))',
      /base58/
    ],
    [
      'base58 of usernames',
      'codes.txt',
      'for u in names: print(b58bytes(u.encode()))',
      /base58/
    ],
    [
      'base62 of ids',
      'codes.json',
      'print(json.dumps({"codes": [to_base(i, B62) for i in ids]}))',
      /base62/
    ],
    [
      'base85 of ids',
      'codes.txt',
      'for i in ids: print(base64.b85encode(str(i).encode()).decode())',
      /base85/
    ],
    [
      'base85 of usernames',
      'codes.txt',
      'for u in names: print(base64.b85encode(u.encode()).decode())',
      /base85/
    ],
    [
      'ascii85 of ids',
      'codes.txt',
      'for i in ids: print(base64.a85encode(str(i).encode()).decode())',
      /ascii85/
    ],
    [
      'ascii85 of usernames in a list',
      'codes.txt',
      'print([base64.a85encode(u.encode()).decode() for u in names])',
      /ascii85/
    ],
    [
      'ids as 8 bytes in base64',
      'codes.txt',
      'for i in ids: print(base64.b64encode(i.to_bytes(8, "big")).decode())',
      /base64 bytes/
    ],
    [
      'number words, digit by digit',
      'words.txt',
      'for i in ids: print(" ".join(WORDS[int(d)] for d in str(i)))',
      /number words/
    ],
    [
      'number words, spelled out',
      'words.md',
      'for i in ids: print("-", spell(i))',
      /number words/
    ],
    [
      'digits reversed',
      'r.csv',
      'print("n")\nfor i in ids: print(str(i)[::-1])',
      /reversed/
    ],
    [
      'usernames reversed',
      'r.txt',
      'for u in names: print("user", u[::-1])',
      /reversed/
    ],
    [
      'zlib in base64',
      'blob.txt',
      'print(base64.b64encode(zlib.compress("\\n".join(map(str, ids)).encode())).decode())',
      /zlib in base64/
    ],
    [
      'gzip in hex',
      'blob.txt',
      'print(gzip.compress(",".join(names).encode()).hex())',
      /gzip in hex/
    ],
    [
      'zlib in base85',
      'blob.txt',
      'print(base64.b85encode(zlib.compress(" ".join(map(str, ids)).encode())).decode())',
      /zlib in base85/
    ],
    [
      'usernames as character codes in JSON',
      'c.json',
      'print(json.dumps([list(u.encode()) for u in names]))',
      /character codes/
    ],
    [
      'usernames as character codes in text',
      'c.txt',
      'for u in names: print([ord(c) for c in u])',
      /character codes/
    ],
    [
      'ids as digit arrays',
      'c.json',
      'print(json.dumps([[int(d) for d in str(i)] for i in ids]))',
      /character codes/
    ],
    [
      'ids as date-times (id / 1e6 seconds)',
      't.csv',
      'print("t")\nfor i in ids: print(datetime.datetime.fromtimestamp(i / 1e6, datetime.timezone.utc).isoformat())',
      /date-time/
    ],
    [
      'ids as date-times (naive, microseconds)',
      't.txt',
      'for i in ids: print(datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=i))',
      /date-time/
    ],
    [
      'ids with three digits dropped',
      's.csv',
      'print("k")\nfor i in ids: print(i // 1000)',
      /last 3 digits dropped/
    ],
    [
      'ids as nanoseconds in date-times',
      's.txt',
      'for i in ids: print("at", datetime.datetime.fromtimestamp(i / 1e9, datetime.timezone.utc).isoformat())',
      /digits dropped, written as date-times/
    ],
    [
      'ids plus a constant (CSV)',
      's.csv',
      'print("n")\nfor i in ids: print(i + 987654321)',
      /a constant added/
    ],
    [
      'ids minus their base (small numbers, JSON)',
      's.json',
      'print(json.dumps([{"k": i - 7100000000000000} for i in ids]))',
      /a constant added/
    ],
    [
      'ids XOR a constant (text)',
      's.txt',
      'for n, i in enumerate(ids): print(n, "code", i ^ 0x5DEECE66D)',
      /a constant XORed/
    ],
    [
      'ids XOR a 64-bit constant',
      's.txt',
      'for i in ids: print(i ^ 0xDEADBEEFCAFEBABE)',
      /a constant XORed/
    ],
    [
      'ids shifted into date-times',
      's.csv',
      'print("when")\nfor i in ids: print(datetime.datetime.fromtimestamp(i - 7100000000000000, datetime.timezone.utc).isoformat())',
      /date-times/
    ]
  ];
  it.each(cases)('%s', async (_name, file, body, notation) => {
    const verdict = await review({ [file]: python(body) });
    expect(verdict.decision).toBe('rejected');
    const finding = encodedRule(verdict);
    expect(finding).toBeDefined();
    expect(finding!.message).toMatch(notation);
    // Nothing of the data is quoted.
    for (const username of usernames.filter(name => name.length >= 5)) {
      expect(JSON.stringify(verdict.findings)).not.toContain(username);
    }
  });
});

describe('honest look-alikes are approved', () => {
  it('a base64 chart, a job id, a SHA-256 of the output, hashtags, English prose with numbers, a timestamp', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      // Short enough for the unclassified rule (runs of 200 characters without a space go to a reviewer).
      createHash('sha512').update('chart').digest()
    ]);
    const table = 'region_code,videos\nUS,120\nMX,45\n';
    const verdict = await review(
      {
        'by_region.csv': table,
        'report.md': [
          '# Videos by region',
          '',
          `![chart](data:image/png;base64,${png.toString('base64')})`,
          '',
          `Checksum of by_region.csv: ${createHash('sha256').update(table).digest('hex')}`,
          'Job job_202612061800213bf2e68cb6 ran on 2026-12-06 18:00:21.182345 UTC.',
          'Top hashtags: #fyp #foryou #trending #tutorialfamily #dance',
          'One hundred and twenty videos came from the US, forty-five from Mexico;',
          'seven out of ten were posted in the evening, and twenty three thousand four hundred views were counted.',
          'The numbers one two three four five six seven eight nine ten were used as bins.',
          'Run id 3f2b9c1e-8d4a-4f6b-9e2d-7c1a5b3e9f00, version 2026.12.06.'
        ].join('\n')
      },
      'Read 3000 records in 1.2 s.\nsha256 of the output: ' +
        createHash('sha256').update('x').digest('hex') +
        '\n'
    );
    expect(verdict.findings).toEqual([]);
    expect(verdict.decision).toBe('approved');
  });

  it('a table of music ids (a category of the data set) with their counts, and date-times of weeks', async () => {
    const music = data.db
      .prepare(
        'SELECT music_id, count(*) AS n FROM videos GROUP BY music_id HAVING n >= 10 ORDER BY n DESC LIMIT 60'
      )
      .all() as { music_id: number; n: number }[];
    expect(music.length).toBeGreaterThanOrEqual(10);
    const weeks = Array.from(
      { length: 20 },
      (_, i) =>
        `${new Date(Date.UTC(2026, 0, 5) + i * 7 * 86400e3).toISOString().replace('.000Z', '')},${100 + i * 13}`
    );
    const verdict = await review({
      'music.csv': `music_id,videos\n${music.map(row => `${row.music_id},${row.n}`).join('\n')}\n`,
      'weeks.csv': `week_start,videos\n${weeks.join('\n')}\n`
    });
    expect(verdict.findings).toEqual([]);
  });

  it('inflates a file of many small zip bombs within a budget', async () => {
    const bombs = python(
      'bomb = base64.b64encode(zlib.compress(b"0" * (4 << 20))).decode()\nfor n in range(60): print(bomb)'
    );
    const started = Date.now();
    await review({ 'bombs.txt': bombs });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a deflated aggregate inside base64 is read and approved', async () => {
    const blob = deflateSync(
      Buffer.from('region_code,videos\nUS,120\nMX,45\n')
    );
    const verdict = await review({
      'blob.txt': `${blob.toString('base64')}\n`
    });
    expect(verdict.decision).toBe('approved');
  });
});

describe('high-entropy tokens', () => {
  const manyIds = (
    data.db.prepare('SELECT id FROM videos ORDER BY id LIMIT 200').all() as {
      id: number;
    }[]
  ).map(row => row.id);
  const hashes = (body: string) =>
    execFileSync(
      'python3',
      [
        '-c',
        `import hashlib, base64, bz2, lzma\nids = ${JSON.stringify(manyIds)}\n${body}`
      ],
      { encoding: 'utf8' }
    );

  it('flags one hash per record as high entropy (hashes of ids are identifiers), and the line per record is a key', async () => {
    const verdict = await review(
      {},
      hashes(
        'for i in ids[:60]: print("row", hashlib.sha256(str(i).encode()).hexdigest())'
      )
    );
    // A hash per line is a value per record: key_lines refuses it; high_entropy says why to a reviewer.
    expect(verdict.decision).toBe('rejected');
    expect(verdict.findings.map(finding => finding.rule).sort()).toEqual([
      'high_entropy',
      'key_lines'
    ]);
    const entropy = verdict.findings.find(f => f.rule === 'high_entropy')!;
    expect(entropy).toMatchObject({ severity: 'manual', file: 'stdout.txt' });
    expect(entropy.message).toMatch(/hashes .* of ids/);
  });

  it('counts a blob no decoder reads (bz2, lzma) by its size', async () => {
    for (const body of [
      'print(base64.b64encode(bz2.compress(" ".join(map(str, ids)).encode())).decode())',
      'print(lzma.compress(",".join(map(str, ids)).encode()).hex())'
    ]) {
      const verdict = await review({ 'blob.txt': hashes(body) });
      expect(verdict.findings.map(f => f.rule)).toContain('high_entropy');
    }
  });

  it('takes a few tokens for what they are, and fewer when few records were read', async () => {
    const some = hashes(
      'for i in ids[:20]: print(hashlib.md5(str(i).encode()).hexdigest())'
    );
    expect((await review({}, some, 3000)).decision).toBe('approved');
    expect(
      (await review({}, some, 25)).findings.map(finding => finding.rule)
    ).toContain('high_entropy');
    const names = Array.from(
      { length: 80 },
      (_, i) => `sales_report_2024_region_${i}_final HTTPServerError404Handler`
    ).join('\n');
    expect((await review({ 'names.txt': names }, '', 3000)).decision).toBe(
      'approved'
    );
  });
});

describe('stdout and stderr get the rules files get', () => {
  it('reads a CSV, JSON lines and a JSON document printed to stdout as tables', async () => {
    const csv = await review(
      {},
      'Counting…\nregion_code,videos\nUS,120\nMX,3\nFR,45\nDone.\n'
    );
    expect(csv.findings).toEqual([
      expect.objectContaining({ rule: 'small_count', file: 'stdout.txt' })
    ]);
    expect(csv.findings[0].location).toMatch(/lines 2–5 \(CSV\)/);
    const named = await review({}, 'username\tvideos\nx\t12\ny\t15\nz\t20\n');
    expect(named.findings.map(f => f.rule)).toContain('identifier_column');
    const records = await review(
      {},
      '{"region_code": "US", "videos": 120}\n{"region_code": "MX", "videos": 2}\n{"region_code": "FR", "videos": 45}\n'
    );
    expect(records.findings.map(f => f.rule)).toContain('small_count');
    const json = await review(
      {},
      JSON.stringify(
        {
          by_region: [
            { region_code: 'US', videos: 120 },
            { region_code: 'MX', videos: 4 }
          ]
        },
        null,
        2
      )
    );
    expect(json.findings.map(f => f.rule)).toContain('small_count');
  });

  it('approves a log of an honest run: prose lines with commas are not a table', async () => {
    const verdict = await review(
      { 'by_region.csv': 'region_code,videos\nUS,120\nMX,45\n' },
      'Read 3000 records, 12 regions, done.\nWrote by_region.csv, 2 rows, in 0.2 s.\nChecked, all groups over 10.\n{"status": "ok", "files": 1}\n'
    );
    expect(verdict.findings).toEqual([]);
  });
});

describe('identifiers in a printed exception chain', () => {
  it("finds usernames a Python repr quotes ('name'), as stderr shows exceptions", async () => {
    const plain = usernames.filter(name => /^[a-z]+$/.test(name)).slice(0, 5);
    expect(plain.length).toBeGreaterThan(0);
    const stderr = plain
      .map(
        name =>
          `Traceback (most recent call last):\n  File "/job/leak.py", line 7, in <module>\n    {}[r["username"]]\nKeyError: '${name}'\n\nThe above exception was the direct cause of the following exception:\n\nLookupError: profile lookup failed\n`
      )
      .join('\n');
    const verdict = await review({}, stderr);
    expect(verdict.decision).toBe('rejected');
    expect(verdict.findings[0]).toMatchObject({
      rule: 'identifier_value',
      file: 'stdout.txt'
    });
    expect(verdict.findings[0].message).toMatch(/usernames?/);
  });
});

describe('shuffled text', () => {
  it('refuses the words of a description in another order, with a number or a label before them', async () => {
    const shuffle = (text: string, seed: number) =>
      text
        .split(' ')
        .map((word, i) => [((i + 1) * 2654435761 + seed) % 1000, word] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, word]) => word)
        .join(' ');
    const lines = longTexts
      .slice(0, 10)
      .map((text, i) =>
        i % 2 ? `${i}. ${shuffle(text, i)}` : `text: ${shuffle(text, i)}`
      );
    const verdict = await review({ 'words.txt': lines.join('\n') + '\n' });
    expect(verdict.decision).toBe('rejected');
    const finding = verdict.findings.find(f => f.rule === 'shuffled_text')!;
    expect(finding).toMatchObject({ severity: 'fail', file: 'words.txt' });
    expect(finding.message).not.toContain(longTexts[0].split(' ')[0] + ' ');
  });

  it('lets ordinary sentences and word lists through', async () => {
    const verdict = await review({
      'words.txt':
        'The most common words were music, dance, food, travel, family, friends, love and summer.\n' +
        'We counted words per description and report the median by region below.\n'
    });
    expect(verdict.decision).toBe('approved');
  });
});
