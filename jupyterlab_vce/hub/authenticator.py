"""The VCE authenticator: JupyterHub signs researchers in with their client key and secret."""

from __future__ import annotations

import os
from typing import Any

from jupyterhub.auth import Authenticator
from tornado import web
from traitlets import Bool, Float, Instance, Integer, Unicode, default, validate

from . import messages
from .backoff import FailureTracker
from .form import FormProblem, SignIn, read_form
from .key_locks import KeyLocks
from .page import TEMPLATES_DIR, install_template_dir
from .pair_check import Outcome, PairCheck, check_pair
from .spawn_env import (
    ENV_API_URL,
    STATE_SECRET,
    auth_state_for,
    secret_changed,
    spawner_environment,
    stored_pair,
)
from .startup import startup_problems
from .usernames import is_hub_name, normalize


class VCEAuthenticator(Authenticator):
    """Sign in to JupyterHub with a research client's *Client key* and *Client secret*.

    The login page is the Virtual Compute Environment's: *Client key* is the user name field
    and *Client secret* the password field, as the platform's guide says ("sign in using your
    Client key as the Username and your Client secret as the Password"). Each sign-in is
    checked against the platform's token route (``POST {platform_url}/v2/oauth/token/``):

    - a pair the platform accepts signs in; the hub user name is the client key, lowercased
      (a key with capitals gets ``~`` and a short hash of the exact key, so two keys never
      share a user); the exact key and the secret are kept in ``auth_state``, encrypted;
    - a wrong pair, a blank field or a malformed key is refused with a message on the page;
      repeated wrong pairs for one key (in any case: ``Key`` and ``KEY`` count together) are
      slowed down (``backoff_*``), one attempt at a time per key; an unreachable platform,
      a busy one (429) and one that refuses the request are each said as such and never count
      as a wrong pair;
    - a sign-in with another secret than the stored one (the secret was reset on the
      platform) stops the researcher's running servers: their environment holds the old one,
      and the next start gets the new pair;
    - every server the researcher starts gets ``RQS_API_URL`` (``lab_platform_url``),
      ``RQS_CLIENT_KEY``, ``RQS_CLIENT_SECRET`` and ``RQS_PIP_INDEX_URL``: the
      jupyterlab-vce server extension and pyrqs in every kernel are signed in;
    - the pair is checked again every ``auth_refresh_age`` seconds and before every spawn:
      a secret revoked on the platform sends the researcher back to the login page (an
      unreachable platform keeps the session), and, as ``auth_refresh_strict`` is on, the
      researcher's server's token requests to the hub are refused too.

    Who may sign in: the platform decides. A pair it accepts is an approved research
    project's client, so ``allow_all`` defaults to True for this authenticator (JupyterHub 5
    made it False for all), unless ``allowed_users`` is set: then only those users (hub names,
    i.e. client keys lowercased; keys with capitals may be listed as they are) may sign in.
    ``blocked_users`` and ``admin_users`` take client keys the same way.

    Required: ``enable_auth_state`` (True by default here) and ``JUPYTERHUB_CRYPT_KEY``;
    the hub does not start without them, as the secret must never be stored in clear. The
    secret is never logged, and never reaches a cookie or the browser.

    Minimal configuration::

        c.JupyterHub.authenticator_class = "vce"
        c.VCEAuthenticator.platform_url = "http://127.0.0.1:8911"
        # and JUPYTERHUB_CRYPT_KEY=$(openssl rand -hex 32) in the hub's environment

    The login page's template is added to JupyterHub's template paths at start; a
    configuration that sets ``c.JupyterHub.template_paths`` may list
    ``jupyterlab_vce.hub.TEMPLATES_DIR`` itself.
    """

    #: The directory of the VCE login page (also ``jupyterlab_vce.hub.TEMPLATES_DIR``).
    template_dir = TEMPLATES_DIR

    platform_url = Unicode(
        help="""The platform's base URL, as the hub reaches it to check client keys and secrets.

        Default: $RQS_API_URL. Example: http://127.0.0.1:8911 (the stand-in run as a hub service).
        """,
    ).tag(config=True)

    @default("platform_url")
    def _default_platform_url(self) -> str:
        return os.environ.get(ENV_API_URL, "").rstrip("/")

    lab_platform_url = Unicode(
        help="""The platform's base URL, as the researchers' servers reach it (their RQS_API_URL).

        Default: platform_url. Set it when the servers run elsewhere than the hub (a pod,
        a batch node) and reach the platform at another address.
        """,
    ).tag(config=True)

    @default("lab_platform_url")
    def _default_lab_platform_url(self) -> str:
        return self.platform_url

    pip_index_url = Unicode(
        help="""The platform's package index (PEP 503), the researchers' RQS_PIP_INDEX_URL.

        Default: <lab_platform_url>/simple/, where the platform serves pyrqs.
        """,
    ).tag(config=True)

    @default("pip_index_url")
    def _default_pip_index_url(self) -> str:
        return f"{self.lab_platform_url.rstrip('/')}/simple/"

    request_timeout = Float(
        10.0,
        help="Seconds to wait for the platform's token route before calling it unreachable.",
    ).tag(config=True)

    # The backoff's numbers are this project's policy (not the platform's): three free
    # tries for typos, then 2 s doubling to 5 min, which makes guessing a secret
    # impractically slow while a researcher who mistyped waits seconds.
    backoff_free_failures = Integer(
        3,
        help="""Wrong pairs in a row that cost a client key no wait.

        The next wrong pair starts the wait (backoff_base_seconds).
        """,
    ).tag(config=True)
    backoff_base_seconds = Float(
        2.0, help="The first wait after the free tries; it doubles with each further wrong pair."
    ).tag(config=True)
    backoff_max_seconds = Float(
        300.0, help="The longest wait between sign-in attempts for one client key."
    ).tag(config=True)

    install_template = Bool(
        True,
        help="""Add the VCE login page's directory to the hub's templates at start.

        Turn off to use only c.JupyterHub.template_paths (list
        jupyterlab_vce.hub.TEMPLATES_DIR there, or a directory with your own login.html).
        """,
    ).tag(config=True)

    failure_tracker = Instance(
        FailureTracker, help="Counts wrong pairs per client key (built from backoff_*)."
    )

    @default("failure_tracker")
    def _default_failure_tracker(self) -> FailureTracker:
        return FailureTracker(
            free_failures=self.backoff_free_failures,
            base_seconds=self.backoff_base_seconds,
            max_seconds=self.backoff_max_seconds,
        )

    sign_in_locks = Instance(
        KeyLocks,
        args=(),
        help="One sign-in at a time per client key (so parallel tries cannot pass the backoff).",
    )

    # JupyterHub's own traits, with this authenticator's defaults.

    if "auth_refresh_strict" in Authenticator.class_traits():  # JupyterHub 6.1+

        @default("auth_refresh_strict")
        def _default_auth_refresh_strict(self) -> bool:
            # JupyterHub 6.1 added auth_refresh_strict (default False): when refresh_user says
            # the pair is no longer good, a token-authenticated request (the researcher's
            # server calling the hub, the API) kept working with the stale auth. A secret
            # revoked on the platform must not keep a lab: True refuses those requests until
            # the researcher signs in again, as JupyterHub 5.5 always did.
            return True

    @default("enable_auth_state")
    def _default_enable_auth_state(self) -> bool:
        # The secret lives only in encrypted auth_state: required (see check_allow_config).
        return True

    @default("refresh_pre_spawn")
    def _default_refresh_pre_spawn(self) -> bool:
        return True  # a server never starts with a pair the platform no longer accepts

    @default("auth_refresh_age")
    def _default_auth_refresh_age(self) -> int:
        # JupyterHub's default, stated: a secret revoked on the platform ends a session in 5 min.
        return 300

    @default("allow_all")
    def _default_allow_all(self) -> bool:
        # The platform is the allow list: only an approved project's pair gets past
        # authenticate(). A hub that lists allowed_users narrows it to those.
        return not self.allowed_users

    @validate("blocked_users")
    def _normalize_blocked_users(self, proposal: Any) -> set[str]:
        # JupyterHub normalizes allowed_users and admin_users at start, not blocked_users:
        # a client key listed there blocks its hub user too.
        return {self.normalize_username(name) for name in proposal["value"]}

    # Start-up

    def check_allow_config(self) -> None:
        """Refuse to start without encrypted auth_state or a platform URL (then JupyterHub's check)."""
        problems = startup_problems(
            enable_auth_state=self.enable_auth_state,
            encryption_error=_encryption_error() if self.enable_auth_state else None,
            urls={
                "platform_url": self.platform_url,
                "lab_platform_url": self.lab_platform_url,
                "pip_index_url": self.pip_index_url,
            },
        )
        if problems:
            for problem in problems:
                self.log.critical(problem)
            raise SystemExit(1)  # as JupyterHub stops for its own configuration errors
        super().check_allow_config()

    def get_handlers(self, app: Any) -> list[tuple[str, Any]]:
        if self.install_template:
            install_template_dir(app, self.log)
        return super().get_handlers(app)

    # User names

    def normalize_username(self, username: str) -> str:
        """A client key → its hub name (idempotent); ``username_map`` applies after."""
        name = normalize(username)
        return self.username_map.get(name, name)

    def validate_username(self, username: str) -> bool:
        """Only names the client-key rule produces (and JupyterHub's own checks)."""
        return is_hub_name(username) and super().validate_username(username)

    def check_allowed(self, username: str, authentication: Any = None) -> bool:
        """``allowed_users`` (when set): anyone else is told why on the page."""
        if super().check_allowed(username, authentication):
            return True
        self.log.warning("VCE sign-in: hub user %r is not in allowed_users", username)
        raise web.HTTPError(403, messages.NOT_ALLOWED)

    def check_blocked_users(self, username: str, authentication: Any = None) -> bool:
        """``blocked_users``: told why on the page."""
        if super().check_blocked_users(username, authentication):
            return True
        self.log.warning("VCE sign-in: hub user %r is in blocked_users", username)
        raise web.HTTPError(403, messages.NOT_ALLOWED)

    # Sign-in

    async def authenticate(self, handler: Any, data: dict[str, Any]) -> dict[str, Any]:
        """Check the form's client key and secret with the platform; raise with the page's message."""
        try:
            sign_in = read_form(data)
        except FormProblem as problem:
            self.log.warning(
                "VCE sign-in refused before asking the platform: %s", problem.log_reason
            )
            raise web.HTTPError(403, problem.message) from None
        # The platform's case sensitivity for keys is not documented: "Key" and "KEY" share
        # one backoff, so a case variant gets no fresh tries.
        backoff_key = sign_in.client_key.lower()
        # One attempt at a time per key, from the backoff's check to its record: parallel
        # attempts wait here and then see the lock the earlier ones set.
        async with self.sign_in_locks.hold(backoff_key):
            return await self._authenticate_one(sign_in, backoff_key)

    async def _authenticate_one(self, sign_in: SignIn, backoff_key: str) -> dict[str, Any]:
        key = sign_in.client_key
        tracker = self.failure_tracker
        wait = tracker.retry_after(backoff_key)
        if wait:
            self.log.warning(
                "VCE sign-in for client key %r refused: %d wrong pairs in a row, %d s left to wait",
                key,
                tracker.failures(backoff_key),
                wait,
            )
            raise web.HTTPError(429, messages.locked(wait))
        full_wait = tracker.table_full_wait(backoff_key)
        if full_wait:
            self.log.warning(
                "VCE sign-in for client key %r refused: the backoff table is full of locked keys "
                "(%d; many wrong pairs on many keys), %d s until the first lock ends",
                key,
                tracker.max_keys,
                full_wait,
            )
            raise web.HTTPError(429, messages.hub_busy(full_wait))
        secret = sign_in.client_secret
        check = await self._check(key, secret)
        if check.outcome is Outcome.ACCEPTED:
            tracker.record_success(backoff_key)
            self.log.info(
                "VCE sign-in: the platform accepted client key %r (hub user %r)", key, sign_in.name
            )
            return {"name": sign_in.name, "auth_state": auth_state_for(key, secret)}
        if check.outcome is Outcome.REJECTED:
            locked_for = tracker.record_failure(backoff_key)
            self.log.warning(
                "VCE sign-in for client key %r: wrong pair (%s); %d in a row, next try in %d s",
                key,
                check.describe(),
                tracker.failures(backoff_key),
                locked_for,
            )
            message = messages.WRONG_PAIR
            if locked_for:
                message = f"{message} {messages.locked(locked_for)}"
            raise web.HTTPError(403, message)
        self.log.warning(
            "VCE sign-in for client key %r: the platform at %s could not check the pair (%s); "
            "not counted as a wrong pair",
            key,
            self.platform_url,
            check.describe(),
        )
        raise web.HTTPError(*_page_error(check, secret))

    async def _check(self, client_key: str, client_secret: str) -> PairCheck:
        return await check_pair(
            self.platform_url, client_key, client_secret, timeout=self.request_timeout
        )

    async def get_authenticated_user(self, handler: Any, data: dict[str, Any]) -> Any:
        """JupyterHub's sign-in and checks; then a new secret stops the servers with the old one."""
        authenticated = await super().get_authenticated_user(handler, data)
        if authenticated and handler is not None:
            new_secret = (authenticated.get("auth_state") or {}).get(STATE_SECRET, "")
            await self._stop_servers_with_an_old_secret(handler, authenticated["name"], new_secret)
        return authenticated

    async def _stop_servers_with_an_old_secret(self, handler: Any, name: str, secret: str) -> None:
        """Stop ``name``'s running servers when they were started with another secret.

        A server's environment is fixed at spawn: after the secret was reset on the platform,
        a lab still running with the old RQS_CLIENT_SECRET fails every call. Stopped here, the
        hub's redirect after sign-in starts it again with the new pair. Uses what JupyterHub's
        own logout does (``stop_single_user`` for each active, not pending server).
        """
        user = handler.find_user(name)
        if user is None or not secret_changed(await user.get_auth_state(), secret):
            return
        running = [n for n, spawner in user.spawners.items() if spawner.active]
        if not running:
            return
        self.log.info(
            "VCE user %r: the client secret changed; stopping %s's server so it starts with the "
            "new one",
            name,
            name,
        )
        for server_name in running:
            spawner = user.spawners[server_name]
            if spawner.pending == "stop":
                continue  # stopping already
            if spawner.pending:
                self.log.warning(
                    "VCE user %r: server %r is still pending (%s) with the old secret; it cannot "
                    "be stopped now: stop it from the hub's home page",
                    name,
                    server_name,
                    spawner.pending,
                )
                continue
            try:
                await handler.stop_single_user(user, server_name)
            except (KeyError, RuntimeError) as error:  # gone, or started pending meanwhile
                self.log.warning(
                    "VCE user %r: server %r could not be stopped (%s): stop it from the hub's "
                    "home page",
                    name,
                    server_name,
                    error,
                )

    # After sign-in

    async def refresh_user(self, user: Any, handler: Any = None) -> bool:
        """Check the stored pair again: False (sign in again) when the platform rejects it."""
        pair = stored_pair(await user.get_auth_state())
        if pair is None:
            self.log.warning(
                "VCE user %r holds no stored client key and secret (a new JUPYTERHUB_CRYPT_KEY?): "
                "they must sign in again",
                user.name,
            )
            return False
        check = await self._check(*pair)
        if check.outcome is Outcome.ACCEPTED:
            return True
        if check.outcome is Outcome.REJECTED:
            self.log.warning(
                "VCE user %r: the platform no longer accepts client key %r (%s); they must sign in "
                "again",
                user.name,
                pair[0],
                check.describe(),
            )
            return False
        self.log.warning(
            "VCE user %r: the platform at %s could not re-check client key %r (%s); the session "
            "is kept",
            user.name,
            self.platform_url,
            pair[0],
            check.describe(),
        )
        return True

    async def pre_spawn_start(self, user: Any, spawner: Any) -> None:
        """Give the researcher's server the platform's address and their client key and secret."""
        pair = stored_pair(await user.get_auth_state())
        if pair is None:
            raise web.HTTPError(403, messages.NO_STORED_PAIR)
        environment = spawner_environment(
            platform_url=self.lab_platform_url,
            pip_index_url=self.pip_index_url,
            client_key=pair[0],
            client_secret=pair[1],
        )
        # A new dict: the spawner's configured environment may be shared between spawners.
        spawner.environment = {**spawner.environment, **environment}


def _page_error(check: PairCheck, secret: str) -> tuple[int, str]:
    """The status and page message for a check that is neither accepted nor rejected."""
    if check.outcome is Outcome.UNREACHABLE:
        return 503, messages.UNREACHABLE
    if check.outcome is Outcome.RATE_LIMITED:
        return 429, messages.rate_limited(check.retry_after)
    return 502, messages.platform_refused(
        check.status, messages.safe_platform_message(check.message, secret)
    )


def _encryption_error() -> str | None:
    """Why JupyterHub cannot encrypt auth_state (no cryptography, no key), or None if it can."""
    from jupyterhub.crypto import CryptKeeper, EncryptionUnavailable

    try:
        CryptKeeper.instance().check_available()
    except EncryptionUnavailable as error:
        return str(error)
    return None
