import { PlatformStatusModel } from '../../status/model';
import type { IVCEStatus } from '../../api/types';
import { VCEApiError } from '../../api/request';
import {
  makeStatus,
  notConfigured,
  signedOut,
  unreachable
} from '../helpers/status-fixtures';

/** A client whose answers the test queues up. */
function scriptedClient(answers: Array<IVCEStatus | Error>) {
  const calls = { getStatus: 0 };
  return {
    calls,
    getStatus: jest.fn(async () => {
      calls.getStatus += 1;
      const next = answers.length > 1 ? answers.shift()! : answers[0];
      if (next instanceof Error) {
        throw next;
      }
      return next;
    }),
    signIn: jest.fn(async () => makeStatus({ credentials_source: 'sign_in' })),
    signOut: jest.fn(async () => signedOut())
  };
}

const retry = { initialMs: 1000, maxMs: 8000, jitter: 0 };

describe('PlatformStatusModel', () => {
  let model: PlatformStatusModel;
  afterEach(() => model?.dispose());

  it('is loading until the first answer, then connected with the quota', async () => {
    const client = scriptedClient([makeStatus()]);
    model = new PlatformStatusModel({ client, retry });
    expect(model.phase).toBe('loading');
    const changed = jest.fn();
    model.changed.connect(changed);
    await model.start();
    await model.refresh();
    expect(model.phase).toBe('connected');
    expect(model.status?.quota?.remaining).toBe(5000);
    expect(changed).toHaveBeenCalled();
    expect(model.nextAttemptAt).toBeNull();
  });

  it('backs off while the platform is unreachable and recovers when it answers', async () => {
    const client = scriptedClient([
      unreachable(),
      unreachable(),
      unreachable(),
      makeStatus()
    ]);
    const now = 1_000_000;
    model = new PlatformStatusModel({ client, retry, now: () => now });
    await model.refresh();
    expect(model.phase).toBe('unreachable');
    expect(model.failures).toBe(1);
    expect(model.nextAttemptAt).toBe(now + 1000);
    await model.refresh();
    expect(model.nextAttemptAt).toBe(now + 2000);
    await model.refresh();
    expect(model.failures).toBe(3);
    expect(model.nextAttemptAt).toBe(now + 4000);
    await model.refresh();
    expect(model.phase).toBe('connected');
    expect(model.failures).toBe(0);
    expect(model.nextAttemptAt).toBeNull();
  });

  it('does not back off when no platform is configured: nothing changes until a restart', async () => {
    const client = scriptedClient([notConfigured()]);
    model = new PlatformStatusModel({ client, retry, now: () => 1_000_000 });
    await model.refresh();
    expect(model.phase).toBe('not-configured');
    expect(model.failures).toBe(0);
    expect(model.nextAttemptAt).toBeNull();
  });

  it('retries on its own after the backoff delay', async () => {
    jest.useFakeTimers();
    try {
      const client = scriptedClient([unreachable(), makeStatus()]);
      model = new PlatformStatusModel({
        client,
        retry,
        refreshIntervalMs: 60_000
      });
      const first = model.refresh();
      await jest.advanceTimersByTimeAsync(20); // an immediate tick waits for a frame
      await first;
      expect(model.phase).toBe('unreachable');
      const before = client.calls.getStatus;
      await jest.advanceTimersByTimeAsync(1100);
      expect(client.calls.getStatus).toBe(before + 1);
      expect(model.phase).toBe('connected');
      // Back to the slow rhythm: nothing more within the next 30 s.
      await jest.advanceTimersByTimeAsync(30_000);
      expect(client.calls.getStatus).toBe(before + 1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports an unavailable server extension without throwing', async () => {
    const client = scriptedClient([
      new VCEApiError(
        404,
        'server_extension_missing',
        'The jupyterlab_vce server extension is not answering.'
      )
    ]);
    model = new PlatformStatusModel({ client, retry });
    await model.refresh();
    expect(model.phase).toBe('unavailable');
    expect(model.requestError).toBe(
      'The jupyterlab_vce server extension is not answering.'
    );
    expect(model.failures).toBe(1);
  });

  it('takes the answers of sign-in and sign-out at once', async () => {
    const client = scriptedClient([signedOut()]);
    model = new PlatformStatusModel({ client, retry });
    await model.refresh();
    expect(model.phase).toBe('signed-out');
    await model.signIn({ client_key: 'k', client_secret: 's' });
    expect(client.signIn).toHaveBeenCalledWith({
      client_key: 'k',
      client_secret: 's'
    });
    expect(model.phase).toBe('connected');
    await model.signOut();
    expect(model.phase).toBe('signed-out');
  });

  it('lets a refused sign-in reach the caller and keeps the state', async () => {
    const client = scriptedClient([signedOut()]);
    client.signIn.mockRejectedValueOnce(
      new VCEApiError(
        401,
        'invalid_client',
        'Client key or secret is incorrect.'
      )
    );
    model = new PlatformStatusModel({ client, retry });
    await model.refresh();
    await expect(
      model.signIn({ client_key: 'k', client_secret: 'bad' })
    ).rejects.toThrow('Client key or secret is incorrect.');
    expect(model.phase).toBe('signed-out');
  });
});
