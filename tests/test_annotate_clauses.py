"""One provision per directed clause of a Chinese sentence (docs/conventions-zh.md).

Sentences written for these tests (not taken from the reviewed reports): the clause structure of
Chinese task sentences, a cue carried to the clauses it governs, result clauses and the speaker
a speech names.
"""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from test_annotate_pinned import pinned_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return pinned_lexicon()


def _provs(text, lexicon):
    ann = annotate_text(text, lexicon, lang="zh")
    return [
        (p.modality, p.cue.words, tuple(r.zh or r.label for r in p.addressees), p.negative)
        for p in ann.provisions
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a task sentence: each verb-initial clause a commitment, its own verb the cue
        (
            "完善农村道路网络，改造县乡客运站点，提升城乡物流效率。",
            [
                ("commitment", "完善", (), False),
                ("commitment", "改造", (), False),
                ("commitment", "提升", (), False),
            ],
        ),
        # a verb outside the task list is read from the dictionary's part of speech
        (
            "修缮老旧校舍，添置实验仪器。",
            [("commitment", "修缮", (), False), ("commitment", "添置", (), False)],
        ),
        # 要 governs the serial clauses after it, with its addressee
        (
            "各地要加快补齐养老服务短板，扩大普惠托育供给。",
            [
                ("obligation", "要", ("各地",), False),
                ("obligation", "扩大", ("各地",), False),
            ],
        ),
        # a clause that opens with its subject directs nothing of its own
        (
            "要稳定生猪生产，猪肉价格保持基本稳定。",
            [("obligation", "要", (), False)],
        ),
        # a result clause (使…能够) is no provision, nor the modal word in it
        (
            "简化审批流程，使企业能够更快开工。",
            [("commitment", "简化", (), False)],
        ),
        # 鼓励 directs its own clause; the task sentence's next clause is a commitment
        (
            "鼓励社会资本参与城市更新，规范项目收益分配。",
            [
                ("recommendation", "鼓励", ("社会资本",), False),
                ("commitment", "规范", (), False),
            ],
        ),
        # 将 placing its object (将A提高到B) is a directed clause, cued by its verb
        (
            "延长小微企业贷款贴息政策，将贴息比例提高到2个百分点。",
            [("commitment", "延长", (), False), ("commitment", "提高到", (), False)],
        ),
        # 不再: the government undertaking not to act
        (
            "力争年底前完成改造，不再新设审批事项。",
            [("intention", "力争", (), False), ("commitment", "不再", (), True)],
        ),
        # clauses after "；" of a task list
        (
            "健全社区服务网点；推广家政服务标准。",
            [("commitment", "健全", (), False), ("commitment", "推广", (), False)],
        ),
        # a sentence that states a fact has no directed clause
        ("去年粮食产量稳中有增，农民收入持续提高。", []),
    ],
)
def test_directed_clauses(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


def test_a_goal_cue_is_carried_to_the_targets_after_semicolons(lexicon):
    text = "今年的主要目标是：居民收入增长6%左右；城镇新增就业900万人以上；森林覆盖率达到25%。"
    ann = annotate_text(text, lexicon, lang="zh")
    assert len(ann.sentences) == 1
    assert [p.modality for p in ann.provisions] == ["intention"] * 3


def test_the_body_a_speech_speaks_for_is_its_speaker_without_a_title_block(lexicon):
    text = "各位代表：\n现在，我代表市人民政府，向大会报告工作。\n加快建设城市轨道交通。"
    ann = annotate_text(text, lexicon, lang="zh")
    assert ann.author is None
    assert [p.stated_by.zh or p.stated_by.label for p in ann.provisions] == ["市人民政府"]


def test_a_title_block_names_the_author_who_is_the_default_speaker(lexicon):
    text = "工作报告\n市长王明\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n加快建设城市轨道交通。"
    ann = annotate_text(text, lexicon, lang="zh")
    assert ann.author is not None and (ann.author.zh or ann.author.label) == "王明"
    assert [p.stated_by for p in ann.provisions] == [None]
