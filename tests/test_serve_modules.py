"""``apps/server.py`` split by concern (under the 600-line limit): the workers' side is
``apps/worker.py``, the pool ``apps/lanes.py``; the names of ``server.__all__`` (and those the
tests import) still come from ``policykg.apps.server``, and ``QueryPool`` still runs queries."""

from __future__ import annotations

from pathlib import Path

from policykg.apps import server, worker
from policykg.core.paths import ontology_file

SRC = Path(server.__file__).resolve().parent


def test_server_modules_are_small_and_names_stay():
    for name in ("server.py", "worker.py", "compare_api.py", "lanes.py"):
        assert len((SRC / name).read_text(encoding="utf-8").splitlines()) <= 600, name
    for name in server.__all__:
        assert hasattr(server, name), name
    assert server.execute is worker.execute and server._open_source is worker._open_source
    assert server.RESULT_TYPES is worker.RESULT_TYPES


def test_query_pool_is_the_fast_lane_without_a_slow_one():
    pool = server.QueryPool({"files": [(str(ontology_file()), None)]}, size=1, waiting=1)
    assert pool.slow == 0 and pool.size == 1
    pool.start()
    try:
        answer = pool.run({"query": "ASK { ?s a owl:Class }", "results": "json", "graph": None,
                           "default_graphs": [], "named_graphs": [], "max_rows": 0}, 30.0)
        assert answer.status == 200 and b'"boolean": true' in answer.body.replace(b'":true', b'": true')
        slow = pool.run({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                         "results": "json", "graph": None, "default_graphs": [],
                         "named_graphs": [], "max_rows": 0}, 0.5)
        assert slow.status == 503 and b"timed out" in slow.body
    finally:
        pool.close()
