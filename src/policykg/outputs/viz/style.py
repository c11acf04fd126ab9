"""How classes look: one colour per class, one shape per family of classes, and the legend.

Shapes say what kind of thing a node is (concepts are dots, actors diamonds, places squares,
events triangles, figures downward triangles, documents stars, plans and roles hexagons); colours
tell the classes of a family apart. A class the table does not know (one an extension adds) gets
the shape of its nearest known superclass and a colour derived from its name, so the same class
always looks the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "CLASS_STYLES",
    "HIERARCHY_EXTERNAL",
    "MODALITY_FILLS",
    "MODALITY_STYLES",
    "NEGATIVE",
    "NEGATIVE_DASHES",
    "ClassStyle",
    "ModalityStyle",
    "class_rank",
    "class_style",
    "modality_style",
]


@dataclass(frozen=True)
class ClassStyle:
    """The look of one class: fill colour, border colour and vis-network shape."""

    color: str
    border: str
    shape: str


_DOT, _DIAMOND, _SQUARE, _TRIANGLE = "dot", "diamond", "square", "triangle"
_TRIANGLE_DOWN, _STAR, _HEXAGON = "triangleDown", "star", "hexagon"

#: ``pkg:`` class -> (colour, shape), most specific classes first within each family. The order
#: also breaks ties when a node belongs to two unrelated classes.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    # concepts (dots)
    "pkg:BottleneckArea": ("#d62728", _DOT),
    "pkg:TechnologyField": ("#17becf", _DOT),
    "pkg:IntegrationModel": ("#e377c2", _DOT),
    "pkg:Initiative": ("#9467bd", _DOT),
    "pkg:Industry": ("#2ca02c", _DOT),
    "pkg:ProductionFactor": ("#bcbd22", _DOT),
    "pkg:Goal": ("#ff7f0e", _DOT),
    "pkg:Function": ("#8c564b", _DOT),
    "pkg:Task": ("#f7b6d2", _DOT),
    "pkg:Achievement": ("#98df8a", _DOT),
    "pkg:Concept": ("#1f77b4", _DOT),
    # actors (diamonds)
    "pkg:StateOwnedEnterprise": ("#b5172b", _DIAMOND),
    "pkg:PrivateEnterprise": ("#f4a261", _DIAMOND),
    "pkg:TechnologyCompany": ("#00a6a6", _DIAMOND),
    "pkg:Enterprise": ("#e76f51", _DIAMOND),
    "pkg:ResearchInstitute": ("#6a4c93", _DIAMOND),
    "pkg:University": ("#8338ec", _DIAMOND),
    "pkg:PartyOrStateBody": ("#c1121f", _DIAMOND),
    "pkg:InternationalOrganization": ("#3a86ff", _DIAMOND),
    "pkg:MediaOrganization": ("#5e60ce", _DIAMOND),
    "pkg:Organization": ("#7b2cbf", _DIAMOND),
    "pkg:Person": ("#ffbe0b", _DIAMOND),
    "pkg:CollectiveActor": ("#fb5607", _DIAMOND),
    "pkg:Actor": ("#9d4edd", _DIAMOND),
    # places (squares)
    "pkg:Country": ("#2a9d8f", _SQUARE),
    "pkg:Region": ("#52b788", _SQUARE),
    "pkg:Province": ("#40916c", _SQUARE),
    "pkg:City": ("#74c69d", _SQUARE),
    "pkg:County": ("#95d5b2", _SQUARE),
    "pkg:Facility": ("#588157", _SQUARE),
    "pkg:Place": ("#2d6a4f", _SQUARE),
    # events, figures, documents, plans, roles
    "pkg:Event": ("#ef476f", _TRIANGLE),
    "pkg:GrowthRate": ("#0fa3b1", _TRIANGLE_DOWN),
    "pkg:Observation": ("#06d6a0", _TRIANGLE_DOWN),
    "pkg:Photograph": ("#8d99ae", _STAR),
    "pkg:Report": ("#adb5bd", _STAR),
    "pkg:Series": ("#6c757d", _STAR),
    "pkg:Article": ("#495057", _STAR),
    "pkg:Document": ("#343a40", _STAR),
    "pkg:Plan": ("#f9c74f", _HEXAGON),
    "pkg:Membership": ("#90be6d", _HEXAGON),
    "pkg:Role": ("#43aa8b", _HEXAGON),
    "pkg:Passage": ("#cccccc", _DOT),
    # what a text asks, expects or claims (issue 12's provisions model): small boxes
    "pkg:Provision": ("#fde68a", "box"),
}

#: Colour of classes outside ``pkg:`` (skos:Concept, prov:Agent, ...) in the hierarchy view.
HIERARCHY_EXTERNAL = ClassStyle(color="#e9ecef", border="#868e96", shape="box")


def class_rank() -> dict[str, int]:
    """Return class id -> its position in :data:`CLASS_STYLES` (lower wins ties)."""
    return {cls: i for i, cls in enumerate(CLASS_STYLES)}


def _darker(color: str, factor: float = 0.7) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _hashed_color(name: str) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = digest[0] / 255.0
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue, 0.55, 0.55)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


def class_style(cls: str, ancestors: Mapping[str, set[str]] | None = None) -> ClassStyle:
    """Return the look of a class (a CURIE such as ``pkg:Goal``).

    Args:
        cls: the class.
        ancestors: class -> superclasses, used to give an unknown class the shape of its
            nearest known superclass.
    """
    if cls in CLASS_STYLES:
        color, shape = CLASS_STYLES[cls]
        return ClassStyle(color=color, border=_darker(color), shape=shape)
    shape = _DOT
    if ancestors:
        known = [a for a in ancestors.get(cls, set()) if a in CLASS_STYLES]
        if known:
            nearest = max(sorted(known), key=lambda a: len(ancestors.get(a, ())))
            shape = CLASS_STYLES[nearest][1]
    color = _hashed_color(cls or "?")
    return ClassStyle(color=color, border=_darker(color), shape=shape)


@dataclass(frozen=True)
class ModalityStyle:
    """The look of a provision's edges: line colour, dash pattern (``[]`` = solid) and width."""

    color: str
    dashes: tuple[int, ...]
    width: float


