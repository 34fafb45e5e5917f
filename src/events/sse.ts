/**
 * A parser of server-sent events (the WHATWG "event stream" format), fed
 * text as it arrives: lines are split on CR, LF or CRLF; `data` lines join
 * with "\n"; a blank line dispatches; comments (":") and unknown fields are
 * ignored; `id` sets the last event id; `retry` sets the reconnect delay.
 */

export interface IServerSentEvent {
  /** `event:` field, "message" when absent. */
  type: string;
  data: string;
  /** The last event id at dispatch (the stream's, not only this event's). */
  lastEventId: string;
}

export class ServerSentEventParser {
  /** The last `retry:` the server sent, in ms, or null. */
  retryMs: number | null = null;
  lastEventId = '';

  /** Parse a chunk; returns the events it completed. */
  feed(chunk: string): IServerSentEvent[] {
    this._buffer += chunk;
    const events: IServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this._buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (
        !match ||
        (match[0] === '\r' && match.index === this._buffer.length - 1)
      ) {
        break;
      }
      const line = this._buffer.slice(0, match.index);
      this._buffer = this._buffer.slice(match.index + match[0].length);
      const event = this._line(line);
      if (event) {
        events.push(event);
      }
    }
    return events;
  }

  private _line(line: string): IServerSentEvent | null {
    if (line === '') {
      if (this._data.length === 0) {
        this._type = '';
        return null;
      }
      const event = {
        type: this._type || 'message',
        data: this._data.join('\n'),
        lastEventId: this.lastEventId
      };
      this._data = [];
      this._type = '';
      return event;
    }
    if (line.startsWith(':')) {
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this._data.push(value);
        break;
      case 'event':
        this._type = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.retryMs = Number(value);
        }
        break;
    }
    return null;
  }

  private _buffer = '';
  private _data: string[] = [];
  private _type = '';
}
