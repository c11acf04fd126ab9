"""Issue 20 point 4: reviewing a drafted corpus document promotes what was accepted and removes
its draft (the review loop: annotate -> accept/fix/reject/delete -> add -> corpus import); a
passage the review rejected (``status: rejected``) is not drafted again.

Slow (the real project is validated twice): about 4 minutes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import policykg
from fixtures.extensions.helpers import make_real_project, use_project
from policykg.apps.cli import main
from policykg.core.namespaces import KG

TITLE = "第十二届全国人民代表大会第五次会议关于政府工作报告的决议"
CALL = "会议号召，全国各族人民紧密团结"
APPROVAL = "决定批准这个报告"


def test_review_promotes_the_accepted_and_removes_the_draft(
    corpus_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_real_project(tmp_path / "proj")
    src = tmp_path / "s.jsonl"
    src.write_text("".join(line + "\n" for line in corpus_file.read_text("utf-8").splitlines()
                           if json.loads(line)["title"] == TITLE), encoding="utf-8")
    with use_project(root):
        assert main(["corpus", "import", str(src), "--run-date", "2026-12-06"]) == 0
        corpus = root / "graphs" / "corpus"
        draft_file = corpus / "drafts" / "gwr-2017-resolution.trig"
        assert draft_file.is_file()
        kg = policykg.load(drafts=True)
        call = kg.query("SELECT ?p WHERE { ?p pkg:quote ?q ; pkg:reviewStatus pkg:Unreviewed "
                        "FILTER(STRSTARTS(?q, ?x)) }", x=CALL).rows
        assert len(call) == 1  # the call of the resolution is drafted
        # review: annotate the stored text, accept the call and its mentions, delete the rest
        review = tmp_path / "review"
        review.mkdir()
        text = review / "gwr-2017-resolution.txt"
        text.write_bytes((corpus / "gwr-2017-resolution.txt").read_bytes())
        out = review / "gwr-2017-resolution.yaml"
        assert main(["annotate", str(text), "--id", "gwr-2017-resolution", "--lang", "zh",
                     "--out", str(out)]) == 0
        data = yaml.safe_load(out.read_text("utf-8"))
        data.pop("annotate", None)
        data["document"].update(type="Resolution", title=TITLE, text=text.name)
        keep = {pid: body for pid, body in data["passages"].items()
                if body["quote"].startswith(CALL)}
        assert len(keep) == 1
        (pid, body), = keep.items()
        # reject the approval sentence: its passage stays, marked rejected (what it holds goes
        # with it, still proposed); the other passages are deleted (not reviewed, not rejected)
        rejected = {p: b for p, b in data["passages"].items() if APPROVAL in b["quote"]}
        assert len(rejected) == 1
        (rejected_id, rejected_body), = rejected.items()
        rejected_body["status"] = "rejected"
        body["status"] = "accepted"
        for item in body.get("facts", []) + body.get("provisions", []):
            if isinstance(item, dict):
                item["status"] = "accepted"
        data["passages"] = {**keep, **rejected}
        accepted = {}
        for key, ent in data["entities"].items():
            if pid in (ent.get("mentioned_in") or []) and not str(ent.get("type")).startswith(
                    ("Report", "Series", "Document")) and "label" in ent:
                ent["status"] = "accepted"
                ent["mentioned_in"] = [pid]
                accepted[key] = ent
        assert "china" in accepted
        # fix: the call is a provision addressed to the people (an English label of ours)
        accepted["people-of-all-ethnic-groups"] = {
            "status": "accepted", "type": "Actor", "zh": "全国各族人民",
            "label": "the people of all ethnic groups of the country (our rendering)",
            "mentioned_in": [pid]}
        accepted["unite-closely"] = {
            "status": "accepted", "type": "Concept", "zh": "紧密团结",
            "label": "unite closely (our rendering)", "mentioned_in": [pid]}
        body["provisions"] = [{"status": "accepted", "modality": "recommendation", "cue": "号召",
                               "addressee": "people-of-all-ethnic-groups",
                               "action": "unite-closely"}]
        data["entities"] = accepted
        out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        capsys.readouterr()
        assert main(["add", str(out)]) == 0, capsys.readouterr()
        # add keeps the rejected passage in the source it stores
        stored = yaml.safe_load((root / "graphs" / "sources" / "gwr-2017-resolution.yaml")
                                .read_text("utf-8"))
        assert stored["passages"][rejected_id]["status"] == "rejected"
        assert APPROVAL not in (root / "graphs" / "gwr-2017-resolution.trig").read_text("utf-8")
        # the review is reviewed knowledge; re-importing removes its draft
        assert main(["corpus", "import", str(src), "--run-date", "2026-12-06"]) == 0
        said = capsys.readouterr().out
        assert "gwr-2017-resolution: updated" in said and "reviewed source" in said
        assert "1 rejected passage(s)" in said
        # the draft of what was reviewed is gone, and so is the draft of what it rejected (the
        # approval sentence; before issue 20's rejections it was drafted again)
        drafted = draft_file.read_text("utf-8") if draft_file.is_file() else ""
        assert CALL not in drafted
        assert APPROVAL not in drafted
        # re-importing again changes nothing
        files = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
        assert main(["corpus", "import", str(src), "--run-date", "2026-12-06"]) == 0
        assert "gwr-2017-resolution: unchanged" in capsys.readouterr().out
        assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == files
        kg = policykg.load(drafts=True)
        rows = kg.query("SELECT ?p ?s WHERE { ?p pkg:quote ?q FILTER(STRSTARTS(?q, ?x)) "
                        "OPTIONAL { ?p pkg:reviewStatus ?s } }", x=CALL).rows
        assert len(rows) == 1 and rows[0][1] is None  # one passage, reviewed
        assert kg.query("ASK { ?e pkg:mentionedIn ?p }", e=KG["china"], p=rows[0][0]).boolean
        assert not kg.query("ASK { ?p pkg:reviewStatus pkg:Unreviewed ; pkg:quote ?q "
                            "FILTER(STRSTARTS(?q, ?x)) }", x=CALL).boolean
        assert main(["validate", "--no-owl"]) == 0, capsys.readouterr().out[-2000:]
        # deleting the rejection (a change of the rejections alone: the reviewed graph is the
        # same) redrafts the document, and the approval sentence is a draft again
        source = root / "graphs" / "sources" / "gwr-2017-resolution.yaml"
        del stored["passages"][rejected_id]
        source.write_text(yaml.safe_dump(stored, allow_unicode=True, sort_keys=False), "utf-8")
        capsys.readouterr()
        assert main(["corpus", "import", str(src), "--run-date", "2026-12-06"]) == 0
        said = capsys.readouterr().out
        assert "gwr-2017-resolution: updated" in said and "rejected passage" not in said
        assert APPROVAL in draft_file.read_text("utf-8")
        assert CALL not in draft_file.read_text("utf-8")
