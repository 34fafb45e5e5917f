"""VCEAuthenticator against the real platform stand-in: sign-in, backoff, refresh, spawn."""

from __future__ import annotations

import ast
import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from jupyterhub.auth import Authenticator
from jupyterhub.spawner import Spawner
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from jupyterlab_vce.hub import VCEAuthenticator, messages
from jupyterlab_vce.hub.backoff import FailureTracker
from jupyterlab_vce.hub.pair_check import Outcome, PairCheck
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


def platform_answering(
    status: int, body: str, headers: dict[str, str] | None = None
) -> Callable[[], Awaitable[tuple[web.HTTPError, VCEAuthenticator]]]:
    """A scenario: a platform whose token route answers this, and a sign-in against it."""

    class Answer(web.RequestHandler):
        def post(self) -> None:
            self.set_status(status)
            for name, value in (headers or {}).items():
                self.set_header(name, value)
            self.finish(body)

    async def scenario() -> tuple[web.HTTPError, VCEAuthenticator]:
        sock, port = bind_unused_port()
        server = HTTPServer(web.Application([(r"/v2/oauth/token/", Answer)]))
        server.add_sockets([sock])
        authenticator = VCEAuthenticator(
            platform_url=f"http://127.0.0.1:{port}",
            failure_tracker=FailureTracker(free_failures=0),
        )
        try:
            await authenticator.authenticate(None, {"username": KEY, "password": SECRET})
        except web.HTTPError as error:
            return error, authenticator
        finally:
            server.stop()
        raise AssertionError(f"a {status} signed in")

    return scenario


@pytest.mark.parametrize(
    ("status", "body", "headers", "page_status", "message"),
    [
        # Answered 429: busy, for as long as Retry-After says, or a minute.
        (
            429,
            '{"error": {"code": "rate_limit_exceeded", "message": "Slow down."}}',
            {"Retry-After": "17"},
            429,
            "The platform is busy (it limits sign-in requests); try again in 17 seconds.",
        ),
        (
            429,
            "",
            {},
            429,
            "The platform is busy (it limits sign-in requests); try again in a minute.",
        ),
        # Answered another error: its status, and its message when it is fit for the page.
        (
            400,
            '{"error": "invalid_request", "error_description": "Grant type is missed."}',
            {},
            502,
            "The platform refused the sign-in request (HTTP 400: Grant type is missed.). "
            "Try again later; if it persists, tell the administrator of this hub.",
        ),
        (
            502,
            "<html>Bad gateway</html>",
            {},
            502,
            "The platform refused the sign-in request (HTTP 502). "
            "Try again later; if it persists, tell the administrator of this hub.",
        ),
        # A message that echoes the secret is left out.
        (
            500,
            json.dumps({"error": {"code": "internal_error", "message": f"bad secret {SECRET}"}}),
            {},
            502,
            "The platform refused the sign-in request (HTTP 500). "
            "Try again later; if it persists, tell the administrator of this hub.",
        ),
    ],
)
def test_a_platform_that_answers_an_error_says_what_it_answered(
    log: pytest.LogCaptureFixture,
    status: int,
    body: str,
    headers: dict[str, str],
    page_status: int,
    message: str,
) -> None:
    error, authenticator = run(platform_answering(status, body, headers)())
    assert (error.status_code, error.log_message) == (page_status, message)
    assert messages.UNREACHABLE not in error.log_message
    assert authenticator.failure_tracker.failures(KEY.lower()) == 0  # not a wrong pair
    assert f"HTTP {status}" in log.text and "not counted as a wrong pair" in log.text


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


class CountingPlatform(VCEAuthenticator):
    """An authenticator whose platform call awaits (as a real one does) and rejects every pair."""

    calls = 0

    async def _check(self, client_key: str, client_secret: str) -> PairCheck:
        self.calls += 1
        await asyncio.sleep(0.01)
        return PairCheck(Outcome.REJECTED, 401, "invalid_client")


def test_parallel_wrong_pairs_do_not_pass_the_backoff(clock: FakeClock) -> None:
    authenticator = CountingPlatform(
        platform_url="http://127.0.0.1:1",
        failure_tracker=FailureTracker(clock=clock, free_failures=3),
    )

    async def ten_at_once() -> list[BaseException | dict]:
        attempts = [
            authenticator.authenticate(None, {"username": KEY, "password": f"wrong-{n}"})
            for n in range(10)
        ]
        return await asyncio.gather(*attempts, return_exceptions=True)

    results = run(ten_at_once())
    statuses = sorted(r.status_code for r in results if isinstance(r, web.HTTPError))
    # The free tries and the one that starts the wait reach the platform, one after another,
    # as ten attempts in a row would; the other six are refused without a call.
    assert authenticator.calls == 4
    assert statuses == [403] * 4 + [429] * 6
    assert len(authenticator.sign_in_locks) == 0  # no lock left behind


