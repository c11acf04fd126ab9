"""An entity's names in the authoring format: ``label`` (English) and ``zh`` (Chinese).

Reviewed knowledge names every entity in English: ``label`` is its one English
``skos:prefLabel`` (also its ``rdfs:label``); ``zh`` adds its Chinese one where the term is
certain. A machine draft of a Chinese text (``policykg annotate``, ``policykg corpus import``)
names a new term in the words of the text only: ``zh: 结构性改革`` and no ``label``. No English
term is invented (nothing is translated); the reviewer gives it. So the compiler takes an entity
without an English label only when it compiles a draft (``drafts=True``, the corpus import, whose
entities are marked ``pkg:reviewStatus pkg:Unreviewed``, which is what the shapes let go without
an English label); a source for ``policykg add`` or ``policykg build`` needs the English one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import KG, RDFS, SKOS

__all__ = ["entity_names", "label_triples"]

Triple = tuple[Node, Node, Node]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def label_triples(
    iri: URIRef,
    desc: Mapping[str, Any],
    *,
    item: str,
    fail: Callable[[str, str], Exception],
    drafts: bool = False,
) -> list[Triple]:
    """The preferred labels and ``rdfs:label`` of an entity from its ``label`` and ``zh``.

    Args:
        iri: the entity.
        desc: its description in the source.
        item: the entity as messages name it (``entity term-1a2b3c4d``).
        fail: builds the compiler's one-line error from an item and a message.
        drafts: a machine draft: an entity named only in Chinese keeps its ``zh`` label alone.

    Raises:
        AuthoringError: (from ``fail``) no English label (outside a draft), or a ``zh`` that is
            not one label.
    """
    label, zh = desc.get("label"), desc.get("zh")
    out: list[Triple] = []
    if _text(label) is not None:
        out += [(iri, p, Literal(label, lang="en")) for p in (SKOS.prefLabel, RDFS.label)]
    elif _text(zh) is None or not (drafts and label is None):
        hint = (
            f" (it has only the Chinese 'zh: {zh}': a reviewed entity needs its English term "
            "too, and a draft never translates one)" if _text(zh) is not None else ""
        )
        raise fail(item, f"needs an English 'label'{hint}")
    if zh is not None:
        if _text(zh) is None:
            raise fail(item, "'zh' must be one Chinese label")
        out += [(iri, p, Literal(zh, lang="zh")) for p in (SKOS.prefLabel, RDFS.label)]
    return out


def entity_names(entities: Mapping[Any, Any]) -> tuple[dict[URIRef, str], dict[URIRef, str]]:
    """Entity IRI -> its English label, and -> its Chinese one, for generated labels."""
    english: dict[URIRef, str] = {}
    chinese: dict[URIRef, str] = {}
    for eid, desc in entities.items():
        if not isinstance(eid, str) or not isinstance(desc, dict):
            continue
        for key, names in (("label", english), ("zh", chinese)):
            if isinstance(desc.get(key), str):
                names[URIRef(KG + eid)] = desc[key]
    return english, chinese
