"""``policykg corpus``: import, list and remove the documents of a corpus (JSON Lines)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command and its actions."""
    p = sub.add_parser(
        "corpus",
        help="import a corpus of documents (JSON Lines), list or remove them",
        description=(
            "Import documents from JSON Lines records (title, url, content, year): page furniture "
            "dropped, the record read from the title and title block, each document drafted by "
            "the annotator (unreviewed, shown only with --drafts). All-or-nothing; re-importing "
            "the same file changes nothing; a changed text replaces its document whole."
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="import (or re-import) the records of FILE(s)")
    imp.add_argument("files", nargs="+", metavar="FILE", help="JSON Lines corpus files")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument("--no-drafts", action="store_true", help="import the records only")
    imp.add_argument("--run-date", metavar="DATE", default=None,
                     help="the annotation runs' date (default: the corpus file's modification "
                          "day, so the same file always gives the same bytes)")
    imp.add_argument("--store", metavar="DIR", default=None,
                     help="also rebuild this Oxigraph store from the project and the corpus, "
                          "swapped in whole (all or nothing; completed by the next command if "
                          "killed)")
    imp.add_argument("--drafts", action="store_true",
                     help="with --store: the store takes the drafted layer too")
    rem = actions.add_parser("remove", help="remove documents by id (kg:gwr-2024 -> gwr-2024)")
    rem.add_argument("ids", nargs="+", metavar="ID")
    lst = actions.add_parser("list", help="list the imported documents")
    cand = actions.add_parser(
        "candidates", help="propose entities to merge: the same label (normalised) in several"
    )
    cand.add_argument("--drafts", action="store_true", help="include the drafts' entities")
    mrg = actions.add_parser("merge", help="record a reviewed merge: A and B are one entity")
    unm = actions.add_parser("unmerge", help="undo a merge")
    for q in (mrg, unm):
        q.add_argument("a", metavar="A", help="an entity (kg:... CURIE or IRI)")
        q.add_argument("b", metavar="B", help="the other entity")
    mrg.add_argument("--reviewed-by", required=True, metavar="NAME", help="who accepts it")
    mrg.add_argument("--proposed-by", default=None, metavar="TEXT",
                     help="who or what proposed it (default: the candidate rule, if it applies)")
    for q in (imp, rem, lst, cand, mrg, unm):
        q.add_argument("--into", metavar="DIR", default=None,
                       help="the corpus folder (default: graphs/corpus of the project)")
    p.set_defaults(handler=run)


def _folder(args: argparse.Namespace) -> Path:
    from policykg.core import paths

    return Path(args.into) if args.into else paths.corpus_dir()


def run(args: argparse.Namespace) -> int:
    """Run the action."""
    if args.action == "import":
        return _import(args)
    if args.action == "remove":
        return _remove(args)
    if args.action in ("candidates", "merge", "unmerge"):
        return _identity(args)
    return _list(args)


def _entity(text: str) -> Any:
    from policykg.core.errors import ParseError
    from policykg.rdf.terms import expand_curie

    iri = expand_curie(text) if not text.startswith("http") else None
    if iri is None and text.startswith("https://w3id.org/policykg/id/"):
        from rdflib import URIRef

        iri = URIRef(text)
    if iri is None or not str(iri).startswith("https://w3id.org/policykg/id/"):
        raise ParseError(f"{text!r}: give an entity as kg:NAME or its IRI")
    return iri


def _identity(args: argparse.Namespace) -> int:
    import policykg
    from policykg.authoring.corpus.identity import candidates, merge, merges, unmerge
    from policykg.core.errors import ParseError
    from policykg.rdf.terms import curie

    folder = _folder(args)
    if args.action == "unmerge":
        unmerge(folder, _entity(args.a), _entity(args.b))
        print(f"unmerged {args.a} and {args.b}")
        return 0
    kg = policykg.load(corpus=folder, drafts=bool(getattr(args, "drafts", False)) or
                       args.action == "merge")
    rows = kg.query(
        "SELECT DISTINCT ?e ?l WHERE { ?e skos:prefLabel|skos:altLabel|rdfs:label ?l"
        " MINUS { ?e a pkg:Provision } MINUS { ?e pkg:value ?v } MINUS { ?e a pkg:Passage }"
        " MINUS { ?e pkg:textFile ?f } MINUS { ?e a pkg:AnnotationRun } }"
    ).rows
    found = candidates([(e, lit) for e, lit in rows], merges(folder))  # type: ignore[misc]
    if args.action == "candidates":
        for c in found:
            print(f"{curie(str(c.a))}\t{curie(str(c.b))}\t{c.label}")
        print(f"{len(found)} candidate(s)", file=sys.stderr)
        return 0
    a, b = sorted((_entity(args.a), _entity(args.b)), key=str)
    proposed = args.proposed_by or next((c.reason for c in found if (c.a, c.b) == (a, b)), None)
    if proposed is None:
        raise ParseError(f"{args.a} and {args.b} are not a candidate pair: say who proposed the "
                         "merge with --proposed-by")
    node = merge(folder, a, b, proposed_by=proposed, reviewed_by=args.reviewed_by)
    print(f"merged {curie(str(a))} and {curie(str(b))} ({curie(str(node))})")
    return 0


def _report(plan: Any, *, dry_run: bool) -> None:
    for doc in plan.documents:
        print(f"{doc.id}: {doc.action} ({doc.entry['type']}, {doc.entry['year']}"
              f"{', ' + doc.entry['date'] if doc.entry.get('date') else ''})")
        for item in doc.dropped:
            print(f"  dropped: {item}")
        for note in doc.notes:
            print(f"  note: {note}")
    for warning in plan.warnings:
        print(f"policykg: warning: {warning}", file=sys.stderr)
    if dry_run:
        print(f"dry run: {len(plan.writes)} file(s) would be written, nothing was")


def _import(args: argparse.Namespace) -> int:
    from importlib.metadata import PackageNotFoundError, version

    import policykg
    from policykg.authoring.corpus.importer import plan_import, write_plan
    from policykg.authoring.lexicon import Lexicon
    from policykg.core import paths
    from policykg.graph.kg import parse_day

    try:
        tool = version("policykg")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        tool = policykg.__version__
    folder = _folder(args)
    kg = policykg.load(corpus=folder)
    lexicon = Lexicon.from_kg(kg)
    from rdflib import URIRef

    rows = kg.query("SELECT DISTINCT ?s WHERE { ?s a ?t }").rows
    known = frozenset(r[0] for r in rows if isinstance(r[0], URIRef))
    from tqdm import tqdm

    with tqdm(desc="importing", unit="doc", disable=None, file=sys.stderr) as bar:
        plan = plan_import(
            [Path(f) for f in args.files], corpus_dir=folder, lexicon=lexicon, known=known,
            version=tool, run_date=parse_day(args.run_date) if args.run_date else None,
            sources_dir=paths.sources_dir(), drafts=not args.no_drafts,
            progress=lambda _doc: bar.update(1),
        )
    _report(plan, dry_run=args.dry_run)
    if not args.dry_run:
        store = Path(args.store) if args.store else None
        changed = write_plan(plan, store=store, drafts=args.drafts)
        print(f"{folder}: {len(changed)} file(s) changed" if changed else f"{folder}: unchanged")
        if store is not None:
            print(f"{store}: rebuilt from the project and {folder}"
                  f"{' with its drafts' if args.drafts else ''}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from policykg.authoring.corpus.importer import plan_remove, write_plan

    folder = _folder(args)
    plan = plan_remove(folder, [i.removeprefix("kg:") for i in args.ids])
    write_plan(plan)
    for doc in plan.documents:
        print(f"{doc.id}: removed")
    return 0


def _list(args: argparse.Namespace) -> int:
    from policykg.authoring.corpus.importer import read_manifest

    docs = read_manifest(_folder(args))
    for doc_id, entry in sorted(docs.items()):
        date = entry.get("date") or "(no date in the text)"
        print(f"{doc_id}\t{entry['type']}\t{entry['year']}\t{date}\t{entry['title']}")
    return 0
