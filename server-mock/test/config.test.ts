import { parseCli, parseClientSpec, UsageError } from '../src/config';

describe('parseClientSpec', () => {
  it('reads KEY:SECRET with the default email', () => {
    expect(parseClientSpec('lab-1:s3cret')).toEqual({
      clientKey: 'lab-1',
      clientSecret: 's3cret',
      email: 'researcher@vce.localhost'
    });
  });
  it('reads KEY:SECRET:EMAIL, and secrets with colons', () => {
    expect(parseClientSpec('lab-1:a:b:c:pi@uni.example')).toEqual({
      clientKey: 'lab-1',
      clientSecret: 'a:b:c',
      email: 'pi@uni.example'
    });
    expect(parseClientSpec('lab-1:a:b')).toMatchObject({ clientSecret: 'a:b' });
  });
  it.each([
    ['nokey', /must be KEY:SECRET/],
    [':secret', /must be KEY:SECRET/],
    ['lab 1:secret', /may only hold letters/],
    ['lab-1:', /empty secret/]
  ])('refuses %s', (spec, message) => {
    expect(() => parseClientSpec(spec)).toThrow(UsageError);
    expect(() => parseClientSpec(spec)).toThrow(message);
  });
  it('never repeats the secret in its message', () => {
    expect(() => parseClientSpec('bad key:topsecret')).not.toThrow(/topsecret/);
  });
});

describe('parseCli', () => {
  it('has the documented defaults', () => {
    const config = parseCli([], { XDG_DATA_HOME: '/data' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8910,
      dataDir: '/data/vce-mock',
      clients: [],
      tokenTtlSeconds: 7200,
      dailyLimit: 5000,
      researchLimits: {
        dailyRequests: 1000,
        dailyRecords: 100_000,
        followDailyRequests: 20_000,
        followDailyRecords: 2_000_000,
        perMinute: 600
      },
      help: false
    });
  });
  it('takes the Research API limits and refuses bad ones', () => {
    const config = parseCli([
      '--research-daily-requests',
      '10',
      '--research-daily-records',
      '500',
      '--research-follow-daily-requests',
      '3',
      '--research-follow-daily-records',
      '300',
      '--research-per-minute',
      '2'
    ]);
    expect(config.researchLimits).toEqual({
      dailyRequests: 10,
      dailyRecords: 500,
      followDailyRequests: 3,
      followDailyRecords: 300,
      perMinute: 2
    });
    expect(() => parseCli(['--research-per-minute', '0'])).toThrow(
      '--research-per-minute must be a whole number from 1 to 1000000, not "0".'
    );
    expect(() => parseCli(['--research-daily-records', '1e5'])).toThrow(
      '--research-daily-records must be a whole number'
    );
  });
  it('takes repeated clients and numbers', () => {
    const config = parseCli([
      '--port',
      '0',
      '--client',
      'a:1',
      '--client',
      'b:2:b@x.org',
      '--token-ttl',
      '5'
    ]);
    expect(config.port).toBe(0);
    expect(config.clients.map(client => client.clientKey)).toEqual(['a', 'b']);
    expect(config.tokenTtlSeconds).toBe(5);
  });
  it('takes the execution-stage settings and the test-stage creator rule', () => {
    const config = parseCli([
      '--test-stage-min-followers',
      '25000',
      '--job-timeout',
      '60',
      '--review-threshold',
      '5',
      '--reviewer',
      'rev:pw'
    ]);
    expect(config.testStageMinFollowers).toBe(25000);
    expect(config.jobs).toMatchObject({ wallSeconds: 60, reviewThreshold: 5 });
    expect(config.reviewers).toEqual([
      expect.objectContaining({ clientKey: 'rev', role: 'reviewer' })
    ]);
    expect(parseCli([]).testStageMinFollowers).toBeNull();
  });
  it('takes one more client from VCE_MOCK_CLIENT', () => {
    const config = parseCli(['--client', 'a:1'], {
      VCE_MOCK_CLIENT: 'hidden:s3cret:pi@uni.example'
    });
    expect(config.clients).toEqual([
      { clientKey: 'a', clientSecret: '1', email: 'researcher@vce.localhost' },
      { clientKey: 'hidden', clientSecret: 's3cret', email: 'pi@uni.example' }
    ]);
  });
  it.each([
    [['--port', 'http'], /--port must be a whole number from 0 to 65535/],
    [['--port', '70000'], /--port must be a whole number/],
    [['--token-ttl', '0'], /--token-ttl must be a whole number from 1/],
    [
      ['--test-stage-min-followers', 'many'],
      /--test-stage-min-followers must be a whole number/
    ],
    [['--colour'], /Unknown option '--colour'/],
    [['stray'], /positional/]
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});
