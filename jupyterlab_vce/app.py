"""The server extension: settings, routes, and the embedded platform's lifetime."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp

from .config import VCEConfig
from .credentials import Credentials, CredentialsSource, configured_credentials
from .embedded import (
    EmbeddedPlatform,
    MockNotFound,
    MockStartError,
    embedded_credentials,
    export_environment,
)
from .handlers import EMBEDDED_SETTING, PLATFORM_SETTING
from .platform_client import PlatformClient
from .routes import ROUTES


class VCEApp(ExtensionApp, VCEConfig):
    """Keeps the platform credentials on the server and serves ``/vce/api/``.

    Configure with ``c.VCEApp.<setting>`` (see :class:`~jupyterlab_vce.config.VCEConfig`).
    """

    name = "jupyterlab_vce"
    description = "The Virtual Compute Environment's platform, seen from JupyterLab."

    embedded_platform: EmbeddedPlatform | None = None

    def initialize_settings(self) -> None:
        configured = configured_credentials(
            self.client_key, self.client_secret, CredentialsSource.ENVIRONMENT
        )
        if self.platform_url:
            client = PlatformClient(self.platform_url, configured, timeout=self.platform_timeout)
        else:
            client = self._start_embedded_platform(configured)
        self.settings.update({PLATFORM_SETTING: client, EMBEDDED_SETTING: not self.platform_url})
        self.log.info(
            "jupyterlab_vce: platform %s, credentials %s.",
            client.base_url or "unavailable",
            client.credentials.source.value if client.credentials else "none (sign in needed)",
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend(ROUTES)

    async def stop_extension(self) -> None:
        if self.embedded_platform is not None:
            await self.embedded_platform.stop()

    def _start_embedded_platform(self, configured: Credentials | None) -> PlatformClient:
        """Start the stand-in and export the SDK's environment; never raises.

        When it is not found or cannot start, one line in the log says why, and
        the client reports it on every request (and in ``/vce/api/status``)
        instead of Jupyter failing to start.
        """
        data_dir = Path(self.mock_data_dir)
        try:
            credentials, email = embedded_credentials(configured, data_dir)
            self.embedded_platform = EmbeddedPlatform(
                self.mock_command, data_dir, credentials, email, self.log, self.mock_port
            )
            url = self.embedded_platform.start(self.mock_startup_timeout)
        except MockNotFound as error:
            self.log.warning("jupyterlab_vce: %s", error)
            return PlatformClient(
                None, configured, unavailable_message=str(error), not_configured=True
            )
        except (MockStartError, OSError) as error:
            message = f"The embedded platform stand-in could not start: {error}"
            self.log.error("jupyterlab_vce: %s", message)
            return PlatformClient(None, configured, unavailable_message=message)
        export_environment(os.environ, url, credentials)
        self.log.info(
            "jupyterlab_vce: embedded platform stand-in listening on %s (pid %s, data in %s).",
            url,
            self.embedded_platform.pid,
            data_dir,
        )
        return PlatformClient(url, credentials, timeout=self.platform_timeout)
