/**
 * The Inbox's model: the outbox read newest first, the selection (by key or
 * by job, even before its mail arrives), the links found in a mail's text,
 * and what the view says of a link (active, expired, gone).
 */
import { Signal } from '@lumino/signaling';
import type { Outbox, OutboxMail } from '../../api/types';
import { LINK, makeMail } from '../helpers/inbox-fixtures';
import {
  InboxModel,
  linkAdvice,
  mailKey,
  resultLink,
  textParts
} from '../../inbox/model';

function fakeApi(messages: OutboxMail[]) {
  const outbox = jest.fn(async (): Promise<Outbox> => ({
    transport: 'outbox',
    messages
  }));
  return { outbox };
}

describe('a mail text', () => {
  it('gives its result link', () => {
    expect(resultLink(makeMail().text)).toBe(LINK);
    expect(resultLink('no link here')).toBeNull();
  });

  it('is cut into text and links, the text kept exactly ("<10", never &lt;10)', () => {
    const text = `write them as "<10". See ${LINK}. Or https://example.org/a).`;
    const parts = textParts(text);
    expect(parts).toEqual([
      { kind: 'text', text: 'write them as "<10". See ' },
      { kind: 'link', text: LINK },
      { kind: 'text', text: '. Or ' },
      { kind: 'link', text: 'https://example.org/a' },
      { kind: 'text', text: ').' }
    ]);
    expect(parts.map(part => part.text).join('')).toBe(text);
  });
});

describe('linkAdvice', () => {
  it('offers the link while it works', () => {
    expect(linkAdvice(makeMail())).toEqual({
      kind: 'active',
      url: LINK,
      expiresAt: '2026-12-13T21:15:43.603Z'
    });
  });

  it('says an expired or gone link is dead (the view offers the job download)', () => {
    expect(
      linkAdvice(
        makeMail({
          link: { state: 'expired', expires_at: '2026-12-01T00:00:00Z' }
        })
      )
    ).toEqual({
      kind: 'expired',
      url: LINK,
      expiresAt: '2026-12-01T00:00:00Z'
    });
    expect(
      linkAdvice(makeMail({ link: { state: 'gone', expires_at: null } }))
    ).toEqual({ kind: 'gone', url: LINK });
    expect(
      linkAdvice(
        makeMail({
          link: { state: 'moved', expires_at: '2026-12-13T21:15:43.603Z' }
        })
      )
    ).toEqual({ kind: 'moved', url: LINK });
  });

  it('has nothing to say of a rejection', () => {
    expect(
      linkAdvice(makeMail({ kind: 'rejected', text: 'Hello', link: null }))
    ).toEqual({ kind: 'none' });
  });
});

describe('InboxModel', () => {
  const older = makeMail({
    job_id: 'job_old',
    kind: 'rejected',
    link: null,
    created_at: '2026-12-06T20:00:00.000Z'
  });
  const newer = makeMail({ job_id: 'job_new' });

  it('reads the outbox newest first and selects the newest mail', async () => {
    const model = new InboxModel({ api: fakeApi([older, newer]) });
    await model.refresh();
    expect(model.messages.map(mail => mail.job_id)).toEqual([
      'job_new',
      'job_old'
    ]);
    expect(model.selected?.job_id).toBe('job_new');
    expect(model.transport).toBe('outbox');
    model.select(mailKey(older));
    expect(model.selected).toBe(older);
    await model.refresh();
    expect(model.selected?.job_id).toBe('job_old');
  });

  it("selects a job's mail, also when it arrives with the next read", async () => {
    const messages = [older];
    const model = new InboxModel({ api: fakeApi(messages) });
    await model.refresh();
    model.select('job_new'); // not mailed yet
    expect(model.selected?.job_id).toBe('job_old');
    messages.push(newer);
    await model.refresh();
    expect(model.selected?.job_id).toBe('job_new');
    model.select('job_old');
    expect(model.selected?.job_id).toBe('job_old');
  });

  it('says why the outbox could not be read', async () => {
    const model = new InboxModel({
      api: {
        outbox: jest.fn(async () => {
          throw new Error('The platform is not reachable.');
        })
      }
    });
    await model.refresh();
    expect(model.error).toBe('The platform is not reachable.');
    expect(model.loading).toBe(false);
  });

  it('reads the outbox again when a job reaches a verdict, not on other events', async () => {
    jest.useFakeTimers();
    try {
      const api = fakeApi([]);
      const model = new InboxModel({ api, eventDelayMs: 10 });
      const received = new Signal<unknown, { type: string }>({});
      const stop = model.follow({ received });
      received.emit({ type: 'quota' });
      received.emit({ type: 'job', status: 'running' } as never);
      jest.advanceTimersByTime(20);
      expect(api.outbox).not.toHaveBeenCalled();
      received.emit({ type: 'job', status: 'approved' } as never);
      jest.advanceTimersByTime(20);
      expect(api.outbox).toHaveBeenCalledTimes(1);
      stop();
      received.emit({ type: 'job', status: 'rejected' } as never);
      jest.advanceTimersByTime(20);
      expect(api.outbox).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
