"""The embedded default: the platform stand-in (server-mock) as a child process.

When no platform URL is configured, the server starts ``vce-mock`` on a
loopback port with one research client whose secret is random and persisted
(0600) in the data directory, so restarts and running kernels keep working.
The port is the one it had last time (remembered in the data directory), so
the result links in its mails survive a restart; a free one if that is taken.
The child never outlives the server: it is stopped with the extension, and on
Linux the kernel kills it if the server dies first. When it ends on its own
(crash, OOM, kill) it is started again on the same port and data folder, with
a backoff (:class:`RestartPolicy`); after too many ends in a short time the
platform is marked unavailable with a message that says to restart JupyterLab.

The server does not wait for it: :meth:`EmbeddedPlatform.start_in_background`
spawns it from a supervisor thread and returns at once; the thread reports the
URL when the ready line arrives (until then the status says *starting*), or why
it could not start, then supervises it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import IO

from ._version import __version__
from .credentials import Credentials, CredentialsSource

EMBEDDED_CLIENT_KEY = "vce-local-researcher"
EMBEDDED_CLIENT_EMAIL = "researcher@vce.localhost"
SECRET_FILE_NAME = "embedded-client-secret"
#: The port the stand-in last listened on, so that links in its mails survive a restart.
PORT_FILE_NAME = "embedded-port"
READY_PATTERN = re.compile(r"^vce-mock listening on\s+(https?://\S+)$")
REDACTED = "[secret]"
#: The platform's package index (PEP 503), for the guide's `pip install --index-url … pyrqs`.
ENV_PIP_INDEX_URL = "RQS_PIP_INDEX_URL"
#: Lines of the child's stderr kept to explain a failed start.
STDERR_TAIL_LINES = 20
STOP_GRACE_SECONDS = 5.0
#: The npm package of the stand-in released with this extension (``npm pack`` in server-mock/).
MOCK_PACKAGE = f"vce-mock-{__version__}.tgz"
#: The two ways to a platform: the stand-in installed, or a running platform's address.
WAYS_OUT = (
    f"Install the platform stand-in with `npm install -g {MOCK_PACKAGE}` (or build it in a "
    "checkout: `npm ci && npm run build` in server-mock/), or set RQS_API_URL (with "
    "RQS_CLIENT_KEY and RQS_CLIENT_SECRET) to use a running platform; then restart JupyterLab."
)
NOT_FOUND_MESSAGE = (
    "No platform is configured: RQS_API_URL is not set and the platform stand-in (vce-mock) "
    "was not found (c.VCEApp.mock_command, $VCE_MOCK_BIN, vce-mock on PATH, "
    f"server-mock/dist/cli.js of a checkout). {WAYS_OUT}"
)
BUILD_HINT = (
    f"{WAYS_OUT} To run another build, point c.VCEApp.mock_command or $VCE_MOCK_BIN at its "
    "vce-mock executable."
)
PORT_IN_USE_HINT = (
    "Another program is listening on that port: stop it, or set c.VCEApp.mock_port to 0 (a free "
    "port) or another port; then restart JupyterLab."
)
#: How the stand-in's command line says why it could not start (server-mock/src/cli.ts).
CLI_ERROR_PREFIX = "vce-mock:"
_PR_SET_PDEATHSIG = 1
#: Where the stand-in's output goes: the server's log, one ``[vce-mock]`` line each.
LOG_PREFIX = "[vce-mock]"


class MockStartError(Exception):
    """The stand-in could not be started; the message says what to do."""


class PortInUse(MockStartError):
    """The port the stand-in was asked to listen on is taken."""


class MockNotFound(MockStartError):
    """No stand-in was found: no platform is configured at all."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND_MESSAGE)


