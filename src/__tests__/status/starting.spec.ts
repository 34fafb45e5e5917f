import { nullTranslator } from '@jupyterlab/translation';
import { PlatformStatusModel } from '../../status/model';
import { connectionLabel, phaseOf, statusTooltip } from '../../status/format';
import type { IVCEStatus } from '../../api/types';
import { makeStatus } from '../helpers/status-fixtures';

const trans = nullTranslator.load('jupyterlab_vce');
const STARTING_MESSAGE =
  'The local platform is starting; try again in a moment.';

/** The status while the embedded platform was spawned but does not answer yet. */
const starting = (): IVCEStatus =>
  makeStatus({
    platform_url: null,
    identity: null,
    quota: null,
    platform: { state: 'starting', message: STARTING_MESSAGE }
  });

describe('the starting state of the embedded platform', () => {
  it('is its own phase', () => {
    expect(phaseOf(starting(), null)).toBe('starting');
  });

  it('shows "Platform starting…" in the status bar', () => {
    expect(connectionLabel('starting', starting(), trans)).toBe(
      'Platform starting…'
    );
  });

  it('says in the tooltip that it moves on by itself', () => {
    const tooltip = statusTooltip(
      'starting',
      starting(),
      null,
      new Date(),
      null,
      trans
    );
    expect(tooltip).toBe(
      `${STARTING_MESSAGE} The status moves on by itself as soon as it answers.`
    );
  });

  it('asks every second while starting, not as a failure, then connects', async () => {
    jest.useFakeTimers();
    let model: PlatformStatusModel | undefined;
    try {
      const answers = [starting(), starting(), makeStatus()];
      let calls = 0;
      const client = {
        getStatus: jest.fn(async () => {
          calls += 1;
          return answers.length > 1 ? answers.shift()! : answers[0];
        }),
        signIn: jest.fn(),
        signOut: jest.fn()
      };
      model = new PlatformStatusModel({
        client,
        retry: { initialMs: 10_000, maxMs: 60_000, jitter: 0 },
        refreshIntervalMs: 60_000
      });
      const first = model.refresh();
      await jest.advanceTimersByTimeAsync(20); // an immediate tick waits for a frame
      await first;
      expect(model.phase).toBe('starting');
      expect(model.failures).toBe(0);
      expect(model.nextAttemptAt).toBeNull();
      await jest.advanceTimersByTimeAsync(1_100);
      expect(calls).toBe(2);
      expect(model.phase).toBe('starting');
      await jest.advanceTimersByTimeAsync(1_100);
      expect(calls).toBe(3);
      expect(model.phase).toBe('connected');
      // Back to the slow rhythm once connected.
      await jest.advanceTimersByTimeAsync(30_000);
      expect(calls).toBe(3);
    } finally {
      model?.dispose();
      jest.useRealTimers();
    }
  });
});
