import { Signal } from '@lumino/signaling';
import {
  ILeaderStream,
  ITabChannel,
  ITabLocks,
  SharedEventStream,
  TabMessage
} from '../../events/shared';
import type { PlatformEvent, StreamState } from '../../events/stream';

/** The browser's side, for several tabs: one lock manager and one channel bus. */
class Browser {
  readonly locks: ITabLocks = {
    request: (name, options, callback) =>
      new Promise((resolve, reject) => {
        const waiter = { callback, resolve };
        options.signal?.addEventListener('abort', () => {
          const index = this._queue.indexOf(waiter);
          if (index >= 0) {
            this._queue.splice(index, 1);
            reject(new Error('aborted'));
          }
        });
        this._queue.push(waiter);
        this._grant();
      })
  };

  channel(): ITabChannel {
    const channel: ITabChannel = {
      onmessage: null,
      postMessage: (message: TabMessage) => {
        for (const other of this._channels) {
          if (other !== channel) {
            other.onmessage?.({ data: JSON.parse(JSON.stringify(message)) });
          }
        }
      },
      close: () => {
        this._channels = this._channels.filter(other => other !== channel);
      }
    };
    this._channels.push(channel);
    return channel;
  }

  private _grant(): void {
    if (this._held || this._queue.length === 0) {
      return;
    }
    const { callback, resolve } = this._queue.shift()!;
    this._held = true;
    void callback().then(() => {
      this._held = false;
      resolve(undefined);
      this._grant();
    });
  }

  private _queue: {
    callback: () => Promise<void>;
    resolve: (value: unknown) => void;
  }[] = [];
  private _held = false;
  private _channels: ITabChannel[] = [];
}

/** A leader's stream that the test drives. */
class FakeStream implements ILeaderStream {
  readonly received = new Signal<this, PlatformEvent>(this);
  readonly stateChanged = new Signal<this, StreamState>(this);
  state: StreamState = 'idle';
  connects = 0;
  isDisposed = false;
  connect(): void {
    this.connects += 1;
    this.state = 'open';
    this.stateChanged.emit('open');
  }
  dispose(): void {
    this.isDisposed = true;
  }
}

const QUOTA = {
  type: 'quota',
  day: '2026-12-07',
  daily_limit: 5000,
  used: 10,
  remaining: 4990,
  resets_at: '2026-12-08T00:00:00Z'
} as PlatformEvent;

/** Tabs of one lab in `browser`, and the streams their leaders opened. */
function tabsOf(browser: Browser) {
  const streams: FakeStream[] = [];
  const tab = () =>
    new SharedEventStream({
      name: 'events:/lab/',
      lead: () => {
        const stream = new FakeStream();
        streams.push(stream);
        return stream;
      },
      locks: browser.locks,
      channel: browser.channel()
    });
  return { tab, streams };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('SharedEventStream', () => {
  it('one tab holds the stream; every tab gets its events and its state', async () => {
    const { tab, streams } = tabsOf(new Browser());
    const tabs = [tab(), tab(), tab(), tab(), tab(), tab(), tab()];
    await settle();
    for (const each of tabs) {
      each.connect(); // each tab's bridge, once it sees a sign-in
    }
    await settle();
    expect(streams).toHaveLength(1);
    expect(tabs.filter(each => each.isLeader)).toHaveLength(1);
    expect(tabs.map(each => each.state)).toEqual(Array(7).fill('open'));

    const seen = tabs.map(() => [] as PlatformEvent[]);
    tabs.forEach((each, index) =>
      each.received.connect((_, event) => seen[index].push(event))
    );
    streams[0].received.emit(QUOTA);
    expect(seen).toEqual(Array(7).fill([QUOTA]));
    for (const each of tabs) {
      each.dispose();
    }
  });

  it('when the leading tab goes, the next one opens the stream', async () => {
    const { tab, streams } = tabsOf(new Browser());
    const first = tab();
    const second = tab();
    await settle();
    first.connect();
    second.connect();
    await settle();
    expect(first.isLeader).toBe(true);

    first.dispose();
    await settle();
    expect(streams[0].isDisposed).toBe(true);
    expect(second.isLeader).toBe(true);
    expect(streams).toHaveLength(2);
    expect(streams[1].connects).toBe(1);
    const seen: PlatformEvent[] = [];
    second.received.connect((_, event) => seen.push(event));
    streams[1].received.emit(QUOTA);
    expect(seen).toEqual([QUOTA]);
    second.dispose();
  });

  it("a follower's sign-in makes the leader connect again", async () => {
    const browser = new Browser();
    const stream = new FakeStream();
    const leader = new SharedEventStream({
      name: 'n',
      lead: () => stream,
      locks: browser.locks,
      channel: browser.channel()
    });
    await settle();
    const follower = new SharedEventStream({
      name: 'n',
      lead: () => new FakeStream(),
      locks: browser.locks,
      channel: browser.channel()
    });
    await settle();
    expect(stream.connects).toBe(0);
    follower.connect();
    expect(stream.connects).toBe(1);
    leader.dispose();
    follower.dispose();
  });
});
