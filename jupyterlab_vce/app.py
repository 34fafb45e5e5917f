"""The server extension: settings, routes, the embedded platform's lifetime, the kernels' access."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp

from .config import ENV_API_URL, VCEConfig
from .credentials import Credentials, CredentialsSource, configured_credentials
from .embedded import (
    SECRET_FILE_NAME,
    EmbeddedPlatform,
    MockNotFound,
    MockStartError,
    embedded_credentials,
    export_environment,
)
from .handlers import EMBEDDED_SETTING, LOCAL_CLIENT_SETTING, PLATFORM_SETTING
from .kernel_access import (
    KernelAccess,
    export_kernel_environment,
    kernel_route_url,
    scrub_credentials,
)
from .kernel_proxy import KERNEL_ACCESS_SETTING
from .local_client import LocalClient, local_client_of
from .platform_client import PlatformClient
from .routes import KERNEL_ROUTES, ROUTES


class VCEApp(ExtensionApp, VCEConfig):
    """Keeps the platform credentials on the server and serves ``/vce/api/``.

    Configure with ``c.VCEApp.<setting>`` (see :class:`~jupyterlab_vce.config.VCEConfig`).
    """

    name = "jupyterlab_vce"
    description = "The Virtual Compute Environment's platform, seen from JupyterLab."

    embedded_platform: EmbeddedPlatform | None = None
    local_client: LocalClient | None = None
    kernel_access: KernelAccess

    def initialize_settings(self) -> None:
        # Read the pair (configuration or environment) first, then take it out of the
        # environment: kernels and terminals started from now on do not inherit it.
        configured = configured_credentials(
            self.client_key, self.client_secret, CredentialsSource.ENVIRONMENT
        )
        platform_url = self.platform_url
        scrubbed = scrub_credentials(os.environ)
        if platform_url:
            client = PlatformClient(platform_url, configured, timeout=self.platform_timeout)
        else:
            client = self._start_embedded_platform(configured)
        self.kernel_access = KernelAccess()
        self.settings.update(
            {
                PLATFORM_SETTING: client,
                EMBEDDED_SETTING: not platform_url,
                LOCAL_CLIENT_SETTING: self.local_client,
                KERNEL_ACCESS_SETTING: self.kernel_access,
            }
        )
        self.export_kernel_environment()
        if scrubbed:
            self.log.info(
                "jupyterlab_vce: removed %s from the server's environment; kernels reach the "
                "platform through %s with a kernel token.",
                " and ".join(scrubbed),
                os.environ[ENV_API_URL],
            )
        self.log.info(
            "jupyterlab_vce: platform %s, credentials %s.",
            client.base_url or ("starting" if client.starting else "unavailable"),
            client.credentials.source.value if client.credentials else "none (sign in needed)",
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend(ROUTES)
        self.handlers.extend(KERNEL_ROUTES)

    def export_kernel_environment(self) -> None:
        """Point kernels started from now on at this server's kernel route, with the kernel token."""
        server = self.serverapp
        url = kernel_route_url(
            server.ip, server.port, server.base_url, secure=bool(server.certfile)
        )
        export_kernel_environment(os.environ, url, self.kernel_access.token)

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        """The server now listens: its port is final (a busy or 0 port was replaced)."""
        self.export_kernel_environment()

    async def stop_extension(self) -> None:
        client = self.settings.get(PLATFORM_SETTING)
        if isinstance(client, PlatformClient):
            client.close()
        if self.embedded_platform is not None:
            await self.embedded_platform.stop()

    def _start_embedded_platform(self, configured: Credentials | None) -> PlatformClient:
        """Spawn the stand-in without waiting for it; never raises.

        The client says *starting* (status) and 503 ``platform_starting`` (calls)
        until the stand-in's ready line gives its URL; the server's start-up does
        not wait for it. When it is not found, one line in the log says why and
        the client reports it at once; when it cannot start, the same once the
        start failed, on every request (and in ``/vce/api/status``) instead of
        Jupyter failing to start.
        """
        data_dir = Path(self.mock_data_dir)
        try:
            credentials, email = embedded_credentials(configured, data_dir)
            self.embedded_platform = EmbeddedPlatform(
                self.mock_command, data_dir, credentials, email, self.log, self.mock_port
            )
            client = PlatformClient(None, credentials, timeout=self.platform_timeout, starting=True)
            local = local_client_of(credentials, data_dir / SECRET_FILE_NAME)
            # Kernels started while it starts get its package index at once when its port is
            # known (c.VCEApp.mock_port, or the one remembered in the data folder); on a first
            # start on port 0 only kernels started after its ready line get it (_embedded_ready).
            expected = self.embedded_platform.expected_url()
            if expected is not None:
                export_environment(os.environ, expected)
            self.embedded_platform.start_in_background(
                self.mock_startup_timeout,
                on_ready=lambda url: self._embedded_ready(client, local, url),
                on_failure=lambda error: self._embedded_failed(client, configured, error),
                on_give_up=lambda message: mark_unavailable(client, message),
            )
        except MockNotFound as error:
            self.log.warning("jupyterlab_vce: %s", error)
            return PlatformClient(
                None, configured, unavailable_message=str(error), not_configured=True
            )
        except (MockStartError, OSError) as error:
            message = f"{START_FAILED} {error}"
            self.log.error("jupyterlab_vce: %s", message)
            return PlatformClient(None, configured, unavailable_message=message)
        return client

    def _embedded_ready(self, client: PlatformClient, local: LocalClient, url: str) -> None:
        """The stand-in listens (its ready line): kernels get its index, the status its
        local client, the client its URL (runs in the supervisor thread)."""
        export_environment(os.environ, url)
        self.local_client = local
        self.settings[LOCAL_CLIENT_SETTING] = local
        if self.serverapp is not None and self.serverapp.web_app is not None:
            self.serverapp.web_app.settings[LOCAL_CLIENT_SETTING] = local
        client.base_url = url.rstrip("/")
        client.starting = False
        self.log.info(
            "jupyterlab_vce: embedded platform stand-in listening on %s (pid %s, data in %s).",
            url,
            self.embedded_platform.pid if self.embedded_platform else None,
            self.mock_data_dir,
        )

    def _embedded_failed(
        self, client: PlatformClient, configured: Credentials | None, error: Exception
    ) -> None:
        """The stand-in could not start (it is not restarted): the log, the status and
        every request say why, and the client keeps only a pair configured in the
        environment, as when the start held up the server."""
        message = f"{START_FAILED} {error}"
        self.log.error("jupyterlab_vce: %s", message)
        if configured is None:
            client.sign_out()
        mark_unavailable(client, message)


#: The start of the unavailable message of a stand-in that could not start.
START_FAILED = "The embedded platform stand-in could not start:"


def mark_unavailable(client: PlatformClient, message: str) -> None:
    """The platform is gone for good: every request and the status say ``message``."""
    client.unavailable_message = message
    client.base_url = None
    client.starting = False
