"""Chinese policy speech beyond the work report: readouts, resolutions, reported directives.

Sentences written for these tests (not taken from any readout, resolution or report; the names
are invented): the meeting as speaker (会议指出…), topic chains (各地要A，不得B), a body named
with 政府 (各级政府要), the verb of a task cue kept in its action (着力扩大…) and collective
actors named by a modifier and a generic head (龙头企业). docs/conventions-zh.md says why.
"""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from test_annotate_clauses import _provs
from test_annotate_pinned import pinned_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return pinned_lexicon()




def _speakers(text, lexicon):
    ann = annotate_text(text, lexicon, lang="zh")
    return [
        (p.cue.words, p.stated_by.zh or p.stated_by.label if p.stated_by else None)
        for p in ann.provisions
    ]


# -- the meeting as speaker -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a readout: the meeting convened is who 会议强调 / 会议要求 reports
        (
            "新华社北京4月9日电 国务院总理赵明9日主持召开国务院常务会议，研究稳外贸举措。"
            "会议强调，要帮助外贸企业稳订单，不得增加企业负担。"
            "会议要求，各部门要加强协调。",
            [("要", "国务院常务会议"), ("不得", "国务院常务会议"), ("要", "国务院常务会议")],
        ),
        # the meeting's paragraph is its readout: a later sentence of it is the meeting's too
        (
            "国务院总理钱立主持召开国务院第九次全体会议。\n"
            "会议认为，当前经济持续回升。要巩固向好势头。\n"
            "要做好防汛准备。",
            [("要", "国务院第九次全体会议"), ("要", None)],
        ),
        # a line break inside the meeting's sentence does not end what it says
        (
            "国务院总理钱立主持召开国务院常务会议。会议要求，各地要做好\n防汛准备，不得麻痹大意。",
            [("要", "国务院常务会议"), ("不得", "国务院常务会议")],
        ),
        # a resolution: the numbered session named in its opening speaks
        (
            "第十五届全国人民代表大会第二次会议听取和审议了国务院总理所作的报告。"
            "会议号召，全国人民要团结一心，确保完成全年目标。",
            [
                ("要", "第十五届全国人民代表大会第二次会议"),
                ("确保", "第十五届全国人民代表大会第二次会议"),
            ],
        ),
        # a committee's numbered meeting opening its sentence
        (
            "中央财经委员会第七次会议研究了节水问题。会议指出，要提高用水效率。",
            [("要", "中央财经委员会第七次会议")],
        ),
        # a meeting only mentioned (贯彻…会议部署) is not the one that speaks
        (
            "国务院总理孙伟主持召开国务院常务会议。会议指出，要落实中央经济工作会议部署。"
            "会议强调，要稳就业。",
            [("要", "国务院常务会议"), ("要", "国务院常务会议")],
        ),
        # no meeting named: nobody is invented (the document's author is the default)
        ("会议强调，要加强安全生产监管。", [("要", None)]),
        ("本次会议认为，各地要做好春耕。", [("要", None)]),
        # a meeting named only by its kind names none
        ("副总理刘平主持召开专题会议。会议要求，要做好汛期安全。", [("要", None)]),
        ("省长赵一主持召开视频会议。会议强调，要压实责任。", [("要", None)]),
        (
            "国务院总理王明主持召开国务院常务会议。会议指出，要稳投资。\n"
            "副总理刘平随后主持召开专题会议。会议要求，要做好汛期安全。",
            [("要", "国务院常务会议"), ("要", None)],
        ),
        # a person who speaks at a meeting is its speaker, not the meeting
        (
            "国务院总理周平主持召开国务院常务会议。周平在会上强调，要做好就业工作。",
            [("要", "周平")],
        ),
    ],
)
def test_the_meeting_that_speaks(lexicon, text, expected):
    assert _speakers(text, lexicon) == expected


def test_a_new_meeting_speaker_is_an_actor(lexicon):
    # pkg:statedBy's range is pkg:Actor and pkg:Event is disjoint from it
    ann = annotate_text(
        "国务院总理李华主持召开国务院常务会议。会议要求，要加快项目审批。", lexicon, lang="zh"
    )
    (p,) = ann.provisions
    assert p.stated_by is not None and p.stated_by.types == ("Organization",)
    assert not p.stated_by.known


