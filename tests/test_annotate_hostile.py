"""``policykg annotate`` on hostile input (issue 25: N4, N6, N13, N25).

Aliases in a draft are refused at their line, long runs without sentence punctuation are cut at
a bounded length (linear time, no crash), a run of numbers gives a draft proportional to its
text, and a text given through a symbolic link keeps its link.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykg.apps.cli import main
from policykg.authoring.annotate import (
    MAX_FIGURES,
    MAX_SENTENCE,
    annotate_text,
    bounded_spans,
    draft_yaml,
    load_draft,
    split_sentences,
)
from policykg.core.errors import ParseError
from test_annotate_pinned import pinned_lexicon

FIX = Path(__file__).parent / "fixtures" / "annotate"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lexicon():
    return pinned_lexicon()


# -- N4: aliases ----------------------------------------------------------------------------------

BOMB = """\
document: {id: x, type: Document, text: en-brief.txt}
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
passages: {}
"""


def test_a_draft_with_aliases_is_refused_at_its_line(tmp_path):
    draft = tmp_path / "bomb.yaml"
    draft.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        load_draft(draft)
    assert str(err.value).startswith(f"{draft}:3:") and "YAML aliases (*name)" in str(err.value)


def test_annotate_update_refuses_aliases_in_one_line(tmp_path, capsys):
    text = tmp_path / "en-brief.txt"
    shutil.copy(FIX / "en-brief.txt", text)
    draft = tmp_path / "bomb.yaml"
    draft.write_text(BOMB, encoding="utf-8")
    assert main(["annotate", "--update", str(draft), str(text)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and f": {draft}:3:" in lines[0] and "aliases" in lines[0]
    assert draft.read_text(encoding="utf-8") == BOMB


# -- N6: long runs without punctuation ------------------------------------------------------------


def test_bounded_spans_cut_at_breaks_and_cover_the_run():
    text = ("word " * 700).strip()
    spans = bounded_spans(text, 0, len(text), 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(b - a <= 1000 for a, b in spans)
    assert all(a == b0 for (_a0, b0), (a, _b) in itertools.pairwise(spans))
    assert all(text[b - 1] == " " for _a, b in spans[:-1])  # cut after a space, not in a word
    zh = "推动科技创新，" * 300
    assert all(zh[b - 1] == "，" for _a, b in bounded_spans(zh, 0, len(zh), 1000)[:-1])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("1234567890" * 20_000, "en"),
        ("enterprises should invest in technology " * 5_000, "en"),
        ("国有企业要加快发展新质生产力" * 15_000, "zh"),
    ],
    ids=["digits", "en-no-stop", "zh-no-stop"],
)
def test_no_sentence_is_longer_than_the_bound(text, lang):
    sents = split_sentences(text, lang)
    assert max(s.end - s.start for s in sents) <= MAX_SENTENCE
    for s in sents:
        assert text[s.start : s.end] == s.quote and s.quote == s.quote.strip()
    covered = sum(len(s.quote) for s in sents)
    assert covered >= len(text.replace(" ", "")) * 0.8  # nothing of substance dropped


def test_a_640_kb_line_is_drafted_in_a_subprocess_without_crashing(tmp_path):
    """The line that crashed the segmenter (exit 139): now cut into windows first."""
    text = tmp_path / "line.txt"
    words = "the state must promote new quality productive forces and enterprises should invest"
    line = (words + " ") * (640_000 // (len(words) + 1))
    text.write_text(line.strip() + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import datetime, sys; sys.path.insert(0, 'tests');"
        "from test_annotate_pinned import pinned_lexicon;"
        "from policykg.authoring.annotate import annotate_text, draft_yaml;"
        f"t = open({str(text)!r}, encoding='utf-8').read();"
        "a = annotate_text(t, pinned_lexicon(), lang='en');"
        "print(len(a.sentences), len(draft_yaml(a, doc_id='x', text_name='x.txt')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    sentences, size = map(int, done.stdout.split())
    assert sentences >= 640 and size < 20 * len(line)


def _cpu(text: str, lexicon, lang: str) -> tuple[float, str]:
    c = time.process_time()
    ann = annotate_text(text, lexicon, lang=lang, date=dt.date(2025, 7, 30))
    draft = draft_yaml(ann, doc_id="x", text_name="x.txt")
    return time.process_time() - c, draft


@pytest.mark.parametrize(
    ("unit", "lang"),
    [
        ("1% ", "en"),
        ("12.5 ", "en"),
        ("firms should invest and the state must act ", "en"),
        ("要发展新质生产力百分之十二", "zh"),
        ("1%万亿the要β", "zh"),
    ],
    ids=["percent", "numbers", "en-one-line", "zh-no-stop", "mixed"],
)
def test_hostile_text_is_linear(lexicon, unit, lang):
    """Four times the text takes about four times as long (not sixteen)."""
    small = unit * (20_000 // len(unit.encode()))
    big = small * 4
    _cpu(small, lexicon, lang)  # warm up (jieba's dictionary, regex caches)
    t1, d1 = _cpu(small, lexicon, lang)
    t4, d4 = _cpu(big, lexicon, lang)
    assert t4 < 8 * max(t1, 0.02), (t1, t4)
    assert len(d4) < 6 * len(d1) + 10_000


# -- N13: a draft proportional to its text --------------------------------------------------------


def test_a_run_of_percentages_gives_a_draft_proportional_to_its_text(lexicon, tmp_path, capsys):
    text = "1% " * 20_000
    ann = annotate_text(text, lexicon, lang="en")
    per_passage: dict[str, int] = {}
    for f in ann.figures:
        per_passage[f.passage] = per_passage.get(f.passage, 0) + 1
    assert max(per_passage.values()) == MAX_FIGURES
    assert len(ann.capped) >= 0.9 * len(ann.sentences)
    draft = draft_yaml(ann, doc_id="x", text_name="x.txt")
    assert len(draft.encode()) < 10 * len(text.encode())  # was 70 times the text
    path = tmp_path / "run.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["annotate", str(path), "--lang", "en", "--lexicon", "ontology"]) == 0
    err = capsys.readouterr().err
    assert f"passages hold more than {MAX_FIGURES} figures" in err


def test_prose_is_not_capped(lexicon):
    text = (ROOT / "graphs" / "sources" / "ncpf-2025.txt").read_text(encoding="utf-8")
    assert annotate_text(text, lexicon, lang="en").capped == []


# -- N25: a text given through a symbolic link ----------------------------------------------------


def test_annotate_through_a_symlink_keeps_the_link(tmp_path, capsys):
    real_dir = tmp_path / "texts"
    real_dir.mkdir()
    real = real_dir / "brief.txt"
    shutil.copy(FIX / "en-brief.txt", real)
    work = tmp_path / "work"
    work.mkdir()
    link = work / "link.txt"
    link.symlink_to(real)
    assert main(["annotate", str(link), "--lexicon", "ontology"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    draft = work / "link.yaml"
    assert draft.is_file()
    assert "text: link.txt" in draft.read_text(encoding="utf-8")
    assert sorted(p.name for p in work.iterdir()) == ["link.txt", "link.yaml"]


# -- issue 25 point 5: an ambiguous label is reported, not resolved -------------------------------


def test_an_ambiguous_label_is_reported_instead_of_picking_one():
    from policykg.authoring.lexicon import Lexicon
    from policykg.authoring.terms import Term

    kg = "https://w3id.org/policykg/id/"
    lex = Lexicon(
        [
            Term(kg + "soe", "state-owned enterprises", "en", "entity", True, True, ("Actor",)),
            Term(kg + "impostor", "state-owned enterprises", "en", "entity", True, True, ()),
            Term(kg + "research", "basic research", "en", "entity", True, False, ("Concept",)),
        ],
        "graph",
    )
    text = "State-owned enterprises must invest in basic research."
    ann = annotate_text(text, lex, lang="en")
    assert ann.ambiguous == [(0, 23, "State-owned enterprises", ("impostor", "soe"))]
    assert [m.term.iri for m in ann.mentions] == [kg + "research"]
    (prov,) = ann.provisions
    assert prov.addressee is None  # neither the real one nor the impostor
    draft = draft_yaml(ann, doc_id="x", text_name="x.txt")
    assert '#   "State-owned enterprises", 0-23: impostor, soe' in draft
    assert "impostor" not in draft.split("# Ambiguous labels")[0]


def test_a_run_of_cues_gives_at_most_twelve_provisions_per_passage(lexicon):
    from policykg.authoring.annotate.provisioning import MAX_PROVISIONS

    text = "firms must act and should invest and will grow " * 400
    ann = annotate_text(text, lexicon, lang="en")
    per: dict[str, int] = {}
    for p in ann.provisions:
        per[p.passage] = per.get(p.passage, 0) + 1
    assert max(per.values()) == MAX_PROVISIONS == 12
    assert ann.capped_provisions


def test_a_sentence_of_many_clauses_keeps_one_provision_per_clause_up_to_24(lexicon):
    """Regression: a resolution's call (会议号召，…，…) of more than twelve directed clauses lost
    the clauses after the twelfth (8 of the corpus's 11 resolutions); a run of cues without
    punctuation is still capped at twelve (the test above)."""
    from policykg.authoring.annotate.provisioning import MAX_CLAUSE_PROVISIONS

    verbs = ["推进", "加快", "完善", "健全", "深化", "扩大", "提升", "培育", "支持", "强化"]
    objects = ["改革", "开放", "创新", "监管", "服务", "就业", "消费", "投资", "合作", "治理"]
    clauses = [f"{v}{o}" for v in verbs[:4] for o in objects]  # 40 distinct verb phrases
    sixteen = "会议号召，全国各族人民" + "，".join(clauses[:16]) + "。"
    ann = annotate_text(sixteen, lexicon, lang="zh")
    assert len(ann.provisions) == 16 and not ann.capped_provisions
    forty = "会议号召，全国各族人民" + "，".join(clauses) + "。"
    ann = annotate_text(forty, lexicon, lang="zh")
    assert len(ann.provisions) == MAX_CLAUSE_PROVISIONS == 24
    assert ann.capped_provisions


def test_occurrences_agree_with_a_quote_by_quote_count():
    from policykg.authoring.annotate.reading import _occurrences, _occurrences_by_find

    base = (ROOT / "graphs" / "sources" / "ncpf-2025.txt").read_text(encoding="utf-8")
    for text, lang in (
        (base + "\n" + base[:3000] + "\nYes.\nYes. It is.", "en"),
        ("aaa. " * 50 + "aaa aaa.", "en"),
        ("要发展。" * 30 + "要发展新质生产力。要发展", "zh"),
    ):
        quotes = [s.quote for s in split_sentences(text, lang)]
        assert _occurrences(text, quotes) == _occurrences_by_find(text, sorted(set(quotes)))


def test_chinese_words_are_kept_compactly(lexicon):
    """Regression (issue 25, 10 MB of Chinese peaked at 1039 MB): the segmenter's word spans
    were a list of tuples, counted again as a list of (offset, word) pairs and a set of
    offsets; now two integer arrays, one pass, a binary search. On these 150 KB the annotator's
    own allocations peaked over 6 MB above the start before, 2.3 MB now."""
    import random
    import tracemalloc

    import jieba

    jieba.initialize()  # its dictionary is loaded once per process, not counted here
    r = random.Random(7)
    chars = "国有企业要加快发展新质生产力推动科技创新和产业创新融合发展万亿元增长百分之"
    text = "".join(r.choice(chars) for _ in range(50_000))
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        ann = annotate_text(text, lexicon, lang="zh")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ann.sentences
    assert (peak - start) / 1e6 < 6