def load_or_create_secret(data_dir: Path) -> str:
    """The embedded client's secret, created (random, 0600) on first use."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE_NAME
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        secret = ""
    if secret:
        path.chmod(0o600)
        return secret
    secret = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    path.chmod(0o600)
    return secret


def remembered_port(data_dir: Path) -> int | None:
    """The port the stand-in of this data folder last listened on, if one is recorded."""
    try:
        text = (data_dir / PORT_FILE_NAME).read_text(encoding="ascii").strip()
        port = int(text, 10)
    except (OSError, ValueError):  # missing, unreadable, a folder, not ASCII digits
        return None
    return port if text.isdigit() and 0 < port < 65536 else None


def remember_port(data_dir: Path, url: str) -> None:
    """Record the port of ``url`` (``http://HOST:PORT``) in the data folder."""
    port = url.rstrip("/").rsplit(":", 1)[-1]
    if port.isdigit():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        (data_dir / PORT_FILE_NAME).write_text(port + "\n", encoding="utf-8")


def embedded_credentials(configured: Credentials | None, data_dir: Path) -> tuple[Credentials, str]:
    """The client to register with the stand-in, and the email of its researcher.

    Credentials configured in the environment are registered as they are;
    otherwise the local researcher with the persisted random secret.
    """
    if configured is not None:
        return configured, EMBEDDED_CLIENT_EMAIL
    secret = load_or_create_secret(data_dir)
    return (
        Credentials(EMBEDDED_CLIENT_KEY, secret, CredentialsSource.EMBEDDED),
        EMBEDDED_CLIENT_EMAIL,
    )


#: The stand-in listens on loopback only.
MOCK_HOST = "127.0.0.1"
#: The stand-in reads its client from here, which keeps the secret off `ps` listings.
MOCK_CLIENT_ENV = "VCE_MOCK_CLIENT"


def mock_arguments(command: list[str], data_dir: Path, port: int = 0) -> list[str]:
    """The stand-in's command line: loopback, the port (0: a free one), our data dir."""
    return [
        *command,
        "--host", MOCK_HOST,
        "--port", str(port),
        "--data-dir", str(data_dir),
    ]  # fmt: skip


def mock_environment(
    environ: Mapping[str, str], credentials: Credentials, email: str
) -> dict[str, str]:
    """The stand-in's environment: ours, plus its client as ``KEY:SECRET:EMAIL``."""
    client = f"{credentials.client_key}:{credentials.client_secret}:{email}"
    return {**environ, MOCK_CLIENT_ENV: client}


def parse_ready_line(line: str) -> str | None:
    """The URL in ``vce-mock listening on http://HOST:PORT``, else None."""
    match = READY_PATTERN.match(line.strip())
    return match.group(1) if match else None


def failure_reason(lines: list[str]) -> str:
    """The one line of a stand-in's output that says why it stopped.

    The command line's own ``vce-mock: ...`` line when there is one, else the
    last line that is not a JSON log record, else the last line.
    """
    lines = [line.strip() for line in lines if line.strip()]
    for line in reversed(lines):
        if line.startswith(CLI_ERROR_PREFIX):
            return line
    for line in reversed(lines):
        if not line.startswith("{"):
            return line
    return lines[-1] if lines else ""


def is_port_in_use(reason: str) -> bool:
    return "EADDRINUSE" in reason or "address already in use" in reason.lower()


def redact(text: str, secret: str) -> str:
    return text.replace(secret, REDACTED) if secret else text


def export_environment(environ: MutableMapping[str, str], url: str) -> None:
    """Give kernels started from now on the stand-in's package index (for ``pip install pyrqs``).

    Not the client key or secret, nor the stand-in's address: kernels reach the
    platform through the server's kernel route (``kernel_access.py``).
    """
    environ[ENV_PIP_INDEX_URL] = f"{url.rstrip('/')}/simple/"


class RestartPolicy:
    """When to start the stand-in again after it ended on its own: a pure clock-driven rule.

    The delays double from ``first_delay`` up to ``max_delay``; a run that lasted
    ``stable_after`` seconds starts the doubling over. At most ``max_restarts``
    restarts in any ``window`` seconds: then :meth:`next_delay` says None (give up).
    """

    def __init__(
        self,
        first_delay: float = 1.0,
        max_delay: float = 30.0,
        stable_after: float = 60.0,
        max_restarts: int = 5,
        window: float = 600.0,
    ) -> None:
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stable_after = stable_after
        self.max_restarts = max_restarts
        self.window = window
        self._streak = 0
        self._restarts: deque[float] = deque()

    def next_delay(self, started: float, ended: float) -> float | None:
        """Seconds to wait before the next start of a run from ``started`` to ``ended``; None: stop."""
        if ended - started >= self.stable_after:
            self._streak = 0
        while self._restarts and ended - self._restarts[0] >= self.window:
            self._restarts.popleft()
        if len(self._restarts) >= self.max_restarts:
            return None
        delay = min(self.first_delay * 2**self._streak, self.max_delay)
        self._streak += 1
        self._restarts.append(ended)
        return delay


def exit_description(returncode: int) -> str:
    """``exit code 1`` or ``signal SIGKILL`` (Popen's negative return code)."""
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def keeps_stopping_message(restarts: int, window: float, last_end: str, data_dir: Path) -> str:
    """The platform's unavailable message once the stand-in is no longer restarted."""
    return (
        f"The local platform (the embedded stand-in) keeps stopping: it was restarted {restarts} "
        f"times in {window / 60:.0f} minutes and ended again ({last_end}), so it is no longer "
        f"restarted. Its log is in the Jupyter server's log (the lines starting with "
        f"{LOG_PREFIX}); its data is in {data_dir}. Restart JupyterLab."
    )


def unexpected_start_message(error: BaseException, data_dir: Path) -> str:
    """Why the stand-in could not start when its start raised what no rule expected (a bug):
    the error's type and message, where its log is, what to do; the traceback stays in the log.
    """
    what = str(error).strip().rstrip(".")
    reason = f"{type(error).__name__}: {what}" if what else type(error).__name__
    return (
        f"{reason}. Its log is in the Jupyter server's log (the error's traceback, and the lines "
        f"starting with {LOG_PREFIX}); its data is in {data_dir}. Restart JupyterLab; if it "
        "happens again, report it with that log."
    )


def _die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A preexec function asking Linux to SIGKILL the child when this server dies.

    libc is loaded here, in the parent: the child only makes the system call.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the server died before prctl took effect
            os._exit(1)

    return preexec


class EmbeddedPlatform:
    """One running stand-in process, its output drained into the server log."""

    def __init__(
        self,
        command: list[str],
        data_dir: Path,
        credentials: Credentials,
        email: str,
        log: logging.Logger,
        port: int = 0,
    ) -> None:
        self.credentials = credentials
        self._command = command
        self._port = port
        self._data_dir = data_dir
        self._email = email
        self._log = log
        self._process: subprocess.Popen[str] | None = None
        self._stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self._stderr_reader: threading.Thread | None = None
        #: Set by :meth:`stop`: an end after it is not a crash.
        self._stopping = threading.Event()
        #: Held while a process is started or stopped, so a restart never races the stop.
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None
        #: Set once the first start is decided (listening, or failed): see :meth:`start_in_background`.
        self.settled = threading.Event()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def expected_url(self) -> str | None:
        """Where the stand-in will listen, when that is known before it starts: the
        configured port, else the one remembered in the data folder. None on a first
        start with port 0 (the ready line tells). A remembered port that turns out taken
        gives another one; :func:`export_environment` with the ready line's URL corrects it.
        """
        port = self._port or remembered_port(self._data_dir)
        return f"http://{MOCK_HOST}:{port}" if port else None

    def start(self, timeout: float) -> str:
        """Start the stand-in and wait until it listens; its base URL.

        Blocks up to ``timeout`` seconds (the server calls it from
        :meth:`start_in_background`'s thread, never on its own start-up path).
        Without a configured port it listens where it listened last (the port
        is remembered in the data folder), so that the result links in its
        mails keep working after a restart; a new port only if that one is taken.
        """
        if not self._command:
            raise MockNotFound()
        if self._port:
            return self._launch(self._port, timeout)
        last = remembered_port(self._data_dir)
        try:
            url = self._launch(last or 0, timeout)
        except PortInUse:
            if last is None:
                raise
            self._log.warning(
                "The embedded platform's port %s (remembered in %s) is taken; it listens on a "
                "new one, so result links in earlier mails no longer work (download those "
                "results from the Data Clean Room panel).",
                last,
                self._data_dir / PORT_FILE_NAME,
            )
            url = self._launch(0, timeout)
        remember_port(self._data_dir, url)
        return url

    def _launch(self, port: int, timeout: float) -> str:
        arguments = mock_arguments(self._command, self._data_dir, port)
        self._log.info(
            "Starting the embedded platform stand-in: %s",
            redact(" ".join(arguments), self.credentials.client_secret),
        )
        with self._lock:
            if self._stopping.is_set():
                raise MockStartError("The extension is stopping.")
            self._popen(arguments)
        assert self._process is not None
        ready: queue.Queue[str | None] = queue.Queue()
        self._drain(self._process.stdout, self._stdout_watcher(ready), lambda: ready.put(None))
        self._stderr_reader = self._drain(self._process.stderr, self._keep_stderr)
        return self._wait_until_ready(ready, timeout)

    def _popen(self, arguments: list[str]) -> None:
        try:
            self._process = subprocess.Popen(
                arguments,
                env=mock_environment(os.environ, self.credentials, self._email),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                bufsize=1,
                start_new_session=True,  # the terminal's Ctrl-C is for Jupyter, not for it
                preexec_fn=_die_with_parent(os.getpid()),
            )
        except OSError as error:
            node_hint = (
                "Install Node.js 20 or later. " if Path(self._command[0]).name == "node" else ""
            )
            raise MockStartError(
                f"Could not run {self._command[0]!r} ({error.strerror or error}). "
                + node_hint
                + BUILD_HINT
            ) from None

    def start_in_background(
        self,
        timeout: float,
        on_ready: Callable[[str], None],
        on_failure: Callable[[Exception], None],
        on_give_up: Callable[[str], None],
        policy: RestartPolicy | None = None,
    ) -> None:
        """Start the stand-in without waiting for it; return at once.

        A daemon thread runs :meth:`start` (spawn, then wait up to ``timeout`` for
        the ready line), then calls ``on_ready`` with its URL and supervises it as
        :meth:`supervise` does, or calls ``on_failure`` with why it could not start
        (not restarted, as before). :attr:`settled` is set after either callback.
        The same thread spawns every process and outlives each (Linux's
        parent-death signal follows the forking thread). Raises
        :class:`MockNotFound` at once when there is no command to run.
        """
        if not self._command:
            self.settled.set()
            raise MockNotFound()
        self._supervisor = threading.Thread(
            target=self._start_then_watch,
            args=(timeout, on_ready, on_failure, on_give_up, policy or RestartPolicy()),
            name="vce-mock-supervisor",
            daemon=True,
        )
        self._supervisor.start()

    def _start_then_watch(
        self,
        timeout: float,
        on_ready: Callable[[str], None],
        on_failure: Callable[[Exception], None],
        on_give_up: Callable[[str], None],
        policy: RestartPolicy,
    ) -> None:
        try:
            url = self.start(timeout)
        except (MockStartError, OSError) as error:  # OSError: the data folder (its port file)
            try:
                if not self._stopping.is_set():
                    on_failure(error)
            finally:
                self.settled.set()
            return
        except Exception as error:  # what no rule expected: never leave the status *starting*
            self._log.exception(
                "jupyterlab_vce: the embedded platform stand-in's start failed unexpectedly."
            )
            try:
                if not self._stopping.is_set():
                    on_failure(MockStartError(unexpected_start_message(error, self._data_dir)))
            finally:
                self.settled.set()
            return
        try:
            on_ready(url)
        finally:
            self.settled.set()
        port = int(url.rstrip("/").rsplit(":", 1)[-1])
        self._watch(port, timeout, on_give_up, policy)

    def supervise(
        self,
        url: str,
        timeout: float,
        on_give_up: Callable[[str], None],
        policy: RestartPolicy | None = None,
    ) -> None:
        """Start the stand-in again on ``url``'s port whenever it ends without :meth:`stop`.

        A daemon thread waits for the process (it was started before the server's
        event loop runs); ``on_give_up`` gets the message for the researcher
        once ``policy`` says no more restarts. The thread outlives every process it
        starts (it waits for it), as Linux's parent-death signal follows the forking thread.
        """
        port = int(url.rstrip("/").rsplit(":", 1)[-1])
        rule = policy or RestartPolicy()
        self._supervisor = threading.Thread(
            target=self._watch,
            args=(port, timeout, on_give_up, rule),
            name="vce-mock-supervisor",
            daemon=True,
        )
        self._supervisor.start()

    def _watch(
        self, port: int, timeout: float, on_give_up: Callable[[str], None], policy: RestartPolicy
    ) -> None:
        started = time.monotonic()
        while True:
            process = self._process
            assert process is not None
            code = process.wait()
            if self._stopping.is_set():
                return
            ended = time.monotonic()
            end = exit_description(code)
            delay = policy.next_delay(started, ended)
            if delay is None:
                message = keeps_stopping_message(
                    policy.max_restarts, policy.window, end, self._data_dir
                )
                self._log.error(
                    "jupyterlab_vce: the embedded platform stand-in (pid %s) ended (%s). %s",
                    process.pid,
                    end,
                    message,
                )
                on_give_up(message)
                return
            self._log.warning(
                "jupyterlab_vce: the embedded platform stand-in (pid %s) ended (%s); "
                "starting it again in %.0f s.",
                process.pid,
                end,
                delay,
            )
            if self._stopping.wait(delay):
                return
            started = time.monotonic()
            try:
                url = self._launch(port, timeout)
            except MockStartError as error:
                if self._stopping.is_set():
                    return
                self._log.error("jupyterlab_vce: the embedded platform stand-in: %s", error)
                continue  # its process has ended: the policy decides again
            except Exception:  # what no rule expected: the policy still decides, never a silent end
                if self._stopping.is_set():
                    return
                self._log.exception(
                    "jupyterlab_vce: starting the embedded platform stand-in again failed unexpectedly."
                )
                continue
            self._log.info(
                "jupyterlab_vce: embedded platform stand-in listening again on %s (pid %s).",
                url,
                self.pid,
            )

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGTERM, then SIGKILL (its whole process group) after ``grace`` seconds."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, process.wait, grace)
        except subprocess.TimeoutExpired:
            self._log.warning(
                "The platform stand-in did not stop within %.0f s; killing it.", grace
            )
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await loop.run_in_executor(None, process.wait)
        self._log.info("Stopped the embedded platform stand-in (pid %s).", process.pid)

    def _wait_until_ready(self, ready: queue.Queue[str | None], timeout: float) -> str:
        assert self._process is not None
        try:
            url = ready.get(timeout=timeout)
        except queue.Empty:
            self._process.kill()
            self._process.wait()
            raise MockStartError(
                f"The platform stand-in did not report it was listening within {timeout:.0f} s"
                f"{self._stderr_summary()}. Raise c.VCEApp.mock_startup_timeout if the machine "
                "is slow."
            ) from None
        if url is None:
            code = self._process.wait()
            summary = self._stderr_summary()
            in_use = is_port_in_use(summary)
            raise (PortInUse if in_use else MockStartError)(
                f"The platform stand-in exited with code {code} before it was listening"
                f"{summary}. {PORT_IN_USE_HINT if in_use else BUILD_HINT}"
            )
        return url

    def _stdout_watcher(self, ready: queue.Queue[str | None]) -> Callable[[str], None]:
        """Handle stdout lines: the first ready line gives the URL, others are logged."""
        announced = False

        def handle(line: str) -> None:
            nonlocal announced
            url = None if announced else parse_ready_line(line)
            if url is None:
                self._log.info("%s %s", LOG_PREFIX, line)
                return
            announced = True
            ready.put(url)

        return handle

    def _keep_stderr(self, line: str) -> None:
        self._stderr_tail.append(line)
        self._log.info("%s %s", LOG_PREFIX, line)

    def _stderr_summary(self) -> str:
        """``: <why>``, the line of the child's stderr that says why it stopped, once read."""
        if self._stderr_reader is not None:
            self._stderr_reader.join(timeout=1.0)
        reason = failure_reason(list(self._stderr_tail)).rstrip(".")
        return f": {reason}" if reason else ""

    def _drain(
        self,
        stream: IO[str] | None,
        handle: Callable[[str], None],
        on_end: Callable[[], None] | None = None,
    ) -> threading.Thread:
        """Read ``stream`` line by line (secret redacted) in a daemon thread."""
        secret = self.credentials.client_secret

        def pump() -> None:
            for line in stream or ():
                handle(redact(line.rstrip("\n"), secret))
            if on_end is not None:
                on_end()

        reader = threading.Thread(target=pump, name="vce-mock-output", daemon=True)
        reader.start()
        return reader
