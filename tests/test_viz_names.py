"""Names (issue 23, point 4): short forms, width/space/hyphen-insensitive names, close suggestions
only, and a parameter value outside a closed set listing the allowed ones."""

from __future__ import annotations

import pytest

from policykg.core.errors import UnknownEntityError
from policykg.graph.entities import find, resolve
from policykg.graph.names import close_names, name_key

SOE = "https://w3id.org/policykg/id/state-owned-enterprises"
NQPF = "https://w3id.org/policykg/id/new-quality-productive-forces"


def test_name_key_ignores_width_case_spaces_and_hyphens():
    assert name_key("ＳＯＥｓ") == name_key("soes") == "soes"
    assert name_key("state owned  enterprises") == name_key("State-Owned Enterprises")
    assert name_key("新质 生产力") == name_key("新质生产力")
    assert name_key("state‐owned") == name_key("stateowned")  # U+2010 hyphen


@pytest.mark.parametrize(
    ("text", "entity"),
    [("SOEs", SOE), ("SOE", SOE), ("ＳＯＥｓ", SOE), ("国企", SOE), ("NQPF", NQPF),
     ("state owned enterprises", SOE), ("stateowned enterprises", SOE), ("新质 生产力", NQPF)],
)
def test_find_and_resolve_short_forms_and_variants(kg, text, entity):
    assert str(resolve(kg, text)) == entity
    assert entity in {str(row[0]) for row in find(kg, text).rows}


def test_suggestions_are_close_ones_only(kg):
    with pytest.raises(UnknownEntityError) as err:
        resolve(kg, "blockchain")
    assert "did you mean" not in str(err.value)  # nothing near: no unrelated guess
    assert "located in" not in str(err.value)
    with pytest.raises(UnknownEntityError, match=r"did you mean: state-owned enterprises"):
        resolve(kg, "state-owned enterprize")
    assert close_names("blockchain", ["located in", "block chain"]) == ["block chain"]
    assert close_names("semiconducter", ["semiconductors", "actors"]) == ["semiconductors"]


def test_an_invalid_value_lists_the_allowed_ones(kg, run_cli):
    with pytest.raises(UnknownEntityError) as err:
        kg.named("provisions", modality="must")
    message = str(err.value)
    for allowed in ("obligation (pkg:obligation)", "recommendation (pkg:recommendation)"):
        assert allowed in message
    assert "modality=must" in message
    result = run_cli(["query", "provisions", "--param", "modality=must"])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "allowed:" in result.stderr
    assert "Traceback" not in result.stderr


def test_acronyms_find_their_entity_by_initials_without_being_labels(kg) -> None:
    """Issue 23: "SOE", "SOEs" and "NQPF" find their entity; NQPF is no label (no source uses it)."""
    from rdflib import Literal
    from rdflib.namespace import SKOS

    from policykg.graph.entities import find, resolve
    from policykg.graph.names import acronym_key, initials

    assert initials("new quality productive forces") == "nqpf"
    assert initials("state-owned enterprises") == "soe"
    assert acronym_key("SOEs") == "soe" and acronym_key("soe") == "" and acronym_key("N") == ""
    nqpf = resolve(kg, "NQPF")
    assert str(nqpf).endswith("/new-quality-productive-forces")
    assert str(resolve(kg, "SOE")).endswith("/state-owned-enterprises")
    assert (nqpf, SKOS.altLabel, Literal("NQPF", lang="en")) not in kg.dataset
    rows = find(kg, "NQPF").dicts()
    assert rows and str(rows[0]["entity"]).endswith("/new-quality-productive-forces")


def test_one_initials_serves_search_and_acronym_definitions() -> None:
    """The search aid and the annotator's acronym check share :func:`initials`."""
    import re

    from policykg.authoring.stems import FUZZY_STOP
    from policykg.graph.names import initials

    assert initials("productivity") == "" and initials("(GDP) growth") == ""
    assert initials("the World Intellectual Property Organization", skip=FUZZY_STOP) == "wipo"
    assert initials("Bank of The West", skip=FUZZY_STOP) == "btw"  # capitalised: not skipped
    hyphenated_one = re.compile(r"[A-Za-z][\w'-]*")
    assert initials("Organisation for Economic Co-operation and Development",
                    word=hyphenated_one, skip=FUZZY_STOP) == "oecd"
    assert initials("state-owned enterprises", word=hyphenated_one) == "se"
