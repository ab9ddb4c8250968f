"""Secret files are created 0600 and replaced atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from msplink._core import write_private_file


def test_created_0600_in_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "tokens.json"
    write_private_file(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_replacing_keeps_0600_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "tokens.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    write_private_file(target, b"new" * 10_000)
    assert target.read_bytes() == b"new" * 10_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["tokens.json"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "tokens.json"
    write_private_file(target, b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_private_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["tokens.json"]
