"""Regression tests of issue 14 part B: the faults a hostile or clumsy user found."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from policykg.core.errors import PolicyKGError


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- fault 11: files written with mode 0600 -----------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_write_atomic_gives_new_files_the_umask_mode(tmp_path: Path, mask: int) -> None:
    from policykg.core.io import write_atomic, write_many_atomic

    with umask(mask):
        one = write_atomic(tmp_path / "one.txt", "x")
        many = write_many_atomic([(tmp_path / "a.txt", "a"), (tmp_path / "b" / "c.txt", b"c")])
    for path in (one, *many):
        assert _mode(path) == 0o666 & ~mask, path


def test_write_atomic_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    from policykg.core.io import write_atomic, write_many_atomic

    dest = tmp_path / "kept.txt"
    dest.write_text("old")
    dest.chmod(0o640)
    with umask(0o022):
        write_atomic(dest, "new")
        assert _mode(dest) == 0o640
        dest.chmod(0o604)
        write_many_atomic([(dest, "newer")])
    assert _mode(dest) == 0o604
    assert dest.read_text() == "newer"
