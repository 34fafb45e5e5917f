import { Signal, type ISignal } from '@lumino/signaling';
import type { Outbox, OutboxMail } from '../api/types';

/**
 * The Inbox: the platform's mails to the primary researcher (`/vce/api/outbox`),
 * newest first, one of them selected. Pure state and text rules; no UI.
 */

/** What the inbox needs of the server (the VCE client, or a fake in tests). */
export interface IInboxApi {
  outbox(): Promise<Outbox>;
}

/** The event source it follows: a job's move to approved or rejected brings a mail. */
export interface IInboxEventSource {
  readonly received: ISignal<unknown, { type: string }>;
}

/** A mail's identity in the list: the job and the kind (one mail each). */
export const mailKey = (mail: Pick<OutboxMail, 'job_id' | 'kind'>): string =>
  `${mail.job_id}/${mail.kind}`;

/** The result link in a mail's text (`…/v2/vce/results/<token>`), if any. */
const RESULT_LINK = /https?:\/\/[^\s<>"]+\/v2\/vce\/results\/[A-Za-z0-9_-]+/;

export function resultLink(text: string): string | null {
  return RESULT_LINK.exec(text)?.[0] ?? null;
}

/** A mail's text cut into plain text and links (http and https), for rendering. */
export type TextPart = { kind: 'text' | 'link'; text: string };

export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const links = /https?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (const match of text.matchAll(links)) {
    const url = match[0].replace(/[.,;:)]+$/, '');
    const start = match.index ?? 0;
    if (start > last) {
      parts.push({ kind: 'text', text: text.slice(last, start) });
    }
    parts.push({ kind: 'link', text: url });
    last = start + url.length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
}

/** A mail's date for the list and headers, in the researcher's locale ("Dec 6, 2026, 9:14 PM"). */
export function mailDate(iso: string | null | undefined): string {
  const date = new Date(iso ?? '');
  return Number.isNaN(date.getTime())
    ? (iso ?? '')
    : date.toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short'
      });
}

/** What the view says of a mail's link, and whether it offers the link or the job's download. */
export type LinkAdvice =
  | { kind: 'none' }
  | { kind: 'active'; url: string; expiresAt: string | null }
  | { kind: 'expired'; url: string | null; expiresAt: string | null }
  | { kind: 'gone'; url: string | null }
  | { kind: 'moved'; url: string | null };

export function linkAdvice(mail: OutboxMail): LinkAdvice {
  const url = resultLink(mail.text);
  const link = mail.link;
  if (!link) {
    return { kind: 'none' };
  }
  if (link.state === 'active' && url) {
    return { kind: 'active', url, expiresAt: link.expires_at };
  }
  if (link.state === 'gone' || link.state === 'moved') {
    return { kind: link.state, url };
  }
  return { kind: 'expired', url, expiresAt: link.expires_at };
}

export interface IInboxModelOptions {
  api: IInboxApi;
  /** Wait this long after a job event before reading the outbox again (the mail follows the move). */
  eventDelayMs?: number;
}

export class InboxModel {
  constructor(options: IInboxModelOptions) {
    this._api = options.api;
    this._eventDelayMs = options.eventDelayMs ?? 500;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get messages(): readonly OutboxMail[] {
    return this._messages;
  }

  /** 'smtp' when the platform mails for real, 'outbox' when it keeps the mails in its folder. */
  get transport(): Outbox['transport'] | null {
    return this._transport;
  }

  get loading(): boolean {
    return this._loading;
  }

  get error(): string | null {
    return this._error;
  }

  /** Whether the outbox was read at least once. */
  get loaded(): boolean {
    return this._loaded;
  }

  get selected(): OutboxMail | null {
    return (
      this._messages.find(mail => mailKey(mail) === this._selected) ?? null
    );
  }

  /** Select a mail by its key (`job/kind`), or the newest mail of a job. */
  select(keyOrJob: string | null): void {
    if (keyOrJob !== null && !keyOrJob.includes('/')) {
      const mail = this._messages.find(item => item.job_id === keyOrJob);
      this._wanted = mail ? null : keyOrJob;
      keyOrJob = mail ? mailKey(mail) : this._selected;
    }
    this._selected = keyOrJob;
    this._changed.emit();
  }

  /** Read the outbox again (newest first); keeps the selection, else selects the newest. */
  async refresh(): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      const outbox = await this._api.outbox();
      this._messages = [...outbox.messages].sort((a, b) =>
        b.created_at.localeCompare(a.created_at)
      );
      this._transport = outbox.transport;
      this._error = null;
      this._loaded = true;
      if (this._wanted) {
        const wanted = this._messages.find(
          mail => mail.job_id === this._wanted
        );
        if (wanted) {
          this._selected = mailKey(wanted);
          this._wanted = null;
        }
      }
      if (!this.selected) {
        this._selected = this._messages[0] ? mailKey(this._messages[0]) : null;
      }
    } catch (error) {
      this._error = (error as Error).message;
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  /** Read the outbox again when a job reaches a verdict; returns the unsubscribe. */
  follow(source: IInboxEventSource): () => void {
    const onEvent = (_: unknown, event: { type: string }) => {
      const status = (event as { status?: string }).status;
      if (
        event.type === 'job' &&
        (status === 'approved' || status === 'rejected')
      ) {
        clearTimeout(this._timer);
        this._timer = setTimeout(() => void this.refresh(), this._eventDelayMs);
      }
    };
    source.received.connect(onEvent);
    return () => {
      clearTimeout(this._timer);
      source.received.disconnect(onEvent);
    };
  }

  private readonly _api: IInboxApi;
  private readonly _eventDelayMs: number;
  private readonly _changed = new Signal<this, void>(this);
  private _messages: OutboxMail[] = [];
  private _transport: Outbox['transport'] | null = null;
  private _loading = false;
  private _loaded = false;
  private _error: string | null = null;
  private _selected: string | null = null;
  private _wanted: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
}
