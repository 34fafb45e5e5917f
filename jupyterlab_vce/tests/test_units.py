"""Pure helpers: parsing, command detection, the secret file, log ids."""

from __future__ import annotations

import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tornado.web import HTTPError

from jupyterlab_vce.config import detect_mock_command
from jupyterlab_vce.credentials import (
    Credentials,
    CredentialsSource,
    configured_credentials,
    parse_sign_in_body,
)
from jupyterlab_vce.embedded import (
    EMBEDDED_CLIENT_EMAIL,
    EMBEDDED_CLIENT_KEY,
    MOCK_CLIENT_ENV,
    SECRET_FILE_NAME,
    embedded_credentials,
    export_environment,
    failure_reason,
    is_port_in_use,
    load_or_create_secret,
    mock_arguments,
    mock_environment,
    parse_ready_line,
    redact,
)
from jupyterlab_vce.errors import InvalidRequest, new_log_id
from jupyterlab_vce.handlers import http_error


def which_from(found: dict[str, str]):  # noqa: ANN201 - a tiny stand-in of shutil.which
    return found.get


class TestDetectMockCommand:
    def test_explicit_executable_wins(self, tmp_path: Path) -> None:
        command = detect_mock_command(
            {"VCE_MOCK_BIN": "/opt/vce-mock"},
            which_from({"vce-mock": "/usr/bin/vce-mock"}),
            tmp_path / "cli.js",
        )
        assert command == ["/opt/vce-mock"]

    def test_explicit_javascript_file_runs_with_node(self, tmp_path: Path) -> None:
        command = detect_mock_command(
            {"VCE_MOCK_BIN": "/src/cli.js"},
            which_from({"node": "/usr/bin/node"}),
            tmp_path / "cli.js",
        )
        assert command == ["/usr/bin/node", "/src/cli.js"]

    def test_installed_executable_comes_next(self, tmp_path: Path) -> None:
        command = detect_mock_command(
            {}, which_from({"vce-mock": "/usr/bin/vce-mock"}), tmp_path / "cli.js"
        )
        assert command == ["/usr/bin/vce-mock"]

    def test_built_checkout_runs_with_node(self, tmp_path: Path) -> None:
        cli = tmp_path / "cli.js"
        cli.write_text("")
        assert detect_mock_command({}, which_from({}), cli) == ["node", str(cli)]

    def test_nothing_found_is_empty(self, tmp_path: Path) -> None:
        assert detect_mock_command({}, which_from({}), tmp_path / "cli.js") == []


class TestFailureReason:
    def test_the_command_line_s_own_line_wins(self) -> None:
        lines = [
            '{"level":30,"msg":"starting"}',
            "vce-mock: could not start: listen EADDRINUSE: address already in use 127.0.0.1:8910",
            '{"level":30,"msg":"closing"}',
        ]
        reason = failure_reason(lines)
        assert reason.startswith("vce-mock: could not start: listen EADDRINUSE")
        assert is_port_in_use(reason)

    def test_else_the_last_line_that_is_not_a_log_record(self) -> None:
        lines = ["Error: Cannot find module 'fastify'", "  at Module._resolve", '{"level":50}', ""]
        assert failure_reason(lines) == "at Module._resolve"

    def test_nothing_said_is_empty(self) -> None:
        assert failure_reason(["", "  "]) == ""
        assert not is_port_in_use("")


class TestSignInBody:
    def test_valid_body_gives_sign_in_credentials(self) -> None:
        credentials = parse_sign_in_body(b'{"client_key": " key ", "client_secret": "secret"}')
        assert credentials == Credentials("key", "secret", CredentialsSource.SIGN_IN)

    def test_messages_never_quote_the_body(self) -> None:
        with pytest.raises(InvalidRequest) as invalid:
            parse_sign_in_body(b'{"client_secret": "hunter2"')
        assert "hunter2" not in invalid.value.message

    def test_configured_credentials_need_both_parts(self) -> None:
        source = CredentialsSource.ENVIRONMENT
        assert configured_credentials("key", None, source) is None
        assert configured_credentials(None, "secret", source) is None
        assert configured_credentials("key", "secret", source) == Credentials(
            "key", "secret", source
        )


