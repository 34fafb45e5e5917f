"""JupyterLab server configuration for the Galata tests.

The embedded platform stand-in starts with known credentials (tests/credentials.ts
reads the same variables) and a fresh data directory, so every run starts at
0 records used today.
"""

import os
from pathlib import Path
from tempfile import mkdtemp

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object Jupyter passes in)

# The port: VCE_UI_TEST_PORT (default 8888), as playwright.config.js reads it.
c.ServerApp.port = int(os.environ.get("VCE_UI_TEST_PORT", "8888"))  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821 (machines and CI run as root)

# The embedded default: no RQS_API_URL, so the server extension starts server-mock, with its
# own client (vce-local-researcher, tests/credentials.ts) and no pair in the environment.
for name in ("RQS_API_URL", "RQS_CLIENT_KEY", "RQS_CLIENT_SECRET"):
    os.environ.pop(name, None)

# VCE_UI_TEST_PLATFORM_DIR: a given data directory, so that a test can restart a lab on the
# same platform data (tests/inbox.spec.ts: the mailed link works after the restart).
c.VCEApp.mock_data_dir = os.environ.get("VCE_UI_TEST_PLATFORM_DIR") or mkdtemp(  # noqa: F821
    prefix="vce-galata-platform-"
)
platform_dir = Path(c.VCEApp.mock_data_dir)  # noqa: F821
platform_dir.chmod(0o700)
# The local client's secret is known to the tests: it is written where the embedded platform
# keeps the secret it generates (jupyterlab_vce/embedded.py SECRET_FILE_NAME), so the lab
# treats it as generated (signout.spec.ts reveals it). The harness's own copy leaves the
# environment: signout.spec.ts checks that no variable of a kernel holds the secret.
secret_file = platform_dir / "embedded-client-secret"
secret_file.write_text(
    os.environ.pop("VCE_UI_TEST_CLIENT_SECRET", "galata-Secret-4f1c2e9a7b") + "\n",
    encoding="utf-8",
)
secret_file.chmod(0o600)
