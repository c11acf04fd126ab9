"""The query commands of the ``policykg`` command line, and every error path.

Most tests call :func:`policykg.apps.cli.main` in-process (fast); the error paths and a few others run
a real process to check exit status, standard error and that no traceback escapes.
"""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from policykg.sparql.catalogue import query_names


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``policykg ARGS`` in-process: (exit status, stdout, stderr)."""
    from policykg.apps.cli import main

    def run(*args: str, tty: bool = False, stdin: str | None = None):
        monkeypatch.setattr(sys.stdout, "isatty", lambda: tty, raising=False)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("policykg: error: ") or lines[0].startswith("policykg: "), err
    assert "Traceback" not in err
    return lines[0]


# -- listing and running queries ------------------------------------------------------------------


def test_queries_lists_name_then_title(cli):
    code, out, _ = cli("queries")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == query_names()
    assert lines[query_names().index("cq-2-soe-functions")].endswith(
        "Key functions state-owned enterprises should focus on"
    )


def test_queries_shows_one_query(cli):
    code, out, _ = cli("queries", "cq-7-fact-evidence")
    assert code == 0
    assert out.startswith("cq-7-fact-evidence: The passage that states a fact")
    assert "--param subject=" in out and "GRAPH ?passage" in out


def test_query_by_name_csv_when_not_a_terminal(cli):
    code, out, err = cli("query", "cq-2-soe-functions")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["functionLabel"] for r in rows} == {
        "safeguarding national security",
        "guiding industrial development",
        "supporting the broader economy and people's well-being",
        "delivering public services",
    }


def test_query_table_by_default_on_a_terminal(cli):
    code, out, _ = cli("query", "cq-5-new-production-factors", tty=True)
    assert code == 0
    assert out.splitlines()[0].split() == ["factor", "factorLabel", "passage"]
    assert "kg:new-materials" in out and out.rstrip().endswith("(3 rows)")


def test_query_sparql_text_with_labels_beside_iris(cli):
    code, out, _ = cli(
        "query", "SELECT ?f WHERE { kg:state-owned-enterprises pkg:shouldFocusOn ?f }",
        "--format", "table", "--max-width", "0",
    )
    assert code == 0
    assert "kg:safeguarding-national-security (safeguarding national security)" in out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "md", "table"])
def test_query_formats(cli, fmt):
    code, out, _ = cli("query", "cq-6-integration-models", "--format", fmt)
    assert code == 0
    if fmt == "json":
        doc = json.loads(out)
        models = {b["model"]["value"].rsplit("/", 1)[1] for b in doc["results"]["bindings"]}
        assert models == {"internet-plus", "ai-plus", "digital-plus"}
    elif fmt == "tsv":
        assert out.startswith("?model\t?modelLabel\t")
    elif fmt == "md":
        assert out.startswith("| model | modelLabel |")
    else:
        assert "ai-plus" in out


def test_query_params_by_label(cli):
    code, out, _ = cli(
        "query", "cq-7-fact-evidence", "--param", "subject=国有企业",
        "-p", "predicate=should focus on", "-p", "object=delivering public services",
        "-f", "json",
    )
    assert code == 0
    bindings = json.loads(out)["results"]["bindings"]
    assert len(bindings) == 1
    assert "delivering public services" in bindings[0]["quote"]["value"]


def test_query_file_and_stdin(cli, tmp_path):
    q = tmp_path / "chips.rq"
    q.write_text(
        "# title: what chips are\n# param: e (entity) — an entity\n"
        "SELECT ?class WHERE { ?e a ?class }\n",
        encoding="utf-8",
    )
    code, out, _ = cli("query", "--file", str(q), "-p", "e=high-end chips")
    assert code == 0 and "BottleneckArea" in out
    code, out, _ = cli("query", str(q), "-p", "e=kg:high-end-chips")
    assert code == 0 and "BottleneckArea" in out
    code, out, _ = cli("query", "-", stdin="ASK { kg:high-end-chips a pkg:BottleneckArea }")
    assert code == 0 and out == "boolean\r\ntrue\r\n"


def test_raw_query_params_are_terms(cli):
    code, out, _ = cli(
        "query", "SELECT ?o WHERE { ?s pkg:shouldFocusOn ?o }", "-p", "s=kg:state-owned-enterprises",
    )
    assert code == 0 and len(out.splitlines()) == 5


# -- describe, find, path, central, export -------------------------------------------------------------


def test_describe(cli):
    code, out, _ = cli("describe", "国有企业")
    assert code == 0
    assert out.startswith("state-owned enterprises (kg:state-owned-enterprises)")
    assert "—should focus on→ delivering public services" in out
    assert "“They should focus on key functions" in out
    code, out, _ = cli("describe", "kg:state-owned-enterprises", "--no-quotes")
    assert "“" not in out
    code, out, _ = cli("describe", "state-owned enterprises", "--format", "json")
    assert json.loads(out)["entity"].endswith("/state-owned-enterprises")


def test_find(cli):
    code, out, _ = cli("find", "CHIPS", "-f", "csv")
    assert code == 0 and "high-end-chips" in out
    code, out, _ = cli("find", "新质", "--lang", "zh", "-f", "csv")
    assert code == 0 and "新质生产力" in out
    code, out, err = cli("find", "no such label anywhere")
    assert code == 1 and out == ""
    assert one_line_error(err) == "policykg: no label contains 'no such label anywhere'"


def test_path(cli):
    code, out, _ = cli("path", "data resources", "new production factors", "--quotes")
    assert code == 0
    assert out.splitlines()[0] == "data resources —example of→ new production factors"
    assert "1. data resources —example of→ new production factors" in out
    assert "“China is stepping up efforts" in out


def test_central(cli):
    code, out, _ = cli("central", "-n", "5", "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # the indicators every reviewed work report measures (GDP growth, ...) are as connected
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert "https://w3id.org/policykg/id/new-quality-productive-forces" in {r["entity"] for r in rows}


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "jsonld", "graphml", "gexf", "csv"])
def test_export_to_stdout(cli, fmt, kg):
    code, out, _ = cli("export", "--format", fmt)
    assert code == 0
    assert out.encode("utf-8") == kg.export(fmt)


def test_export_to_a_file_picks_the_format_from_the_extension(cli, tmp_path):
    out_file = tmp_path / "sub" / "graph.nt"
    code, out, err = cli("export", "--out", str(out_file))
    assert code == 0 and out == ""
    assert "wrote" in err
    assert out_file.read_text(encoding="utf-8").startswith("<")
    assert [p.name for p in out_file.parent.iterdir()] == ["graph.nt"]


# -- error paths, in-process -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query",), "give a query NAME, SPARQL text or --file"),
        (("query", "  "), "empty query"),
        (("query", "SELECT ?s WHERE { ?s foo:bar ?o }"), "unknown prefix 'foo:'"),
        (("query", "cq-2-soe-functions", "--file", "x.rq"), "not both"),
        (("query", "cq-7-fact-evidence", "-p", "subject"), "--param expects NAME=VALUE"),
        (("query", "cq-7-fact-evidence", "-p", "subjekt=x"), "did you mean 'subject'"),
        (("query", "--file", "/nonexistent/q.rq"), "no such file"),
        (("query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=1"), "cannot bind ?x"),
        (("describe", "kg:no-such-thing"), "unknown entity 'kg:no-such-thing'"),
        (("path", "high-end chips", "nowhere at all"), "unknown entity 'nowhere at all'"),
        (("central", "-n", "0"), "n must be at least 1"),
    ],
)
def test_user_errors_are_one_line(cli, args, message):
    code, _, err = cli(*args)
    assert code == 2
    assert message in one_line_error(err)


def test_bad_choice_is_a_usage_error(cli):
    with pytest.raises(SystemExit) as exit_:
        cli("query", "cq-2-soe-functions", "--format", "xml")
    assert exit_.value.code == 2


# -- real processes ---------------------------------------------------------------------------------


def test_help_lists_the_query_commands(run_cli):
    done = run_cli(["--help"])
    assert done.returncode == 0
    for name in ("query", "queries", "describe", "find", "path", "central", "export"):
        assert name in done.stdout


def test_process_query_by_name(run_cli):
    done = run_cli(["query", "cq-3-bottleneck-areas"])
    assert done.returncode == 0, done.stderr
    assert "high-end-chips" in done.stdout and done.stderr == ""


@pytest.mark.parametrize(
    ("args", "stdin", "expect"),
    [
        (["query", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }"], None,
         "policykg: error: SPARQL syntax error at line 3, column"),
        (["query", "-"], "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
         "policykg: error: SPARQL update (INSERT) refused"),
        (["query", "DROP ALL"], None, "policykg: error: SPARQL update (DROP) refused"),
        (["query", "cq-2-soe-function"], None,
         "policykg: error: unknown query 'cq-2-soe-function'; did you mean cq-2-soe-functions"),
        (["describe", "high end chip"], None,
         "policykg: error: unknown entity 'high end chip'; did you mean: high-end chips"),
        (["query", "evidence", "-p", "entity=high end chip"], None,
         "policykg: error: unknown entity 'high end chip'; did you mean: high-end chips"),
    ],
)
def test_process_errors_exit_2_with_one_line(run_cli, args, stdin, expect):
    done = run_cli(args, input=stdin)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert one_line_error(done.stderr).startswith(expect)


def test_process_unknown_query_lists_the_names(run_cli):
    done = run_cli(["query", "no-such-query"])
    assert done.returncode == 2
    line = one_line_error(done.stderr)
    for name in query_names():
        assert name in line


def test_process_no_path_exits_1(run_cli):
    done = run_cli(["path", "high-end chips", "pkg:Goal"])
    assert done.returncode == 1
    assert one_line_error(done.stderr).startswith("policykg: no chain of facts links")


def test_central_offers_the_measures_the_library_knows():
    """The CLI and the library read one list (core.choices, light enough for --help)."""
    from policykg.apps.commands.central import MEASURES as cli_measures
    from policykg.graph.network import MEASURES

    assert cli_measures == MEASURES
