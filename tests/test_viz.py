"""The HTML graph without a browser: the pyvis Network, views, layout, determinism, safety."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyvis.network import Network
from rdflib import URIRef

from policykg import UnknownEntityError, UnknownQueryError
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import html_file, ontology_file
from policykg.errors import PolicyKGError
from policykg.graph.kg import PolicyKG
from policykg.outputs.viz import (
    PolicyNetwork,
    build_network,
    class_style,
    extract_graph,
    extract_hierarchy,
    render_html,
    write_html,
)
from policykg.outputs.viz.html import json_for_html
from policykg.outputs.viz.layout import grid_spring, spring_positions, tree_positions
from policykg.rdf.graphio import GraphFile
from policykg.store.backends import open_backend

FIXTURE = Path(__file__).parent / "fixtures" / "viz" / "mini.trig"
NQPF = "kg:new-quality-productive-forces"
EVIL_LABEL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def mini_kg():
    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(FIXTURE, None)]
    graph = PolicyKG(files, open_backend(files))
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def mini_graph(mini_kg):
    return extract_graph(mini_kg)


@pytest.fixture(scope="module")
def mini_net(mini_graph):
    return build_network(mini_graph)


@pytest.fixture(scope="module")
def article_net(article_network):
    return article_network()  # build_network(kg), built once in the run (conftest.py)


def nodes_by_id(net):
    return {n["id"]: n for n in net.nodes}


# -- the Network object ----------------------------------------------------------------------------


def test_build_returns_a_pyvis_network_of_the_entities(mini_net):
    assert isinstance(mini_net, Network) and isinstance(mini_net, PolicyNetwork)
    ids = set(nodes_by_id(mini_net))
    assert ids == {
        "kg:advanced-productive-forces",
        "kg:evil",
        "kg:mini",
        "kg:mini-press",
        NQPF,
        "kg:obs-high-tech-growth",
        "kg:safeguarding-national-security",
        "kg:shanghai",
        "kg:state-owned-enterprises",
    }
    # passages are evidence, not nodes; ontology terms are not drawn
    assert not any(i.startswith("kg:mini-p0") for i in ids)
    assert not any(i.startswith("pkg:") for i in ids)
    assert len(mini_net.nodes) == mini_net.num_nodes() == 9


def test_edges_carry_the_predicates_english_labels(mini_net):
    edges = {(e["from"], e["to"]): e for e in mini_net.edges}
    assert set(edges) == {
        ("kg:evil", NQPF),
        ("kg:mini", "kg:mini-press"),
        (NQPF, "kg:advanced-productive-forces"),
        ("kg:obs-high-tech-growth", "kg:shanghai"),
        ("kg:state-owned-enterprises", "kg:safeguarding-national-security"),
    }
    assert edges[(NQPF, "kg:advanced-productive-forces")]["label"] == "represents"
    assert edges[("kg:state-owned-enterprises", "kg:safeguarding-national-security")]["label"] == (
        "should focus on"
    )
    assert edges[("kg:mini", "kg:mini-press")]["predicates"] == ["pkg:publisher"]
    assert all(e["arrows"] == "to" for e in mini_net.edges)
    assert [e["id"] for e in mini_net.edges] == [f"e{i}" for i in range(len(mini_net.edges))]


def test_nodes_have_labels_class_style_size_and_position(mini_net):
    nodes = nodes_by_id(mini_net)
    nqpf = nodes[NQPF]
    assert nqpf["label"] == "new quality productive forces"
    assert nqpf["zh"] == "新质生产力"
    assert nqpf["alt"] == ["NQPF"]
    assert nqpf["definition"] == "advanced productive forces driven by innovation"
    assert nqpf["cls"] == "pkg:Concept"
    assert nqpf["shape"] == "dot"
    assert nqpf["color"]["background"] == class_style("pkg:Concept").color
    assert isinstance(nqpf["x"], int) and isinstance(nqpf["y"], int)
    assert nqpf["evidence"] == ["kg:mini-p01-1"]
    # the most connected node is the biggest
    assert nqpf["size"] == max(n["size"] for n in mini_net.nodes)
    assert nodes["kg:mini"]["size"] < nqpf["size"]


def test_a_node_is_drawn_as_its_most_specific_class(mini_net):
    soe = nodes_by_id(mini_net)["kg:state-owned-enterprises"]
    assert soe["types"] == ["pkg:CollectiveActor", "pkg:StateOwnedEnterprise"]
    assert soe["cls"] == "pkg:StateOwnedEnterprise"
    assert soe["shape"] == "diamond"
    assert nodes_by_id(mini_net)["kg:shanghai"]["shape"] == "square"
    assert nodes_by_id(mini_net)["kg:obs-high-tech-growth"]["shape"] == "triangleDown"


def test_an_unlabelled_observation_is_named_by_its_figure(mini_net):
    obs = nodes_by_id(mini_net)["kg:obs-high-tech-growth"]
    assert obs["label"] == "value-added growth: 9.5 percent (in 2024)"


def test_the_page_data_holds_every_fact_with_its_passage(mini_net):
    page = mini_net.page
    facts = [f for f in page["facts"] if f[0] == NQPF]
    assert [
        NQPF,
        "pkg:represents",
        "kg:advanced-productive-forces",
        "node",
        "",
        "",
        ["kg:mini-p01-1"],
        False,
    ] in facts
    assert any(f[1] == "skos:definition" and f[3] == "literal" for f in facts)
    quote = page["passages"]["kg:mini-p01-1"]
    assert quote["quote"].startswith("New quality productive forces represent")
    assert quote["doc"] == "kg:mini" and (quote["start"], quote["end"]) == (0, 98)
    assert page["predicates"]["pkg:represents"]["label"] == "represents"
    assert page["predicates"]["pkg:represents"]["zh"] == "代表"
    legend = {e["key"]: e for e in page["legend"]}
    assert legend["pkg:Concept"]["count"] == 3
    assert legend["pkg:StateOwnedEnterprise"]["shape"] == "diamond"


def test_unknown_classes_get_a_stable_look():
    a = class_style("pkg:SomethingNew", {"pkg:SomethingNew": {"pkg:Actor"}})
    b = class_style("pkg:SomethingNew", {"pkg:SomethingNew": {"pkg:Actor"}})
    assert a == b and a.shape == "diamond" and re.fullmatch(r"#[0-9a-f]{6}", a.color)


def test_inferred_links_are_drawn_dashed_and_flagged(tmp_path):
    from policykg.core.namespaces import KGG

    files = [
        GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)),
        GraphFile(FIXTURE, None),
        GraphFile(FIXTURE.with_name("inferred.ttl"), URIRef(KGG + "inferred")),
    ]
    graph = PolicyKG(files, open_backend(files))
    try:
        net = build_network(graph)
    finally:
        graph.close()
    edges = {(e["from"], e["to"]): e for e in net.edges}
    assert edges[(NQPF, "kg:evil")]["inferred"] is True
    assert edges[(NQPF, "kg:evil")]["dashes"] is True
    assert edges[("kg:evil", NQPF)]["inferred"] is False
    soe = nodes_by_id(net)["kg:state-owned-enterprises"]
    assert soe["types"] == ["pkg:CollectiveActor", "pkg:StateOwnedEnterprise"]  # asserted only
    fact = next(f for f in net.page["facts"] if f[:3] == [NQPF, "pkg:relatedTo", "kg:evil"])
    assert fact[6] == ["kgg:inferred"] and fact[7] is True


# -- views -------------------------------------------------------------------------------------------


def test_focus_and_depth(mini_graph):
    one = build_network(mini_graph, focus="新质生产力", depth=1)
    assert set(nodes_by_id(one)) == {NQPF, "kg:advanced-productive-forces", "kg:evil"}
    zero = build_network(mini_graph, focus="NQPF", depth=0)
    assert set(nodes_by_id(zero)) == {NQPF} and zero.edges == []
    assert "depth 1" in one.page["meta"]["view"]


def test_focus_on_an_unknown_entity_suggests_labels(mini_graph):
    with pytest.raises(UnknownEntityError, match="new quality productive forces"):
        build_network(mini_graph, focus="new quality productiv forces")


def test_classes_view_includes_subclasses(mini_graph):
    net = build_network(mini_graph, classes=["Actor"])
    assert set(nodes_by_id(net)) == {"kg:mini-press", "kg:state-owned-enterprises"}
    net = build_network(mini_graph, classes=["Concept", "City"])
    assert set(nodes_by_id(net)) == {
        NQPF,
        "kg:advanced-productive-forces",
        "kg:evil",
        "kg:safeguarding-national-security",
        "kg:shanghai",
    }
    with pytest.raises(UnknownEntityError, match="did you mean Actor"):
        build_network(mini_graph, classes=["Acter"])


def test_hierarchy_view_draws_the_ontology(kg):
    net = build_network(kg, hierarchy=True)
    nodes = nodes_by_id(net)
    assert "pkg:StateOwnedEnterprise" in nodes and "skos:Concept" in nodes
    assert not any(i.startswith("kg:") for i in nodes)
    edges = {(e["from"], e["to"]): e for e in net.edges}
    assert edges[("pkg:StateOwnedEnterprise", "pkg:Enterprise")]["label"] == "subclass of"
    assert edges[("pkg:Concept", "skos:Concept")]["label"] == "subclass of"
    assert nodes["pkg:Goal"]["zh"]
    assert net.page["meta"]["kind"] == "hierarchy"
    with pytest.raises(PolicyKGError, match="--hierarchy"):
        build_network(kg, hierarchy=True, focus="kg:china")


def test_hierarchy_extraction_reads_labels_and_counts(kg):
    graph = extract_hierarchy(kg)
    assert graph.classes["pkg:StateOwnedEnterprise"].label == "state-owned enterprise"
    assert any(f.p == "viz:instances" for f in graph.facts if f.s == "pkg:Concept")


def test_query_view_draws_a_named_querys_entities(kg):
    net = build_network(kg, query="cq-2-soe-functions")
    assert set(nodes_by_id(net)) == {
        "kg:state-owned-enterprises",  # named by the query
        "kg:safeguarding-national-security",
        "kg:guiding-industrial-development",
        "kg:delivering-public-services",
        "kg:supporting-the-economy-and-peoples-well-being",
    }
    assert {(e["from"], e["label"]) for e in net.edges} == {
        ("kg:state-owned-enterprises", "should focus on")
    }
    net = build_network(kg, query="concept-neighbourhood", params={"concept": "新质生产力"})
    assert NQPF in nodes_by_id(net) and len(net.nodes) > 10
    with pytest.raises(UnknownQueryError):
        build_network(kg, query="no-such-query")


# -- the real article graph -------------------------------------------------------------------------


_CORPUS_HUB_CLASSES = ("pkg:GovernmentWorkReport", "pkg:Country", "pkg:Indicator")


def test_article_network_has_the_key_nodes(article_net):
    nodes = nodes_by_id(article_net)
    assert nodes[NQPF]["zh"] == "新质生产力"
    assert nodes["kg:state-owned-enterprises"]["cls"] == "pkg:StateOwnedEnterprise"
    assert len(article_net.nodes) > 100 and len(article_net.edges) > 100
    # no passage is a node (a provision, kg:ncpf-2025-p12-5-v1, may be)
    assert not any(re.fullmatch(r"kg:ncpf-2025-p\d\d-\d+", i) for i in nodes)
    # size follows degree (a provision's speaker links are not counted: the author states them
    # all); the article's subject is among its three biggest hubs
    biggest = max(n["degree"] for n in article_net.nodes)
    assert {n["id"] for n in article_net.nodes if n["size"] == max(m["size"] for m in article_net.nodes)} \
        == {n["id"] for n in article_net.nodes if n["degree"] == biggest}
    # (among the concepts: the reviewed reports, China and the indicators, which every figure of
    # the corpus links to, are bigger hubs)
    hubs = [n["size"] for n in article_net.nodes if n["cls"] not in _CORPUS_HUB_CLASSES]
    assert nodes[NQPF]["size"] >= sorted(hubs, reverse=True)[2]
    assert nodes["kg:zhang-chi"]["size"] < nodes[NQPF]["size"]
    facts = [f for f in article_net.page["facts"] if NQPF in (f[0], f[2])]
    assert facts and all(any(s in article_net.page["passages"] for s in f[6]) for f in facts), (
        "every fact about the concept is traced to a passage"
    )


def test_edges_agree_with_the_entity_network(kg, article_net):
    network = pytest.importorskip("policykg.graph.network")
    from policykg.rdf.terms import curie

    theirs = {
        (curie(str(f.subject)), curie(str(f.predicate)), curie(str(f.object)))
        for f in network.network(kg).facts
    }
    mine = {(e["from"], p, e["to"]) for e in article_net.edges for p in e["predicates"]}
    assert mine == theirs
    assert {curie(str(n)) for n in network.network(kg).nodes} <= set(nodes_by_id(article_net))


def test_committed_page_is_up_to_date(article_net):
    path = html_file()
    assert path.is_file(), "graphs/policykg.html is missing: run 'policykg viz'"
    assert path.read_bytes() == render_html(article_net).encode("utf-8"), (
        "graphs/policykg.html is out of date: run 'policykg viz'"
    )


# -- the page: deterministic, offline, safe ------------------------------------------------------------


def test_rebuilding_gives_a_byte_identical_page(mini_kg, tmp_path):
    a = write_html(build_network(mini_kg), tmp_path / "a.html")
    b = write_html(build_network(extract_graph(mini_kg)), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", text.replace("2022-03-28T20:17:35", ""))
    own = text.split("<script>")[0] + text.rsplit("<script>", 1)[1]  # all but vis-network itself
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", own)


def test_write_html_is_atomic_and_leaves_no_temporary_file(mini_net, tmp_path):
    out = write_html(mini_net, tmp_path / "sub" / "g.html")
    assert out.is_file()
    assert [p.name for p in out.parent.iterdir()] == ["g.html"]


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        for key in ("src", "href", "srcset", "data", "action", "poster"):
            if attrs.get(key):
                self.urls.append(attrs[key])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]


def test_the_page_loads_nothing_from_outside(mini_net):
    html = render_html(mini_net)
    parser = _Resources()
    parser.feed(html)
    assert parser.urls == []
    assert "link" not in parser.tags
    assert parser.tags.count("script") == 3
    assert "default-src 'none'" in parser.csp and "'unsafe-inline'" not in parser.csp.split(";")[1]
    assert "bootstrap" not in html.lower() and "cdnjs" not in html and "jsdelivr" not in html
    assert "tom-select" not in html.lower()


def test_pyvis_api_writes_the_offline_page_too(mini_net, tmp_path):
    assert mini_net.generate_html() == render_html(mini_net)
    mini_net.write_html(str(tmp_path / "p.html"))
    assert (tmp_path / "p.html").read_text(encoding="utf-8") == render_html(mini_net)


def test_labels_never_reach_the_page_as_markup(mini_net):
    html = render_html(mini_net)
    assert EVIL_LABEL in [n["label"] for n in mini_net.nodes]
    for raw in (
        EVIL_LABEL,
        "<script>alert(1)</script>",
        "<svg onload",
        "</script><script>window.__pwned",
        "<b>bold</b>",
        "\u2028",
    ):
        assert raw not in html, raw
    data = re.search(
        r'<script type="application/json" id="policykg-data">(.*?)</script>', html, re.S
    )
    assert data is not None
    assert "<" not in data.group(1) and ">" not in data.group(1) and "&" not in data.group(1)
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in data.group(1)


def test_json_for_html_escapes_what_could_end_a_script():
    text = json_for_html({"a": "</script><!-- & \u2028\u2029", "b": [1, 2]})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029","b":[1,2]}'
    import json

    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029", "b": [1, 2]}


def test_a_plain_pyvis_network_renders_offline_too():
    net = Network(directed=True)
    net.add_node("a", label="<b>A</b>")
    net.add_node("b", label="B")
    net.add_edge("a", "b", label="to")
    net.options = {"physics": {"enabled": False}}
    html = render_html(net)
    assert "<b>A</b>" not in html and "https://" not in html.split("<script>", 1)[0]


# -- layout ----------------------------------------------------------------------------------------------


def test_spring_positions_are_deterministic_whole_pixels():
    nodes = [f"n{i}" for i in range(40)]
    edges = [(f"n{i}", f"n{(i * 7) % 40}") for i in range(40)] + [("x", "y")]
    a = spring_positions([*nodes, "x", "y", "lonely"], edges, seed=3)
    b = spring_positions(
        [*list(reversed(nodes)), "lonely", "y", "x"], list(reversed(edges)), seed=3
    )
    assert a == b
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in a.values())
    assert len(set(a.values())) == len(a)


def test_grid_spring_lays_out_a_big_graph_quickly():
    import time

    n = 1500
    nodes = [f"n{i}" for i in range(n)]
    edges = [(f"n{i}", f"n{(i * 31 + 7) % n}") for i in range(n)] + [
        (f"n{i}", f"n{i + 1}") for i in range(n - 1)
    ]
    start = time.perf_counter()
    pos = grid_spring(nodes, edges, seed=1)
    assert time.perf_counter() - start < 15
    assert pos == grid_spring(nodes, edges, seed=1)
    xs = sorted(p[0] for p in pos.values())
    assert xs[-1] - xs[0] > 10  # spread out, not collapsed


def test_tree_positions_put_subclasses_right_of_superclasses():
    pos = tree_positions(["A", "B", "C", "D"], {"B": ["A"], "C": ["A"], "D": ["B"]})
    assert pos["A"][0] < pos["B"][0] < pos["D"][0]
    assert pos["B"][0] == pos["C"][0]
    assert pos["B"][1] != pos["C"][1]


# -- the command line ----------------------------------------------------------------------------------


def test_cli_writes_the_page(run_main, tmp_path):
    out = tmp_path / "g.html"
    res = run_main(
        ["viz", "--out", str(out), "--focus", "kg:state-owned-enterprises", "--depth", "1"]
    )
    assert res.returncode == 0, res.stderr
    assert f"wrote {out}" in res.stdout
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = run_main(
        [
            "viz",
            "--out",
            str(out),
            "--focus",
            "kg:state-owned-enterprises",
            "--depth",
            "1",
            "--check",
        ]
    )
    assert res.returncode == 0 and "up to date" in res.stdout


def test_cli_check_of_the_committed_page(run_main):
    res = run_main(["viz", "--check"])
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--depth", "2"], "--depth needs --focus"),
        (["--focus", "no such thing at all"], "no such thing at all"),
        (["--classes", "Acter"], "unknown class 'Acter'"),
        (["--query", "no-such-query"], "unknown query"),
        (["--hierarchy", "--focus", "kg:china"], "--hierarchy"),
        (["--param", "x=1"], "--param needs --query"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(run_main, tmp_path, args, message):
    res = run_main(["viz", "--out", str(tmp_path / "x.html"), *args])
    assert res.returncode == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_every_modality_of_the_ontology_has_its_own_look() -> None:
    from rdflib import Graph

    from policykg.core.namespaces import PKG, RDF
    from policykg.outputs.viz.style import MODALITY_STYLES
    from policykg.rdf.terms import curie

    onto = Graph().parse(ontology_file())
    modalities = {curie(m) for m in onto.subjects(RDF.type, PKG.Modality)}
    assert "pkg:intention" in modalities
    assert modalities <= set(MODALITY_STYLES)
    looks = [(s.color, s.dashes) for s in MODALITY_STYLES.values()]
    assert len({c for c, _ in looks}) == len(looks)
    others = [s.dashes for m, s in MODALITY_STYLES.items() if m != "pkg:intention"]
    assert MODALITY_STYLES["pkg:intention"].dashes not in others
