"""``policykg stats``: counts by class, the same from the files and from a persistent store."""

from __future__ import annotations


def test_stats_counts_by_class(run_main):
    done = run_main(["stats"])
    assert done.returncode == 0, done.stderr
    counts = dict(line.split() for line in done.stdout.splitlines())
    assert counts["StateOwnedEnterprise"] == "1"
    assert counts["GrowthRate"] == "4"
    import yaml

    from policykg.core.paths import sources_dir

    passages = sum(  # the article's 67 and those of the reviewed work reports
        len(yaml.safe_load(f.read_text(encoding="utf-8"))["passages"])
        for f in sources_dir().glob("*.yaml")
    )
    assert counts["passages"] == str(passages)


def test_stats_reads_a_store_like_the_files(run_main, tmp_path):
    store = tmp_path / "kg.oxigraph"
    loaded = run_main(["load", "--store", str(store)])
    assert loaded.returncode == 0, loaded.stderr
    from_store = run_main(["stats", "--store", str(store)])
    assert from_store.returncode == 0, from_store.stderr
    assert from_store.stdout == run_main(["stats"]).stdout