# -- topic chains ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause with no subject of its own keeps the addressee before it, with its own modality
        (
            "各地区各部门要严格落实减负措施，不得拖欠中小企业货款。",
            [
                ("obligation", "要", ("各地区各部门",), False),
                ("obligation", "不得", ("各地区各部门",), True),
            ],
        ),
        (
            "金融机构要加大信贷投放，一律不得抽贷断贷。",
            [
                ("obligation", "要", ("金融机构",), False),
                ("obligation", "不得", ("金融机构",), True),
            ],
        ),
        (
            "各地要压实防汛责任，确保群众安全。",
            [("obligation", "要", ("各地",), False), ("obligation", "确保", ("各地",), False)],
        ),
        # the later clause names its own subject: its own addressee
        (
            "各地要压实监管责任，企业不得超标排放。",
            [
                ("obligation", "要", ("各地",), False),
                ("obligation", "不得", ("enterprises",), True),
            ],
        ),
        # 鼓励 X addresses X in its own clause only: the next clause is not X's
        (
            "鼓励商业银行增加首贷，不得变相收费。",
            [
                ("recommendation", "鼓励", ("商业银行",), False),
                ("obligation", "不得", (), True),
            ],
        ),
    ],
)
def test_a_topic_chain_keeps_its_addressee(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


# -- 政府要: the speaking government or another body ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地方各级政府要优化政务服务。", [("obligation", "要", ("地方各级政府",), False)]),
        ("县级政府要承担主体责任。", [("obligation", "要", ("县级政府",), False)]),
        ("各级政府要过紧日子。", [("obligation", "要", ("各级政府",), False)]),
        ("地方政府要规范举债。", [("obligation", "要", ("地方政府",), False)]),
        # the speaking government: a commitment, no addressee
        ("我们要持续改善民生。", [("commitment", "要", (), False)]),
        ("政府要坚持过紧日子。", [("commitment", "要", (), False)]),
        ("本届政府将坚持依法行政。", [("commitment", "将", (), False)]),
        ("中国政府将继续扩大开放。", [("commitment", "将", (), False)]),
    ],
)
def test_a_body_named_with_government_is_directed(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


# -- the verb of a task cue stays in its action ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "action"),
    [
        ("着力扩大有效投资。", "着力扩大", "扩大有效投资"),
        ("积极稳妥推进老旧小区改造。", "积极稳妥推进", "推进老旧小区改造"),
        ("加快建设现代物流体系。", "加快建设", "建设现代物流体系"),
        ("深化医药卫生体制改革。", "深化", "深化医药卫生体制改革"),
        # a modal cue's action begins after it (its verb is the action's)
        ("各地要切实稳定粮食播种面积。", "要", "切实稳定粮食播种面积"),
    ],
)
def test_a_task_cue_leaves_its_verb_in_the_action(lexicon, text, cue, action):
    ann = annotate_text(text, lexicon, lang="zh")
    (p,) = ann.provisions
    assert p.cue.words == cue
    assert [r.zh or r.label for r in p.action] == [action]


def test_a_clause_cue_leaves_its_verb_in_the_action(lexicon):
    ann = annotate_text("各地要完善养老服务网络，大力发展社区托育服务。", lexicon, lang="zh")
    got = [(p.cue.words, [r.zh or r.label for r in p.action]) for p in ann.provisions]
    assert got == [("要", ["完善养老服务网络"]), ("大力发展", ["发展社区托育服务"])]