#: Modality (a ``pkg:`` SKOS concept of issue 12's scheme) -> how its provision edges are drawn,
#: firmest first: the legend lists them in this order. The colours are the Okabe-Ito palette
#: (Okabe & Ito, "Color Universal Design", 2008), whose eight colours stay distinct for readers
#: with the common colour-vision deficiencies; the dash patterns tell them apart as well.
MODALITY_STYLES: dict[str, ModalityStyle] = {
    "pkg:obligation": ModalityStyle("#D55E00", (), 2.6),  # vermillion, solid
    "pkg:commitment": ModalityStyle("#0072B2", (), 2.2),  # blue, solid
    "pkg:necessity": ModalityStyle("#CC79A7", (10, 3, 2, 3), 2.2),  # reddish purple, dash-dot
    "pkg:recommendation": ModalityStyle("#009E73", (9, 5), 2.0),  # bluish green, dashed
    "pkg:intention": ModalityStyle("#E69F00", (12, 3, 2, 3, 2, 3), 1.8),  # orange, dash-dot-dot
    "pkg:expectation": ModalityStyle("#56B4E9", (3, 4), 1.8),  # sky blue, short dashes
    "pkg:possibility": ModalityStyle("#B8A800", (1, 4), 1.8),  # Okabe-Ito yellow, darkened to
    # be seen on white (#F0E442 is the fill of its passages), dotted
    "pkg:assertion": ModalityStyle("#000000", (), 1.2),  # black, thin
}

#: The fill a passage of each modality gets in the reader (the pure Okabe-Ito colour).
MODALITY_FILLS: dict[str, str] = {"pkg:possibility": "#F0E442"}

#: A provision whose polarity is negative (a prohibition: 不得, 严禁, "must not") is drawn in the
#: colour of its modality with this dash pattern and "not" before its edge labels.
NEGATIVE_DASHES: tuple[int, ...] = (2, 2)
NEGATIVE = "pkg:negative"


def modality_style(modality: str) -> ModalityStyle:
    """Return the look of a modality's edges (an unknown one gets a colour from its name)."""
    if modality in MODALITY_STYLES:
        return MODALITY_STYLES[modality]
    return ModalityStyle(_hashed_color(modality or "?"), (6, 2, 2, 2), 1.8)
