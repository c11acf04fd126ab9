"""Generate synthetic policy corpora in the project's own vocabulary (fixed seed).

Each corpus is one N-Quads file shaped like the compiled article graphs: the ontology in its own
named graph; per document a document graph ``kgg:<doc>`` with the document record, its passages
(quote, offsets) and declarations of the entities it mentions (types, English and Chinese labels,
``pkg:mentionedIn`` evidence); and one named graph per passage holding the facts it states
(actors pursuing goals and holding responsibilities, concepts driving and serving goals, concept
hierarchy, industries as examples, observations with values and units). Entities (concepts,
goals, industries, technology fields, actors, places) are shared across documents, so queries
join across the whole corpus.

Usage::

    python benchmarks/corpus.py                 # 10k, 100k and 1M triples
    python benchmarks/corpus.py --size 100k     # one size
    python benchmarks/corpus.py --trig          # also write TriG next to each N-Quads file
    python benchmarks/corpus.py --broken        # also the broken variants

Files go to ``benchmarks/out/corpus-<size>.nq`` (git-ignored), the documents' texts to
``benchmarks/out/corpus-<size>/sources/`` (each document records its ``pkg:textSha256``), so a
corpus validates clean. The broken variant ``corpus-<size>-broken.nq`` plants ``PER_KIND``
problems of each kind in ``PLANTS`` (``corpus-<size>-broken.planted.json``: the violations a
validation must report, by rule). The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Where corpora go: ``benchmarks/out/`` (git-ignored), or ``$POLICYKG_BENCH_OUT`` (the smoke test
#: points it at a temporary folder).
OUT = Path(os.environ.get("POLICYKG_BENCH_OUT") or Path(__file__).resolve().parent / "out")
ROOT = Path(__file__).resolve().parent.parent

PKG = "https://w3id.org/policykg/ontology#"
KG = "https://w3id.org/policykg/id/"
KGG = "https://w3id.org/policykg/graph/"
ONTOLOGY = "https://w3id.org/policykg/ontology"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
#: Sizes for the benchmarks' smoke modes (not in ``--size all``).
SMOKE_SIZES = {"3k": 3_000}
NNI = XSD + "nonNegativeInteger"
#: The stored text of each document (filled by generate()), keyed by its pkg:textFile.
TEXTS: dict[str, str] = {}
#: Parameter values of the named queries that exist in every corpus (filled by generate()).
SAMPLE: dict[str, str] = {}
SEED = 20250101

ADJECTIVES = [
    "green", "digital", "advanced", "intelligent", "strategic", "emerging", "future",
    "high-end", "low-carbon", "innovative", "modern", "integrated", "quantum", "biological",
    "marine", "rural", "industrial", "scientific", "open", "secure",
]
NOUNS = [
    "manufacturing", "productive forces", "economy", "industries", "technology", "innovation",
    "infrastructure", "supply chains", "talent", "data", "energy", "materials", "agriculture",
    "services", "computing", "transport", "health", "finance", "research", "development",
]
ADJ_ZH = [
    "绿色", "数字", "先进", "智能", "战略", "新兴", "未来", "高端", "低碳", "创新",
    "现代", "融合", "量子", "生物", "海洋", "农村", "工业", "科学", "开放", "安全",
]
NOUN_ZH = [
    "制造", "生产力", "经济", "产业", "技术", "创新", "基础设施", "供应链", "人才", "数据",
    "能源", "材料", "农业", "服务", "计算", "交通", "健康", "金融", "研究", "发展",
]
ACTOR_KINDS = [
    ("StateOwnedEnterprise", "state-owned enterprise"),
    ("PrivateEnterprise", "private enterprise"),
    ("TechnologyCompany", "technology company"),
    ("ResearchInstitute", "research institute"),
    ("University", "university"),
    ("PartyOrStateBody", "ministry"),
    ("CollectiveActor", "enterprises"),
]
CONCEPT_KINDS = ["Concept", "Industry", "TechnologyField", "ProductionFactor", "Initiative"]
MEASURES = ["value-added growth", "output growth", "investment growth", "share of GDP", "rank"]


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


@dataclass
class Entity:
    slug: str
    classes: list[str]
    label: str
    zh: str | None


def _pool(
    rng: random.Random, prefix: str, n: int, classes: list[str], noun: str | None
) -> list[Entity]:
    out = []
    for i in range(n):
        a, b = rng.randrange(len(ADJECTIVES)), rng.randrange(len(NOUNS))
        label = f"{ADJECTIVES[a]} {noun or NOUNS[b]} {i + 1}"
        zh = f"{ADJ_ZH[a]}{NOUN_ZH[b]}{i + 1}" if rng.random() < 0.6 else None
        out.append(Entity(f"{prefix}-{i + 1:05d}", [rng.choice(classes)], label, zh))
    return out


class Writer:
    """Collects the quads of one graph (without duplicates) and writes them as N-Quads lines."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.count = 0

    def graph(self, name: str, triples: list[tuple[str, str, str]]) -> None:
        seen: set[tuple[str, str, str]] = set()
        g = iri(name)
        for t in triples:
            if t in seen:
                continue
            seen.add(t)
            self.out.append(f"{t[0]} {t[1]} {t[2]} {g} .\n")
        self.count += len(seen)


