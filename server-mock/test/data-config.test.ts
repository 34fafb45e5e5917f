import { parseCli, USAGE, UsageError } from '../src/config';

describe('public data flags', () => {
  it('default to 100,000 videos, seed 1, no fixture', () => {
    expect(parseCli([], {})).toMatchObject({
      videos: 100_000,
      seed: 1,
      fixtureData: null
    });
  });
  it('read --videos, --seed and --fixture-data', () => {
    expect(
      parseCli(
        ['--videos', '1000000', '--seed', '42', '--fixture-data', 'f.json'],
        {}
      )
    ).toMatchObject({
      videos: 1_000_000,
      seed: 42,
      fixtureData: 'f.json'
    });
    expect(
      parseCli(['--videos', '5000000', '--seed', '4294967295'], {})
    ).toMatchObject({ videos: 5_000_000, seed: 4_294_967_295 });
  });
  it.each([
    [['--videos', '0'], /--videos must be a whole number from 1 to 5000000/],
    [['--videos', '5000001'], /--videos/],
    [['--videos', '1e6'], /--videos/],
    [['--seed', '-1'], /--seed/],
    [['--seed', '4294967296'], /--seed/],
    [['--fixture-data', ' '], /--fixture-data must name a file/]
  ])('refuse %j', (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(UsageError);
    expect(() => parseCli(argv, {})).toThrow(message);
  });
  it('are in the usage text', () => {
    expect(USAGE).toMatch(/--videos N/);
    expect(USAGE).toMatch(/--seed S/);
    expect(USAGE).toMatch(/--fixture-data FILE/);
  });
});
