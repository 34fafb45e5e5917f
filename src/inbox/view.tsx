import type { TranslationBundle } from '@jupyterlab/translation';
import { Button, ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';
import type { OutboxMail } from '../api/types';
import { RefreshButton } from '../common/RefreshButton';
import { exactTime } from '../jobs/format';
import {
  type InboxModel,
  type LinkAdvice,
  linkAdvice,
  mailDate,
  mailKey,
  textParts
} from './model';

/** What the inbox does outside itself: the job's detail, and its download into the workspace. */
export interface IInboxActions {
  openJob(jobId: string): void;
  downloadFromJob(jobId: string): void;
}

/** The Inbox (main area): the mails on the left, the selected one as the researcher reads it. */
export class InboxView extends ReactWidget {
  constructor(
    private readonly _model: InboxModel,
    private readonly _actions: IInboxActions,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-vce-Inbox');
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <Inbox
            model={this._model}
            actions={this._actions}
            trans={this._trans}
          />
        )}
      </UseSignal>
    );
  }
}

function Inbox(props: {
  model: InboxModel;
  actions: IInboxActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const selected = model.selected;
  return (
    <div className="jp-vce-Inbox-body">
      <nav
        className="jp-vce-Inbox-list"
        aria-label={trans.__('Mails to the primary researcher')}
      >
        <div className="jp-vce-Inbox-listHeader">
          <h2>{trans.__('Inbox')}</h2>
          <RefreshButton
            label={trans.__('Read the mails again')}
            onRefresh={() => void model.refresh()}
          />
        </div>
        {model.error && (
          <p className="jp-vce-Banner" data-kind="error" role="alert">
            {model.error}
          </p>
        )}
        {model.loaded && model.messages.length === 0 && (
          <p className="jp-vce-Hint">
            {trans.__(
              'No mail yet: the platform writes to the primary researcher when a job is approved (with the download link) or not released.'
            )}
          </p>
        )}
        <ul role="listbox" aria-label={trans.__('Mails')}>
          {model.messages.map(mail => (
            <li
              key={mailKey(mail)}
              role="option"
              aria-selected={selected === mail}
              className="jp-vce-Inbox-item"
              data-kind={mail.kind}
              tabIndex={0}
              onClick={() => model.select(mailKey(mail))}
              onKeyDown={event => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  model.select(mailKey(mail));
                }
              }}
            >
              <span className="jp-vce-Inbox-subject">{mail.subject}</span>
              <span className="jp-vce-Inbox-meta">
                <time
                  dateTime={mail.sent_at ?? mail.created_at}
                  title={exactTime(mail.sent_at ?? mail.created_at)}
                >
                  {mailDate(mail.sent_at ?? mail.created_at)}
                </time>
                {' · '}
                {mail.job_id}
              </span>
            </li>
          ))}
        </ul>
        {model.transport === 'outbox' && (
          <p className="jp-vce-Hint">
            {trans.__(
              'The local platform keeps its mails in its outbox folder instead of sending them: they are shown here as they would arrive.'
            )}
          </p>
        )}
      </nav>
      {selected ? (
        <MailView mail={selected} actions={props.actions} trans={trans} />
      ) : (
        <section className="jp-vce-Mail-view" />
      )}
    </div>
  );
}

function MailView(props: {
  mail: OutboxMail;
  actions: IInboxActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { mail, actions, trans } = props;
  const sent = mail.sent_at ?? mail.created_at;
  return (
    <article
      className="jp-vce-Mail-view"
      aria-label={trans.__('Mail: %1', mail.subject)}
    >
      <h2 className="jp-vce-Mail-subject">{mail.subject}</h2>
      <dl className="jp-vce-Mail-headers">
        <dt>{trans.__('To')}</dt>
        <dd>{mail.to}</dd>
        <dt>{trans.__('Date')}</dt>
        <dd>
          <time dateTime={sent} title={exactTime(sent)}>
            {mailDate(sent)}
          </time>
        </dd>
        <dt>{trans.__('Job')}</dt>
        <dd>
          <Button
            minimal
            small
            className="jp-vce-Mail-job"
            title={trans.__('Open the job in the Data Clean Room panel')}
            onClick={() => actions.openJob(mail.job_id)}
          >
            {mail.job_id}
          </Button>
        </dd>
      </dl>
      <LinkBox
        advice={linkAdvice(mail)}
        jobId={mail.job_id}
        actions={actions}
        trans={trans}
      />
      <pre className="jp-vce-Mail-text">
        {textParts(mail.text).map((part, index) =>
          part.kind === 'link' ? (
            <MailLink
              key={index}
              url={part.text}
              dead={linkAdvice(mail).kind !== 'active'}
            />
          ) : (
            <React.Fragment key={index}>{part.text}</React.Fragment>
          )
        )}
      </pre>
    </article>
  );
}

/** A link in the text: the result link downloads the zip; a dead one is shown, not followed. */
function MailLink(props: { url: string; dead: boolean }): JSX.Element {
  const isResult = props.url.includes('/v2/vce/results/');
  if (isResult && props.dead) {
    return <span className="jp-vce-Mail-deadLink">{props.url}</span>;
  }
  return (
    <a
      href={props.url}
      {...(isResult ? { download: '' } : { target: '_blank' })}
      rel="noopener noreferrer"
    >
      {props.url}
    </a>
  );
}

function LinkBox(props: {
  advice: LinkAdvice;
  jobId: string;
  actions: IInboxActions;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { advice, jobId, actions, trans } = props;
  if (advice.kind === 'none') {
    return null;
  }
  if (advice.kind === 'active') {
    return (
      <p className="jp-vce-Mail-link" data-state="active">
        <a
          className="jp-Button jp-mod-styled jp-mod-accept jp-vce-Mail-download"
          href={advice.url}
          download=""
          rel="noopener noreferrer"
        >
          {trans.__('Download the results (zip)')}
        </a>{' '}
        {advice.expiresAt
          ? trans.__(
              'The link works until %1 and needs no sign-in.',
              mailDate(advice.expiresAt)
            )
          : ''}
      </p>
    );
  }
  const why =
    advice.kind === 'gone'
      ? trans.__(
          "This mail's link no longer works: the platform no longer holds the release it pointed at."
        )
      : advice.kind === 'moved'
        ? trans.__(
            "This mail's link names an address the local platform no longer listens on: its port was taken when it restarted, so it took a new one."
          )
        : trans.__(
            "This mail's link expired at %1.",
            mailDate(advice.expiresAt)
          );
  return (
    <div
      className="jp-vce-Banner jp-vce-Mail-link"
      data-kind="warning"
      data-state={advice.kind}
      role="status"
    >
      <span>
        {why}{' '}
        {trans.__(
          'Download the results from the job instead (you are signed in, so no link is needed).'
        )}
      </span>{' '}
      <Button
        className="jp-vce-Mail-downloadFromJob"
        onClick={() => actions.downloadFromJob(jobId)}
      >
        {trans.__('Download into workspace')}
      </Button>
    </div>
  );
}
