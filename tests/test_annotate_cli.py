"""``policykg annotate`` on the command line: outputs, and every bad input refused in one line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policykg.apps.cli import main

FIX = Path(__file__).parent / "fixtures" / "annotate"


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _refused(capsys, folder: Path, argv: list[str], pattern: str) -> str:
    before = _files(folder)
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert pattern in lines[0], lines[0]
    assert _files(folder) == before  # nothing written
    return lines[0]


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "en-brief.txt"
    shutil.copy(FIX / "en-brief.txt", path)
    return path


def test_annotate_writes_draft_and_page(brief, capsys):
    page = brief.parent / "review.html"
    draft = brief.with_suffix(".yaml")
    args = [
        "annotate",
        str(brief),
        "--date",
        "2025-07-30",
        "--out",
        str(draft),
        "--html",
        str(page),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "8 passages" in out and f"wrote {brief.with_suffix('.yaml')}" in out
    data = yaml.safe_load(brief.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert data["document"] == {
        "id": "en-brief",
        "type": "Document",
        "text": "en-brief.txt",
        "title": "[draft: en-brief.txt]",
    }
    html = page.read_text(encoding="utf-8")  # two scripts: the draft (data) and the review's own
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="application/json" id="draft-data">', "<script>"]


def test_annotate_zh_with_lexicon_option(tmp_path, capsys):
    text = tmp_path / "zh-brief.txt"
    shutil.copy(FIX / "zh-brief.txt", text)
    out = tmp_path / "drafts" / "zh.yaml"
    assert (
        main(["annotate", str(text), "--lang", "zh", "--lexicon", "ontology", "--out", str(out)])
        == 0
    )
    assert (tmp_path / "drafts" / "zh-brief.txt").read_bytes() == text.read_bytes()  # copied
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["annotate"]["lexicon"] == "ontology" and data["annotate"]["date"] is None
    fig = data["passages"]["s004"]["facts"][0]
    assert fig["value"] == 12.5 and fig["periodLabel"] == "上半年" and "period" not in fig


def test_add_refuses_a_draft_with_proposed_items(brief, capsys):
    assert main(["annotate", str(brief)]) == 0
    capsys.readouterr()
    draft = brief.with_suffix(".yaml")
    before = _files(brief.parent)
    assert main(["add", "--dry-run", str(draft)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert _files(brief.parent) == before  # nothing written
    assert lines[0].startswith(f"policykg: error: {draft}:16: entity artificial-intelligence")
    # every problem in one run (issue 23), each on its own line with its file and line
    proposed = yaml.safe_load(draft.read_text(encoding="utf-8"))
    from policykg.authoring.status import proposed_items

    count = len(proposed_items(proposed))
    assert count > 5
    assert sum("is still proposed" in x for x in lines) == count
    assert all(x.startswith(f"policykg: error: {draft}:") for x in lines)
    assert lines[-1] == f"policykg: error: {draft}: {len(lines) - 1} problems in all"
    # and the problems of the items themselves, as if they were accepted
    assert f"policykg: error: {draft}: passage s001: states no facts and no provisions" in lines


def test_update_keeps_decisions(brief, capsys):
    assert main(["annotate", str(brief)]) == 0
    draft = brief.with_suffix(".yaml")
    text = draft.read_text(encoding="utf-8")
    text = text.replace(
        '    status: proposed\n    quote: "State-owned',
        '    status: accepted\n    quote: "State-owned',
    )
    draft.write_text(text, encoding="utf-8")
    brief.write_text(
        brief.read_text(encoding="utf-8") + "Universities must train engineers.\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["annotate", "--update", str(draft), str(brief)]) == 0
    captured = capsys.readouterr()
    assert "kept 8 reviewed passages" in captured.err and "1 new passages" in captured.err
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["passages"]["s002"]["status"] == "accepted"


# -- bad input: one line naming the file, exit 2, nothing written --------------------------------


def test_empty_file(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    _refused(
        capsys, tmp_path, ["annotate", str(tmp_path / "empty.txt")], "empty.txt: the text is empty"
    )


def test_binary_file(tmp_path, capsys):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _refused(
        capsys,
        tmp_path,
        ["annotate", str(tmp_path / "image.txt")],
        "image.txt:3: a binary file (NUL byte at offset 8)",
    )


def test_not_utf8(tmp_path, capsys):
    (tmp_path / "latin1.txt").write_bytes("Policy one.\nCafé policy.\n".encode("latin-1"))
    _refused(
        capsys,
        tmp_path,
        ["annotate", str(tmp_path / "latin1.txt")],
        "latin1.txt:2: not UTF-8 (byte 0xe9",
    )


def test_fifty_megabytes_refused_without_reading(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # a sparse file: 50 MB long, nothing written to disk
        f.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    _refused(
        capsys,
        tmp_path,
        ["annotate", str(big)],
        "big.txt: 52,428,800 bytes is over the annotator's limit",
    )


def test_invalid_yaml_draft(brief, capsys):
    draft = brief.parent / "draft.yaml"
    draft.write_text("document:\n  id: x\npassages:\n  s1: [unclosed\n", encoding="utf-8")
    _refused(
        capsys,
        brief.parent,
        ["annotate", "--update", str(draft), str(brief)],
        f"{draft}:5:",
    )


def test_draft_quote_no_longer_matches_its_text(brief, capsys):
    assert main(["annotate", str(brief)]) == 0
    capsys.readouterr()
    draft = brief.with_suffix(".yaml")
    text = draft.read_text(encoding="utf-8").replace(
        "must strengthen basic research", "must fund research"
    )
    draft.write_text(text, encoding="utf-8")
    line = _refused(
        capsys, brief.parent, ["annotate", "--update", str(draft), str(brief)], f"{draft}:"
    )
    assert "passage s002: the quote no longer matches the text en-brief.txt" in line


def test_bad_date(brief, capsys):
    _refused(
        capsys,
        brief.parent,
        ["annotate", str(brief), "--date", "2025-13-01"],
        "--date: expected YYYY-MM-DD",
    )


def test_help_stays_instant():
    code = (
        "import sys; from policykg.apps.cli import build_parser; build_parser()\n"
        "heavy = ('pysbd', 'jieba', 'ahocorasick', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert done.stdout.strip() == "[]"


def test_update_from_a_text_elsewhere_replaces_the_drafts_copy(tmp_path, capsys):
    src = tmp_path / "in" / "brief.txt"
    src.parent.mkdir()
    shutil.copy(FIX / "en-brief.txt", src)
    draft = tmp_path / "out" / "brief.yaml"
    assert main(["annotate", str(src), "--out", str(draft)]) == 0
    src.write_text(
        src.read_text(encoding="utf-8") + "Universities must train engineers.\n", encoding="utf-8"
    )
    assert main(["annotate", "--update", str(draft), str(src)]) == 0
    assert (tmp_path / "out" / "brief.txt").read_bytes() == src.read_bytes()
    capsys.readouterr()


def test_a_reviewed_draft_is_not_overwritten(brief, capsys):
    assert main(["annotate", str(brief)]) == 0
    draft = brief.with_suffix(".yaml")
    text = draft.read_text(encoding="utf-8")
    item = text.index("\n    status: proposed")  # an item's line, not the header's comment
    draft.write_text(
        text[:item] + text[item:].replace("status: proposed", "status: accepted", 1),
        encoding="utf-8",
    )
    capsys.readouterr()
    _refused(capsys, brief.parent, ["annotate", str(brief)], "already holds reviewed items")


def test_a_draft_with_only_rejections_is_not_overwritten(brief, capsys):
    """Regression: a rejected passage is a curator's decision too (issue 20)."""
    assert main(["annotate", str(brief)]) == 0
    draft = brief.with_suffix(".yaml")
    text = draft.read_text(encoding="utf-8")
    item = text.index("\n    status: proposed")
    draft.write_text(
        text[:item] + text[item:].replace("status: proposed", "status: rejected", 1),
        encoding="utf-8",
    )
    capsys.readouterr()
    _refused(capsys, brief.parent, ["annotate", str(brief)], "already holds reviewed items")