# -- a modifier and a generic head: the text's own collective actor -------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "鼓励龙头企业牵头组建产业联盟。",
            [("recommendation", "鼓励", ("龙头企业",), False)],
        ),
        (
            "鼓励科技型企业加大研发投入。",
            [("recommendation", "鼓励", ("科技型企业",), False)],
        ),
        ("骨干企业要加强关键技术攻关。", [("obligation", "要", ("骨干企业",), False)]),
        # the head alone, or a pronoun before it: the lexicon's generic actor
        ("鼓励企业加大研发投入。", [("recommendation", "鼓励", ("enterprises",), False)]),
        ("这些企业要依法经营。", [("obligation", "要", ("enterprises",), False)]),
    ],
)
def test_a_modified_collective_head_is_the_texts_own_actor(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


# -- subjects: coordination, a qualifier, a surname inside a word ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # collective actors joined by 及 / 和 / 、 are addressed together
        (
            "地方政府及有关部门要加强资金调度。",
            [("obligation", "要", ("地方政府", "有关部门"), False)],
        ),
        (
            "县级政府和金融机构要做好风险处置。",
            [("obligation", "要", ("县级政府", "金融机构"), False)],
        ),
        # after a preposition (以, 由, 把 …) or a verb (减轻, 服务) a noun is no subject
        ("以企业为主体，要加快技术攻关。", [("obligation", "要", (), False)]),
        ("由企业自主决定的事项，要简化审批。", [("obligation", "要", (), False)]),
        # X的Y要…: X qualifies the subject, it is not addressed
        ("拖欠企业的账款要限期清偿。", [("obligation", "要", (), False)]),
        ("企业的合理诉求要及时回应。", [("obligation", "要", (), False)]),
    ],
)
def test_the_subject_before_a_cue(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


@pytest.mark.parametrize(
    "text",
    ["落实从严治党要求，要加强作风建设。", "坚持从严治党要求，要改进工作作风。"],
)
def test_a_surname_inside_a_word_names_no_speaker(lexicon, text):
    # 从严 is a word: 严治党 before 要求 is no person
    assert [who for cue, who in _speakers(text, lexicon) if cue == "要"] == [None]


@pytest.mark.parametrize(
    "text", ["帮扶企业要精准。", "走访企业要常态化。", "扶持中小企业要持之以恒。"]
)
def test_the_object_of_a_verb_is_no_subject(lexicon, text):
    ann = annotate_text(text, lexicon, lang="zh")
    assert [p.addressees for p in ann.provisions if p.cue.words == "要"] == [()]


@pytest.mark.parametrize(
    "text",
    [
        "鼓励民营企业参与重大项目，不得设置隐性门槛。",
        "鼓励国有企业加大研发投入，严禁违规举债。",
        "要求金融机构加大信贷投放，不得抽贷断贷。",
    ],
)
def test_the_object_of_the_cue_before_is_no_subject(lexicon, text):
    # the actor after 鼓励 / 要求 belongs to that cue's clause, not to the next clause's cue
    ann = annotate_text(text, lexicon, lang="zh")
    assert [p.addressees for p in ann.provisions if p.negative] == [()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "国务院总理王明在考察时强调，要稳住就业。他指出，各地要压实责任。",
            [("要", "王明"), ("要", "王明")],
        ),
        (
            "外交部发言人李红表示，要加强合作。她还表示，不能搞脱钩断链。",
            [("要", "李红"), ("不能", "李红")],
        ),
        # nobody named before: 他 stands for nobody the drafter knows
        ("他指出，要保持战略定力。", [("要", None)]),
    ],
)
def test_a_pronoun_reports_the_last_person_named(lexicon, text, expected):
    assert _speakers(text, lexicon) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 大力 / 有序 / 依法: task adverbs that jieba tags as nouns, before a verb outside the
        # task list: the clause is directed all the same
        (
            "各地要稳定生猪产能，大力倡导节约用粮。",
            [("obligation", "要", ("各地",), False), ("obligation", "大力倡导", ("各地",), False)],
        ),
        (
            "修缮老旧校舍，有序清退落后产能。",
            [("commitment", "修缮", (), False), ("commitment", "有序清退", (), False)],
        ),
    ],
)
def test_a_task_adverb_before_a_verb_opens_a_directed_clause(lexicon, text, expected):
    assert _provs(text, lexicon) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in an earlier clause, an actor inside a noun phrase is no subject of the cue
        ("今年高校毕业生人数创新高，要做好就业服务。", ()),
        ("许多企业负担较重，要降低涉企收费。", ()),
        # one that opens its clause is (a topic set off by commas)
        ("国有企业，特别是中央企业，要加强创新。", ("state-owned enterprises",)),
        ("民营企业，要加强创新。", ("private enterprises",)),
    ],
)
def test_a_subject_in_an_earlier_clause_opens_it(lexicon, text, expected):
    ann = annotate_text(text, lexicon, lang="zh")
    (p,) = ann.provisions
    assert tuple(r.zh or r.label for r in p.addressees) == expected


def test_a_meeting_the_lexicon_knows_as_an_actor_is_that_entity():
    from policykg.authoring.lexicon import Lexicon
    from policykg.authoring.terms import Term

    iri = "https://w3id.org/policykg/id/state-council-executive-meeting"
    lex = Lexicon(
        [Term(iri, "国务院常务会议", "zh", "entity", True, True, ("Organization",), True)], "graph"
    )
    text = "国务院总理陈立主持召开国务院常务会议。会议指出，要扩大有效投资。"
    (p,) = annotate_text(text, lex, lang="zh").provisions
    assert p.stated_by is not None and p.stated_by.known
    assert p.stated_by.id == "state-council-executive-meeting"