def ontology_quads() -> list[str]:
    """The project's ontology as N-Quads lines in its named graph."""
    import pyoxigraph as ox

    path = ROOT / "ontology" / "policykg.ttl"
    graph = ox.NamedNode(ONTOLOGY)
    names: dict[str, ox.BlankNode] = {}

    def stable(term: Any) -> Any:  # blank node ids are random: number them in order
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term.value, ox.BlankNode(f"ontology{len(names) + 1}"))
        return term

    quads = [ox.Quad(stable(t.subject), t.predicate, stable(t.object), graph)
             for t in ox.parse(path=str(path))]
    data: bytes = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return data.decode("utf-8").splitlines(keepends=True)


#: The kinds of problem the broken variant plants, each in ``PER_KIND`` documents of its own (docs
#: 2, 3, ...), with the violations each planted problem makes every full validation report, by
#: rule. Passage 1 of the document carries the problem.
PLANTS: dict[str, dict[str, int]] = {
    # offsets shifted by one (the length still fits, so only the text comparison notices)
    "quote": {"quote verbatim": 1},
    # pkg:textSha256 of another text
    "hash": {"stored text unchanged": 1},
    # a fact in the document graph instead of a passage graph
    "fact-outside-passage": {"fact without evidence": 1},
    # a fact linking to an entity that no graph declares
    "undeclared-link": {"linked entity declared": 1, "unlabelled-entity-violation": 1},
    # an entity declared without its English preferred label (it has an rdfs:label)
    "missing-label": {"entity: one English preferred label": 1, "unlabelled-entity-violation": 1},
    # a misspelt pkg: property
    "unknown-term": {"vocabulary use: no unknown pkg: term": 1, "undeclared-term-violation": 1},
    # an entity typed both pkg:Actor and pkg:Goal (a pkg:Concept; the two are disjoint)
    "disjoint-types": {"OWL consistency": 1},
}
PER_KIND = 3


def planted_counts(per_kind: int = PER_KIND) -> dict[str, int]:
    """The violations a full validation of the broken variant reports, by rule."""
    counts: dict[str, int] = {}
    for rules in PLANTS.values():
        for rule, n in rules.items():
            counts[rule] = counts.get(rule, 0) + n * per_kind
    return counts


