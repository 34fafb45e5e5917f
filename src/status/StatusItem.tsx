import * as React from 'react';
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { shieldIcon } from '../icons';
import { formatCount } from '../common/format';
import {
  connectionLabel,
  formatReset,
  formatUsage,
  statusTooltip
} from './format';
import type { PlatformStatusModel } from './model';

/**
 * The status bar item: connection and records used today, e.g. "VCE 0 / 5,000".
 * Click (or Enter / Space) to sign in, retry, or see the details.
 */
export class VCEStatusItem extends ReactWidget {
  constructor(
    private readonly _model: PlatformStatusModel,
    private readonly _onActivate: () => void,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-vce-StatusItem');
    this.node.setAttribute('role', 'button');
    this.node.tabIndex = 0;
    this.node.addEventListener('click', this._onActivate);
    this.node.addEventListener('keydown', this._onKeyDown);
  }

  dispose(): void {
    this.node.removeEventListener('click', this._onActivate);
    this.node.removeEventListener('keydown', this._onKeyDown);
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => {
          const model = this._model;
          const phase = model.phase;
          const tooltip = statusTooltip(
            phase,
            model.status,
            model.requestError,
            new Date(),
            model.nextAttemptAt,
            this._trans
          );
          this.node.title = tooltip;
          this.node.setAttribute('aria-label', tooltip);
          this.node.dataset.phase = phase;
          return (
            <span className="jp-vce-StatusItem-content">
              <shieldIcon.react tag="span" className="jp-vce-StatusItem-icon" />
              <span className="jp-vce-StatusItem-label">
                {connectionLabel(phase, model.status, this._trans)}
              </span>
            </span>
          );
        }}
      </UseSignal>
    );
  }

  private readonly _onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this._onActivate();
    }
  };
}

/** Label for where the credentials came from. */
function sourceLabel(source: string | null, trans: TranslationBundle): string {
  switch (source) {
    case 'environment':
      return trans.__('environment (RQS_CLIENT_KEY / RQS_CLIENT_SECRET)');
    case 'sign_in':
      return trans.__('sign-in dialog');
    case 'embedded':
      return trans.__('embedded local platform');
    default:
      return trans.__('none');
  }
}

/** The details shown when a connected researcher clicks the status item. */
export function ConnectionDetails(props: {
  model: PlatformStatusModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const status = props.model.status;
  const rows: [string, string][] = [];
  if (status) {
    if (status.identity) {
      rows.push([trans.__('Client key'), status.identity.client_key]);
      rows.push([trans.__('Project'), status.identity.project.name]);
      rows.push([
        trans.__('Primary researcher'),
        status.identity.primary_researcher_email
      ]);
    }
    if (status.quota) {
      const quota = status.quota;
      rows.push([trans.__('Records used today'), formatUsage(quota)]);
      rows.push([trans.__('Records left today'), formatCount(quota.remaining)]);
      rows.push([
        trans.__('Quota resets'),
        formatReset(quota.resets_at, new Date(), trans)
      ]);
    }
    rows.push([
      trans.__('Platform'),
      status.embedded
        ? trans.__('%1 (embedded local platform)', status.platform_url ?? '')
        : (status.platform_url ?? trans.__('not configured'))
    ]);
    rows.push([
      trans.__('Credentials from'),
      status.hub_managed
        ? trans.__("the hub's login page")
        : sourceLabel(status.credentials_source, trans)
    ]);
    rows.push([trans.__('State'), status.platform.message]);
  }
  return (
    <table className="jp-vce-ConnectionDetails">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Wrap the details for a `Dialog` body. */
export function connectionDetailsWidget(
  model: PlatformStatusModel,
  trans: TranslationBundle
): ReactWidget {
  return ReactWidget.create(<ConnectionDetails model={model} trans={trans} />);
}
