"""VCEAuthenticator against the real platform stand-in: sign-in, backoff, refresh, spawn."""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyterhub.spawner import Spawner
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from jupyterlab_vce.hub import VCEAuthenticator, messages
from jupyterlab_vce.hub.backoff import FailureTracker
from jupyterlab_vce.hub.spawn_env import (
    ENV_API_URL,
    ENV_CLIENT_KEY,
    ENV_CLIENT_SECRET,
    ENV_PIP_INDEX_URL,
)
from jupyterlab_vce.hub.usernames import hub_name

from .conftest import KEY, KEY_B, SECRET, SECRET_B, FakeClock, FakeUser, run
from .processes import CHECKOUT, StandIn, closed_port_url


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog
    assert SECRET not in caplog.text and SECRET_B not in caplog.text


def sign_in(authenticator: VCEAuthenticator, key: str, secret: str) -> dict:
    return run(authenticator.authenticate(None, {"username": key, "password": secret}))


def refused(authenticator: VCEAuthenticator, key: str, secret: str) -> web.HTTPError:
    with pytest.raises(web.HTTPError) as raised:
        sign_in(authenticator, key, secret)
    return raised.value


# Sign-in


def test_the_right_pair_signs_in_and_keeps_the_exact_key(
    authenticator: VCEAuthenticator, log: pytest.LogCaptureFixture
) -> None:
    result = sign_in(authenticator, f"  {KEY} ", SECRET)  # a pasted key's spaces are dropped
    assert result == {
        "name": hub_name(KEY),
        "auth_state": {"client_key": KEY, "client_secret": SECRET},
    }
    assert result["name"] != KEY.lower()  # capitals: the name has the hash suffix
    assert f"accepted client key {KEY!r}" in log.text


def test_a_lowercase_key_is_the_user_name(authenticator: VCEAuthenticator) -> None:
    assert sign_in(authenticator, KEY_B, SECRET_B)["name"] == KEY_B


def test_a_wrong_secret_says_so_and_what_to_do(
    authenticator: VCEAuthenticator, log: pytest.LogCaptureFixture
) -> None:
    error = refused(authenticator, KEY, SECRET + "-wrong")
    assert error.status_code == 403
    assert error.log_message == messages.WRONG_PAIR
    assert "Research projects page" in error.log_message
    assert f"client key {KEY!r}: wrong pair (rejected, HTTP 401, invalid_client" in log.text


def test_a_secret_of_another_client_is_wrong(authenticator: VCEAuthenticator) -> None:
    assert refused(authenticator, KEY, SECRET_B).status_code == 403


@pytest.mark.parametrize(
    ("key", "secret", "message"),
    [
        ("", SECRET, messages.BLANK_KEY),
        ("   ", SECRET, messages.BLANK_KEY),
        (KEY, "", messages.BLANK_SECRET),
        ("", "", messages.BLANK_KEY),
    ],
)
def test_blank_fields_are_refused_with_a_message(
    authenticator: VCEAuthenticator, key: str, secret: str, message: str
) -> None:
    error = refused(authenticator, key, secret)
    assert (error.status_code, error.log_message) == (403, message)


def test_a_missing_field_is_a_blank_field(authenticator: VCEAuthenticator) -> None:
    error = run_refused(authenticator, {"username": KEY})
    assert error.log_message == messages.BLANK_SECRET


def run_refused(authenticator: VCEAuthenticator, data: dict) -> web.HTTPError:
    with pytest.raises(web.HTTPError) as raised:
        run(authenticator.authenticate(None, data))
    return raised.value


def test_a_malformed_key_is_refused_and_not_logged(
    authenticator: VCEAuthenticator, log: pytest.LogCaptureFixture
) -> None:
    pasted_secret = f"{SECRET} extra"  # a secret pasted in the key field: never logged
    error = refused(authenticator, pasted_secret, SECRET)
    assert error.status_code == 403
    assert "letters, digits" in error.log_message
    assert "wrong format" in log.text
    assert pasted_secret not in log.text


def test_an_unreachable_platform_says_so_and_counts_nothing(
    clock: FakeClock, log: pytest.LogCaptureFixture
) -> None:
    tracker = FailureTracker(clock=clock, free_failures=0)
    authenticator = VCEAuthenticator(platform_url=closed_port_url(), failure_tracker=tracker)
    for _ in range(3):
        error = refused(authenticator, KEY, SECRET)
        assert (error.status_code, error.log_message) == (503, messages.UNREACHABLE)
    assert tracker.failures(KEY) == 0
    assert "could not check the pair (unreachable" in log.text
    assert "not counted as a wrong pair" in log.text


def test_a_platform_error_is_shown_as_unreachable(log: pytest.LogCaptureFixture) -> None:
    class Broken(web.RequestHandler):
        def post(self) -> None:
            self.set_status(502)
            self.finish("<html>Bad gateway</html>")

    async def scenario() -> web.HTTPError:
        sock, port = bind_unused_port()
        server = HTTPServer(web.Application([(r"/v2/oauth/token/", Broken)]))
        server.add_sockets([sock])
        authenticator = VCEAuthenticator(platform_url=f"http://127.0.0.1:{port}")
        try:
            await authenticator.authenticate(None, {"username": KEY, "password": SECRET})
        except web.HTTPError as error:
            return error
        finally:
            server.stop()
        raise AssertionError("a 502 signed in")

    error = run(scenario())
    assert (error.status_code, error.log_message) == (503, messages.UNREACHABLE)
    assert "platform error, HTTP 502" in log.text


