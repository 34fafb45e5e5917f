"""The secrets a local hub keeps in its state folder, and the lines start-hub.sh prints.

    python deploy/hub_state.py crypt-key FILE
        print the hub's JUPYTERHUB_CRYPT_KEY, created once (32 random bytes, hex) in FILE (0600)
    python deploy/hub_state.py demo-clients FILE
        create FILE (0600) with two demo researchers and a reviewer, random secrets, unless
        it exists; say which
    python deploy/hub_state.py banner FILE URL [--show-secrets]
        the lines that tell people where to sign in and with what (secrets only when asked:
        for the demo file start-hub.sh made, never for a file an admin gave)

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

#: The demo team: two researchers (to show that each sees only their own work) and a
#: reviewer (the manual-review queue). Lowercase keys: they are the hub's user names as-is.
DEMO_RESEARCHERS = (
    ("researcher-a", "a@vce.localhost", "Demo project A"),
    ("researcher-b", "b@vce.localhost", "Demo project B"),
)
DEMO_REVIEWERS = (("reviewer", "reviewer@vce.localhost"),)
CRYPT_KEY_BYTES = 32  # JupyterHub's CryptKeeper: a 32-byte Fernet key, given in hex


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
    args = parser.parse_args(argv)
    if args.command == "crypt-key":
        print(crypt_key(args.file))
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
