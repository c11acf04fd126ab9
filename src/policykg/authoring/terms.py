"""The lexicon's values: a known term and a mention of one in a text.

The lexicon (:mod:`policykg.authoring.lexicon`) finds the mentions word for word, its
:class:`~policykg.authoring.fuzzy.FuzzyIndex` near; the annotator's stages pass them on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MATCHES", "Mention", "Term"]


@dataclass(frozen=True)
class Term:
    """One known term.

    Attributes:
        iri: the entity or class it names.
        label: the label as written in the graph or ontology.
        lang: ``en`` or ``zh`` (the label's language tag).
        kind: ``entity`` or ``class``.
        preferred: a preferred label (``skos:prefLabel`` or a class's ``rdfs:label``), not an
            alternative label or a plural variant.
        actor: the term names an actor (an entity typed, or a class under, ``pkg:Actor``).
        types: the local names of the entity's classes (for the draft's declaration).
        exact: matched word for word; ``False`` for a label that describes rather than names
            (a membership's ``Zhang Chi as deputy director of ...``, a photograph's ``photo:
            ...``), matched only near (:class:`~policykg.authoring.fuzzy.FuzzyIndex`).
    """

    iri: str
    label: str
    lang: str
    kind: str
    preferred: bool
    actor: bool
    types: tuple[str, ...] = ()
    exact: bool = True


#: How a mention was found, most certain first (the draft's ``match:`` names all but ``exact``).
MATCHES: tuple[str, ...] = (
    "exact",
    "acronym",
    "coordination",
    "author",
    "fuzzy",
    "caption",
    "anaphora",
)


@dataclass(frozen=True)
class Mention:
    """A match of a term in the text, at exact code-point offsets (``end`` exclusive).

    ``match`` says how it was found (:data:`MATCHES`): ``exact`` (the label, normalised),
    ``acronym`` (an acronym the text defines for a known term: "... Organization (WIPO)"),
    ``coordination`` (a conjunct with the head it shares: "lithium battery" in "the new energy
    vehicle, lithium battery and solar industries"), ``fuzzy`` (the label's content words close
    together, inflection aside), ``caption`` (a photograph's caption) or ``anaphora`` (a pronoun
    standing for the subject of the sentence before: evidence only, never an addressee). In a
    draft, ``author`` marks the passage that names the document's author.
    """

    start: int
    end: int
    surface: str
    term: Term
    match: str = "exact"
