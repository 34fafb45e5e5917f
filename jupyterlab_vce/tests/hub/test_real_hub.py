"""A real JupyterHub process (with configurable-http-proxy) and the VCE authenticator.

One hub and one platform stand-in for the module (starting them is the slow part); each test
signs in with a research client of its own (the ``client`` fixture), so no test depends on
another's sign-ins, backoff or spawned server, and they pass in any order. Waits poll with a
deadline. The secret scan runs on a hub of its own, stopped at the end of its scenario.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from hashlib import sha256
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography.fernet import Fernet

from jupyterlab_vce.hub import messages
from jupyterlab_vce.hub.usernames import hub_name

from .processes import Hub, StandIn

T = TypeVar("T")

SPAWNED_SERVER = Path(__file__).with_name("spawned_server.py")
#: The hub re-checks a pair on any request older than this (seconds).
REFRESH_AGE = 1
#: How long a poll waits for the hub (a spawn, a refresh) before the test fails.
DEADLINE = 30.0
#: Research clients the stand-in knows: one per test, with capitals (hub names get "~hash").
POOL = {f"Hub-Test.{n}": f"hub-test-secret-{n}-{secrets.token_hex(8)}" for n in range(16)}


@dataclass(frozen=True)
class Client:
    key: str
    secret: str

    @property
    def name(self) -> str:
        return hub_name(self.key)


def poll(check: Callable[[], T | None], what: str, deadline: float = DEADLINE) -> T:
    """``check()``'s first truthy value, polled every 0.2 s; fail saying ``what`` if none came."""
    end = time.monotonic() + deadline
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < end, f"waited {deadline} s for {what}"
        time.sleep(0.2)


@dataclass
class Page:
    status: int
    headers: Message
    text: str

    def login_error(self) -> str:
        start = self.text.find('<p class="login_error">')
        assert start >= 0, f"no login error on the page (HTTP {self.status})"
        end = self.text.index("</p>", start)
        return html.unescape(self.text[start + len('<p class="login_error">') : end]).strip()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _open_without_cookies(request: urllib.request.Request) -> Page:
    try:
        with urllib.request.build_opener(NoRedirect()).open(request, timeout=30) as response:
            return Page(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers, error.read().decode())


