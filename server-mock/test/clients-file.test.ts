import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mergeClients,
  modeWarning,
  parseClientsFile,
  readClientsFile
} from '../src/clients-file';
import { UsageError } from '../src/config';

const TEAM = {
  researchers: [
    {
      client_key: 'lab-a',
      client_secret: 'secret-A-1',
      email: 'a@uni.example',
      project_name: 'Hashtags in 2024'
    },
    { client_key: 'lab-b', client_secret: 'secret-B-2', email: 'b@uni.example' }
  ],
  reviewers: [
    {
      client_key: 'rev-1',
      client_secret: 'secret-R-3',
      email: 'rev@uni.example'
    }
  ]
};

function parse(data: unknown): ReturnType<typeof parseClientsFile> {
  return parseClientsFile(JSON.stringify(data), 'team.json');
}

describe('parseClientsFile', () => {
  it('reads researchers (with an optional project name) and reviewers', () => {
    expect(parse(TEAM)).toEqual({
      researchers: [
        {
          clientKey: 'lab-a',
          clientSecret: 'secret-A-1',
          email: 'a@uni.example',
          projectName: 'Hashtags in 2024',
          role: 'researcher'
        },
        {
          clientKey: 'lab-b',
          clientSecret: 'secret-B-2',
          email: 'b@uni.example',
          role: 'researcher'
        }
      ],
      reviewers: [
        {
          clientKey: 'rev-1',
          clientSecret: 'secret-R-3',
          email: 'rev@uni.example',
          role: 'reviewer'
        }
      ]
    });
  });

  it('takes a file with one of the two lists', () => {
    expect(parse({ reviewers: TEAM.reviewers }).researchers).toEqual([]);
    expect(parse({ researchers: TEAM.researchers }).reviewers).toEqual([]);
  });

  it.each([
    ['not JSON', '{"researchers": [', /team\.json is not valid JSON/],
    ['a list', '[]', /must hold an object \{"researchers"/],
    ['an empty file', '{}', /lists no researchers and no reviewers/],
    [
      'a misspelt list',
      '{"researcher": []}',
      /unknown key\(s\) "researcher"; it holds "researchers" and "reviewers"/
    ],
    [
      'a list that is not one',
      '{"reviewers": {}}',
      /"reviewers" must be a list/
    ]
  ])('refuses %s, naming the file', (_what, text, message) => {
    expect(() => parseClientsFile(text, 'team.json')).toThrow(UsageError);
    expect(() => parseClientsFile(text, 'team.json')).toThrow(message);
  });

  it.each([
    [
      'an entry that is not an object',
      { researchers: ['lab-a:secret'] },
      'researchers[0] must be an object with client_key, client_secret and email.'
    ],
    [
      'a missing secret',
      { researchers: [{ client_key: 'lab-a', email: 'a@uni.example' }] },
      'researchers[0] needs "client_secret" (a string).'
    ],
    [
      'an empty secret',
      {
        researchers: [
          TEAM.researchers[0],
          { client_key: 'lab-b', client_secret: '', email: 'b@uni.example' }
        ]
      },
      'researchers[1] "lab-b:…" has an empty secret.'
    ],
    [
      'a key with a space',
      {
        reviewers: [
          { client_key: 'rev 1', client_secret: 'x', email: 'r@uni.example' }
        ]
      },
      'reviewers[0] key "rev 1" may only hold letters, digits'
    ],
    [
      'a bad email',
      {
        researchers: [
          { client_key: 'lab-a', client_secret: 'x', email: 'nobody' }
        ]
      },
      'researchers[0] "lab-a" has the email "nobody": write it as name@domain.'
    ],
    [
      'an unknown field',
      {
        researchers: [
          {
            client_key: 'lab-a',
            secret: 'x',
            client_secret: 'y',
            email: 'a@uni.example'
          }
        ]
      },
      'researchers[0] has unknown field(s) "secret"'
    ],
    [
      'an empty project name',
      {
        researchers: [
          {
            client_key: 'lab-a',
            client_secret: 'y',
            email: 'a@uni.example',
            project_name: ' '
          }
        ]
      },
      'researchers[0] "project_name" must be a non-empty string'
    ],
    [
      'a key given twice',
      {
        researchers: [TEAM.researchers[0]],
        reviewers: [{ ...TEAM.reviewers[0], client_key: 'lab-a' }]
      },
      'reviewers[0] repeats the client key "lab-a" of researchers[0]'
    ]
  ])('refuses %s, naming the file and the entry', (_what, data, message) => {
    expect(() => parse(data)).toThrow(UsageError);
    expect(() => parse(data)).toThrow(`--clients-file team.json: ${message}`);
  });

  it('never repeats a secret in its messages', () => {
    const data = {
      researchers: [
        { client_key: 'bad key', client_secret: 'topsecret', email: 'a@b.c' }
      ]
    };
    expect(() => parse(data)).toThrow(UsageError);
    expect(() => parse(data)).not.toThrow(/topsecret/);
  });
});

describe('modeWarning', () => {
  it('is quiet for a file only its owner reads', () => {
    expect(modeWarning('team.json', 0o100600)).toBeNull();
    expect(modeWarning('team.json', 0o100400)).toBeNull();
  });
  it.each([0o100644, 0o100640, 0o100604])(
    'warns when others may read it (%o)',
    mode => {
      expect(modeWarning('team.json', mode)).toMatch(
        /other users of this machine can read it \(mode 6\d\d\): run chmod 600 team\.json/
      );
    }
  );
});

describe('readClientsFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vce-clients-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a 0600 file without a warning', () => {
    const path = join(dir, 'team.json');
    writeFileSync(path, JSON.stringify(TEAM), { mode: 0o600 });
    const warnings: string[] = [];
    const file = readClientsFile(path, message => warnings.push(message));
    expect(file.researchers.map(spec => spec.clientKey)).toEqual([
      'lab-a',
      'lab-b'
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns about a world-readable file and still reads it', () => {
    const path = join(dir, 'team.json');
    writeFileSync(path, JSON.stringify(TEAM));
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    expect(
      readClientsFile(path, message => warnings.push(message)).reviewers
    ).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining('chmod 600')]);
    expect(warnings.join('')).not.toContain('secret-A-1');
  });

  it('says so when the file does not exist', () => {
    const path = join(dir, 'missing.json');
    expect(() => readClientsFile(path, () => undefined)).toThrow(
      `--clients-file ${path} does not exist.`
    );
  });
});

describe('mergeClients', () => {
  const file = parse(TEAM);

  it('adds the file to the flags, researchers and reviewers apart', () => {
    const flag = { clientKey: 'solo', clientSecret: 's', email: 's@x.org' };
    const merged = mergeClients({ clients: [flag], reviewers: [] }, file);
    expect(merged.clients.map(spec => spec.clientKey)).toEqual([
      'solo',
      'lab-a',
      'lab-b'
    ]);
    expect(merged.reviewers.map(spec => spec.clientKey)).toEqual(['rev-1']);
  });

  it('keeps the flags alone without a file', () => {
    const flags = { clients: [], reviewers: [] };
    expect(mergeClients(flags, null)).toBe(flags);
  });

  it('refuses a key in both a flag and the file', () => {
    const flag = { clientKey: 'lab-b', clientSecret: 's', email: 's@x.org' };
    expect(() =>
      mergeClients({ clients: [flag], reviewers: [] }, file, 'team.json')
    ).toThrow(
      'The client key "lab-b" is in --clients-file team.json and in a flag'
    );
  });
});
