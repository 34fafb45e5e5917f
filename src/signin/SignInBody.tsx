import * as React from 'react';
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type {
  ICredentials,
  ILocalClient,
  ILocalClientSecret
} from '../api/types';
import { eyeIcon, eyeOffIcon } from '../icons';
import { LocalClientDetails } from './LocalClient';
import '../../style/dialogs.css';

/** The embedded platform's client, and how to ask for its secret. */
export interface ISignInLocal extends ILocalClient {
  reveal: () => Promise<ILocalClientSecret>;
}

interface ISignInFormProps {
  initial: ICredentials;
  error: string | null;
  trans: TranslationBundle;
  onChange: (values: ICredentials) => void;
  /** Set when the platform is the embedded stand-in. */
  local?: ISignInLocal;
}

/** Client key and secret, the secret hidden until the eye is pressed. */
export function SignInForm(props: ISignInFormProps): JSX.Element {
  const { trans } = props;
  const [values, setValues] = React.useState<ICredentials>(props.initial);
  const [revealed, setRevealed] = React.useState(false);
  const update = (change: Partial<ICredentials>) => {
    const next = { ...values, ...change };
    setValues(next);
    props.onChange(next);
  };
  const ToggleIcon = revealed ? eyeOffIcon : eyeIcon;
  return (
    <form
      className="jp-vce-SignIn"
      onSubmit={event => event.preventDefault()}
      aria-describedby="jp-vce-SignIn-help"
    >
      <p id="jp-vce-SignIn-help" className="jp-vce-SignIn-help">
        {props.local
          ? trans.__(
              "This lab's platform is the local stand-in it started: there is no Research projects page. Sign in with the local platform's own client, below (its secret is kept in a file on the Jupyter server's machine)."
            )
          : trans.__(
              'Use the client key and client secret of your research project (Research projects page → your project → client details). The secret stays on the Jupyter server; this page never sees it again.'
            )}
      </p>
      <label className="jp-vce-SignIn-label" htmlFor="jp-vce-client-key">
        {trans.__('Client key')}
      </label>
      <input
        id="jp-vce-client-key"
        name="client_key"
        className="jp-mod-styled jp-vce-SignIn-input"
        autoComplete="username"
        spellCheck={false}
        value={values.client_key}
        onChange={event => update({ client_key: event.target.value })}
      />
      <label className="jp-vce-SignIn-label" htmlFor="jp-vce-client-secret">
        {trans.__('Client secret')}
      </label>
      <div className="jp-vce-SignIn-secret">
        <input
          id="jp-vce-client-secret"
          name="client_secret"
          className="jp-mod-styled jp-vce-SignIn-input"
          type={revealed ? 'text' : 'password'}
          autoComplete="current-password"
          spellCheck={false}
          value={values.client_secret}
          onChange={event => update({ client_secret: event.target.value })}
        />
        <button
          type="button"
          className="jp-Button jp-mod-minimal jp-vce-SignIn-reveal"
          aria-pressed={revealed}
          aria-label={
            revealed
              ? trans.__('Hide the secret')
              : trans.__('Display the secret')
          }
          title={
            revealed
              ? trans.__('Hide the secret')
              : trans.__('Display the secret')
          }
          onClick={() => setRevealed(!revealed)}
        >
          <ToggleIcon.react tag="span" />
        </button>
      </div>
      {props.local && (
        <LocalClientDetails
          local={props.local}
          reveal={props.local.reveal}
          trans={trans}
          explain={false}
          onUse={secret =>
            update({
              client_key: secret.client_key,
              client_secret: secret.client_secret
            })
          }
        />
      )}
      {props.error && (
        <p className="jp-vce-SignIn-error" role="alert">
          {props.error}
        </p>
      )}
    </form>
  );
}

/** The sign-in dialog's body: its value is what the researcher typed. */
export class SignInBody
  extends ReactWidget
  implements Dialog.IBodyWidget<ICredentials>
{
  constructor(
    private readonly _options: {
      initial: ICredentials;
      error: string | null;
      trans: TranslationBundle;
      local?: ISignInLocal;
    }
  ) {
    super();
    this._values = { ..._options.initial };
    this.addClass('jp-vce-SignInBody');
  }

  getValue(): ICredentials {
    return {
      client_key: this._values.client_key.trim(),
      client_secret: this._values.client_secret
    };
  }

  protected render(): JSX.Element {
    return (
      <SignInForm
        initial={this._options.initial}
        error={this._options.error}
        trans={this._options.trans}
        local={this._options.local}
        onChange={values => (this._values = values)}
      />
    );
  }

  private _values: ICredentials;
}
