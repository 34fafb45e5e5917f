"""The approved results' zip: checked, then extracted into the Jupyter workspace.

Everything here refuses rather than guesses: a folder that could leave the
workspace, a member path that could escape its folder, an archive that unpacks
to more than :data:`MAX_RESULT_BYTES` or whose SHA-256 differs from the one the
platform announced. Extraction goes through the contents manager, never over an
existing file (a taken folder gets ``-2``, ``-3``...).
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import re
import zipfile
from typing import Any

from jupyter_core.utils import ensure_async

from .errors import InvalidRequest
from .platform_client import PlatformError

#: Largest results zip the server fetches into memory to extract into the workspace.
MAX_RESULT_BYTES = 512 * 1024 * 1024
#: Where results go in the workspace when the browser names no folder.
DEFAULT_RESULTS_FOLDER = "dcr-results"

_SAFE_FOLDER = re.compile(r"^[^\\\x00]*$")


def archive_digest(archive: bytes, announced: str | None, what: str = "The results") -> str:
    """The bytes' SHA-256 (hex), or a 502 when the platform announced another one."""
    digest = hashlib.sha256(archive).hexdigest()
    if announced and announced.lower() != digest:
        raise PlatformError(
            502,
            "platform_error",
            f"{what} arrived damaged (the SHA-256 differs from the platform's): "
            "nothing was saved. Try again.",
        )
    return digest


def is_safe_relative_path(name: str) -> bool:
    """Whether ``name`` is a relative POSIX path that stays in its folder (no ``..``, no root)."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and not any(part in ("", ".", "..") for part in parts)
    )


def safe_folder(folder: str) -> str:
    """A relative workspace folder ("a/b"), or 400 for anything that could escape it."""
    folder = folder.strip().strip("/")
    parts = [part for part in folder.split("/") if part not in ("", ".")]
    if not _SAFE_FOLDER.match(folder) or any(part == ".." for part in parts):
        raise InvalidRequest(
            f'"{folder}" is not a folder of the workspace: give a relative path such as '
            f'"{DEFAULT_RESULTS_FOLDER}".'
        )
    return "/".join(parts)


def zip_members(archive: bytes) -> list[tuple[str, bytes]]:
    """The files of a results zip as (relative name, bytes); refuses anything unsafe."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            members: list[tuple[str, bytes]] = []
            total = 0
            for info in opened.infolist():
                if info.is_dir():
                    continue
                name = info.filename
                if not is_safe_relative_path(name):
                    raise PlatformError(
                        502,
                        "platform_error",
                        f'The results zip holds an unsafe path "{name}": nothing was saved.',
                    )
                total += info.file_size
                if total > MAX_RESULT_BYTES:
                    raise PlatformError(
                        502, "platform_error", "The results unpack to more than 512 MiB."
                    )
                members.append((name, opened.read(info)))
            return members
    except zipfile.BadZipFile:
        raise PlatformError(
            502, "platform_error", "The platform's results are not a valid zip: nothing was saved."
        ) from None


async def free_folder(contents: Any, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... the first that does not exist yet."""
    candidate, number = wanted, 1
    while await ensure_async(contents.dir_exists(candidate)) or await ensure_async(
        contents.file_exists(candidate)
    ):
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


async def ensure_directories(contents: Any, path: str) -> None:
    current = ""
    for part in path.split("/"):
        current = posixpath.join(current, part) if current else part
        if not await ensure_async(contents.dir_exists(current)):
            await ensure_async(contents.save({"type": "directory"}, current))


async def save_members(
    contents: Any, folder: str, members: list[tuple[str, bytes]]
) -> list[dict[str, Any]]:
    saved = []
    for name, content in members:
        path = f"{folder}/{name}"
        await ensure_directories(contents, posixpath.dirname(path))
        try:
            text = content.decode("utf-8")
            model = {"type": "file", "format": "text", "content": text}
            if "\r" in text:  # keep the bytes exactly (text mode would normalise newlines)
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "keep bytes")
        except UnicodeDecodeError:
            model = {
                "type": "file",
                "format": "base64",
                "content": base64.b64encode(content).decode("ascii"),
            }
        await ensure_async(contents.save(model, path))
        saved.append(
            {
                "name": name,
                "path": path,
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return saved
