import { Signal } from '@lumino/signaling';
import type { IVCEStatus } from '../../api/types';
import { bridgeEventsToStatus } from '../../events/bridge';
import type { PlatformEventStream } from '../../events/stream';
import type { PlatformStatusModel } from '../../status/model';
import { makeStatus, signedOut } from '../helpers/status-fixtures';

/** The two sides the bridge wires: a status model whose answer the test sets, a stream that counts connects. */
function setUp(initial: IVCEStatus | null) {
  const status = {
    status: initial,
    changed: new Signal<object, void>({}),
    applyQuota: jest.fn()
  };
  const events = {
    connect: jest.fn(),
    received: new Signal<object, unknown>({})
  };
  const undo = bridgeEventsToStatus(
    events as unknown as PlatformEventStream,
    status as unknown as PlatformStatusModel
  );
  const answer = (next: IVCEStatus) => {
    status.status = next;
    status.changed.emit();
  };
  return { status, events, answer, undo };
}

describe('bridgeEventsToStatus', () => {
  it("opens a researcher's stream once signed in, and again after a sign-in as someone else", () => {
    const { events, answer } = setUp(signedOut());
    expect(events.connect).not.toHaveBeenCalled();
    answer(makeStatus());
    expect(events.connect).toHaveBeenCalledTimes(1);
    answer(makeStatus()); // the same client: the stream stays
    expect(events.connect).toHaveBeenCalledTimes(1);
    const other = makeStatus();
    answer({
      ...other,
      identity: { ...other.identity!, client_key: 'another-researcher' }
    });
    expect(events.connect).toHaveBeenCalledTimes(2);
  });

  it("never opens a reviewer client's stream (the platform has none for reviewers)", () => {
    const researcher = makeStatus();
    const { events } = setUp({
      ...researcher,
      identity: { ...researcher.identity!, role: 'reviewer' }
    });
    expect(events.connect).not.toHaveBeenCalled();
  });

  it('moves the status on quota events until undone', () => {
    const { status, events, undo } = setUp(makeStatus());
    const quota = makeStatus().quota!;
    events.received.emit({ type: 'quota', ...quota });
    expect(status.applyQuota).toHaveBeenCalledWith(quota);
    undo();
    events.received.emit({ type: 'quota', ...quota });
    expect(status.applyQuota).toHaveBeenCalledTimes(1);
  });
});
