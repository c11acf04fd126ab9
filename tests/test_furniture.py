"""The page furniture of the real corpus (../shared/corpus/gwr-zh.jsonl) is dropped, said, and
nothing of the document is lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policykg.authoring.corpus import drop_furniture


@pytest.fixture(scope="module")
def records(corpus_file: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in corpus_file.read_text(encoding="utf-8").splitlines()]


def test_every_record_loses_its_licence_notice_and_keeps_its_last_sentence(records) -> None:
    for record in records:
        cleaned = drop_furniture(str(record["content"]))
        assert "本作品" not in cleaned.text and "Public domain" not in cleaned.text
        assert cleaned.licence.startswith("本作品")
        assert cleaned.dropped[0].startswith("licence notice")
        assert cleaned.text.rstrip()[-1] in "！!。", cleaned.text[-30:]


def test_the_title_block_and_wiki_line_breaks(records) -> None:
    by_year = {int(r["year"]): drop_furniture(str(r["content"])).text for r in records if r["year"]}
    assert by_year[2024].startswith(
        "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理李强\n\n各位代表："
    )
    assert by_year[2017].startswith("政府工作报告\n\n——2017年3月5日")  # 政府工作报\n告 joined
    assert "交出一份人民满意" in by_year[2021]  # a zero-width line inside a word
    assert "PM2.5" in by_year[2014] and "M2" in by_year[2014]
    for text in by_year.values():
        assert "\n\n\n" not in text and "\u200b" not in text and "\u3000" not in text
        assert not re.search(r"^[ \t\u3000\u2003]+\S", text, re.MULTILINE)


def test_nothing_but_furniture_is_dropped(records) -> None:
    for record in records:
        content = str(record["content"])
        cleaned = drop_furniture(content)
        keep = content[: content.find("本作品")]
        squeeze = re.compile(r"[\s\u200b\u200d\u3000]")
        assert squeeze.sub("", cleaned.text) == squeeze.sub("", keep)


def test_deterministic_and_idempotent(records) -> None:
    content = str(records[0]["content"])
    once = drop_furniture(content)
    assert drop_furniture(content) == once
    assert drop_furniture(once.text).text == once.text
