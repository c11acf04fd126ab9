"""The order the suite is handed out in: the long units first, so none of them starts last.

``pytest -n N`` runs with ``--dist loadgroup --no-loadscope-reorder`` (pyproject.toml's addopts):
the controller hands out one unit at a time, in collection order, to whichever worker is free.
A unit is a test, or a whole module of :data:`GROUPED`: those build something per module (a
server, Chromium, an imported corpus, the article's network, a HermiT run, a lexicon), which a
module split over two workers builds twice. :func:`order` sorts the collection longest unit
first (list scheduling: the short ones at the end fill whichever worker is idle).

The controller groups by the test's id (:func:`make_scheduler`, handed to xdist by
conftest.py's ``pytest_xdist_make_scheduler``). xdist's own grouping reads the ``xdist_group``
mark into the test's id in the worker, and with pytest 9 that write is lost (xdist 3.8 sets
``item._nodeid``; pytest 9 keeps the id elsewhere): every module went to both workers. The marks
stay, saying the same.

The seconds are the wall seconds of one profile of the whole suite (``POLICYKG_CPU_PROFILE``,
two workers, 2026-12-07, a loaded machine: only their ratios count); a test neither listed nor
in a grouped module counts :data:`DEFAULT`. They only order the suite: a stale one costs time,
never a result. (Re-estimated by the CPU ratio after pySHACL parsed each query once and
test_backends_endpoint's named queries ran in-process: the validation.md, pySHACL-split and
test_backends_endpoint entries.)
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

#: Seconds of a test that :data:`SECONDS` does not list (the mean of the short ones).
DEFAULT = 0.06

#: The modules that go whole to one worker, with their seconds (all their tests).
GROUPED = {
    "tests/test_browser_viz.py": 63,
    "tests/test_browser_viz_readable.py": 57,
    "tests/test_corpus.py": 43,
    "tests/test_api.py": 34,
    "tests/test_browser_workbench.py": 33,
    "tests/test_reason.py": 33,
    "tests/test_backends_virtuoso.py": 24,
    "tests/test_browser_workbench_results.py": 20,
    "tests/test_validate_incremental.py": 18,
    "tests/test_serve_security.py": 17,
    "tests/test_annotate_hostile.py": 15,
    "tests/test_hardening_serve.py": 14,
    "tests/test_backends_endpoint.py": 4,
    "tests/test_viz.py": 13,
    "tests/test_serve.py": 11,
    "tests/test_ontology.py": 8,
    "tests/test_validate.py": 7,
    "tests/test_workbench.py": 7,
    "tests/test_backends.py": 6,
    "tests/test_docs.py": 5,
    "tests/test_annotations.py": 4,
    "tests/test_serve_protocol.py": 3,
    "tests/test_hardening_labels.py": 2,
    "tests/test_annotate_evidence.py": 1,
    "tests/test_article.py": 1,
    "tests/test_compare.py": 1,
    "tests/test_compare_view.py": 1,
    "tests/test_queries.py": 1,
    "tests/test_review_page.py": 1,
    "tests/test_annotate.py": 0,
    "tests/test_annotate_clauses.py": 0,
    "tests/test_annotate_compounds.py": 0,
    "tests/test_annotate_conventions.py": 0,
    "tests/test_annotate_pinned.py": 0,
    "tests/test_authoring.py": 0,
    "tests/test_compare_corpus.py": 0,
    "tests/test_furniture.py": 0,
    "tests/test_workbench_scope.py": 0,
}

#: The tests of the other modules that take a second or more (a name matches by prefix).
SECONDS = {
    # skipped in the profile (no .venv in that checkout), run on CI: 23 s in an idle profile,
    # scaled as the profile's other tests (x 1.2) so that it does not start last
    "tests/test_readme.py::test_main_job_runs_and_leaves_the_committed_files_as_they_are": 28,
    "tests/test_docs_examples.py::test_every_example_runs[docs/extending.md]": 26,
    "tests/test_docs_examples.py::test_every_example_runs[docs/viz.md]": 17,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_workbench]": 15,
    "tests/test_corpus_store.py::test_kills_at_random_points_of_corpus_import_store_leave_folder_and_store_agreeing[20]": 15,
    "tests/test_docs_examples.py::test_every_example_runs[docs/corpus.md]": 14,
    "tests/test_docs_examples.py::test_every_example_runs[docs/validation.md]": 6,
    "tests/test_quality.py::test_static_checks[mypy]": 13,
    "tests/test_hardening_kills.py::test_kills_at_random_points_of_add_store_leave_project_and_store_agreeing[25]": 12,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_load]": 11,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_corpus]": 10,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_a_generated_corpus": 3,
    "tests/test_docs_examples.py::test_every_example_runs[README.md]": 8,
    "tests/test_browser_compare_view.py::test_two_reports_side_by_side": 7,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_the_article": 3,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_annotate]": 6,
    "tests/test_browser_review.py::test_the_review_page_writes_a_draft_that_add_accepts": 6,
    "tests/test_annotate_cli.py::test_a_chinese_term_is_drafted_in_chinese_and_add_asks_for_its_english_label": 5,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_queries]": 5,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_shacl_engines]": 5,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_viz]": 5,
    "tests/test_cli.py::test_export_to_stdout[ttl]": 5,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_compare]": 4,
    "tests/test_cli.py::test_export_to_stdout[jsonld]": 4,
    "tests/test_cli.py::test_export_to_stdout[trig]": 4,
    "tests/test_corpus_review.py::test_review_promotes_the_accepted_and_removes_the_draft": 4,
    "tests/test_docs_examples.py::test_readme_commands_as_fresh_processes": 4,
    "tests/test_annotate_workflow.py::test_a_new_text_goes_from_annotate_to_a_clean_graph[zh-brief.txt]": 3,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_backends]": 3,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_kills]": 3,
    "tests/test_browser_compare_view.py::test_timeline_chart_of_a_concept_and_a_measure": 3,
    "tests/test_browser_review.py::test_the_review_page_writes_a_rejected_passage_as_rejected": 3,
    "tests/test_cli.py::test_export_to_stdout[csv]": 3,
    "tests/test_cli.py::test_export_to_stdout[nt]": 3,
    "tests/test_docs_examples.py::test_every_example_runs[docs/queries.md]": 3,
    "tests/test_browser_compare_view.py::test_bad_input_shows_one_line_and_runs_nothing": 2.9,
    "tests/test_cli.py::test_export_to_stdout[graphml]": 2.9,
    "tests/test_annotate_workflow.py::test_a_new_text_goes_from_annotate_to_a_clean_graph[en-evidence.txt]": 2.6,
    "tests/test_hardening_inputs.py::test_push_timeout_bounds_an_upload_the_server_reads_slowly": 2.3,
    "tests/test_cli.py::test_export_to_stdout[gexf]": 2.1,
    "tests/test_browser_review.py::test_review_page_loads_nothing_runs_nothing_and_shows_the_text": 2,
    "tests/test_corpus_store.py::test_recover_rebuilds_a_store_a_killed_import_left_behind": 2,
    "tests/test_hardening_kills.py::test_recover_completes_an_add_killed_between_files_and_store": 1.9,
    "tests/test_hardening.py::test_out_naming_a_folder_is_one_line[reason]": 1.8,
    "tests/test_cli.py::test_export_to_a_file_picks_the_format_from_the_extension": 1.7,
    "tests/test_extend.py::test_extension_helpers_refuse_an_inconsistent_extension": 1.7,
    "tests/test_endpoint_client.py::test_one_deadline_for_the_whole_answer": 1.5,
    "tests/test_extend.py::test_valid_extension_is_added_and_shows_up_in_queries_and_the_graph_view": 1.5,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[literal-value]": 1.5,
    "tests/test_viz_notebook.py::test_the_scripts_go_once_per_notebook": 1.5,
    "tests/test_validate_engines.py::test_the_owl_queries_give_hermits_verdict_on_every_fixture[broken-fact-outside-passage.ttl]": 1.4,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[broken-fact-outside-passage.ttl]": 1.4,
    "tests/test_extend.py::test_add_csv_converts_to_the_yaml_format": 1.3,
    "tests/test_extend.py::test_broken_extension_is_refused_and_nothing_changes[broken-inconsistent.ttl]": 1.3,
    "tests/test_extend.py::test_extension_helpers_write_a_checked_trig_file": 1.3,
    "tests/test_cli.py::test_user_errors_are_one_line[args8-unknown entity 'kg:no-such-thing']": 1.2,
    "tests/test_docs_examples.py::test_every_example_runs[docs/scale.md]": 1.2,
    "tests/test_hardening_io.py::test_export_out_refuses_a_device_and_dash_means_stdout": 1.2,
    "tests/test_annotate_cli.py::test_add_refuses_a_draft_with_proposed_items": 1.1,
    "tests/test_validate_engines.py::test_the_owl_queries_give_hermits_verdict_on_every_fixture[valid-green-hydrogen.trig]": 1.1,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[None]": 1.1,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[blank-value]": 1.1,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[broken-inconsistent.ttl]": 1.1,
    "tests/test_corpus_store.py::test_import_into_a_store_replaces_whole_and_fails_whole": 1,
    "tests/test_endpoint_client.py::test_slow_headers_hit_the_deadline_too": 1,
    "tests/test_validate_engines.py::test_only_a_draft_may_lack_an_english_label_in_both_engines": 1,
    "tests/test_validate_engines.py::test_the_owl_queries_give_hermits_verdict_on_every_fixture[broken-no-evidence.ttl]": 1,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[broken-quote.trig]": 1,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes[graph-wide]": 1,
}
_BY_LENGTH = sorted(SECONDS, key=len, reverse=True)  # the longest matching prefix wins


def group(nodeid: str) -> str:
    """The unit a test is handed out in: its module for a :data:`GROUPED` one, else itself
    (an id xdist has suffixed with ``@GROUP`` counts as its module's)."""
    if "@" in nodeid and nodeid.rfind("@") > nodeid.rfind("]"):
        nodeid = nodeid[: nodeid.rfind("@")]
    module = nodeid.split("::", 1)[0]
    return module if module in GROUPED else nodeid


def make_scheduler(config: Any, log: Any) -> Any:
    """xdist's ``loadgroup`` scheduler with :func:`group` as its grouping."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group(nodeid)

    return GroupScheduling(config, log)


def seconds(nodeid: str) -> float:
    """What a test is expected to take."""
    return next((SECONDS[p] for p in _BY_LENGTH if nodeid.startswith(p)), DEFAULT)


def order(items: list[Any]) -> None:
    """Sort ``items`` in place, longest unit first (a grouped module's tests together, in their
    order); mark the tests of :data:`GROUPED` modules with ``xdist_group``."""
    import pytest

    units: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        unit = group(item.nodeid)
        units[unit].append(item)
        if unit in GROUPED:
            item.add_marker(pytest.mark.xdist_group(unit))
    weight = {u: GROUPED[u] if u in GROUPED else seconds(u) for u in units}
    items[:] = [i for u in sorted(units, key=lambda u: -weight[u]) for i in units[u]]