def test_case_variants_of_a_key_share_one_backoff(
    authenticator: VCEAuthenticator, log: pytest.LogCaptureFixture
) -> None:
    for variant in (KEY, KEY.lower(), KEY.upper(), KEY.swapcase()):
        assert refused(authenticator, variant, "wrong").status_code == 403
    for variant in (KEY, KEY.lower(), KEY.upper()):
        locked = refused(authenticator, variant, SECRET)
        assert (locked.status_code, locked.log_message) == (429, messages.locked(2))
    assert f"client key {KEY.upper()!r} refused: 4 wrong pairs in a row" in log.text


def test_a_table_full_of_locked_keys_refuses_new_keys(clock: FakeClock) -> None:
    authenticator = CountingPlatform(
        platform_url="http://127.0.0.1:1",
        failure_tracker=FailureTracker(
            clock=clock, free_failures=0, base_seconds=60, max_seconds=60, max_keys=2
        ),
    )
    for key in ("spray-1", "spray-2"):
        assert refused(authenticator, key, "wrong").status_code == 403
    new = refused(authenticator, KEY, SECRET)
    assert (new.status_code, new.log_message) == (429, messages.hub_busy(60))
    assert authenticator.calls == 2  # the new key did not reach the platform
    clock.advance(60)  # the locks ended: their entries may go
    assert refused(authenticator, KEY, "wrong").status_code == 403
    assert authenticator.calls == 3


# Refresh


def test_a_stale_pair_is_refused_on_token_requests_too() -> None:
    """auth_refresh_strict (JupyterHub 6.1+) defaults to True; 5.5 has no such trait."""
    authenticator = VCEAuthenticator(platform_url="http://127.0.0.1:1")
    if "auth_refresh_strict" in Authenticator.class_traits():
        assert authenticator.auth_refresh_strict is True
        assert Authenticator().auth_refresh_strict is False  # JupyterHub's own default
    else:
        assert not authenticator.has_trait("auth_refresh_strict")


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


class FakeSpawner:
    def __init__(self, active: bool, pending: str | None = None) -> None:
        self.active = active
        self.pending = pending


class FakeHandler:
    """What the authenticator uses of JupyterHub's login handler after a sign-in."""

    def __init__(self, user: FakeUser | None) -> None:
        self.user = user
        self.stopped: list[tuple[str, str]] = []

    def find_user(self, name: str) -> FakeUser | None:
        return self.user if self.user and self.user.name == name else None

    async def stop_single_user(self, user: FakeUser, server_name: str = "") -> None:
        self.stopped.append((user.name, server_name))


def signed_in_user(secret: str) -> FakeUser:
    user = FakeUser(hub_name(KEY), {"client_key": KEY, "client_secret": secret})
    user.spawners = {  # type: ignore[attr-defined]
        "": FakeSpawner(active=True),
        "gpu": FakeSpawner(active=True),
        "idle": FakeSpawner(active=False),
        "starting": FakeSpawner(active=True, pending="spawn"),
    }
    return user


def test_a_new_secret_stops_the_servers_started_with_the_old_one(
    authenticator: VCEAuthenticator, log: pytest.LogCaptureFixture
) -> None:
    handler = FakeHandler(signed_in_user("the-old-secret"))
    data = {"username": KEY, "password": SECRET}
    assert run(authenticator.get_authenticated_user(handler, data))["name"] == hub_name(KEY)
    assert handler.stopped == [(hub_name(KEY), ""), (hub_name(KEY), "gpu")]
    name = hub_name(KEY)
    assert f"the client secret changed; stopping {name}'s server so it starts" in log.text
    assert "is still pending (spawn) with the old secret" in log.text
    assert "the-old-secret" not in log.text


@pytest.mark.parametrize("stored", [SECRET, None])
def test_the_same_secret_or_a_first_sign_in_stops_nothing(
    authenticator: VCEAuthenticator, stored: str | None
) -> None:
    handler = FakeHandler(signed_in_user(stored) if stored else None)
    data = {"username": KEY, "password": SECRET}
    assert run(authenticator.get_authenticated_user(handler, data))["name"] == hub_name(KEY)
    assert handler.stopped == []
