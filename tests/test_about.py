"""Issue 22, point 1: provisions are linked to the concepts and actors they are about.

Before, ``describe "new quality productive forces"`` showed none of the 7 provisions about it;
``pkg:means`` also held subjects and considerations, ``pkg:purpose`` repeated actions, and
predictions or conditions were typed as goals.
"""

from __future__ import annotations

from rdflib import URIRef

from policykg.core.namespaces import KG, PKG, RDF
from policykg.sparql.catalogue import get_query

NQPF_PROVISIONS = {
    f"ncpf-2025-{p}-v1" for p in ("p03-4", "p03-5", "p03-6", "p09-1", "p09-3", "p11-4", "p12-6")
}


def _local(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def test_provisions_about_new_quality_productive_forces(kg) -> None:
    q = get_query("provisions-about")
    rows = q.run(kg, entity="new quality productive forces").dicts()
    article = [r for r in rows if _local(r["document"]) == "ncpf-2025"]
    assert {_local(r["provision"]) for r in article} == NQPF_PROVISIONS
    assert all(int(str(r["year"])) == 2025 for r in article)
    # the same entity in the reviewed 2024 work report (新质生产力): one identity across documents
    assert any(_local(r["document"]) == "gwr-2024" for r in rows)
    assert [int(str(r["year"])) for r in rows] == sorted(int(str(r["year"])) for r in rows)
    assert all(str(r["quote"]) for r in rows)


def test_provisions_about_an_actor_include_those_addressed_to_it(kg) -> None:
    q = get_query("provisions-about")
    rows = q.run(kg, entity="kg:state-owned-enterprises").dicts()
    assert {_local(r["provision"]) for r in rows} == {"ncpf-2025-p12-4-v1", "ncpf-2025-p12-5-v1"}


def test_describe_lists_the_provisions_about_a_concept(kg) -> None:
    from policykg.graph.entities import describe

    d = describe(kg, "new quality productive forces")
    about = {_local(p.provision) for p in d.provisions if "about" in p.roles}
    assert {p for p in about if p.startswith("ncpf-2025")} == NQPF_PROVISIONS
    assert any(p.startswith("gwr-2024") for p in about)


def test_every_provision_of_the_article_is_about_something(kg) -> None:
    ds = kg.dataset
    provisions = {s for s in ds.subjects(RDF.type, PKG.Provision) if "ncpf-2025" in str(s)}
    assert len(provisions) == 29
    missing = [p for p in provisions if (p, PKG.about, None) not in ds]
    assert missing == []


def test_roles_mean_what_they_say(kg) -> None:
    ds = kg.dataset

    def values(passage: str, prop: URIRef) -> set[str]:
        v = URIRef(f"{KG}ncpf-2025-{passage}-v1")
        return {_local(o) for o in ds.objects(v, prop)}

    # considerations (p09-4) and subjects (p05-3, p11-7) are not means
    assert values("p09-4", PKG.means) == set()
    assert values("p05-3", PKG.means) == set()
    assert values("p11-7", PKG.means) == set()
    assert "information-flows" in values("p11-7", PKG.about)
    # a purpose that only repeated the action is gone (p03-6, p12-7)
    assert values("p03-6", PKG.purpose) == set()
    assert values("p12-7", PKG.purpose) == set()
    # predictions and conditions are not goals
    for entity in (
        "momentum-for-economic-growth",
        "renewed-growth-of-traditional-industries",
        "well-advanced-innovation-driven-development",
        "propelling-productivity-higher",
    ):
        assert (URIRef(KG + entity), RDF.type, PKG.Goal) not in ds, entity


def test_the_articles_one_prohibition_is_negative_with_the_forbidden_action(kg) -> None:
    """Issue 21: "Overreliance ... must be avoided" forbids the overreliance (obligation, negative);
    it was "avoid overreliance ..." as an affirmative obligation."""
    ds = kg.dataset
    v = URIRef(f"{KG}ncpf-2025-p10-5-v1")
    assert (v, PKG.polarity, PKG.negative) in ds
    assert (v, PKG.modality, PKG.obligation) in ds
    assert {_local(o) for o in ds.objects(v, PKG.action)} == {"overreliance-on-other-countries"}
    negatives = {s for s in ds.subjects(PKG.polarity, PKG.negative) if "/ncpf-2025-" in str(s)}
    assert negatives == {v}
