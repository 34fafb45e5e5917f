/**
 * Under JupyterHub (page config `hubPrefix`, set by jupyterhub-singleuser)
 * the hub's login page signs in and out: the decision and the sign-out path.
 */
import {
  HUB_LOGOUT_COMMAND,
  hubLogoutUrl,
  signInMode,
  signOutOfHub
} from '../../signin/mode';

/** A page config as `PageConfig.getOption` reads it: '' for what is absent. */
function pageConfig(values: Record<string, string>) {
  return (name: string) => values[name] ?? '';
}

describe('signInMode', () => {
  it('is the hub when jupyterhub-singleuser set a hub prefix', () => {
    expect(
      signInMode(pageConfig({ hubPrefix: '/hub/', hubUser: 'alice' }))
    ).toBe('hub');
  });

  it('is the in-lab dialog without one (or with a blank one)', () => {
    expect(signInMode(pageConfig({}))).toBe('in-lab');
    expect(signInMode(pageConfig({ hubPrefix: '  ' }))).toBe('in-lab');
  });
});

describe('hubLogoutUrl', () => {
  it("is the hub's logout page, on the hub's host when it has its own", () => {
    expect(hubLogoutUrl(pageConfig({ hubPrefix: '/hub/' }))).toBe(
      '/hub/logout'
    );
    expect(
      hubLogoutUrl(
        pageConfig({
          hubPrefix: '/team/hub/',
          hubHost: 'https://vce.example.org/'
        })
      )
    ).toBe('https://vce.example.org/team/hub/logout');
    expect(hubLogoutUrl(pageConfig({ hubPrefix: 'hub' }))).toBe('/hub/logout');
  });

  it('is null outside a hub', () => {
    expect(hubLogoutUrl(pageConfig({}))).toBeNull();
  });
});

describe('signOutOfHub', () => {
  it("runs JupyterLab's hub:logout when the lab has it", async () => {
    const execute = jest.fn(async () => undefined);
    const navigate = jest.fn();
    const way = await signOutOfHub({
      hasCommand: id => id === HUB_LOGOUT_COMMAND,
      execute,
      navigate,
      logoutUrl: '/hub/logout'
    });
    expect(way).toBe('command');
    expect(execute).toHaveBeenCalledWith('hub:logout');
    expect(navigate).not.toHaveBeenCalled();
  });

  it("goes to the hub's logout page when the lab lacks hub:logout", async () => {
    const execute = jest.fn(async () => undefined);
    const navigate = jest.fn();
    const way = await signOutOfHub({
      hasCommand: () => false,
      execute,
      navigate,
      logoutUrl: '/hub/logout'
    });
    expect(way).toBe('page');
    expect(navigate).toHaveBeenCalledWith('/hub/logout');
    expect(execute).not.toHaveBeenCalled();
  });
});
