"""Notebook helpers (issue 23, point 6): policykg.show at the top level, HTML for describe results
and provision lists, one copy of the page's scripts per notebook, a warning for stale inferences."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from rdflib import URIRef

from policykg.graph.kg import StaleInferenceWarning, warn_if_stale
from policykg.outputs.viz.notebook import reset_assets, show
from policykg.rdf.graphio import GraphFile

SRC = str(Path(__file__).resolve().parent.parent / "src")


def test_show_at_the_top_level_and_import_stays_light():
    code = (
        "import sys, policykg\n"
        "assert 'rdflib' not in sys.modules and 'pyvis' not in sys.modules\n"
        "from policykg.outputs.viz.notebook import show\n"
        "assert policykg.show is show and policykg.outputs.viz.show is show\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_describe_and_provisions_show_as_escaped_html(kg):
    d = kg.describe("state-owned enterprises")
    html = d._repr_html_()
    assert "<h3>state-owned enterprises</h3>" in html and "kg:state-owned-enterprises" in html
    assert "SOEs" in html and "<blockquote>" in html
    assert d.provisions and type(d.provisions).__name__ == "ProvisionList"
    table = d.provisions._repr_html_()
    assert table.count("<tr>") == len(d.provisions) + 1
    assert "recommendation" in table
    assert d.provisions[0]._repr_html_().count("<tr>") == 2


def test_the_scripts_go_once_per_notebook(kg):
    reset_assets()
    first = show(kg, focus="state-owned enterprises")._repr_html_()
    second = show(kg, focus="新质生产力")._repr_html_()
    assert first.count('id="policykg-vis-js"') == 1 and "policykg-vis-js" not in second
    whole = show(kg, focus="新质生产力", shared=False)._repr_html_()
    assert "policykg-vis-js" not in whole
    # the same view with its scripts inside is bigger by (about) the scripts: 500 KB and more
    assert len(whole) - len(second) > 500_000


def test_a_stale_inferred_file_warns(tmp_path):
    graph, inferred = tmp_path / "a.trig", tmp_path / "inferred.ttl"
    inferred.write_text("", "utf-8")
    graph.write_text("", "utf-8")
    os.utime(inferred, (1_000_000, 1_000_000))
    files = [GraphFile(graph, None), GraphFile(inferred, URIRef("https://w3id.org/policykg/graph/inferred"))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_if_stale(files)
    assert [w.category for w in caught] == [StaleInferenceWarning]
    assert "run 'policykg reason'" in str(caught[0].message)
    os.utime(inferred, None)
    os.utime(graph, (1_000_000, 1_000_000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_if_stale(files)
    assert caught == []
