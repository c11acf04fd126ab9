"""The analyst's workbench without a browser: the served page and its routes, the vendored editor,
the reader and modality data of the page, and the notebook helpers (issue 16)."""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from policykg.apps.server import ServeConfig, _open_source, execute, make_app
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import ontology_file
from policykg.graph.kg import PolicyKG
from policykg.outputs.viz import build_network, render_html, show
from policykg.outputs.viz.builder import OVERVIEW_SIZE
from policykg.outputs.viz.html import SERVED_CSP, served_page
from policykg.rdf.graphio import GraphFile, graph_files
from policykg.sparql.results import QueryResult

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "viz"
PROVISIONS = FIXTURES / "provisions.trig"
STATIC = ROOT / "src" / "policykg" / "apps" / "static"
EVIL = "<img src=x onerror=alert(1)>"


def fixture_files() -> list[GraphFile]:
    return [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(PROVISIONS, None)]


@pytest.fixture(scope="module")
def fx_kg():
    files = fixture_files()
    kg = PolicyKG(files, _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                                 for f in files]}))
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def fx_net(fx_kg):
    return build_network(fx_kg)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The WSGI app over the article, its queries run in this process."""
    from werkzeug.test import Client

    folder = tmp_path_factory.mktemp("served")
    page = folder / "policykg.html"
    page.write_text((ROOT / "graphs" / "policykg.html").read_text(encoding="utf-8"),
                    encoding="utf-8")
    files = list(graph_files())
    backend = _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                      for f in files]})
    kg = PolicyKG([], backend)
    lock = threading.Lock()

    def run(job: dict[str, Any], timeout: float):
        with lock:
            return execute(backend.store, job, kg=kg)

    yield Client(make_app(ServeConfig(html=page, max_rows=100), run))
    kg.close()


# -- the vendored editor ------------------------------------------------------------------------


def test_yasgui_is_vendored_pinned_with_its_licence():
    readme = (STATIC / "yasgui" / "README.md").read_text(encoding="utf-8")
    assert "@zazuko/yasgui@4.6.2" in readme
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((STATIC / "yasgui" / name).read_bytes()).hexdigest()
        assert f"`{name}` sha256 `{digest}`" in readme
    assert "MIT License" in (STATIC / "yasgui" / "LICENSE").read_text(encoding="utf-8")


def test_yasr_is_vendored_pinned_with_its_licence():
    readme = (STATIC / "yasr" / "README.md").read_text(encoding="utf-8")
    assert "@zazuko/yasr@4.6.2" in readme
    for name in ("yasr.min.js", "yasr.min.css"):
        digest = hashlib.sha256((STATIC / "yasr" / name).read_bytes()).hexdigest()
        assert f"`{name}` sha256 `{digest}`" in readme
    assert "MIT License" in (STATIC / "yasr" / "LICENSE").read_text(encoding="utf-8")
    assert '"static/yasr/yasr.min.js"' in (STATIC / "workbench.js").read_text(encoding="utf-8")


def test_the_package_ships_the_static_files():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["src/policykg"]  # hatch ships every file under it
    excluded = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "static" not in excluded and ".js" not in excluded
    assert config["project"]["optional-dependencies"]["pandas"] == ["pandas>=2"]


def test_the_workbench_turns_off_the_outside_completers():
    js = (STATIC / "workbench.js").read_text(encoding="utf-8")
    assert 'Yasqe.defaults.autocompleters = ["variables", "local-prefixes", "local-class", ' \
           '"local-property"]' in js
    assert "innerHTML" not in js and "http://" not in js and "https://" not in js
    assert "innerHTML" not in (ROOT / "src/policykg/outputs/viz/assets/page.js").read_text()


# -- the served page and its routes ---------------------------------------------------------------


def test_the_served_page_loads_its_scripts_as_files(client):
    res = client.get("/")
    assert res.status_code == 200
    csp = res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    html = res.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    inline = [body for attrs, body in scripts if "src=" not in attrs]
    assert len(inline) == 1 and 'type="application/json"' in scripts[0][0]  # data, not code
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("static/") or s == "data:," for s in srcs), srcs
    for src in srcs:
        if src.startswith("static/"):
            assert client.get("/" + src).status_code == 200, src
    assert 'id="tab-query"' in html and 'id="workbench"' in html
    # the editor is loaded on first use, from this server too
    editor = client.get("/static/yasgui/yasgui.min.js")
    assert editor.status_code == 200 and editor.headers["Content-Type"].startswith("text/javascript")
    assert '"static/yasgui/yasgui.min.js"' in (STATIC / "workbench.js").read_text(encoding="utf-8")


def test_served_page_keeps_the_offline_pages_data():
    html = (ROOT / "graphs" / "policykg.html").read_text(encoding="utf-8")
    served = served_page(html)
    block = re.compile(r'<script type="application/json" id="policykg-data">(.*?)</script>', re.S)
    assert block.search(served).group(1) == block.search(html).group(1)
    import html as htmlmod

    assert SERVED_CSP in htmlmod.unescape(served)
    with pytest.raises(ValueError):
        served_page("<html></html>")


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/yasgui/../../server.py",
                                  "/static/.hidden", "/static/", "/static/nothing.js"])
def test_static_files_stay_inside_their_folder(client, path):
    assert client.get(path).status_code == 404


def test_vocab_lists_the_local_ontology(client):
    doc = json.loads(client.get("/api/vocab").get_data())
    assert doc["prefixes"]["pkg"] == "https://w3id.org/policykg/ontology#"
    classes = {c["iri"] for c in doc["classes"]}
    props = {p["iri"]: p["label"] for p in doc["properties"]}
    assert "https://w3id.org/policykg/ontology#Actor" in classes
    assert props["https://w3id.org/policykg/ontology#shouldFocusOn"] == "should focus on"
    assert json.loads(client.get("/api/prefixes").get_data())["kg"] == "https://w3id.org/policykg/id/"


def test_named_queries_are_listed_with_their_forms(client):
    items = json.loads(client.get("/api/queries").get_data())
    by = {q["name"]: q for q in items}
    assert {"cq-1-self-reliance-actors", "concept-neighbourhood"} <= set(by)
    (param,) = by["concept-neighbourhood"]["params"]
    assert param == {"name": "concept", "kind": "entity", "example": "kg:new-quality-productive-forces",
                     "description": param["description"]}
    assert by["cq-1-self-reliance-actors"]["role"] == "competency"


def test_a_named_query_runs_with_a_parameter_given_by_label(client, kg):
    res = client.get("/api/queries/concept-neighbourhood", query_string={"concept": "新质生产力"})
    assert res.status_code == 200, res.get_data(as_text=True)
    got = json.loads(res.get_data())
    expect = kg.named("concept-neighbourhood", concept="新质生产力")
    assert len(got["results"]["bindings"]) == len(expect)
    csv = client.get("/api/queries/concept-neighbourhood",
                     query_string={"concept": "kg:new-quality-productive-forces", "format": "csv"})
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in csv.headers["Content-Disposition"]
    assert csv.get_data(as_text=True).splitlines()[0].startswith("concept,conceptLabel")


@pytest.mark.parametrize(("query", "status", "words"), [
    ({"concept": "no such thing at all"}, 400, "unknown entity"),
    ({"nope": "x"}, 400, "has no parameter 'nope'"),
])
def test_named_query_mistakes_are_one_line(client, query, status, words):
    res = client.get("/api/queries/concept-neighbourhood", query_string=query)
    assert res.status_code == status and words in res.get_data(as_text=True)


def test_an_unknown_named_query_is_404(client):
    assert client.get("/api/queries/no-such-query").status_code == 404


def test_updates_stay_refused_from_the_page(client):
    res = client.post("/sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert res.status_code == 403


# -- what the page carries for the reader and the modality styles ---------------------------------


def test_the_reader_gets_the_text_and_code_point_offsets(fx_net):
    doc = fx_net.page["documents"]["kg:fx"]
    text = doc["text"]
    assert "𠀀" in text and "🚀" in text and "企业" in text
    for pid, p in fx_net.page["passages"].items():
        assert text[p["start"] : p["end"]] == p["quote"], pid
    # the third passage starts after a character outside the BMP: UTF-16 would be one further
    p = fx_net.page["passages"]["kg:fx-p02-1"]
    assert len(text[: p["start"]].encode("utf-16-le")) // 2 == p["start"] + 1


def test_passages_carry_their_provisions_and_modality(fx_net):
    passages = fx_net.page["passages"]
    assert passages["kg:fx-p01-1"]["modality"] == "pkg:obligation"
    assert passages["kg:fx-p02-1"]["provisions"] == ["kg:fx-p02-1-v1"]
    assert passages["kg:fx-p03-1"]["modality"] == "pkg:necessity"
    assert "modality" not in passages["kg:fx-p03-2"]
    legend = {m["key"]: m for m in fx_net.page["modalities"]}
    assert list(legend) == ["pkg:obligation", "pkg:necessity", "pkg:recommendation"]
    assert legend["pkg:recommendation"]["count"] == 2 and legend["pkg:obligation"]["zh"] == "义务"
    assert fx_net.page["labels"]["pkg:obligation"] == "obligation"


def test_provision_edges_are_drawn_by_modality(fx_net):
    by_pair = {(e["from"], e["to"]): e for e in fx_net.edges}
    must = by_pair[("kg:fx-p01-1-v1", "kg:enterprises")]
    should = by_pair[("kg:fx-p02-1-v1", "kg:research-institutes")]
    assert must["modality"] == "pkg:obligation" and must["dashes"] is False
    assert should["modality"] == "pkg:recommendation" and should["dashes"] == [9, 5]
    assert must["color"]["color"] != should["color"]["color"]
    plain = by_pair[("kg:fx-evil", "kg:growth")]
    assert "modality" not in plain


def test_the_article_opens_on_a_readable_overview(kg):
    net = build_network(kg)
    ov = net.page["overview"]
    assert len(ov["nodes"]) == OVERVIEW_SIZE == 20
    assert "kg:new-quality-productive-forces" in ov["nodes"]
    counted = len(ov["nodes"]) + sum(g["count"] for g in ov["groups"])
    assert counted == len(net.nodes)
    assert {g["id"] for g in ov["groups"]} >= {"group:concepts", "group:actors"}
    assert build_network(kg, focus="国有企业").page["overview"] is None  # small views: no overview


def test_the_page_is_still_deterministic(fx_kg):
    assert render_html(build_network(fx_kg)) == render_html(build_network(fx_kg))


# -- notebooks ------------------------------------------------------------------------------------


def test_to_pandas_gives_python_values():
    pytest.importorskip("pandas")
    res = QueryResult(kind="select", vars=["e", "n", "l"],
                      rows=[(URIRef("https://w3id.org/policykg/id/x"), Literal(3), Literal("a", lang="en")),
                            (None, Literal(4.5), None)])
    df = res.to_pandas()
    assert list(df.columns) == ["e", "n", "l"]
    assert df.iloc[0]["e"] == "https://w3id.org/policykg/id/x" and df.iloc[0]["n"] == 3
    import pandas as pd

    assert pd.isna(df.iloc[1]["e"]) and pd.isna(df.iloc[1]["l"])
    assert res.to_pandas(native=False).iloc[0]["l"] == Literal("a", lang="en")
    assert list(QueryResult(kind="ask", boolean=True).to_pandas()["boolean"]) == [True]


def test_to_pandas_without_pandas_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'policykg\[pandas\]'"):
        QueryResult(kind="select", vars=[], rows=[]).to_pandas()


def test_repr_html_escapes_every_value():
    res = QueryResult(kind="select", vars=["x<y"], rows=[(Literal(EVIL),),
                                                         (URIRef("https://w3id.org/policykg/id/a"),)])
    html = res._repr_html_()
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<th>x&lt;y</th>" in html and "kg:a" in html and "2 rows" in html


def test_show_is_an_escaped_srcdoc_frame(fx_kg):
    frame = show(fx_kg, shared=False)._repr_html_()  # the whole page in the frame
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    srcdoc = frame[len('<iframe srcdoc="') : frame.index('" sandbox=')]
    assert '"' not in srcdoc and "<" not in srcdoc  # nothing can end the attribute
    import html as htmlmod

    assert htmlmod.unescape(srcdoc) == render_html(build_network(fx_kg))
