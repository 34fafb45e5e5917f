"""A real JupyterHub process (with configurable-http-proxy) and the VCE authenticator.

One hub, one stand-in and one sqlite database for the module, in the order a deployment
sees them: the login page, failed and good sign-ins, backoff, a spawn, the platform down;
last, the log, the database and the cookies are searched for the secrets.
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
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from hashlib import sha256
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from jupyterlab_vce.hub import messages
from jupyterlab_vce.hub.usernames import hub_name

from .conftest import KEY, KEY_B, SECRET, SECRET_B
from .processes import Hub, StandIn

SPAWNED_SERVER = Path(__file__).with_name("spawned_server.py")
REFRESH_AGE = 1
NEW_SECRET = "hub-test-new-secret-" + secrets.token_hex(8)


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
        try:
            with self.opener.open(self.hub.url + path, data=body, timeout=30) as response:
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
def crypt_key() -> str:
    return secrets.token_hex(32)


@pytest.fixture(scope="module")
def hub(
    shared_standin: StandIn, crypt_key: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hub]:
    root = tmp_path_factory.mktemp("jupyterhub")
    process = Hub(
        root=root,
        platform_url=shared_standin.url,
        crypt_key=crypt_key,
        extra_config="\n".join(
            [
                f"c.Spawner.cmd = [{sys.executable!r}, {str(SPAWNED_SERVER)!r}]",
                f"c.Spawner.environment = {{'VCE_TEST_ENV_RECORD': {str(root / 'env.json')!r}}}",
                "c.VCEAuthenticator.lab_platform_url = 'http://vce-platform.test:8911'",
                "c.VCEAuthenticator.backoff_base_seconds = 30.0",
                # Re-check the pair on any request older than 1 s (the revoked-secret test).
                f"c.VCEAuthenticator.auth_refresh_age = {REFRESH_AGE}",
            ]
        ),
    ).start()
    yield process
    process.stop()


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


def test_a_wrong_secret_shows_the_error_on_the_page(hub: Hub) -> None:
    page = Browser(hub).sign_in(KEY, SECRET + "-wrong")
    assert page.status == 403
    assert page.login_error() == messages.WRONG_PAIR
    assert LoginPage(page.text).inputs["username_input"]["value"] == KEY  # kept for a retry
    assert "Traceback" not in page.text


def test_blank_fields_show_what_is_missing(hub: Hub) -> None:
    browser = Browser(hub)
    assert browser.sign_in("", SECRET).login_error() == messages.BLANK_KEY
    page = browser.sign_in(KEY, "")
    assert (page.status, page.login_error()) == (403, messages.BLANK_SECRET)


def test_the_right_pair_signs_in(hub: Hub) -> None:
    browser = Browser(hub)
    page = browser.sign_in(KEY, SECRET)
    assert page.status == 302
    assert page.headers.get("Location", "").endswith("/hub/spawn")
    assert {cookie.name for cookie in browser.cookies} >= {"jupyterhub-hub-login"}
    home = browser.request("/hub/home")
    assert home.status == 200
    assert hub_name(KEY) in home.text


def test_repeated_wrong_pairs_are_slowed_down(hub: Hub) -> None:
    browser = Browser(hub)
    for _ in range(3):
        assert browser.sign_in(KEY_B, "wrong").login_error() == messages.WRONG_PAIR
    fourth = browser.sign_in(KEY_B, "wrong")
    assert fourth.status == 403
    assert fourth.login_error().startswith(messages.WRONG_PAIR + " Too many failed sign-ins")
    locked = browser.sign_in(KEY_B, SECRET_B)
    assert locked.status == 429
    assert locked.login_error().startswith(
        "Too many failed sign-ins for this client key; try again in 30 seconds"
    )


def test_the_researchers_server_gets_the_platform_and_the_pair(hub: Hub) -> None:
    browser = Browser(hub)
    assert browser.sign_in(KEY, SECRET).status == 302
    name = hub_name(KEY)
    started = browser.request(f"/hub/spawn/{urllib.parse.quote(name)}")
    assert started.status in (200, 302), started.text[-2000:]
    record = hub.root / "env.json"
    deadline = time.monotonic() + 30
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert record.exists(), hub.log.read_text()[-3000:]
    assert json.loads(record.read_text()) == {
        "RQS_API_URL": "http://vce-platform.test:8911",
        "RQS_CLIENT_KEY": KEY,
        "RQS_PIP_INDEX_URL": "http://vce-platform.test:8911/simple/",
        "JUPYTERHUB_USER": name,
        "RQS_CLIENT_SECRET_sha256": sha256(SECRET.encode()).hexdigest(),
    }
    # The proxy routes the user's URL (with its "~") to the server.
    deadline = time.monotonic() + 30
    while (page := browser.request(f"/user/{urllib.parse.quote(name)}/")).status != 200:
        assert time.monotonic() < deadline, (page.status, page.text[-500:])
        time.sleep(0.2)
    assert page.text == "spawned"


def test_a_secret_revoked_on_the_platform_sends_back_to_the_login_page(
    hub: Hub, shared_standin: StandIn
) -> None:
    browser = Browser(hub)
    assert browser.sign_in(KEY, SECRET).status == 302
    shared_standin.restart({KEY: NEW_SECRET, KEY_B: SECRET_B})  # the secret was reset
    try:
        time.sleep(REFRESH_AGE + 0.5)
        home = browser.request("/hub/home")
        assert home.status == 302
        assert "/hub/login" in home.headers.get("Location", "")
        login = browser.request("/hub/login")  # the form, not a redirect: signed out
        assert login.status == 200 and 'name="password"' in login.text
        # The new secret signs in.
        assert browser.sign_in(KEY, NEW_SECRET).status == 302
        assert browser.request("/hub/home").status == 200
    finally:
        shared_standin.restart({KEY: SECRET, KEY_B: SECRET_B})
    assert f"no longer accepts client key {KEY!r}" in hub.log.read_text()


def test_the_platform_down_is_said_on_the_page(hub: Hub, shared_standin: StandIn) -> None:
    shared_standin.stop()
    try:
        page = Browser(hub).sign_in(KEY, SECRET)
    finally:
        shared_standin.start()
    assert page.status == 503
    assert page.login_error() == messages.UNREACHABLE
    assert "Traceback" not in page.text


def test_no_secret_in_clear_in_the_log_the_database_or_the_cookies(
    hub: Hub, crypt_key: str
) -> None:
    hub.stop()  # everything written and flushed
    log = hub.log.read_bytes()
    assert b"wrong pair (rejected, HTTP 401" in log
    assert f"client key {KEY!r}".encode() in log
    database_files = [p for p in hub.root.iterdir() if p.name.startswith("jupyterhub.sqlite")]
    assert database_files
    for secret in (SECRET, SECRET_B, NEW_SECRET):
        for encoded in {secret, urllib.parse.quote(secret), urllib.parse.quote_plus(secret)}:
            assert encoded.encode() not in log
            for path in database_files:
                assert encoded.encode() not in path.read_bytes(), path
    # The auth_state is there, encrypted with the hub's key: the pair of the last sign-in
    # (after the secret was reset on the platform).
    with sqlite3.connect(hub.database) as db:
        rows = dict(db.execute("SELECT name, encrypted_auth_state FROM users").fetchall())
    fernet = Fernet(base64.urlsafe_b64encode(bytes.fromhex(crypt_key)))
    assert json.loads(fernet.decrypt(rows[hub_name(KEY)])) == {
        "client_key": KEY,
        "client_secret": NEW_SECRET,
    }
