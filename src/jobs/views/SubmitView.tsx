/** The "Submit" section of the jobs panel. */
import { PathExt } from '@jupyterlab/coreutils';
import * as React from 'react';
import { droppedPath, hasDroppablePath } from '../drop';
import { isScriptPath } from '../submission';
import type { IPanelContext } from './context';
import { HowAJobRuns } from './HowAJobRuns';
import { useChanges } from './hooks';
import { Banner } from './parts';

/** The "Submit" section: the active script, a searchable picker, a drop zone. */
export function SubmitView(props: { context: IPanelContext }): JSX.Element {
  const { actions, trans } = props.context;
  const { state } = actions;
  useChanges([state.changed, actions.model.changed]);
  const [picking, setPicking] = React.useState(false);
  const [scripts, setScripts] = React.useState<string[] | null>(null);
  const [query, setQuery] = React.useState('');
  const [dragging, setDragging] = React.useState(false);
  const signedIn = actions.model.phase !== 'signed-out';
  const chosen = state.chosenPath;
  const current = state.target;
  const submittable = current !== null && isScriptPath(current);
  const busy = state.busy !== null;
  // Why Submit and Test run are disabled, said on the buttons themselves.
  const blocked = !signedIn
    ? trans.__('Sign in to the Virtual Compute Environment first.')
    : current === null
      ? trans.__(
          'Open a script or notebook, choose one from the workspace, or drop one here.'
        )
      : !submittable
        ? trans.__(
            '"%1" is not a Python script (.py) or notebook (.ipynb).',
            PathExt.basename(current)
          )
        : busy
          ? trans.__('Wait for "%1" to finish.', state.busy)
          : null;

  const openPicker = async () => {
    setPicking(true);
    setScripts(null);
    setScripts(await actions.listScripts());
  };
  const shown = (scripts ?? []).filter(path =>
    path.toLowerCase().includes(query.trim().toLowerCase())
  );

  const onDrop = (event: React.DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const path = droppedPath(event.dataTransfer);
    if (path) {
      state.chosenPath = path;
      void actions.submit(path);
    } else {
      state.banner = {
        kind: 'error',
        text: trans.__(
          'Drop a .py or .ipynb file from the file browser: files from the computer must be uploaded to the workspace first.'
        )
      };
    }
  };

  return (
    <div
      className={`jp-vce-Submit${dragging ? ' jp-mod-dragging' : ''}`}
      onDragOver={event => {
        if (hasDroppablePath(event.dataTransfer)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Banner context={props.context} />
      {!signedIn && (
        <p className="jp-vce-Hint">
          {trans.__(
            'Sign in to the Virtual Compute Environment to submit scripts.'
          )}{' '}
          <button className="jp-vce-LinkButton" onClick={props.context.signIn}>
            {trans.__('Sign in…')}
          </button>
        </p>
      )}
      <div className="jp-vce-Submit-current" aria-live="polite">
        <span className="jp-vce-Submit-label">{trans.__('Script')}</span>
        {current ? (
          <span
            className="jp-vce-Submit-path"
            title={current}
            data-path={current}
          >
            {PathExt.basename(current)}
            {!submittable && (
              <span className="jp-vce-Hint jp-vce-Submit-notScript">
                {' '}
                {trans.__('(not a .py or .ipynb file)')}
              </span>
            )}
          </span>
        ) : (
          <span className="jp-vce-Hint">
            {trans.__('Open a script or notebook, pick one, or drop one here.')}
          </span>
        )}
        {chosen && (
          <button
            className="jp-vce-LinkButton"
            onClick={() => (state.chosenPath = null)}
            title={trans.__('Use the active document again')}
          >
            {trans.__('use active')}
          </button>
        )}
      </div>
      <label className="jp-vce-Check">
        <input
          type="checkbox"
          checked={state.withCompanions}
          onChange={event =>
            (state.withCompanions = event.currentTarget.checked)
          }
        />{' '}
        {trans.__(
          "Include the folder's companion files (modules, small inputs)"
        )}
      </label>
      <div className="jp-vce-Submit-buttons">
        <button
          className="jp-mod-styled jp-mod-accept jp-vce-SubmitButton"
          disabled={blocked !== null}
          onClick={() => current && void actions.submit(current)}
          title={
            blocked ??
            trans.__('Submit the script to run against all public data')
          }
        >
          {trans.__('Submit…')}
        </button>
        <button
          className="jp-mod-styled jp-vce-TestRunButton"
          disabled={blocked !== null}
          onClick={() =>
            current && void actions.submit(current, { testRun: true })
          }
          title={
            blocked ??
            trans.__(
              'Run on the test-stage sample and see what the review would say, without releasing anything'
            )
          }
        >
          {trans.__('Test run…')}
        </button>
        <button
          className="jp-mod-styled jp-vce-PickButton"
          aria-expanded={picking}
          onClick={() => (picking ? setPicking(false) : void openPicker())}
        >
          {picking
            ? trans.__('Close list')
            : trans.__('Choose from workspace…')}
        </button>
      </div>
      {busy && (
        <p className="jp-vce-Busy" role="status">
          <span className="jp-vce-Spinner" aria-hidden="true" /> {state.busy}
        </p>
      )}
      {picking && (
        <div className="jp-vce-Picker">
          <input
            className="jp-mod-styled jp-vce-Picker-search"
            type="search"
            placeholder={trans.__('Search scripts')}
            aria-label={trans.__('Search scripts in the workspace')}
            value={query}
            autoFocus
            onChange={event => setQuery(event.currentTarget.value)}
          />
          {scripts === null ? (
            <p className="jp-vce-Hint">{trans.__('Looking for scripts…')}</p>
          ) : shown.length === 0 ? (
            <p className="jp-vce-Hint">
              {scripts.length === 0
                ? trans.__('No .py or .ipynb files in the workspace yet.')
                : trans.__('No script matches "%1".', query)}
            </p>
          ) : (
            <ul
              className="jp-vce-Picker-list"
              aria-label={trans.__('Scripts in the workspace')}
            >
              {shown.map(path => (
                <li key={path}>
                  <button
                    className="jp-vce-Picker-item"
                    aria-pressed={chosen === path}
                    title={path}
                    onClick={() => {
                      state.chosenPath = path;
                      setPicking(false);
                    }}
                  >
                    {path}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <HowAJobRuns trans={trans} />
    </div>
  );
}
