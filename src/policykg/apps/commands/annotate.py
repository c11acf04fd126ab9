"""``policykg annotate``: suggest a draft authoring source for a new text, for review."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

#: A reviewed item in a draft: a ``status: accepted`` or ``status: rejected`` line (not the
#: header's comment about it).
_REVIEWED = re.compile(r"^[ \t]*(?:- )?[ \t]*status:[ \t]*['\"]?(?:accepted|rejected)\b",
                       re.MULTILINE)


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "annotate",
        help="suggest a draft source (passages, mentions, figures, provisions) for a new text",
        description=(
            "Read a UTF-8 plain-text or Markdown file and write a draft in the authoring format: "
            "its sentences as passages with exact offsets, mentions of the graph's terms, "
            "figures, enumerations, provisions from modality cues and new term candidates, each "
            "marked 'status: proposed'. Review the draft (mark items 'status: accepted', delete "
            "the rest), then 'policykg add' it. Exit status 2 on unreadable or wrong input; "
            "nothing is written then."
        ),
    )
    p.add_argument("text", type=Path, metavar="TEXT", help="the text (UTF-8, at most 10 MiB)")
    p.add_argument(
        "--lang",
        choices=("en", "zh", "auto"),
        default="auto",
        help="the text's language (default: auto)",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="reference date: resolves 'this year', '上半年', ... (default: none, "
        "the document's words are kept)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DRAFT.yaml",
        help="where to write the draft (default: TEXT with the suffix .yaml, or the "
        "--update draft)",
    )
    p.add_argument(
        "--update",
        type=Path,
        metavar="DRAFT",
        help="re-run on a revised TEXT, keeping every decision of DRAFT whose quote "
        "is still in the text",
    )
    p.add_argument(
        "--html",
        type=Path,
        metavar="PAGE",
        help="also write an offline review page (alone, with no --out or --update, "
        "only the page is written)",
    )
    p.add_argument(
        "--lexicon",
        choices=("graph", "ontology"),
        default="graph",
        help="known terms: the whole graph's labels (default) or the ontology's only",
    )
    p.add_argument(
        "--id", dest="doc_id", metavar="ID", help="the document id (default: from the file name)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Annotate the text and write the draft (and page)."""
    result = annotate_command(
        text_path=args.text,
        lang=args.lang,
        date=args.date,
        out=args.out,
        update=args.update,
        html=args.html,
        lexicon=args.lexicon,
        doc_id=args.doc_id,
    )
    for line in result.notes:
        print(line, file=sys.stderr)
    for line in result.lines:
        print(line)
    return 0


class _Result:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.notes: list[str] = []


def _doc_id(text_path: Path, given: str | None) -> str:
    import re

    from policykg.core.errors import ParseError

    if given is not None:
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", given):
            raise ParseError(f"--id: needs a lower-case slug like 'solar-brief', got {given!r}")
        return given
    slug = re.sub(r"[^a-z0-9]+", "-", text_path.stem.lower()).strip("-")
    return slug or "draft"


def _text_name(draft: Path, text_path: Path) -> tuple[str, bool]:
    """How the draft names its text, and whether the text must be copied next to the draft.

    The text is named as given (a symbolic link is named, not followed: ``annotate link.txt``
    names ``link.txt`` and leaves the link alone).
    """
    import os

    try:
        rel = Path(os.path.relpath(os.path.abspath(text_path), draft.resolve().parent))
    except ValueError:  # another drive
        return text_path.name, True
    if ".." in rel.parts:
        return text_path.name, True
    return rel.as_posix(), False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False


