"""The results zip's checks and its extraction into the workspace (result_archive.py), as pure functions."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from typing import Any

import pytest

from jupyterlab_vce import result_archive
from jupyterlab_vce.errors import VCEError
from jupyterlab_vce.result_archive import (
    archive_digest,
    ensure_directories,
    free_folder,
    safe_folder,
    save_members,
    zip_members,
)


def results_zip(files: dict[str, bytes], folders: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder in folders:
            archive.writestr(zipfile.ZipInfo(folder.rstrip("/") + "/"), b"")
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class Contents:
    """The part of Jupyter's contents manager the extraction uses, in memory."""

    def __init__(self, directories: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> None:
        self.directories = set(directories)
        self.files: dict[str, dict[str, Any]] = {name: {} for name in files}

    def dir_exists(self, path: str) -> bool:
        return path in self.directories

    def file_exists(self, path: str) -> bool:
        return path in self.files

    async def save(self, model: dict[str, Any], path: str) -> None:
        if model["type"] == "directory":
            self.directories.add(path)
        else:
            self.files[path] = model


class TestSafeFolder:
    def test_safe_folder(self) -> None:
        assert safe_folder("/dcr-results/") == "dcr-results"
        assert safe_folder("./a//b") == "a/b"
        assert safe_folder("") == ""
        with pytest.raises(VCEError):
            safe_folder("a/../..")

    @pytest.mark.parametrize("folder", ["../outside", "a/../../b", "x\\y", "a\x00b"])
    def test_a_folder_that_could_leave_the_workspace_is_400(self, folder: str) -> None:
        with pytest.raises(VCEError) as refused:
            safe_folder(folder)
        assert (refused.value.status, refused.value.code) == (400, "invalid_request")


class TestZipMembers:
    @pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a\\b", "results//x"])
    def test_unsafe_zip_members_are_refused(self, name: str) -> None:
        with pytest.raises(VCEError):
            zip_members(results_zip({name: b"x"}))

    def test_not_a_zip_is_refused(self) -> None:
        with pytest.raises(VCEError):
            zip_members(b"not a zip")

    def test_files_in_order_without_folder_entries(self) -> None:
        archive = results_zip(
            {"results/a.csv": b"a\n", "manifest.json": b"{}"}, folders=("results",)
        )
        assert zip_members(archive) == [("results/a.csv", b"a\n"), ("manifest.json", b"{}")]

    def test_an_archive_that_unpacks_too_large_is_502(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(result_archive, "MAX_RESULT_BYTES", 5)
        with pytest.raises(VCEError) as refused:
            zip_members(results_zip({"a": b"123", "b": b"456"}))
        assert (refused.value.status, refused.value.code) == (502, "platform_error")


class TestArchiveDigest:
    def test_the_digest_when_it_matches_or_none_was_announced(self) -> None:
        digest = hashlib.sha256(b"zip").hexdigest()
        assert archive_digest(b"zip", None) == digest
        assert archive_digest(b"zip", digest.upper()) == digest

    def test_a_different_digest_is_502(self) -> None:
        with pytest.raises(VCEError) as refused:
            archive_digest(b"zip", "0" * 64)
        assert (refused.value.status, refused.value.code) == (502, "platform_error")


class TestSaving:
    async def test_free_folder_never_reuses_a_taken_name(self) -> None:
        contents = Contents(directories=("r/job_1",), files=("r/job_1-2",))
        assert await free_folder(contents, "r/job_1") == "r/job_1-3"
        assert await free_folder(contents, "r/job_2") == "r/job_2"

    async def test_ensure_directories_makes_each_missing_level(self) -> None:
        contents = Contents(directories=("a",))
        await ensure_directories(contents, "a/b/c")
        assert contents.directories == {"a", "a/b", "a/b/c"}

    async def test_text_stays_text_other_bytes_go_as_base64_with_hashes(self) -> None:
        contents = Contents()
        members = [("out/t.csv", b"x,y\n1,2\n"), ("crlf.txt", b"a\r\nb"), ("bin", bytes([255, 0]))]
        saved = await save_members(contents, "f", members)
        assert contents.files["f/out/t.csv"] == {
            "type": "file",
            "format": "text",
            "content": "x,y\n1,2\n",
        }
        for path, content in (("f/crlf.txt", b"a\r\nb"), ("f/bin", bytes([255, 0]))):
            assert contents.files[path]["format"] == "base64"
            assert base64.b64decode(contents.files[path]["content"]) == content
        assert "f/out" in contents.directories
        assert saved == [
            {
                "name": name,
                "path": f"f/{name}",
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            for name, content in members
        ]
