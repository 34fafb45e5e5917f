"""JupyterHub configuration of a team deployment of jupyterlab-vce.

Each researcher signs in on the hub's login page with the client key and secret of their
research project (the platform's guide: "sign in using your Client key as the Username and
your Client secret as the Password") and gets a JupyterLab of their own, wired to the
platform. `bash scripts/start-hub.sh` installs what this needs and starts the hub with it;
`jupyterhub -f deploy/jupyterhub_config.py` does the same from an environment you installed.

Every setting a deployment changes comes from the environment (README, "Deploying for a team"):

  VCE_HUB_STATE_DIR        hub database, cookie secret, researchers' homes, the stand-in's data
                           (default: .hub/state beside this folder)
  VCE_HUB_IP, VCE_HUB_PORT where the hub listens (default 127.0.0.1:8000)
  VCE_HUB_API_PORT         the hub's internal API (default VCE_HUB_PORT + 81: 8081)
  VCE_HUB_PROXY_API_PORT   configurable-http-proxy's API (default VCE_HUB_PORT + 1: 8001)
  VCE_HUB_CLIENTS_FILE     the stand-in's researchers and reviewers (default STATE/clients.json)
  VCE_HUB_PLATFORM_PORT    the stand-in's port on 127.0.0.1 (default 8911)
  VCE_MOCK_BIN             the stand-in's command (default: `vce-mock` on PATH)
  VCE_HUB_PROXY_BIN        configurable-http-proxy (default: on PATH)
  VCE_HUB_TEAM_ADMINS      hub user names (comma-separated) with the vce-team-admin role
  RQS_API_URL              a real platform: no stand-in is started, sign-ins are checked there
  JUPYTERHUB_CRYPT_KEY     encrypts the researchers' secrets in the hub database (required)

Facts this relies on, with their sources: docs/research/hub-scaleout.md.
"""

import os
import shutil
import sys
from pathlib import Path

import jupyterhub

from jupyterlab_vce.hub import TEMPLATES_DIR

c = get_config()  # noqa: F821 (JupyterHub passes get_config to its config file)


def _env_port(name: str, default: int) -> int:
    """A port from the environment, or a message saying which variable is wrong."""
    raw = os.environ.get(name, "").strip()
    if not raw and default > 65535:
        sys.exit(f"jupyterhub_config: set {name}: its default ({default}) is past 65535.")
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        sys.exit(f"jupyterhub_config: {name}={raw!r} is not a port (1 to 65535).")
    return int(raw)


# --- where the hub keeps its state -------------------------------------------------------
# One folder for everything the hub writes, so a deployment is backed up (or wiped) as one.
STATE_DIR = Path(
    os.environ.get("VCE_HUB_STATE_DIR") or Path(__file__).resolve().parent.parent / ".hub" / "state"
).resolve()
STATE_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
# It holds the hub's database and cookie secret (and, from start-hub.sh, the crypt key and the
# clients file): only the hub's user may enter it. mkdir's mode does not change a folder that
# was there already, so a looser one is tightened here (and said).
if STATE_DIR.stat().st_mode & 0o077:
    print(
        f"jupyterhub_config: {STATE_DIR} was open to other users "
        f"(mode {STATE_DIR.stat().st_mode & 0o777:03o}); set to 0700.",
        file=sys.stderr,
    )
    STATE_DIR.chmod(0o700)
# The hub's database (users, servers, the encrypted auth_state): SQLite in the state folder.
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
# The key that signs the hub's cookies, created by the hub (mode 0600) on first start.
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")

