"""The secrets a local hub keeps in its state folder, and the lines start-hub.sh prints.

    python deploy/hub_state.py crypt-key FILE
        print the hub's JUPYTERHUB_CRYPT_KEY, created once (32 random bytes, hex) in FILE (0600)
    python deploy/hub_state.py demo-clients FILE
        create FILE (0600) with two demo researchers and a reviewer, random secrets, unless
        it exists; say which
    python deploy/hub_state.py banner FILE URL [--show-secrets]
        the lines that tell people where to sign in and with what (secrets only when asked:
        for the demo file start-hub.sh made, never for a file an admin gave)
    python deploy/hub_state.py ports --port P --platform-port Q [--no-platform]
        check that the ports the hub will bind (deploy/jupyterhub_config.py) are free; if one
        is not, say which, what uses it, and a free choice (exit 1)

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import sys
from collections.abc import Callable
from pathlib import Path

#: The demo team: two researchers (to show that each sees only their own work) and a
#: reviewer (the manual-review queue). Lowercase keys: they are the hub's user names as-is.
DEMO_RESEARCHERS = (
    ("researcher-a", "a@vce.localhost", "Demo project A"),
    ("researcher-b", "b@vce.localhost", "Demo project B"),
)
DEMO_REVIEWERS = (("reviewer", "reviewer@vce.localhost"),)
CRYPT_KEY_BYTES = 32  # JupyterHub's CryptKeeper: a 32-byte Fernet key, given in hex
#: deploy/jupyterhub_config.py's defaults: the proxy's API one above the public port, the
#: hub's API 81 above it (8001 and 8081 for 8000, JupyterHub's own defaults).
PROXY_API_OFFSET, HUB_API_OFFSET = 1, 81


def hub_ports(port: int, platform_port: int | None, env: dict) -> list[tuple[int, str, str]]:
    """The ports the hub binds for `--port`: (port, what, how to choose another)."""
    ports = [(port, "the hub's public port", "--port")]
    for offset, variable, what in (
        (PROXY_API_OFFSET, "VCE_HUB_PROXY_API_PORT", "configurable-http-proxy's API"),
        (HUB_API_OFFSET, "VCE_HUB_API_PORT", "the hub's internal API"),
    ):
        if env.get(variable, "").strip():
            ports.append((int(env[variable]), f"{what}, {variable}", variable))
        else:
            ports.append((port + offset, f"{what}, --port + {offset}", "--port"))
    if platform_port is not None:
        ports.append((platform_port, "the platform stand-in", "--platform-port"))
    return ports


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on host:port now (a bind, as the hub's will)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def busy_port_message(
    port: int,
    platform_port: int | None,
    env: dict,
    free: Callable[[int], bool] = port_free,
) -> str | None:
    """None when every port the hub binds is free; else which is not, and a free choice."""
    wanted = hub_ports(port, platform_port, env)
    for number, what, choice in wanted:
        if free(number):
            continue
        taken = {n for n, _, _ in wanted}
        if choice == "--port":
            # A public port whose derived ports are free too, clear of the other ports.
            others = {n for n, _, c in wanted if c != "--port"}
            candidates = (port + step for step in range(10, 2000, 10))
            fits = (
                m
                for m in candidates
                if m + HUB_API_OFFSET < 65536
                and all(
                    free(n) and n not in others
                    for n, _, c in hub_ports(m, None, env)
                    if c == "--port"
                )
            )
        else:
            fits = (m for m in range(number + 1, 65536) if m not in taken and free(m))
        suggestion = next(fits, None)
        advice = f"; choose another with {choice} {suggestion}" if suggestion else ""
        if choice.startswith("VCE_"):
            advice = f"; choose another with {choice}={suggestion}" if suggestion else ""
        return f"start-hub: port {number} is in use ({what}){advice}."
    return None


def demo_clients(token=secrets.token_urlsafe) -> dict:
    """A clients file's content (vce-mock --clients-file) with fresh random secrets."""
    return {
        "researchers": [
            {"client_key": key, "client_secret": token(24), "email": email, "project_name": project}
            for key, email, project in DEMO_RESEARCHERS
        ],
        "reviewers": [
            {"client_key": key, "client_secret": token(24), "email": email}
            for key, email in DEMO_REVIEWERS
        ],
    }


def write_private(path: Path, text: str) -> bool:
    """Write `text` to a new file only its owner reads (0600); False if it exists already."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as out:
        out.write(text)
    return True


def crypt_key(path: Path) -> str:
    """The key in `path`, created on first use; a file that holds no key is an error."""
    write_private(path, secrets.token_hex(CRYPT_KEY_BYTES) + "\n")
    key = path.read_text().strip()
    try:
        if len(bytes.fromhex(key)) != CRYPT_KEY_BYTES:
            raise ValueError
    except ValueError:
        raise SystemExit(
            f"hub_state: {path} does not hold a {CRYPT_KEY_BYTES}-byte hex key; "
            "restore it from a backup, or delete it (everyone signs in again)."
        ) from None
    return key


def banner(clients: dict, login_url: str, show_secrets: bool) -> list[str]:
    """Where to sign in, and the client keys (and secrets, when asked) of the file."""
    lines = ["", f"  The VCE login page: {login_url}", ""]
    for title, entries in (("Researchers", "researchers"), ("Reviewers", "reviewers")):
        if not clients.get(entries):
            continue
        lines.append(f"  {title} (Client key / Client secret):")
        for entry in clients[entries]:
            secret = entry["client_secret"] if show_secrets else "(in the clients file)"
            lines.append(f"    {entry['client_key']:<24} {secret}")
        lines.append("")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="hub_state.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    key = commands.add_parser("crypt-key")
    key.add_argument("file", type=Path)
    demo = commands.add_parser("demo-clients")
    demo.add_argument("file", type=Path)
    show = commands.add_parser("banner")
    show.add_argument("file", type=Path)
    show.add_argument("url")
    show.add_argument("--show-secrets", action="store_true")
    ports = commands.add_parser("ports")
    ports.add_argument("--port", type=int, required=True)
    ports.add_argument("--platform-port", type=int, required=True)
    ports.add_argument("--no-platform", action="store_true", help="RQS_API_URL: no stand-in")
    args = parser.parse_args(argv)
    if args.command == "crypt-key":
        print(crypt_key(args.file))
    elif args.command == "ports":
        platform = None if args.no_platform else args.platform_port
        try:
            message = busy_port_message(args.port, platform, dict(os.environ))
        except ValueError:
            raise SystemExit(
                "start-hub: VCE_HUB_API_PORT and VCE_HUB_PROXY_API_PORT must be port numbers."
            ) from None
        if message:
            print(message, file=sys.stderr)
            return 1
    elif args.command == "demo-clients":
        created = write_private(args.file, json.dumps(demo_clients(), indent=2) + "\n")
        print("created" if created else "kept")
    else:
        try:
            clients = json.loads(args.file.read_text())
        except (OSError, ValueError) as error:
            raise SystemExit(
                f"hub_state: cannot read the clients file {args.file}: {error}"
            ) from None
        print("\n".join(banner(clients, args.url, args.show_secrets)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
