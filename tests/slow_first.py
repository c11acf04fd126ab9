"""The order the suite is handed out in: the long tests first, so none of them starts last.

``pytest -n N`` runs with ``--dist loadgroup --no-loadscope-reorder`` (pyproject.toml's addopts):
the controller hands out one test (or one group) at a time, in collection order, to whichever
worker is free. :func:`order` sorts that collection: modules by what they cost, longest first,
each module's tests together (a module fixture is built once per worker that runs them) and
its long tests first. The modules in :data:`GROUPED` build something expensive per module (a
server, Chromium, an imported corpus, the article's network): each runs whole on one worker,
so that is built once in the suite instead of once per worker.

:data:`SECONDS` holds the wall seconds of the long tests (a profile on an idle 2-core machine,
``--durations``; a name matches by prefix); any other test counts :data:`DEFAULT` seconds. The
numbers only order the suite: a stale one costs time, never a result.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

DEFAULT = 0.3

GROUPED = frozenset({
    "tests/test_viz.py",
    "tests/test_serve.py",
    "tests/test_serve_protocol.py",
    "tests/test_serve_security.py",
    "tests/test_corpus.py",
    "tests/test_validate.py",
    "tests/test_browser_viz.py",
    "tests/test_browser_viz_readable.py",
    "tests/test_browser_workbench.py",
    "tests/test_browser_workbench_results.py",
    "tests/test_backends_endpoint.py",
    "tests/test_backends_virtuoso.py",
})

SECONDS = {
    "tests/test_docs_examples.py::test_every_example_runs[docs/extending.md]": 88,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_a_generated_corpus": 30,
    "tests/test_docs_examples.py::test_every_example_runs[docs/viz.md]": 54,
    "tests/test_docs_examples.py::test_every_example_runs[docs/validation.md]": 33,
    "tests/test_docs_examples.py::test_every_example_runs[README.md]": 26,
    "tests/test_readme.py::test_main_job_runs_and_leaves_the_committed_files_as_they_are": 23,
    "tests/test_docs_examples.py::test_every_example_runs[docs/corpus.md]": 23,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_the_article": 23,
    "tests/test_docs_examples.py::test_readme_commands_as_fresh_processes": 20,
    "tests/test_browser_viz_readable.py::test_no_overlaps_at_first_view": 20,
    "tests/test_reason.py::test_is_consistent_gives_owlready2s_verdict": 14,
    "tests/test_corpus_store.py::test_kills_at_random_points": 19,
    "tests/test_validate_engines.py::test_the_owl_queries_give_hermits_verdict_on_every_fixture": 11,
    "tests/test_serve_security.py::test_allow_service_opts_in": 17,
    "tests/test_serve_security.py::test_slow_queries_cannot_block_the_page_or_cheap_answers": 16,
    "tests/test_api.py::test_paths_and_neighbourhoods_read_edges_on_demand_with_the_same_answers": 16,
    "tests/test_serve.py::test_serve_a_store_with_cors": 15,
    "tests/test_hardening_kills.py::test_kills_at_random_points": 15,
    "tests/test_viz.py::test_article_network_has_the_key_nodes": 14,
    "tests/test_viz.py::test_cli_check_of_the_committed_page": 14,
    "tests/test_review_gwr_2023_2024.py::test_the_reviewed_reports_validate_clean": 13,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_workbench]": 13,
    "tests/test_review_gwr.py::test_a_target_not_stated_as_an_intention_is_a_violation": 13,
    "tests/test_serve_security.py::test_the_served_graph_page_works_under_its_csp": 13,
    "tests/test_serve.py::test_serve_errors": 12,
    "tests/test_hardening.py::test_out_naming_a_folder_is_one_line[reason]": 12,
    "tests/test_stored_text.py::test_a_mismatch_message_shows_no_more_of_the_file_than_the_quote": 12,
    "tests/test_viz.py::test_edges_agree_with_the_entity_network": 12,
    "tests/test_docs_examples.py::test_every_example_runs[docs/queries.md]": 11,
    "tests/test_stored_text.py::test_validate_never_reads_or_prints_a_file_outside_the_texts_folder": 10,
    "tests/test_review_page.py::test_the_page_is_drawn_in_linear_time": 11,
    "tests/test_validate.py::test_cli_exit_statuses": 11,
    "tests/test_hardening_serve.py::test_a_replaced_store_is_noticed": 11,
    "tests/test_review_gwr.py::test_the_reviewed_sources_validate_clean": 10,
    "tests/test_browser_viz.py::test_screenshot_of_the_whole_graph": 10,
    "tests/test_serve_protocol.py::test_sparqlwrapper_construct_in_every_format[xml]": 9,
    "tests/test_validate.py::test_cli_json_report_and_no_progress_when_stderr_is_not_a_terminal": 9,
    "tests/test_corpus_review.py::test_review_promotes_the_accepted_and_removes_the_draft": 9,
    "tests/test_reason.py::test_without_java_reason_falls_back_to_owlrl_and_says_so": 9,
    "tests/test_corpus.py::test_every_document_and_the_missing_report": 9,
    "tests/test_validate_incremental.py::test_add_store_adds_the_new_document_to_the_store": 9,
    "tests/test_serve_security.py::test_service_query_is_refused_and_reaches_no_one": 9,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_load]": 8,
    "tests/test_validate.py::test_real_graph_has_zero_shacl_violations_and_verbatim_quotes": 8,
    "tests/test_browser_viz_readable.py::test_a_notebook_holds_the_scripts_once": 8,
    "tests/test_validate.py::test_cli_says_java_is_missing_not_inconsistent": 8,
    "tests/test_workbench.py::test_the_article_opens_on_a_readable_overview": 8,
    "tests/test_browser_workbench.py::test_the_notebook_frame_shows_the_page": 8,
    "tests/test_serve.py::test_binds_loopback_only": 8,
    "tests/test_validate.py::test_inconsistent_extension_names_the_individual": 7,
    "tests/test_serve.py::test_named_queries_through_the_server": 7,
    "tests/test_validate.py::test_real_graph_is_consistent_for_hermit": 7,
    "tests/test_reason.py::test_hermit_writes_only_new_entailed_triples": 7,
    "tests/test_validate_engines.py::test_the_split_reports_what_pyshacl_reports_on_all_shapes": 5,
    "tests/test_validate_incremental.py::test_validate_store_command": 7,
    "tests/test_browser_workbench.py::test_the_served_page_opens_on_a_readable_overview": 7,
    "tests/test_validate_incremental.py::test_add_store_checks_a_new_source_against_the_store": 7,
    "tests/test_serve_security.py::test_cli_query_refuses_service": 7,
    "tests/test_hardening.py::test_validate_ignores_owl_imports": 6,
    "tests/test_extend.py::test_valid_extension_is_added_and_shows_up_in_queries_and_the_graph": 6,
    "tests/test_browser_workbench.py::test_a_named_query_runs_from_its_form_and_shows_on_the_graph": 6,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode[bench_corpus]": 6,
    "tests/test_corpus.py::test_records_and_drafts_validate_clean": 6,
    "tests/test_hardening.py::test_a_full_disk_is_one_line_and_writes_nothing": 6,
    "tests/test_quality.py::test_static_checks": 6,
    "tests/test_benchmarks_smoke.py::test_benchmark_smoke_mode": 4,
    "tests/test_browser_workbench_results.py::": 5,
    "tests/test_browser_compare_view.py::": 2,
    "tests/test_api.py::test_describe_reads_only_what_it_shows_and_says_the_same": 4,
    "tests/test_api.py::test_rdf_exports_hold_every_quad": 4,
}
_BY_LENGTH = sorted(SECONDS, key=len, reverse=True)  # the longest matching prefix wins


def seconds(nodeid: str) -> float:
    """What a test is expected to take."""
    return next((SECONDS[p] for p in _BY_LENGTH if nodeid.startswith(p)), DEFAULT)


def order(items: list[Any]) -> None:
    """Sort ``items`` in place: costly modules first, each module's tests together, costly
    tests first; mark the tests of :data:`GROUPED` modules with ``xdist_group``."""
    import pytest

    cost = {item.nodeid: seconds(item.nodeid) for item in items}
    modules: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        modules[module].append(item)
        if module in GROUPED:
            item.add_marker(pytest.mark.xdist_group(module))
    total = {m: sum(cost[i.nodeid] for i in its) for m, its in modules.items()}
    # a grouped module goes as one unit; the others as their longest test
    weight = {m: total[m] if m in GROUPED else max(cost[i.nodeid] for i in its)
              for m, its in modules.items()}
    ordered = []
    for module in sorted(modules, key=lambda m: -weight[m]):
        its = modules[module]
        ordered += its if module in GROUPED else sorted(its, key=lambda i: -cost[i.nodeid])
    items[:] = ordered