# --- where it listens ----------------------------------------------------------------------
HUB_IP = os.environ.get("VCE_HUB_IP", "127.0.0.1")
HUB_PORT = _env_port("VCE_HUB_PORT", 8000)
# The public address (configurable-http-proxy listens here). Loopback by default: set
# VCE_HUB_IP=0.0.0.0 behind TLS (c.JupyterHub.ssl_cert/ssl_key or a reverse proxy) for a team.
c.JupyterHub.bind_url = f"http://{HUB_IP}:{HUB_PORT}"
# The hub's own API, which the proxy and the labs call (JupyterHub's default 8081 for 8000);
# derived from the public port so a second hub (the browser tests') never collides.
c.JupyterHub.hub_port = _env_port("VCE_HUB_API_PORT", HUB_PORT + 81)
# configurable-http-proxy from npm (deploy/package.json pins 5.3.0; start-hub.sh installs it).
c.ConfigurableHTTPProxy.command = [os.environ.get("VCE_HUB_PROXY_BIN") or "configurable-http-proxy"]
# The proxy's REST API, on loopback, one port above the public one (8001 for 8000).
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{_env_port('VCE_HUB_PROXY_API_PORT', HUB_PORT + 1)}"
)
# Its pid file in the state folder, so a hub that crashed finds (and stops) its old proxy.
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "proxy.pid")

# --- who may sign in: anyone whose client key and secret the platform accepts ---------------
# The login page and the check of the pair against the platform's token route
# (jupyterlab_vce.hub, the `vce` entry point of jupyterhub.authenticators).
c.JupyterHub.authenticator_class = "vce"
# The VCE's login page ("Client key", "Client secret") extends JupyterHub's own login.html.
c.JupyterHub.template_paths = [TEMPLATES_DIR]
# The secret is kept only in the encrypted auth_state, from which each lab gets it at spawn.
c.Authenticator.enable_auth_state = True
# JupyterHub 5+ lets nobody in unless told who may: the platform decides who may sign in
# (every pair its token route accepts), so the hub allows every user the authenticator accepts.
c.Authenticator.allow_all = True
# The secret is encrypted with JUPYTERHUB_CRYPT_KEY (hex, 32 bytes: `openssl rand -hex 32`;
# start-hub.sh keeps one in STATE/crypt-key, mode 0600). Without it the secret cannot be kept.
if not os.environ.get("JUPYTERHUB_CRYPT_KEY"):
    sys.exit(
        "jupyterhub_config: JUPYTERHUB_CRYPT_KEY is not set; the researchers' secrets are kept "
        "encrypted with it. Set it (export JUPYTERHUB_CRYPT_KEY=$(openssl rand -hex 32), and keep "
        "it: a new key signs everyone out) or start with `bash scripts/start-hub.sh`."
    )

# Signing out stops the researcher's lab (JupyterHub: "Shuts down all user servers on logout").
# A lab then never outlives the sign-in that gave it its client secret: the next sign-in
# checks the pair against the platform and spawns a lab with the pair just checked, so a
# researcher whose secret changed never keeps a lab that holds the old one.
c.JupyterHub.shutdown_on_logout = True
# Admins: none by default, and do not list researchers in admin_users. JupyterHub's built-in
# `admin` role holds `admin:users`, which includes `admin:auth_state`: an admin reads every
# researcher's client secret through the REST API (GET /hub/api/users/NAME, auth_state). The
# role cannot be narrowed: JupyterHub 5.5 and 6.x refuse any other scopes for `admin`
# (jupyterhub/roles.py create_role: "Cannot override admin role"). For people who look after
# the hub, VCE_HUB_TEAM_ADMINS (comma-separated hub user names) grants the role below instead:
# the admin page, the users list, start and stop the labs; no auth_state, no tokens, no
# access to the labs (a lab's environment holds its researcher's secret).
TEAM_ADMIN_SCOPES = [
    "admin-ui",
    "users",
    "delete:users",
    "read:roles",
    "servers",
    "read:hub",
    "list:services",
    "read:services",
]
TEAM_ADMINS = [name.strip() for name in os.environ.get("VCE_HUB_TEAM_ADMINS", "").split(",")]
c.JupyterHub.load_roles = [
    {
        "name": "vce-team-admin",
        "description": "Look after the hub without reading researchers' secrets",
        "scopes": TEAM_ADMIN_SCOPES,
        "users": [name for name in TEAM_ADMINS if name],
    }
]

