/** Small pieces the views share: a status badge, a relative time, the message banner. */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import {
  exactTime,
  relativeTime,
  jobStatusLabel,
  statusExplanation,
  statusTone
} from '../format';
import type { IPanelContext } from './context';

export function StatusBadge(props: {
  status: string;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <span
      className="jp-vce-Badge"
      data-tone={statusTone(props.status)}
      data-status={props.status}
      title={statusExplanation(props.status, props.trans)}
    >
      {jobStatusLabel(props.status, props.trans)}
    </span>
  );
}

export function Time(props: {
  iso: string | null | undefined;
  now: number;
  trans: TranslationBundle;
}): JSX.Element | null {
  if (!props.iso) {
    return null;
  }
  return (
    <time dateTime={props.iso} title={exactTime(props.iso)}>
      {relativeTime(props.iso, props.now, props.trans)}
    </time>
  );
}

export function Banner(props: { context: IPanelContext }): JSX.Element | null {
  const { actions, trans } = props.context;
  const banner = actions.state.banner;
  if (!banner) {
    return null;
  }
  return (
    <div
      className="jp-vce-Banner"
      data-kind={banner.kind}
      role={banner.kind === 'error' ? 'alert' : 'status'}
    >
      <span className="jp-vce-Banner-text">{banner.text}</span>
      {banner.jobId && actions.state.selected !== banner.jobId && (
        <button
          className="jp-vce-LinkButton"
          onClick={() => void actions.open(banner.jobId!)}
        >
          {trans.__('Show job')}
        </button>
      )}
      <button
        className="jp-vce-LinkButton"
        aria-label={trans.__('Dismiss message')}
        title={trans.__('Dismiss message')}
        onClick={() => (actions.state.banner = null)}
      >
        ×
      </button>
    </div>
  );
}
