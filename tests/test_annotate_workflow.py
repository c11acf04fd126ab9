"""From a new text to the graph, as docs/extending.md shows: annotate, review, add, validate.

The review is the one a curator makes who keeps every passage that states something (facts or
provisions) with all it uses, and deletes the rest. An English and a Chinese text of our own go
through it into the fixture project, which then validates clean (SHACL, evidence, HermiT).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from fixtures.extensions.helpers import need_java
from policykg.apps.cli import main

FIX = Path(__file__).parent / "fixtures" / "annotate"


def _review(draft: Path) -> tuple[int, int]:
    """Accept the passages with facts or provisions and what they use; delete the rest."""
    data: dict[str, Any] = yaml.safe_load(draft.read_text(encoding="utf-8"))
    kept: dict[str, Any] = {}
    for pid, body in (data.get("passages") or {}).items():
        items = [*(body.get("facts") or []), *(body.get("provisions") or [])]
        if not items:
            continue
        body["status"] = "accepted"
        for item in items:
            if isinstance(item, dict) and "status" in item:
                item["status"] = "accepted"
        kept[pid] = body
    entities: dict[str, Any] = {}
    for eid, entity in (data.get("entities") or {}).items():
        where = entity.get("mentioned_in")
        if where is not None:
            where = [p for p in (where if isinstance(where, list) else [where]) if p in kept]
            if not where:
                continue
            entity["mentioned_in"] = where
        if "match" in entity:
            entity["match"] = {p: how for p, how in entity["match"].items() if p in kept}
            if not entity["match"]:
                del entity["match"]
        if "label" not in entity:  # a new term named in Chinese only: the reviewer's English
            entity["label"] = f"{eid} (our rendering)"
        entity["status"] = "accepted"
        entities[eid] = entity
    data["passages"], data["entities"] = kept, entities
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(kept), len(entities)


@pytest.mark.java
@pytest.mark.parametrize("name", ["en-evidence.txt", "zh-brief.txt"])
def test_a_new_text_goes_from_annotate_to_a_clean_graph(project, tmp_path, capsys, name):
    need_java()
    work = tmp_path / "incoming"
    work.mkdir()
    text = work / name
    shutil.copy(FIX / name, text)
    draft = text.with_suffix(".yaml")
    assert main(["annotate", str(text), "--date", "2025-07-30", "--out", str(draft)]) == 0
    assert main(["add", str(draft)]) == 2  # still proposed: refused, nothing written
    assert "still proposed" in capsys.readouterr().err
    passages, entities = _review(draft)
    assert passages >= 3 and entities >= 5
    assert main(["add", str(draft)]) == 0, capsys.readouterr().err
    doc = text.stem
    assert (project / "graphs" / f"{doc}.trig").is_file()
    assert (project / "graphs" / "sources" / name).read_bytes() == text.read_bytes()
    capsys.readouterr()
    assert main(["validate"]) == 0
    summary = capsys.readouterr().err
    assert "0 violations, 0 warnings" in summary and "HermiT: consistent" in summary