# --- the platform: a real one (RQS_API_URL), or the stand-in as a managed service -----------
PLATFORM_URL = os.environ.get("RQS_API_URL", "").strip().rstrip("/")
CLIENTS_FILE = Path(os.environ.get("VCE_HUB_CLIENTS_FILE") or STATE_DIR / "clients.json")
if not PLATFORM_URL:
    PLATFORM_PORT = _env_port("VCE_HUB_PLATFORM_PORT", 8911)
    PLATFORM_URL = f"http://127.0.0.1:{PLATFORM_PORT}"
    VCE_MOCK = os.environ.get("VCE_MOCK_BIN") or shutil.which("vce-mock")
    if not VCE_MOCK:
        sys.exit(
            "jupyterhub_config: the platform stand-in `vce-mock` is not on PATH. Install its "
            "npm package (scripts/start-hub.sh does), set VCE_MOCK_BIN, or set RQS_API_URL "
            "to a real platform."
        )
    if not CLIENTS_FILE.is_file():
        sys.exit(
            f"jupyterhub_config: no clients file at {CLIENTS_FILE}: the stand-in's researchers "
            "and reviewers (deploy/clients.example.json shows the form). Set "
            "VCE_HUB_CLIENTS_FILE, or start with scripts/start-hub.sh, which makes a demo one."
        )
    service = {
        # The hub starts the stand-in with itself and stops it on exit.
        "name": "vce-platform",
        "command": [
            VCE_MOCK,
            "--host",
            "127.0.0.1",
            "--port",
            str(PLATFORM_PORT),
            # The team's researchers and reviewers (vce-mock --clients-file).
            "--clients-file",
            str(CLIENTS_FILE),
            # Its database, public data and mail outbox, beside the hub's state.
            "--data-dir",
            str(STATE_DIR / "platform"),
        ],
        # With a url the hub waits for the stand-in to answer before it takes sign-ins, and a
        # stand-in that exits (a bad clients file) stops the hub's start with its message in
        # the log. The hub also routes /services/vce-platform/ to it; nothing uses that route:
        # the hub and the labs (same machine) call the platform at this loopback URL.
        "url": PLATFORM_URL,
        "cwd": str(STATE_DIR),
        # An API, not a page: not listed on the hub's home page.
        "display": False,
    }
    if jupyterhub.version_info >= (6,):
        # A first start generates the stand-in's synthetic public data (~5 s on 2 cores,
        # server-mock/README.md); the 30 s default leaves little margin on a slow disk.
        # `timeout` is new in JupyterHub 6.0 (5.5 refuses unknown service fields).
        service["timeout"] = 120
    c.JupyterHub.services = [service]

# Where the hub checks each client key and secret, and where the labs reach the platform.
c.VCEAuthenticator.platform_url = PLATFORM_URL

# --- one JupyterLab per researcher ------------------------------------------------------------
# SimpleLocalProcessSpawner: each lab is a process on this machine with a home folder of its
# own, but every lab runs as the hub's own Unix user: no isolation at all. A researcher's
# terminal or kernel can read the other researchers' homes and, through /proc, their labs'
# environments (their client secrets). JupyterHub says it is for testing only. Use it for a
# demo or a rehearsal on your own machine; a real deployment gives each researcher a system
# user (LocalProcessSpawner, with PAM or a user per client key), a container (DockerSpawner),
# a pod (KubeSpawner, deploy/z2jh/) or a batch job (batchspawner on Slurm, deploy/slurm/):
# docs/scaling.md.
c.JupyterHub.spawner_class = "simple"
# One home per researcher (the hub user name is the normalised client key).
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE_DIR / "homes" / "{username}")
# The lab server from the hub's own environment (the wheel and its [hub] extra put it there).
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
# Researchers land in JupyterLab (with this extension), not the classic tree.
c.Spawner.default_url = "/lab"
# Machines and CI often run as root; jupyter_server then refuses to start without this.
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]
# The first start of a lab builds nothing but loads JupyterLab: allow a slow disk time.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
