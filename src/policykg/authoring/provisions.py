"""Compile the ``provisions`` of a passage: what a document asks, expects, makes possible or claims.

A provision is written under its passage in the authoring source::

    p12-5:
      quote: "They should focus on key functions such as ..."
      provisions:
        - addressee: state-owned-enterprises   # id or list; left out when the text names no one
          modality: recommendation             # a concept of the scheme pkg:modalities
          cue: should                          # the verbatim modal words of the quote
          action: [safeguarding-national-security, guiding-industrial-development]
          purpose: moving-up-global-value-chains
          # condition, means: entity id(s); stated_by: who says it (default: the author)
          about: [new-quality-productive-forces]  # the concepts/actors it concerns (curated)
          # polarity: negative   # a prohibition (不得, 严禁, must not); default affirmative

Each becomes a node ``kg:<doc>-<passage>-v<n>`` (n counts from 1 in the passage) typed
``pkg:Provision``, declared with a generated label in the document graph (like every entity):
English (``recommendation (state-owned enterprises): ...``) from the English labels of its
addressees and actions; Chinese (``承诺：深化改革``@zh) when one of them is a draft's term named
only in Chinese, from their Chinese labels (the English one where there is none) and the
ontology's Chinese label of the modality. Its properties (``pkg:statedIn``, ``pkg:modality``,
``pkg:cue``, ``pkg:addressee``, ``pkg:action``, ``pkg:condition``, ``pkg:means``,
``pkg:purpose``, ``pkg:statedBy``, ``pkg:polarity``, ``pkg:about``) in the passage's named
graph. Every provision has one polarity: ``pkg:affirmative`` unless the source says ``polarity:
negative`` (a prohibition: the modality is that of the positive form, the action what is
forbidden). ``about`` names the concepts and actors the provision concerns, as the passage
names them (recorded as its mentions, like the roles).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import PKG, RDF, RDFS, SKOS
from policykg.rdf.terms import local_name

__all__ = ["ROLES", "CompiledProvision", "compile_provisions", "provision_iri"]

Triple = tuple[Node, Node, Node]

#: Authoring key -> property, in the order the properties are written.
ROLES: Mapping[str, URIRef] = {
    "addressee": PKG.addressee,
    "action": PKG.action,
    "condition": PKG.condition,
    "means": PKG.means,
    "purpose": PKG.purpose,
    "stated_by": PKG.statedBy,
}
_POLARITIES: Mapping[str, URIRef] = {"affirmative": PKG.affirmative, "negative": PKG.negative}
# status: a draft's review mark
_KEYS = frozenset(ROLES) | {"modality", "cue", "polarity", "status", "about"}


@dataclass(frozen=True)
class CompiledProvision:
    """One compiled provision.

    Attributes:
        iri: the provision's node.
        declaration: its type and labels (for the document graph).
        statements: its properties (for the passage graph).
        mentions: the kg: entities it names (evidence: the passage mentions them).
    """

    iri: URIRef
    declaration: tuple[Triple, ...]
    statements: tuple[Triple, ...]
    mentions: tuple[URIRef, ...]


def provision_iri(passage: URIRef, index: int) -> URIRef:
    """The IRI of the ``index``-th provision (from 1) of a passage: ``<passage>-v<index>``."""
    return URIRef(f"{passage}-v{index}")


def compile_provisions(
    raw: Any,
    *,
    item: str,
    quote: str,
    passage: URIRef,
    modalities: Mapping[str, URIRef],
    entity: Callable[[Any, str], URIRef],
    label: Callable[[URIRef], str | None],
    default_speakers: Sequence[URIRef],
    fail: Callable[[str, str], Exception],
    polarities: Mapping[str, URIRef] | None = None,
    label_zh: Callable[[URIRef], str | None] | None = None,
    labels_zh: Mapping[URIRef, str] | None = None,
) -> list[CompiledProvision]:
    """Compile the ``provisions`` list of one passage.

    Args:
        raw: the list under the passage's ``provisions`` key (None: no provisions).
        item: the passage as named in messages (``passage p12-5``).
        quote: the passage's quote (every cue must occur in it).
        passage: the passage's IRI.
        modalities: modality local name (``recommendation``) -> its IRI, from the ontology.
        entity: resolves an entity id (raises the compiler's one-line error when unknown).
        label: the English label of an entity, for the generated label (``None``: it has none,
            a draft's term named only in Chinese).
        default_speakers: who states a provision that names no ``stated_by`` (the author).
        fail: builds the compiler's error from an item and a message.
        polarities: polarity local name (``negative``) -> its IRI, from the ontology (default:
            ``pkg:affirmative`` and ``pkg:negative``).
        label_zh: the Chinese label of an entity: the generated label is Chinese when an
            addressee or action has no English label.
        labels_zh: the Chinese labels of the modalities and polarities, from the ontology.

    Raises:
        AuthoringError: (from ``fail``) an unknown key, modality or entity, a missing action, a
            cue not in the quote.
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise fail(item, "'provisions' must be a list")
    polarities = polarities or _POLARITIES
    out: list[CompiledProvision] = []
    for n, body in enumerate(raw, 1):
        where = f"{item} provision {n}"
        if not isinstance(body, dict):
            raise fail(where, f"a provision is a mapping (modality, cue, action), got {body!r}")
        extra = set(body) - _KEYS
        if extra:
            raise fail(where, f"unknown key(s): {', '.join(sorted(map(str, extra)))}")
        name = body.get("modality")
        if not isinstance(name, str) or name not in modalities:
            known = ", ".join(sorted(modalities))
            raise fail(where, f"unknown modality {name!r} (one of: {known})")
        modality = modalities[name]
        cue = body.get("cue")
        if cue is None and name != "assertion":
            raise fail(where, "needs a 'cue': the verbatim words that carry its modality")
        if cue is not None and (not isinstance(cue, str) or not cue.strip()):
            raise fail(where, f"'cue' must be the verbatim words of the quote, got {cue!r}")
        if cue is not None and cue not in quote:
            raise fail(where, f"cue {cue!r} does not occur in the quote")
        values: dict[str, list[URIRef]] = {}
        for key in ROLES:
            given = body.get(key)
            refs = given if isinstance(given, list) else [] if given is None else [given]
            values[key] = [entity(ref, where) for ref in refs]
        pname = body.get("polarity", "affirmative")
        if not isinstance(pname, str) or pname not in polarities:
            known = ", ".join(sorted(polarities))
            raise fail(where, f"unknown polarity {pname!r} (one of: {known})")
        if not values["action"]:
            raise fail(where, "needs an 'action': what is asked, expected or claimed")
        if not values["stated_by"]:
            values["stated_by"] = list(default_speakers)
        iri = provision_iri(passage, n)
        statements: list[Triple] = [
            (iri, PKG.statedIn, passage),
            (iri, PKG.modality, modality),
            (iri, PKG.polarity, polarities[pname]),
        ]
        if cue is not None:
            statements.append((iri, PKG.cue, Literal(cue)))
        for key, prop in ROLES.items():
            statements += [(iri, prop, v) for v in values[key]]
        about = body.get("about")
        about_refs = about if isinstance(about, list) else [] if about is None else [about]
        concerns = sorted({entity(ref, where) for ref in about_refs}, key=str)
        statements += [(iri, PKG.about, ref) for ref in concerns]
        negative = polarities[pname] if pname != "affirmative" else None
        text = _label(name, pname if negative else None, values, label)
        if text is None:  # a term without an English label: the label is Chinese
            zh = labels_zh or {}

            def chinese(a: URIRef) -> str:
                return (label_zh(a) if label_zh else None) or label(a) or local_name(a)

            text = _label(zh.get(modality, name), zh.get(negative, pname) if negative else None,
                          values, chinese, "zh")
            assert text is not None  # every part has a name here
        declaration = (
            (iri, RDF.type, PKG.Provision),
            (iri, SKOS.prefLabel, text),
            (iri, RDFS.label, text),
        )
        mentioned = tuple(v for key in ROLES for v in values[key]) + tuple(concerns)
        out.append(CompiledProvision(iri, declaration, tuple(statements), mentioned))
    return out


#: The punctuation of a generated label, by language: polarity, addressees, actions.
_PUNCTUATION = {"en": (", ", " ({})", ", ", ": ", "; "), "zh": ("，", "（{}）", "、", "：", "；")}


def _label(
    modality: str,
    negation: str | None,
    values: Mapping[str, list[URIRef]],
    label: Callable[[URIRef], str | None],
    lang: str = "en",
) -> Literal | None:
    """``recommendation (state-owned enterprises): safeguarding national security; ...``.

    In Chinese ``建议（国有企业）：维护国家安全；...``; ``negation`` (the negative polarity's label)
    follows the modality. ``None`` when an addressee or action has no label in the language
    (``label`` gives ``None``).
    """
    comma, group, join, colon, semicolon = _PUNCTUATION[lang]
    addressees = [label(a) for a in values["addressee"]]
    actions = [label(a) for a in values["action"]]
    if any(n is None for n in (*addressees, *actions)):
        return None
    head = f"{modality}{comma}{negation}" if negation else modality
    if addressees:
        head += group.format(join.join(n for n in addressees if n is not None))
    return Literal(f"{head}{colon}{semicolon.join(n for n in actions if n is not None)}", lang=lang)
