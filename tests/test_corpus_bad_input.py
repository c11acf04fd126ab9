"""Bad corpus input: one line naming the file and the line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykg.apps.cli import main

REPORT_2017 = (
    "政府工作报告\n\n——2017年3月5日在第十二届全国人民代表大会第五次会议上\n\n国务院总理　李克强\n\n"
    "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n"
)
RESOLUTION_2015 = (
    "第十二届全国人民代表大会第三次会议听取和审议了国务院总理李克强所作的政府工作报告。"
    "会议充分肯定国务院过去一年的工作，决定批准这个报告。\n"
)


def _good(n: int = 0) -> dict[str, object]:
    return {
        "title": "第十二届全国人民代表大会第三次会议关于政府工作报告的决议",
        "url": f"https://example.org/r{n}",
        "content": RESOLUTION_2015,
        "year": None,
    }


def _lines(*records: object) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    )


def _run(tmp_path: Path, data: str | bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    src = tmp_path / "corpus.jsonl"
    if isinstance(data, bytes):
        src.write_bytes(data)
    else:
        src.write_text(data, encoding="utf-8")
    into = tmp_path / "out"
    code = main(["corpus", "import", str(src), "--into", str(into), "--no-drafts"])
    err = capsys.readouterr().err
    assert not into.exists(), "nothing may be written by a failed import"
    return code, err


CASES = {
    "not-json": (_lines(_good(), "{not json"), ":2: not JSON"),
    "no-content": (_lines({"title": "x", "url": "u"}), ":1: the record has no 'content'"),
    "no-title": (_lines({"content": "x", "url": "u"}), ":1: the record has no 'title'"),
    "same-url": (_lines(_good(1), _good(1)), ":2: the same url as line 1"),
    "year-disagrees": (
        _lines({"title": "2017年中华人民共和国国务院政府工作报告", "url": "u",
                "content": REPORT_2017, "year": "2016"}),
        ":1: year '2016' disagrees with the title (2017)",
    ),
    "block-without-date": (
        _lines({"title": "2017年中华人民共和国国务院政府工作报告", "url": "u",
                "content": REPORT_2017.replace("2017年3月5日", ""), "year": "2017"}),
        ":1: the title block line '——在第十二届全国人民代表大会第五次会议上' names no date",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_record(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, message = CASES[case]
    code, err = _run(tmp_path, data, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"corpus.jsonl{message}" in err


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _lines(_good()).encode("utf-8") + "\n".encode("gb18030") + "决议".encode("gb18030")
    code, err = _run(tmp_path, data, capsys)
    assert code == 2 and err.count("\n") == 1
    assert "corpus.jsonl:3: not UTF-8" in err


def test_fifty_megabytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "corpus.jsonl"
    with src.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    into = tmp_path / "out"
    code = main(["corpus", "import", str(src), "--into", str(into)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and not into.exists()
    assert "corpus.jsonl: 52428800 bytes, larger than the 32 MiB" in err


def test_bad_record_after_good_ones_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """All-or-nothing: a good first record is not imported when a later one is bad."""
    code, err = _run(tmp_path, _lines(_good(), {"title": "x"}), capsys)
    assert code == 2 and ":2: the record has no 'content'" in err


def test_good_record_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The control case: the same helper with good input writes the document."""
    src = tmp_path / "corpus.jsonl"
    src.write_text(_lines(_good()), encoding="utf-8")
    code = main(["corpus", "import", str(src), "--into", str(tmp_path / "out"), "--no-drafts"])
    assert code == 0
    assert (tmp_path / "out" / "gwr-2015-resolution.trig").is_file()
    assert "gwr-2015 not imported" in capsys.readouterr().err


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "corpus.jsonl"
    src.write_text(_lines(_good()), encoding="utf-8")
    into = tmp_path / "out"
    assert main(["corpus", "import", str(src), "--into", str(into), "--dry-run"]) == 0
    assert "dry run: 4 file(s) would be written, nothing was" in capsys.readouterr().out
    assert not into.exists()


def test_byte_order_mark_and_blank_lines_are_read(tmp_path: Path) -> None:
    """The shared JSONL reader skips a leading byte order mark and blank lines, as before."""
    from policykg.authoring.corpus.records import read_records

    src = tmp_path / "corpus.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + _lines(_good(1), "", _good(2)).encode("utf-8"))
    assert [r.line for r in read_records(src)] == [1, 3]


def test_not_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    pipe = tmp_path / "corpus.jsonl"
    os.mkfifo(pipe)
    code = main(["corpus", "import", str(pipe), "--into", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "corpus.jsonl: refused: not a regular file" in err
