"""Lexicon and mentions: a label that names several entities is reported, never resolved.

The lexicon (:mod:`policykg.authoring.lexicon`) ranks the terms of one label (a preferred label
before an alternative one, an entity before a class). When two different entities share the
best rank of a label (two ``skos:prefLabel`` "state-owned enterprises", one of them perhaps an
impostor from an extension), the drafter cannot tell which is meant: the mention is left out of
every suggestion and listed in :attr:`Annotation.ambiguous` for the curator.
"""

from __future__ import annotations

from collections.abc import Sequence

from policykg.authoring.lexicon import Lexicon, Mention
from policykg.rdf.terms import local_name


def rivals(lexicon: Lexicon, label: str, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The entities (local names, sorted) that share the best rank of ``label``.

    One or none: the label is not ambiguous.
    """
    found = cache.get(label)
    if found is None:
        terms = lexicon.lookup(label)
        top = terms[0] if terms else None
        iris = (
            {t.iri for t in terms if t.kind == top.kind and t.preferred == top.preferred}
            if top is not None and top.kind == "entity"
            else set()
        )
        found = cache[label] = tuple(sorted(local_name(i) for i in iris))
    return found


def split_ambiguous(
    lexicon: Lexicon, mentions: Sequence[Mention], cache: dict[str, tuple[str, ...]]
) -> tuple[list[Mention], list[tuple[Mention, tuple[str, ...]]]]:
    """The mentions whose label names one entity, and the others with the entities they could be."""
    kept: list[Mention] = []
    ambiguous: list[tuple[Mention, tuple[str, ...]]] = []
    for m in mentions:
        if m.term.kind == "entity":
            who = rivals(lexicon, m.term.label, cache)
            if len(who) > 1:
                ambiguous.append((m, who))
                continue
        kept.append(m)
    return kept, ambiguous
