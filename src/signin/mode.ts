/**
 * Who signs the researcher in: JupyterHub's login page, or the lab's own
 * sign-in dialog. A pure decision from JupyterLab's page config, so the
 * plugin only wires it.
 *
 * jupyterhub-singleuser sets the page config `hubPrefix` (e.g. "/hub/"),
 * `hubHost` and `hubUser` for every lab it serves (jupyterhub
 * `jupyterhub/singleuser/extension.py` `page_config_hook`); a lab started
 * by hand has none of them.
 */

/** 'hub': the hub's login page signs in and out; 'in-lab': the sign-in dialog. */
export type SignInMode = 'hub' | 'in-lab';

/** Reads one page config option ('' when absent), as `PageConfig.getOption`. */
export type PageOption = (name: string) => string;

/** The JupyterLab command of @jupyterlab/hub-extension that logs out of the hub. */
export const HUB_LOGOUT_COMMAND = 'hub:logout';

/** 'hub' when jupyterhub-singleuser serves this lab (a non-empty `hubPrefix`). */
export function signInMode(option: PageOption): SignInMode {
  return option('hubPrefix').trim() ? 'hub' : 'in-lab';
}

/**
 * The hub's logout page, e.g. "https://hub.example.org/hub/logout": what
 * `hub:logout` ends on, for labs built without @jupyterlab/hub-extension.
 * Null outside a hub.
 */
export function hubLogoutUrl(option: PageOption): string | null {
  const prefix = option('hubPrefix').trim();
  if (!prefix) {
    return null;
  }
  const host = option('hubHost').trim().replace(/\/+$/, '');
  const path = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${host}${path.startsWith('/') ? '' : '/'}${path}logout`;
}

/** What signing out of the hub needs of JupyterLab (the app's command registry, the window). */
export interface IHubSignOut {
  hasCommand: (id: string) => boolean;
  execute: (id: string) => Promise<unknown>;
  /** Go to a page: `window.location.assign`. */
  navigate: (url: string) => void;
  logoutUrl: string;
}

/**
 * Sign out of the hub: JupyterLab's `hub:logout` when the lab has it, else
 * the hub's logout page itself. Either way the hub ends the session and shows
 * its login page. Resolves which way it took.
 */
export async function signOutOfHub(
  hub: IHubSignOut
): Promise<'command' | 'page'> {
  if (hub.hasCommand(HUB_LOGOUT_COMMAND)) {
    await hub.execute(HUB_LOGOUT_COMMAND);
    return 'command';
  }
  hub.navigate(hub.logoutUrl);
  return 'page';
}
