"""The hub must not start when the secret would be stored in clear, or with no platform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jupyterhub.crypto import CryptKeeper

from jupyterlab_vce.hub import VCEAuthenticator
from jupyterlab_vce.hub.startup import NO_PLATFORM, startup_problems

URLS = {"platform_url": "http://127.0.0.1:8911"}


@pytest.fixture
def crypt_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh CryptKeeper reading the test's JUPYTERHUB_CRYPT_KEY (it is a singleton)."""
    CryptKeeper.clear_instance()
    yield
    CryptKeeper.clear_instance()


def test_all_set_is_no_problem() -> None:
    assert startup_problems(enable_auth_state=True, encryption_error=None, urls=URLS) == []


def test_auth_state_off_is_refused() -> None:
    [problem] = startup_problems(enable_auth_state=False, encryption_error=None, urls=URLS)
    assert "enable_auth_state = True" in problem and "JUPYTERHUB_CRYPT_KEY" in problem


def test_no_encryption_is_refused_with_why() -> None:
    [problem] = startup_problems(enable_auth_state=True, encryption_error="no key", urls=URLS)
    assert "(no key)" in problem and "openssl rand -hex 32" in problem


def test_a_missing_platform_url_is_refused() -> None:
    problems = startup_problems(
        enable_auth_state=True,
        encryption_error=None,
        urls={"platform_url": "", "lab_platform_url": "", "pip_index_url": "/simple/"},
    )
    assert problems == [NO_PLATFORM]  # not the URLs made from it
    assert "RQS_API_URL" in NO_PLATFORM


def test_bad_urls_are_refused() -> None:
    problems = startup_problems(
        enable_auth_state=True,
        encryption_error=None,
        urls={"platform_url": "127.0.0.1:8911", "lab_platform_url": "ftp://x", "pip_index_url": ""},
    )
    assert len(problems) == 3
    assert "platform_url is '127.0.0.1:8911'" in problems[0]
    assert "lab_platform_url is 'ftp://x'" in problems[1]


def test_the_hub_stops_without_a_crypt_key(
    crypt_key: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("JUPYTERHUB_CRYPT_KEY", raising=False)
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:8911")
    with pytest.raises(SystemExit) as stopped:
        authenticator.check_allow_config()
    assert stopped.value.code == 1
    assert "encryption is not available" in caplog.text
    assert "export JUPYTERHUB_CRYPT_KEY=$(openssl rand -hex 32)" in caplog.text


def test_the_hub_stops_with_auth_state_turned_off(
    crypt_key: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("JUPYTERHUB_CRYPT_KEY", "ab" * 32)
    authenticator = VCEAuthenticator(platform_url="http://x:1", enable_auth_state=False)
    with pytest.raises(SystemExit):
        authenticator.check_allow_config()
    assert [r.levelname for r in caplog.records] == ["CRITICAL"]
    assert "c.Authenticator.enable_auth_state = True" in caplog.text


def test_the_hub_starts_with_a_key_and_a_url(
    crypt_key: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("JUPYTERHUB_CRYPT_KEY", "ab" * 32)
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:8911")
    authenticator.check_allow_config()  # no SystemExit
    assert "No allow config found" not in caplog.text  # allow_all: the platform decides


def test_the_platform_url_defaults_to_rqs_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RQS_API_URL", "http://platform.example:8911/")
    authenticator = VCEAuthenticator()
    assert authenticator.platform_url == "http://platform.example:8911"
    assert authenticator.lab_platform_url == "http://platform.example:8911"
    assert authenticator.pip_index_url == "http://platform.example:8911/simple/"


def test_the_lab_url_can_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RQS_API_URL", raising=False)
    authenticator = VCEAuthenticator(
        platform_url="http://127.0.0.1:8911", lab_platform_url="http://vce-platform:8911"
    )
    assert authenticator.pip_index_url == "http://vce-platform:8911/simple/"


def test_the_defaults_for_a_hub_holding_secrets() -> None:
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:8911")
    assert authenticator.enable_auth_state is True
    assert authenticator.refresh_pre_spawn is True
    assert authenticator.auth_refresh_age == 300