class TestEmbeddedSecret:
    def test_secret_is_random_private_and_kept(self, tmp_path: Path) -> None:
        data_dir = tmp_path / "mock"
        secret = load_or_create_secret(data_dir)
        assert len(secret) >= 40
        assert stat.S_IMODE((data_dir / SECRET_FILE_NAME).stat().st_mode) == 0o600
        assert load_or_create_secret(data_dir) == secret
        assert load_or_create_secret(tmp_path / "other") != secret

    def test_loose_permissions_are_tightened(self, tmp_path: Path) -> None:
        secret = load_or_create_secret(tmp_path)
        (tmp_path / SECRET_FILE_NAME).chmod(0o644)
        assert load_or_create_secret(tmp_path) == secret
        assert stat.S_IMODE((tmp_path / SECRET_FILE_NAME).stat().st_mode) == 0o600

    def test_embedded_client_is_the_local_researcher(self, tmp_path: Path) -> None:
        credentials, email = embedded_credentials(None, tmp_path)
        assert (credentials.client_key, credentials.source) == (
            EMBEDDED_CLIENT_KEY,
            CredentialsSource.EMBEDDED,
        )
        assert email == EMBEDDED_CLIENT_EMAIL

    def test_environment_credentials_are_registered_as_they_are(self, tmp_path: Path) -> None:
        configured = Credentials("mine", "my-secret", CredentialsSource.ENVIRONMENT)
        assert embedded_credentials(configured, tmp_path) == (configured, EMBEDDED_CLIENT_EMAIL)
        assert not (tmp_path / SECRET_FILE_NAME).exists()


class TestMockProcessHelpers:
    def test_arguments_bind_loopback_on_a_free_port(self, tmp_path: Path) -> None:
        arguments = mock_arguments(["node", "cli.js"], tmp_path)
        assert arguments == [
            "node", "cli.js",
            "--host", "127.0.0.1",
            "--port", "0",
            "--data-dir", str(tmp_path),
        ]  # fmt: skip

    def test_a_configured_port_is_passed_on(self, tmp_path: Path) -> None:
        arguments = mock_arguments(["vce-mock"], tmp_path, 8910)
        assert arguments[arguments.index("--port") + 1] == "8910"

    def test_the_client_travels_in_the_environment_not_the_command_line(self) -> None:
        credentials = Credentials("key", "secret", CredentialsSource.EMBEDDED)
        environment = mock_environment({"PATH": "/bin"}, credentials, "a@b.c")
        assert environment == {"PATH": "/bin", MOCK_CLIENT_ENV: "key:secret:a@b.c"}

    @pytest.mark.parametrize(
        ("line", "url"),
        [
            ("vce-mock listening on http://127.0.0.1:43123\n", "http://127.0.0.1:43123"),
            ("vce-mock listening on  http://[::1]:8910", "http://[::1]:8910"),
            ("listening on http://127.0.0.1:1", None),
            ("vce-mock starting", None),
        ],
    )
    def test_ready_line(self, line: str, url: str | None) -> None:
        assert parse_ready_line(line) == url

    def test_redact_hides_every_occurrence(self) -> None:
        assert redact("--client k:abc:e abc", "abc") == "--client k:[secret]:e [secret]"

    def test_export_gives_kernels_the_package_index_only(self) -> None:
        environ: dict[str, str] = {}
        export_environment(environ, "http://127.0.0.1:1")
        # Never the key or secret, nor the stand-in's address: kernels use the kernel route.
        assert environ == {"RQS_PIP_INDEX_URL": "http://127.0.0.1:1/simple/"}


class TestErrors:
    def test_log_id_is_utc_time_and_twenty_hex(self) -> None:
        log_id = new_log_id(datetime(2026, 11, 25, 5, 0, 0, tzinfo=UTC))
        assert re.fullmatch(r"20261125050000[0-9A-F]{20}", log_id)

    def test_http_errors_get_a_code_and_a_message(self) -> None:
        error = http_error(HTTPError(403, "'_xsrf' argument missing from %s", "POST"))
        assert (error.status, error.code, error.message) == (
            403,
            "forbidden",
            "'_xsrf' argument missing from POST",
        )
        assert http_error(HTTPError(405)).message == "Method Not Allowed"
        assert http_error(HTTPError(418)).code == "http_error"
