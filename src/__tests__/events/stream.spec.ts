import { ServerSentEventParser } from '../../events/sse';
import { PlatformEventStream, type PlatformEvent } from '../../events/stream';
import { bridgeEventsToStatus } from '../../events/bridge';
import { PlatformStatusModel } from '../../status/model';
import { makeStatus, signedOut } from '../helpers/status-fixtures';

/** A streaming Response whose body the test writes to. */
function controllableResponse(status = 200) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream({
    start: (c: ReadableStreamDefaultController<Uint8Array>) => (controller = c)
  });
  const encoder = new TextEncoder();
  return {
    response: {
      ok: status >= 200 && status < 300,
      status,
      body
    } as unknown as Response,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close()
  };
}

// jsdom has no streams or text codecs: Node's, as the browser's stand-ins.
declare const require: (id: string) => any;
const { ReadableStream } = require('stream/web');
const { TextDecoder, TextEncoder } = require('util');
Object.assign(globalThis, { ReadableStream, TextDecoder, TextEncoder });

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('ServerSentEventParser', () => {
  it('dispatches on a blank line, joins data lines, keeps ids and retry, skips comments', () => {
    const parser = new ServerSentEventParser();
    expect(
      parser.feed('retry: 2000\n: a comment\n\nid: 4\nevent: job\ndata: {"a":')
    ).toEqual([]);
    expect(parser.retryMs).toBe(2000);
    const events = parser.feed('1}\ndata: second line\n\n');
    expect(events).toEqual([
      { type: 'job', data: '{"a":1}\nsecond line', lastEventId: '4' }
    ]);
    expect(parser.lastEventId).toBe('4');
  });

  it('accepts CRLF and CR line ends, even split across chunks', () => {
    const parser = new ServerSentEventParser();
    expect(parser.feed('data: one\r')).toEqual([]);
    expect(parser.feed('\n\r\ndata: two\r\r')).toEqual([
      { type: 'message', data: 'one', lastEventId: '' }
    ]);
    // The trailing CR may be half of a CRLF: the event comes with the next chunk.
    expect(parser.feed('\n')).toEqual([
      { type: 'message', data: 'two', lastEventId: '' }
    ]);
  });

  it('ignores unknown fields and a retry that is not a number', () => {
    const parser = new ServerSentEventParser();
    expect(parser.feed('retry: soon\nfoo: bar\ndata\n\n')).toEqual([
      { type: 'message', data: '', lastEventId: '' }
    ]);
    expect(parser.retryMs).toBeNull();
  });
});