def annotate_command(
    *,
    text_path: Path,
    lang: str,
    date: str | None,
    out: Path | None,
    update: Path | None,
    html: Path | None,
    lexicon: str,
    doc_id: str | None,
) -> _Result:
    """Do what ``policykg annotate`` does; raise a PolicyKGError on bad input (nothing written)."""
    import datetime as dt

    import policykg
    from policykg.authoring.annotate import (
        annotate_text,
        draft_mapping,
        dump_draft,
        load_draft,
        read_text,
        update_draft,
    )
    from policykg.authoring.lexicon import Lexicon
    from policykg.core.errors import ParseError
    from policykg.core.io import write_many_atomic

    ref = None
    if date is not None:
        try:
            ref = dt.date.fromisoformat(date)
        except ValueError:
            raise ParseError(f"--date: expected YYYY-MM-DD, got {date!r}") from None
    text = read_text(text_path)
    old = None
    if update is not None:
        if not update.is_file():
            raise ParseError(f"{update}: no such draft")
        old = load_draft(update)
    lex = Lexicon.from_kg(policykg.load(), source=lexicon)
    ann = annotate_text(text, lex, lang=lang, date=ref)
    result = _Result()
    draft_path = out or update
    if draft_path is None and html is None:
        draft_path = text_path.with_suffix(".yaml")
    files: list[tuple[Path, str | bytes]] = []
    data = None
    if draft_path is not None:
        if draft_path.resolve() == text_path.resolve():
            raise ParseError(f"{draft_path}: the draft would overwrite its text; use --out")
        name, copy = _text_name(draft_path, text_path)
        if copy:
            target = draft_path.parent / name
            old_doc = old[0].get("document") if old is not None else None
            revising = isinstance(old_doc, dict) and old_doc.get("text") == name
            if (
                target.exists()
                and not revising  # --update replaces the draft's copy with the revised text
                and target.read_bytes() != text_path.read_bytes()
            ):
                raise ParseError(
                    f"{target}: exists with another text; write the draft next to {text_path}"
                )
            if _same_file(target, text_path):
                pass  # the text itself (or a link to it): never replaced by a copy
            elif target.is_symlink():
                raise ParseError(
                    f"{target}: a symbolic link to another file; not replaced by a copy of "
                    f"{text_path}: write the draft elsewhere (--out)"
                )
            else:
                files.append((target, text_path.read_bytes()))
        if (
            update is None
            and draft_path.is_file()
            and _REVIEWED.search(draft_path.read_text(encoding="utf-8", errors="replace"))
        ):
            raise ParseError(
                f"{draft_path}: already holds reviewed items (status: accepted or rejected); run "
                f"'policykg annotate --update {draft_path} {text_path}' to keep them, or use --out"
            )
        did = _doc_id(text_path, doc_id)
        if old is not None and update is not None:
            old_doc = old[0].get("document")
            if doc_id is None and isinstance(old_doc, dict) and isinstance(old_doc.get("id"), str):
                did = old_doc["id"]
            data, report = update_draft(old[0], old[1], update, ann, doc_id=did, text_name=name)
            result.notes.append(
                f"{update}: kept {len(report.kept)} reviewed passages, {report.deleted} deletions; "
                f"{len(report.new)} new passages proposed; {len(report.dropped)} dropped "
                "(their quote is no longer in the text)"
                + (f": {', '.join(report.dropped)}" if report.dropped else "")
            )
        else:
            data = draft_mapping(ann, doc_id=did, text_name=name)
        files.append((draft_path, dump_draft(data, ann)))
    if html is not None:
        from policykg.outputs.review import review_page

        files.append((html, review_page(ann, data, title=text_path.name)))
    write_many_atomic(files)
    if ann.capped:
        from policykg.authoring.annotate import MAX_FIGURES

        shown = ", ".join(ann.capped[:5]) + (", ..." if len(ann.capped) > 5 else "")
        result.notes.append(
            f"{text_path}: {len(ann.capped)} passages hold more than {MAX_FIGURES} figures "
            f"(a table or a run of numbers?); only their first {MAX_FIGURES} are suggested: {shown}"
        )
    if ann.capped_provisions:
        from policykg.authoring.annotate.provisioning import (
            MAX_CLAUSE_PROVISIONS,
            MAX_PROVISIONS,
        )

        shown = ", ".join(ann.capped_provisions[:5]) + (
            ", ..." if len(ann.capped_provisions) > 5 else ""
        )
        result.notes.append(
            f"{text_path}: {len(ann.capped_provisions)} passages hold more modality cues than "
            f"their limit ({MAX_PROVISIONS}, or one per clause up to {MAX_CLAUSE_PROVISIONS}); "
            f"only their first provisions are suggested: {shown}"
        )
    if ann.ambiguous:
        labels: dict[str, tuple[str, ...]] = {}
        for _a, _b, words, who in ann.ambiguous:
            labels.setdefault(words, who)
        shown = "; ".join(f"{w!r}: {', '.join(who)}" for w, who in list(labels.items())[:5])
        result.notes.append(
            f"{text_path}: {len(ann.ambiguous)} mentions of {len(labels)} ambiguous labels "
            f"(each names several entities; none chosen, listed at the end of the draft): "
            + shown
            + ("; ..." if len(labels) > 5 else "")
        )
    beyond = len(ann.near) + len(ann.extra)
    result.lines.append(
        f"{text_path}: {len(ann.sentences)} passages, {len(ann.mentions)} mentions "
        f"(+{beyond} not word for word, marked match:), "
        f"{len(ann.figures)} figures, {len(ann.provisions)} provisions, "
        f"{len(ann.enumerations)} enumerations, {len(ann.candidates)} term candidates "
        f"(language {ann.lang}, lexicon {lex.source}: {len(lex)} terms)"
        + (f"; author {ann.author.id}" if ann.author is not None else "")
        + "; all proposed"
    )
    for path, _ in files:
        result.lines.append(f"wrote {path}")
    return result