def _plant_kind(doc_no: int, broken: bool, per_kind: int) -> str | None:
    index = doc_no - 2
    if not broken or index < 0 or index >= per_kind * len(PLANTS):
        return None
    return list(PLANTS)[index // per_kind]


def generate(
    target: int,
    *,
    seed: int = SEED,
    redeclare: bool = False,
    broken: bool = False,
    per_kind: int = PER_KIND,
    docs: int = 0,
) -> list[str]:
    """Return the N-Quads lines of a corpus of about ``target`` triples (ontology included).

    Each entity's declaration (types, labels) is written once, in the graph of the first
    document that mentions it; with ``redeclare`` every document graph declares again the
    entities it mentions, so the same triples sit in many graphs (see RESULTS.md: Oxigraph's
    union default graph then returns one solution per copy).
    """
    rng = random.Random(seed)
    SAMPLE.clear()
    TEXTS.clear()
    lines = ontology_quads()
    scale = max(1, target // 10_000)
    concepts = _pool(rng, "concept", 40 * scale, CONCEPT_KINDS, None)
    goals = _pool(rng, "goal", 10 * scale, ["Goal"], "goal")
    functions = _pool(rng, "function", 3 * scale, ["Function"], "function")
    places = _pool(rng, "place", 5 * scale, ["Province", "City", "Region"], "zone")
    actors = []
    for i in range(15 * scale):
        cls, noun = ACTOR_KINDS[rng.randrange(len(ACTOR_KINDS))]
        a = rng.randrange(len(ADJECTIVES))
        label = f"{ADJECTIVES[a]} {noun} {i + 1}"
        zh = f"{ADJ_ZH[a]}机构{i + 1}" if rng.random() < 0.5 else None
        actors.append(Entity(f"actor-{i + 1:05d}", [cls, "Actor"], label, zh))
    # The concept hierarchy: every concept but the first few has a broader concept.
    broader = {
        c.slug: concepts[rng.randrange(max(1, i // 2))] for i, c in enumerate(concepts) if i > 4
    }

    w = Writer(lines)
    w.count = len(lines)
    declared: set[str] = set()
    doc_no = 0
    docs = max(docs, 1 + per_kind * len(PLANTS) if broken else 0)
    while w.count < target or doc_no < docs:
        doc_no += 1
        doc = f"doc-{doc_no:05d}"
        plant = _plant_kind(doc_no, broken, per_kind)
        doc_iri = iri(KG + doc)
        year = 2015 + rng.randrange(11)
        record = [
            (doc_iri, iri(RDF_TYPE), iri(PKG + "Article")),
            (doc_iri, iri(PKG + "title"),
             lit(f"Policy document {doc_no} on {rng.choice(NOUNS)}", "en")),
            (doc_iri, iri(PKG + "publicationYear"), lit(str(year), datatype=XSD + "integer")),
            (doc_iri, iri(PKG + "textFile"), lit(f"sources/{doc}.txt")),
        ]
        mentioned: dict[str, tuple[Entity, list[str]]] = {}
        quotes: list[str] = []
        offset = 0
        n_passages = 15 + rng.randrange(11)
        for para in range(1, n_passages + 1):
            pid = f"{doc}-p{para:02d}-1"
            p_iri = iri(KG + pid)
            quote = f"Passage {para} of document {doc_no}: " + " ".join(
                rng.choice(NOUNS) for _ in range(12)
            )
            shift = 1 if plant == "quote" and para == 1 else 0
            record += [
                (p_iri, iri(RDF_TYPE), iri(PKG + "Passage")),
                (p_iri, iri(PKG + "inDocument"), doc_iri),
                (p_iri, iri(PKG + "quote"), lit(quote)),
                (p_iri, iri(PKG + "startOffset"), lit(str(offset + shift), datatype=NNI)),
                (p_iri, iri(PKG + "endOffset"),
                 lit(str(offset + shift + len(quote)), datatype=NNI)),
            ]
            quotes.append(quote)
            offset += len(quote) + 2
            facts: list[tuple[str, str, str]] = []
            used: list[Entity] = []

            def fact(s: Entity, p: str, o: Entity,
                     facts: list[tuple[str, str, str]] = facts, used: list[Entity] = used) -> None:
                facts.append((iri(KG + s.slug), iri(PKG + p), iri(KG + o.slug)))
                used.extend((s, o))
                if not SAMPLE.get("subject"):
                    SAMPLE.update(subject=KG + s.slug, predicate=PKG + p, object=KG + o.slug)

            def provision(s: Entity, modality: str, o: Entity, p_iri: str = p_iri, pid: str = pid,
                          facts: list[tuple[str, str, str]] = facts,
                          used: list[Entity] = used) -> None:
                # what a passage asks of an actor (docs/DESIGN.md: plain facts and provisions)
                v = Entity(f"{pid}-v1", ["Provision"], f"{modality} ({s.label}): {o.label}", None)
                v_iri = iri(KG + v.slug)
                facts += [
                    (v_iri, iri(PKG + "statedIn"), p_iri),
                    (v_iri, iri(PKG + "modality"), iri(PKG + modality)),
                    (v_iri, iri(PKG + "polarity"), iri(PKG + "affirmative")),
                    (v_iri, iri(PKG + "addressee"), iri(KG + s.slug)),
                    (v_iri, iri(PKG + "action"), iri(KG + o.slug)),
                ]
                used.extend((v, s, o))

            actor, goal, concept = rng.choice(actors), rng.choice(goals), rng.choice(concepts)
            fact(actor, "pursues", goal)
            fact(concept, "contributesTo", goal)
            kind = rng.random()
            if kind < 0.3:
                duty = rng.choice(goals)
                if duty == goal:  # what the actor pursues is a plain fact, not also its duty
                    duty = goals[(goals.index(duty) + 1) % len(goals)]
                provision(actor, "obligation", duty)
            elif kind < 0.5:
                function = rng.choice(functions)
                provision(actor, "recommendation", function)
                fact(actor, "shouldFocusOn", function)
            elif kind < 0.7:
                fact(concept, "drives", rng.choice(concepts))
            else:
                fact(rng.choice(concepts), "enables", concept)
            if concept.slug in broader and rng.random() < 0.5:
                fact(concept, "broader", broader[concept.slug])
            if rng.random() < 0.3:
                fact(rng.choice(concepts), "exampleOf", concept)
            if rng.random() < 0.25:
                obs = Entity(f"{pid}-obs", ["Observation"], f"observation in {pid}", None)
                o_iri = iri(KG + obs.slug)
                value = f"{rng.uniform(-5, 40):.1f}"
                measure = rng.choice(MEASURES)
                place = rng.choice(places)
                facts += [
                    (o_iri, iri(PKG + "value"), lit(value, datatype=XSD + "decimal")),
                    (o_iri, iri(PKG + "unit"), lit("percent")),
                    (o_iri, iri(PKG + "measure"), lit(measure, "en")),
                    (o_iri, iri(PKG + "period"), lit(str(year))),
                    (o_iri, iri(PKG + "observationOf"), iri(KG + concept.slug)),
                    (o_iri, iri(PKG + "observedIn"), iri(KG + place.slug)),
                ]
                used += [obs, place]
                if "Industry" in concept.classes:
                    SAMPLE.setdefault("industry", KG + concept.slug)
            if para == 1 and plant == "undeclared-link":
                facts.append((iri(KG + concept.slug), iri(PKG + "enables"),
                              iri(KG + f"undeclared-{doc}")))
            elif para == 1 and plant == "unknown-term":
                facts.append((iri(KG + actor.slug), iri(PKG + f"pursuesTypo{doc_no}"),
                              iri(KG + goal.slug)))
            elif para == 1 and plant == "disjoint-types":
                clash = Entity(f"clash-{doc}", ["Actor", "Goal"], f"clashing actor {doc_no}", None)
                facts.append((iri(KG + clash.slug), iri(PKG + "pursues"), iri(KG + goal.slug)))
                used.append(clash)
            elif para == 1 and plant == "missing-label":
                nameless = Entity(f"nameless-{doc}", ["Concept"], f"concept {doc_no}", None)
                facts.append((iri(KG + nameless.slug), iri(PKG + "contributesTo"),
                              iri(KG + goal.slug)))
                used.append(nameless)
            elif para == 1 and plant == "fact-outside-passage":
                record.append((iri(KG + concept.slug), iri(PKG + "drives"), iri(KG + goal.slug)))
            w.graph(KG + pid, facts)
            for e in used:
                mentioned.setdefault(e.slug, (e, []))[1].append(pid)
        declarations = []
        for slug, (e, pids) in mentioned.items():
            e_iri = iri(KG + slug)
            if redeclare or slug not in declared:
                declared.add(slug)
                declarations += [(e_iri, iri(RDF_TYPE), iri(PKG + c)) for c in e.classes]
                if not slug.startswith("nameless-"):  # the missing-label plant has none
                    declarations.append((e_iri, iri(SKOS + "prefLabel"), lit(e.label, "en")))
                declarations.append((e_iri, iri(RDFS_LABEL), lit(e.label, "en")))
                if e.zh:
                    declarations.append((e_iri, iri(SKOS + "prefLabel"), lit(e.zh, "zh")))
            declarations += [(e_iri, iri(PKG + "mentionedIn"), iri(KG + p)) for p in pids]
        text = "\n\n".join(quotes) + "\n"
        TEXTS[f"sources/{doc}.txt"] = text
        hashed = text + ("(edited)" if plant == "hash" else "")
        record.append((doc_iri, iri(PKG + "textSha256"),
                       lit(hashlib.sha256(hashed.encode("utf-8")).hexdigest())))
        w.graph(KGG + doc, record + declarations)
    return lines


def texts_dir(path: Path) -> Path:
    """The folder that holds a corpus's stored texts (``sources/<doc>.txt`` under it)."""
    return path.with_suffix("")


def write_texts(root: Path) -> None:
    """Write the texts of the last generated corpus under ``root`` (as ``graphs/`` holds them)."""
    for rel, text in TEXTS.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write(
    name: str,
    *,
    trig: bool = False,
    seed: int = SEED,
    redeclare: bool = False,
    broken: bool = False,
    out: Path = OUT,
) -> Path:
    """Write ``benchmarks/out/corpus-<name>.nq``, its texts (and ``.trig``); return its path.

    The texts go to ``corpus-<name>/sources/`` (see :func:`texts_dir`). With ``broken``, the file
    is ``corpus-<name>-broken.nq`` and ``corpus-<name>-broken.planted.json`` lists the violations
    a validation must report, by rule.
    """
    target = {**SIZES, **SMOKE_SIZES}[name.lower()]
    t0 = time.perf_counter()
    lines = generate(target, seed=seed, redeclare=redeclare, broken=broken)
    out.mkdir(parents=True, exist_ok=True)
    suffix = ("-redeclared" if redeclare else "") + ("-broken" if broken else "")
    path = out / f"corpus-{name.lower()}{suffix}.nq"
    tmp = path.with_suffix(".nq.tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(path)
    write_texts(texts_dir(path))
    if broken:
        path.with_suffix(".planted.json").write_text(
            json.dumps(planted_counts(), indent=1, sort_keys=True)
        )
    params = {
        "kind": PKG + "CollectiveActor",
        "concept": KG + "concept-00001",
        "entity": KG + "concept-00001",
        "goal": KG + "goal-00001",
        "text": "green",
        **SAMPLE,
    }
    path.with_suffix(".params.json").write_text(json.dumps(params, indent=1, sort_keys=True))
    if trig:
        import pyoxigraph as ox

        data = ox.serialize(ox.parse(path=str(path)), format=ox.RdfFormat.TRIG,
                            prefixes={"pkg": PKG, "kg": KG, "kgg": KGG, "skos": SKOS, "xsd": XSD})
        path.with_suffix(".trig").write_bytes(data)
    print(f"{path}: {len(lines)} quads in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=[*SIZES, *SMOKE_SIZES, "all"], default="all")
    parser.add_argument("--smoke", action="store_true", help="the 3k corpus only (tests)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--trig", action="store_true", help="also write TriG files")
    parser.add_argument("--redeclare", action="store_true",
                        help="declare entities again in every document graph that mentions them")
    parser.add_argument("--broken", action="store_true",
                        help="also write the broken variant (planted problems, see PLANTS)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size = "3k"
    for name in SIZES if args.size == "all" else [args.size]:
        write(name, trig=args.trig, seed=args.seed, redeclare=args.redeclare)
        if args.broken:
            write(name, trig=args.trig, seed=args.seed, redeclare=args.redeclare, broken=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