describe('PlatformEventStream', () => {
  let stream: PlatformEventStream;
  afterEach(() => stream?.dispose());

  it('emits typed job and quota events and drops what it does not know', async () => {
    const connection = controllableResponse();
    stream = new PlatformEventStream({ open: async () => connection.response });
    const seen: PlatformEvent[] = [];
    stream.received.connect((_, event) => seen.push(event));
    stream.connect();
    await flush();
    expect(stream.state).toBe('open');
    connection.write(
      'event: quota\ndata: {"type":"quota","day":"2026-11-25","daily_limit":5000,"used":10,"remaining":4990,"resets_at":"2026-11-26T00:00:00Z"}\n\n'
    );
    connection.write(
      'id: 3\nevent: job\ndata: {"type":"job","job_id":"job_1","status":"running","at":"2026-11-25T10:00:00Z"}\n\n'
    );
    connection.write(
      'event: other\ndata: {}\n\nevent: job\ndata: not json\n\n'
    );
    await flush();
    expect(seen).toEqual([
      {
        type: 'quota',
        day: '2026-11-25',
        daily_limit: 5000,
        used: 10,
        remaining: 4990,
        resets_at: '2026-11-26T00:00:00Z'
      },
      {
        type: 'job',
        job_id: 'job_1',
        status: 'running',
        at: '2026-11-25T10:00:00Z'
      }
    ]);
  });

  it('reconnects after the stream ends, with backoff, resuming after the last event id', async () => {
    jest.useFakeTimers();
    try {
      const first = controllableResponse();
      const second = controllableResponse();
      const open = jest
        .fn()
        .mockResolvedValueOnce(first.response)
        .mockResolvedValueOnce(second.response);
      stream = new PlatformEventStream({
        open,
        retry: { initialMs: 1000, maxMs: 8000, jitter: 0 }
      });
      stream.connect();
      await jest.advanceTimersByTimeAsync(0);
      first.write(
        'id: 41\nevent: job\ndata: {"job_id":"j","status":"queued","at":"x"}\n\n'
      );
      first.end();
      await jest.advanceTimersByTimeAsync(0);
      expect(stream.state).toBe('waiting');
      expect(open).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(999);
      expect(open).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(open).toHaveBeenCalledTimes(2);
      expect(open.mock.calls[1][1]).toBe('41');
    } finally {
      jest.useRealTimers();
    }
  });

  it('backs off further on each failure to connect, and waits longest while signed out', async () => {
    jest.useFakeTimers();
    try {
      const open = jest
        .fn()
        .mockRejectedValueOnce(new TypeError('network'))
        .mockRejectedValueOnce(new TypeError('network'))
        .mockResolvedValueOnce({
          ok: false,
          status: 401,
          body: null
        } as unknown as Response)
        .mockResolvedValue(controllableResponse().response);
      stream = new PlatformEventStream({
        open,
        retry: { initialMs: 1000, maxMs: 8000, jitter: 0 }
      });
      stream.connect();
      await jest.advanceTimersByTimeAsync(0);
      expect(open).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1000); // 1st failure: 1 s
      expect(open).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(1999); // 2nd failure: 2 s
      expect(open).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(open).toHaveBeenCalledTimes(3);
      await jest.advanceTimersByTimeAsync(7999); // 401: the longest step
      expect(open).toHaveBeenCalledTimes(3);
      await jest.advanceTimersByTimeAsync(1);
      expect(open).toHaveBeenCalledTimes(4);
    } finally {
      jest.useRealTimers();
    }
  });

  it("stops when the stream is refused (403: a reviewer client's token) until connected again", async () => {
    jest.useFakeTimers();
    try {
      const open = jest
        .fn()
        .mockResolvedValueOnce({
          ok: false,
          status: 403,
          body: null
        } as unknown as Response)
        .mockResolvedValue(controllableResponse().response);
      stream = new PlatformEventStream({
        open,
        retry: { initialMs: 1000, maxMs: 8000, jitter: 0 }
      });
      stream.connect();
      await jest.advanceTimersByTimeAsync(0);
      expect(open).toHaveBeenCalledTimes(1);
      expect(stream.state).toBe('idle');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(open).toHaveBeenCalledTimes(1);
      stream.connect();
      await jest.advanceTimersByTimeAsync(0);
      expect(open).toHaveBeenCalledTimes(2);
      expect(stream.state).toBe('open');
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops for good when disposed', async () => {
    const connection = controllableResponse();
    let signal: AbortSignal | null = null;
    stream = new PlatformEventStream({
      open: async s => {
        signal = s;
        return connection.response;
      }
    });
    stream.connect();
    await flush();
    stream.dispose();
    expect(signal!.aborted).toBe(true);
    expect(stream.isDisposed).toBe(true);
  });
});

describe('bridgeEventsToStatus', () => {
  it('shows a quota event at once and opens the stream when signed in', async () => {
    const status = new PlatformStatusModel({
      client: {
        getStatus: jest.fn(async () => makeStatus()),
        signIn: jest.fn(),
        signOut: jest.fn(async () => signedOut())
      }
    });
    const connection = controllableResponse();
    const open = jest.fn(async () => connection.response);
    const stream = new PlatformEventStream({ open });
    const undo = bridgeEventsToStatus(stream, status);
    expect(open).not.toHaveBeenCalled();
    await status.refresh();
    await flush();
    expect(open).toHaveBeenCalledTimes(1);
    const changes = jest.fn();
    status.changed.connect(changes);
    connection.write(
      'event: quota\ndata: {"type":"quota","day":"2026-11-25","daily_limit":5000,"used":10,"remaining":4990,"resets_at":"2026-11-26T00:00:00Z"}\n\n'
    );
    await flush();
    expect(status.status!.quota).toEqual({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 10,
      remaining: 4990,
      resets_at: '2026-11-26T00:00:00Z'
    });
    expect(changes).toHaveBeenCalledTimes(1);
    // The same figures again change nothing; an older day is ignored.
    connection.write(
      'event: quota\ndata: {"type":"quota","day":"2026-11-25","daily_limit":5000,"used":10,"remaining":4990,"resets_at":"2026-11-26T00:00:00Z"}\n\n'
    );
    connection.write(
      'event: quota\ndata: {"type":"quota","day":"2026-11-24","daily_limit":5000,"used":99,"remaining":4901,"resets_at":"2026-11-25T00:00:00Z"}\n\n'
    );
    await flush();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(status.status!.quota!.used).toBe(10);
    undo();
    stream.dispose();
    status.dispose();
  });

  it('does not apply quota while signed out', async () => {
    const status = new PlatformStatusModel({
      client: {
        getStatus: jest.fn(async () => signedOut()),
        signIn: jest.fn(),
        signOut: jest.fn()
      }
    });
    await status.refresh();
    status.applyQuota({
      day: '2026-11-25',
      daily_limit: 5000,
      used: 10,
      remaining: 4990,
      resets_at: '2026-11-26T00:00:00Z'
    });
    expect(status.status!.quota).toBeNull();
    status.dispose();
  });
});