def test_an_unreviewed_draft_is_written_again(brief, capsys):
    """Regression: the header's comment about 'status: accepted' made every draft 'reviewed'."""
    assert main(["annotate", str(brief)]) == 0
    draft = brief.with_suffix(".yaml")
    first = draft.read_bytes()
    assert b"'status: accepted'" in first  # the header explains it
    assert main(["annotate", str(brief)]) == 0
    assert draft.read_bytes() == first
    capsys.readouterr()


def test_a_chinese_term_is_drafted_in_chinese_and_add_asks_for_its_english_label(
    tmp_path, capsys
):
    """Regression (issue 20): a new term of a Chinese text got its Chinese words as its English
    label (``label: 积极参与数字经济建设``, compiled to ``"..."@en``). The draft names it in Chinese
    only (``zh:``), never translating; ``add`` asks the reviewer for the English label, in one
    line naming the file and the entity, and takes the draft once it is given."""
    text = tmp_path / "zh-brief.txt"
    shutil.copy(FIX / "zh-brief.txt", text)
    draft = tmp_path / "zh-brief.yaml"
    assert main(["annotate", str(text), "--date", "2025-07-30", "--out", str(draft)]) == 0
    capsys.readouterr()
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    entities = data["entities"]
    term = entities["action-97834078"]
    assert term["zh"] == "积极参与数字经济建设" and "label" not in term
    assert all("label" not in e for e in entities.values() if "zh" in e)  # new Chinese terms
    assert entities["private-enterprises"]["label"] == "private enterprises"  # known: English
    # the reviewer keeps s003 (private enterprises are to take part in building the digital
    # economy) and accepts it as drafted
    data.pop("annotate")
    data["document"]["title"] = "A brief"
    data["passages"] = {"s003": data["passages"]["s003"]}
    data["passages"]["s003"]["status"] = "accepted"
    data["passages"]["s003"]["provisions"][0]["status"] = "accepted"
    data["entities"] = {k: {**entities[k], "status": "accepted", "mentioned_in": ["s003"]}
                        for k in ("private-enterprises", "action-97834078")}
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = _refused(capsys, tmp_path, ["add", "--dry-run", str(draft)], f"{draft}:")
    assert line == (
        f"policykg: error: {draft}: entity action-97834078: needs an English 'label' (it has "
        "only the Chinese 'zh: 积极参与数字经济建设': a reviewed entity needs its English term "
        "too, and a draft never translates one)"
    )
    data["entities"]["action-97834078"]["label"] = "take part in building the digital economy"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["add", "--dry-run", str(draft)]) == 0, capsys.readouterr().err