class Browser:
    """A cookie jar and the hub's login form, as a browser submits it."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> Page:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        return self._open(urllib.request.Request(self.hub.url + path, data=body))

    def request_with_token(self, path: str, token: str) -> Page:
        """A request as the researcher's server makes it: its API token, no cookies."""
        request = urllib.request.Request(
            self.hub.url + path, headers={"Authorization": f"token {token}"}
        )
        return _open_without_cookies(request)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Page(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            return Page(error.code, error.headers, error.read().decode())

    def sign_in(self, key: str, secret: str) -> Page:
        form = self.request("/hub/login")
        assert form.status == 200
        xsrf = form.text.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
        return self.request("/hub/login", {"_xsrf": xsrf, "username": key, "password": secret})


class LoginPage(HTMLParser):
    """The elements of the login page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.labels: dict[str, str] = {}
        self.buttons: list[dict[str, str | None]] = []
        self.title = ""
        self._label_for: str | None = None
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("id"):
            self.inputs[str(attributes["id"])] = attributes
        elif tag == "label":
            self._label_for = attributes.get("for")
            self.labels[str(self._label_for)] = ""
        elif tag == "button":
            self.buttons.append(attributes)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._label_for is not None:
            self.labels[self._label_for] += data.strip()
        if self._in_title:
            self.title += data.strip()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """The stand-in with the pool of research clients."""
    directory = tmp_path_factory.mktemp("platform")
    process = StandIn(data_dir=directory, clients=dict(POOL)).start()
    yield process
    process.stop()


_unused_clients = iter(POOL.items())


@pytest.fixture
def client() -> Client:
    """A research client no other test signs in with."""
    key, secret = next(_unused_clients)
    return Client(key, secret)


def reset_secret(platform: StandIn, client: Client) -> Client:
    """The researcher resets their secret on the platform: the old one is refused from now."""
    new = Client(client.key, "hub-test-new-secret-" + secrets.token_hex(8))
    platform.restart({**platform.clients, client.key: new.secret})
    return new


@pytest.fixture(scope="module")
def crypt_key() -> str:
    return secrets.token_hex(32)


def start_hub(root: Path, platform: StandIn, crypt_key: str) -> Hub:
    (root / "env").mkdir(parents=True)
    return Hub(
        root=root,
        platform_url=platform.url,
        crypt_key=crypt_key,
        extra_config="\n".join(
            [
                f"c.Spawner.cmd = [{sys.executable!r}, {str(SPAWNED_SERVER)!r}]",
                f"c.Spawner.environment = {{'VCE_TEST_ENV_RECORD_DIR': {str(root / 'env')!r}}}",
                "c.VCEAuthenticator.lab_platform_url = 'http://vce-platform.test:8911'",
                "c.VCEAuthenticator.backoff_base_seconds = 30.0",
                f"c.VCEAuthenticator.auth_refresh_age = {REFRESH_AGE}",
            ]
        ),
    ).start()


@pytest.fixture(scope="module")
def hub(
    platform: StandIn, crypt_key: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hub]:
    process = start_hub(tmp_path_factory.mktemp("jupyterhub"), platform, crypt_key)
    yield process
    process.stop()


def env_record(hub: Hub, client: Client) -> Path:
    return hub.root / "env" / f"{client.name}.json"


def spawn(hub: Hub, browser: Browser, client: Client) -> dict[str, str]:
    """Start the signed-in researcher's server: the environment it recorded."""
    record = env_record(hub, client)
    record.unlink(missing_ok=True)
    started = browser.request(f"/hub/spawn/{urllib.parse.quote(client.name)}")
    assert started.status in (200, 302), started.text[-2000:]
    poll(record.exists, f"{client.name}'s server to start (hub log: {hub.log})")
    return json.loads(record.read_text())


def test_the_login_page_is_the_vces(hub: Hub) -> None:
    page = Browser(hub).request("/hub/login")
    assert page.status == 200
    login = LoginPage(page.text)
    assert login.title == "Virtual Compute Environment"
    assert "<h1>Virtual Compute Environment</h1>" in page.text
    assert login.labels["username_input"] == "Client key"
    assert login.labels["password_input"] == "Client secret"
    key_field, secret_field = login.inputs["username_input"], login.inputs["password_input"]
    assert (key_field["name"], key_field["type"]) == ("username", "text")
    assert (secret_field["name"], secret_field["type"]) == ("password", "password")
    [toggle] = [b for b in login.buttons if b.get("aria-controls") == "password_input"]
    assert toggle["type"] == "button"
    assert toggle["aria-pressed"] == "false"
    assert toggle["aria-label"] == "Show client secret"
    assert "<strong>Research projects</strong>" in page.text
    assert "Username:" not in page.text and "Password:" not in page.text
    assert login.inputs.get("login_submit", {}).get("value") == "Sign in"


def test_a_wrong_secret_shows_the_error_on_the_page(hub: Hub, client: Client) -> None:
    page = Browser(hub).sign_in(client.key, client.secret + "-wrong")
    assert page.status == 403
    assert page.login_error() == messages.WRONG_PAIR
    assert LoginPage(page.text).inputs["username_input"]["value"] == client.key  # for a retry
    assert "Traceback" not in page.text


def test_blank_fields_show_what_is_missing(hub: Hub, client: Client) -> None:
    browser = Browser(hub)
    assert browser.sign_in("", client.secret).login_error() == messages.BLANK_KEY
    page = browser.sign_in(client.key, "")
    assert (page.status, page.login_error()) == (403, messages.BLANK_SECRET)


def test_the_right_pair_signs_in(hub: Hub, client: Client) -> None:
    browser = Browser(hub)
    page = browser.sign_in(client.key, client.secret)
    assert page.status == 302
    assert page.headers.get("Location", "").endswith("/hub/spawn")
    assert {cookie.name for cookie in browser.cookies} >= {"jupyterhub-hub-login"}
    home = browser.request("/hub/home")
    assert home.status == 200
    assert client.name in home.text


def test_repeated_wrong_pairs_are_slowed_down(hub: Hub, client: Client) -> None:
    browser = Browser(hub)
    for _ in range(3):
        assert browser.sign_in(client.key, "wrong").login_error() == messages.WRONG_PAIR
    # A case variant of the key is the same key to the backoff.
    fourth = browser.sign_in(client.key.upper(), "wrong")
    assert fourth.status == 403
    assert fourth.login_error().startswith(messages.WRONG_PAIR + " Too many failed sign-ins")
    locked = browser.sign_in(client.key, client.secret)
    assert locked.status == 429
    assert locked.login_error().startswith(
        "Too many failed sign-ins for this client key; try again in 30 seconds"
    )


def test_the_researchers_server_gets_the_platform_and_the_pair(hub: Hub, client: Client) -> None:
    browser = Browser(hub)
    assert browser.sign_in(client.key, client.secret).status == 302
    record = spawn(hub, browser, client)
    assert record.pop("JUPYTERHUB_API_TOKEN")  # the hub's token for the server
    assert record == {
        "RQS_API_URL": "http://vce-platform.test:8911",
        "RQS_CLIENT_KEY": client.key,
        "RQS_PIP_INDEX_URL": "http://vce-platform.test:8911/simple/",
        "JUPYTERHUB_USER": client.name,
        "RQS_CLIENT_SECRET_sha256": sha256(client.secret.encode()).hexdigest(),
    }
    # The proxy routes the user's URL (with its "~") to the server.
    path = f"/user/{urllib.parse.quote(client.name)}/"
    page = poll(lambda: (p := browser.request(path)).status == 200 and p, f"{path} to answer")
    assert page.text == "spawned"


def test_a_secret_reset_on_the_platform_sends_back_to_the_login_page_and_restarts_the_lab(
    hub: Hub, platform: StandIn, client: Client
) -> None:
    browser = Browser(hub)
    assert browser.sign_in(client.key, client.secret).status == 302
    old = spawn(hub, browser, client)
    assert old["RQS_CLIENT_SECRET_sha256"] == sha256(client.secret.encode()).hexdigest()
    new = reset_secret(platform, client)

    def sent_to_login() -> bool:
        home = browser.request("/hub/home")
        return home.status == 302 and "/hub/login" in home.headers.get("Location", "")

    poll(sent_to_login, "the hub to send the researcher back to the login page")
    login = browser.request("/hub/login")  # the form, not a redirect: signed out
    assert login.status == 200 and 'name="password"' in login.text
    assert f"no longer accepts client key {client.key!r}" in hub.log.read_text()
    # The new secret signs in, and stops the lab that still holds the old one ...
    assert browser.sign_in(client.key, new.secret).status == 302
    assert browser.request("/hub/home").status == 200
    assert (
        f"the client secret changed; stopping {client.name}'s server so it starts with the "
        "new one" in hub.log.read_text()
    )
    # ... so the next start gets the new pair.
    restarted = spawn(hub, browser, client)
    assert restarted["RQS_CLIENT_SECRET_sha256"] == sha256(new.secret.encode()).hexdigest()
    assert restarted["JUPYTERHUB_API_TOKEN"] != old["JUPYTERHUB_API_TOKEN"]


def test_a_revoked_secret_refuses_the_servers_token_requests(
    hub: Hub, platform: StandIn, client: Client
) -> None:
    """JupyterHub 6.1's auth_refresh_strict is on: a lab's token does not outlive its secret."""
    browser = Browser(hub)
    assert browser.sign_in(client.key, client.secret).status == 302
    token = spawn(hub, browser, client)["JUPYTERHUB_API_TOKEN"]

    def as_the_server() -> Page:
        return browser.request_with_token("/hub/api/user", token)

    before = as_the_server()
    assert before.status == 200 and json.loads(before.text)["name"] == client.name
    reset_secret(platform, client)
    refused = poll(
        lambda: (page := as_the_server()).status != 200 and page,
        "the hub to refuse the server's token after the secret was reset",
    )
    assert refused.status == 403, refused.text[-500:]


def test_the_platform_down_is_said_on_the_page(hub: Hub, platform: StandIn, client: Client) -> None:
    platform.stop()
    try:
        page = Browser(hub).sign_in(client.key, client.secret)
    finally:
        platform.start()
    assert page.status == 503
    assert page.login_error() == messages.UNREACHABLE
    assert "Traceback" not in page.text


def test_no_secret_in_clear_in_the_log_the_database_or_the_cookies(
    platform: StandIn, crypt_key: str, client: Client, tmp_path: Path
) -> None:
    hub = start_hub(tmp_path / "jupyterhub", platform, crypt_key)
    try:
        browser = Browser(hub)
        assert browser.sign_in(client.key, "a-wrong-secret").status == 403
        assert browser.sign_in(client.key, client.secret).status == 302
        spawn(hub, browser, client)
        new = reset_secret(platform, client)
        assert browser.sign_in(client.key, new.secret).status == 302  # stops the old lab
        spawn(hub, browser, client)
        cookies = [f"{cookie.name}={cookie.value}" for cookie in browser.cookies]
    finally:
        hub.stop()  # everything written and flushed
    log = hub.log.read_bytes()
    assert b"wrong pair (rejected, HTTP 401" in log
    assert b"the client secret changed" in log
    database_files = [p for p in hub.root.iterdir() if p.name.startswith("jupyterhub.sqlite")]
    assert database_files
    for secret in (client.secret, new.secret):
        for encoded in {secret, urllib.parse.quote(secret), urllib.parse.quote_plus(secret)}:
            assert encoded.encode() not in log
            assert not any(encoded in cookie for cookie in cookies)
            for path in database_files:
                assert encoded.encode() not in path.read_bytes(), path
    # The auth_state is there, encrypted with the hub's key: the pair of the last sign-in.
    with sqlite3.connect(hub.database) as db:
        rows = dict(db.execute("SELECT name, encrypted_auth_state FROM users").fetchall())
    fernet = Fernet(base64.urlsafe_b64encode(bytes.fromhex(crypt_key)))
    assert json.loads(fernet.decrypt(rows[client.name])) == {
        "client_key": client.key,
        "client_secret": new.secret,
    }