# -- 号召 / 呼吁: a call on whom it names (issue 21, zh-cues) ----------------------------------------


def _calls(text, lexicon):
    ann = annotate_text(text, lexicon, lang="zh")
    return [
        (p.modality, p.cue.words, tuple(r.zh or r.label for r in p.addressees), p.action[0].zh)
        for p in ann.provisions
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a resolution's main content: the session calls on the people (after a comma)
        (
            "第十五届全国人民代表大会第三次会议听取和审议了国务院总理所作的报告。"
            "会议号召，全国各族人民紧密团结，奋力完成全年目标任务。",
            [
                ("recommendation", "号召", ("全国各族人民",), "紧密团结"),
                ("recommendation", "奋力完成", ("全国各族人民",), "完成全年目标任务"),
            ],
        ),
        (
            "省委号召全省党员干部勇于担当。",
            [("recommendation", "号召", ("全省党员干部",), "勇于担当")],
        ),
        (
            "政府呼吁社会各界关心养老事业。",
            [("recommendation", "呼吁", ("社会各界",), "关心养老事业")],
        ),
        # a call on nobody the text names as an actor: no addressee is invented
        ("协会号召会员单位节约用电。", [("recommendation", "号召", (), "会员单位节约用电")]),
    ],
)
def test_a_call_addresses_whom_it_names(lexicon, text, expected):
    assert _calls(text, lexicon) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun (响应…号召, 在…号召下): no call of its own
        ("各地要积极响应国家号召。", [("obligation", "要", ("各地",), "积极响应国家号召")]),
        ("在党的号召下，青年踊跃参军。", []),
        # the call reports a modal of its addressee's clause: that modal is the provision
        ("会议号召，全国人民要勤俭节约。", [("obligation", "要", ("全国人民",), "勤俭节约")]),
    ],
)
def test_the_noun_call_and_a_reported_modal_make_no_call(lexicon, text, expected):
    assert _calls(text, lexicon) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 以X为Y names what guides the tasks: no provision of its own (the verb in X is none)
        (
            "会议号召，全国各族人民紧密团结，以新思想为指导，以深化改革为主线，坚持稳中求进。",
            ["号召", "坚持"],
        ),
        # a leading frame clause before a task list: the tasks are commitments
        ("以满足群众需要为目的，推动服务下沉，扩大有效供给。", ["推动", "扩大"]),
        # the verb inside the frame opens no task of its own
        ("以市场需要为导向，优化专业设置，加快师资建设。", ["优化", "加快"]),
        ("以推动绿色发展为主题，深化体制改革，扩大有效投资。", ["深化", "扩大"]),
        ("以区域战略为基础，以城市群为引领，形成新的增长极，培育一批都市圈。", ["形成", "培育"]),
    ],
)
def test_a_frame_clause_directs_nothing(lexicon, text, expected):
    assert [p.cue.words for p in annotate_text(text, lexicon, lang="zh").provisions] == expected


# -- a term that is only part of the object is not the action (issue 21, zh-cues) ----------------


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("要加大科技创新投入。", "加大科技创新投入"),
        ("推进数字经济立法。", "推进数字经济立法"),
        ("要优化科技创新生态。", "优化科技创新生态"),
    ],
)
def test_a_partial_term_leaves_the_verb_phrase_as_action(lexicon, text, action):
    [p] = annotate_text(text, lexicon, lang="zh").provisions
    assert [r.zh for r in p.action] == [action]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("要推动科技创新。", ["scientific-and-technological-innovation"]),
        ("要发展数字经济。", ["digital-economy"]),
    ],
)
def test_a_term_that_is_the_whole_object_is_the_action(lexicon, text, action):
    [p] = annotate_text(text, lexicon, lang="zh").provisions
    assert [r.id for r in p.action] == action


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("社区、学校和民营企业要共同参与。", ["private-enterprises"]),
        ("学校、医院和国有企业要做好节能。", ["state-owned-enterprises"]),
    ],
)
def test_a_collective_subject_with_a_known_label_is_that_entity(lexicon, text, expected):
    """Regression: after words that are no actor (社区、学校和), the subject 民营企业 became a new
    entity labelled like the known one, which then named two entities in the graph."""
    [p] = annotate_text(text, lexicon, lang="zh").provisions
    assert [(r.id, r.known) for r in p.addressees] == [(e, True) for e in expected]