# Backoff


def test_repeated_wrong_pairs_for_one_key_are_slowed_down(
    authenticator: VCEAuthenticator, clock: FakeClock, log: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):  # the free tries
        assert refused(authenticator, KEY, "wrong").log_message == messages.WRONG_PAIR
    fourth = refused(authenticator, KEY, "wrong")
    assert fourth.status_code == 403
    assert fourth.log_message == f"{messages.WRONG_PAIR} {messages.locked(2)}"
    # Locked: even the right pair waits, without a call to the platform.
    locked = refused(authenticator, KEY, SECRET)
    assert (locked.status_code, locked.log_message) == (429, messages.locked(2))
    assert (
        "Too many failed sign-ins for this client key; try again in 2 seconds" in locked.log_message
    )
    assert "4 wrong pairs in a row, 2 s left to wait" in log.text
    # Another key is not slowed down.
    assert sign_in(authenticator, KEY_B, SECRET_B)["name"] == KEY_B
    clock.advance(2)
    fifth = refused(authenticator, KEY, "wrong")
    assert fifth.log_message.endswith(messages.locked(4))
    clock.advance(4)
    assert sign_in(authenticator, KEY, SECRET)["auth_state"]["client_key"] == KEY
    assert authenticator.failure_tracker.failures(KEY) == 0


def test_the_backoff_is_configurable() -> None:
    authenticator = VCEAuthenticator(
        platform_url="http://127.0.0.1:1",
        backoff_free_failures=1,
        backoff_base_seconds=30,
        backoff_max_seconds=60,
    )
    tracker = authenticator.failure_tracker
    assert [tracker.delay_after(n) for n in (1, 2, 3, 4)] == [0, 30, 60, 60]


# Refresh


def test_refresh_keeps_an_accepted_pair(authenticator: VCEAuthenticator) -> None:
    user = FakeUser(hub_name(KEY), {"client_key": KEY, "client_secret": SECRET})
    assert run(authenticator.refresh_user(user)) is True


def test_a_secret_revoked_on_the_platform_ends_the_session(
    standin: StandIn, log: pytest.LogCaptureFixture
) -> None:
    authenticator = VCEAuthenticator(platform_url=standin.url)
    user = FakeUser(hub_name(KEY), {"client_key": KEY, "client_secret": SECRET})
    other = FakeUser(KEY_B, {"client_key": KEY_B, "client_secret": SECRET_B})
    standin.restart({KEY: "a-new-secret-" + SECRET[-8:], KEY_B: SECRET_B})
    assert run(authenticator.refresh_user(user)) is False
    assert run(authenticator.refresh_user(other)) is True
    assert f"no longer accepts client key {KEY!r}" in log.text
    # The new secret signs in again.
    assert sign_in(authenticator, KEY, "a-new-secret-" + SECRET[-8:])["name"] == hub_name(KEY)


def test_an_unreachable_platform_keeps_the_session(
    standin: StandIn, log: pytest.LogCaptureFixture
) -> None:
    authenticator = VCEAuthenticator(platform_url=standin.url)
    standin.stop()
    user = FakeUser(hub_name(KEY), {"client_key": KEY, "client_secret": SECRET})
    assert run(authenticator.refresh_user(user)) is True
    assert "could not re-check client key" in log.text and "the session is kept" in log.text


@pytest.mark.parametrize("state", [None, {}, {"client_key": KEY}, {"client_secret": SECRET}])
def test_a_session_without_a_stored_pair_must_sign_in_again(
    authenticator: VCEAuthenticator, state: dict | None
) -> None:
    assert run(authenticator.refresh_user(FakeUser("x", state))) is False


# Spawn


def test_the_server_gets_the_platform_and_the_pair() -> None:
    authenticator = VCEAuthenticator(
        platform_url="http://127.0.0.1:8911", lab_platform_url="http://vce-platform.internal:8911"
    )
    spawner = Spawner(environment={"KEEP": "1"})
    user = FakeUser(hub_name(KEY), {"client_key": KEY, "client_secret": SECRET})
    run(authenticator.pre_spawn_start(user, spawner))
    assert spawner.environment == {
        "KEEP": "1",
        ENV_API_URL: "http://vce-platform.internal:8911",
        ENV_CLIENT_KEY: KEY,
        ENV_CLIENT_SECRET: SECRET,
        ENV_PIP_INDEX_URL: "http://vce-platform.internal:8911/simple/",
    }


def test_spawning_without_a_stored_pair_asks_to_sign_in_again(
    authenticator: VCEAuthenticator,
) -> None:
    with pytest.raises(web.HTTPError) as raised:
        run(authenticator.pre_spawn_start(FakeUser("x", None), Spawner()))
    assert "sign in again" in raised.value.log_message


def test_the_variables_are_the_ones_the_lab_reads() -> None:
    """The names jupyterlab_vce/config.py and embedded.py read (parsed: no jupyter_server here)."""
    constants = {}
    for module in ("config.py", "embedded.py"):
        tree = ast.parse(Path(CHECKOUT, "jupyterlab_vce", module).read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = node.value.value
    assert constants["ENV_API_URL"] == ENV_API_URL
    assert constants["ENV_CLIENT_KEY"] == ENV_CLIENT_KEY
    assert constants["ENV_CLIENT_SECRET"] == ENV_CLIENT_SECRET
    assert constants["ENV_PIP_INDEX_URL"] == ENV_PIP_INDEX_URL
