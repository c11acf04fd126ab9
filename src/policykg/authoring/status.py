"""The curation status of a draft's items: ``proposed``, ``accepted``, and ``rejected`` passages.

``policykg annotate`` marks every suggestion it writes (entity, passage, fact in mapping form,
provision) ``status: proposed``. A curator marks what is right ``accepted`` and deletes the rest;
the compiler (through :func:`accepted_mapping`, called when a source is read) refuses a source
that still holds a proposed item, with one line naming the first one and its file and line, and
otherwise drops the ``status`` keys so that the rest of the compiler never sees them.

A passage may also be marked ``status: rejected`` (issue 20): the curator says its words state
nothing worth keeping, and that is remembered. A rejected passage is dropped before compiling,
with its facts, provisions and the mentions that point to it (as if it were deleted; what it
holds is not reviewed, so it may still be proposed), but its quote must be verbatim in the
document's text (an error names the file and line): a rejection names real words. The source
keeps it, and the corpus import drafts no sentence a rejected passage overlaps
(:func:`rejected_passages`, read by :mod:`policykg.authoring.corpus.reviewed`). Deleting a
passage is not rejecting it: a reviewed source may review only some sections of its document.
Only a passage can be rejected; a rejected entity, fact or provision is an error (delete it).

A draft is recognised by its top-level ``annotate:`` block (what ``policykg annotate`` knows about
the run, ignored by the compiler). In a draft, deleting a passage deletes its mentions too: an
entity's ``mentioned_in`` entries that name a passage no longer in the draft are dropped.

An entity's ``match:`` mapping (passage id to how the annotator found the mention there:
``acronym``, ``coordination``, ``fuzzy``, ``caption``, ``anaphora``, ``author``) is review
information for the curator, like ``status``: it is dropped before compiling, in any source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykg.core.errors import AuthoringError, StoredTextError
from policykg.core.io import read_stored_text

__all__ = [
    "PASSAGE_STATUSES",
    "REJECTED",
    "STATUSES",
    "accepted_mapping",
    "item_name",
    "locate_quote",
    "proposed_items",
    "rejected_passages",
]

#: The values ``status`` may take on any item.
STATUSES: tuple[str, ...] = ("proposed", "accepted")
#: The status of a rejected passage (remembered, never compiled).
REJECTED = "rejected"
#: The values ``status`` may take on a passage.
PASSAGE_STATUSES: tuple[str, ...] = (*STATUSES, REJECTED)


def item_name(path: tuple[Any, ...]) -> str:
    """Name an item by its place in the source (``passage p3 provision 1``)."""
    if not path:
        return "source"
    head = path[0]
    if head == "document":
        return "document"
    if head == "entities" and len(path) >= 2:
        return f"entity {path[1]}"
    if head == "passages" and len(path) >= 2:
        name = f"passage {path[1]}"
        if len(path) >= 4 and path[2] in ("facts", "provisions") and isinstance(path[3], int):
            name += f" {path[2][:-1]} {path[3] + 1}"
        return name
    return ".".join(str(p) for p in path)


def _rejected(body: Any) -> bool:
    return isinstance(body, dict) and body.get("status") == REJECTED


def _walk(
    data: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[Any, Any]]]:
    """Yield every item that may carry a status, with its path, in document order.

    A rejected passage is left out with everything in it: it is decided, and what it holds is
    never compiled.
    """
    if not isinstance(data, dict):
        return
    doc = data.get("document")
    if isinstance(doc, dict):
        yield ("document",), doc
    for section in ("entities", "passages"):
        items = data.get(section)
        if not isinstance(items, dict):
            continue
        for key, body in items.items():
            if not isinstance(body, dict) or (section == "passages" and _rejected(body)):
                continue
            yield (section, key), body
            if section == "passages":
                for sub in ("facts", "provisions"):
                    rows = body.get(sub)
                    if isinstance(rows, list):
                        for n, row in enumerate(rows):
                            if isinstance(row, dict):
                                yield (section, key, sub, n), row


def proposed_items(data: Any) -> list[tuple[Any, ...]]:
    """The paths of every item still marked proposed (outside rejected passages)."""
    return [path for path, body in _walk(data) if body.get("status") == "proposed"]


def _line_of(text: str, path: tuple[Any, ...], key: str = "status") -> int | None:
    """The line (from 1) of the ``key`` of the item at ``path`` in the YAML ``text``."""
    import yaml

    try:
        node: Any = yaml.compose(text)
    except yaml.YAMLError:  # pragma: no cover - the text was just loaded
        return None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            return None
        if node is None:
            return None
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return int(k.start_mark.line) + 1
        return int(node.start_mark.line) + 1
    return None


def locate_quote(text: str, quote: str, occurrence: Any) -> tuple[int, str]:
    """Where ``quote`` (its ``occurrence``-th time, from 1) starts in ``text``.

    Returns:
        ``(start, "")``, or ``(-1, problem)`` saying why the quote is not located (empty, not
        in the text, there more than once and no ``occurrence``, or a bad ``occurrence``).
    """
    if not quote:
        return -1, "empty quote"
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        return -1, f"quote not found verbatim in the document's text: {quote[:60]!r}"
    if occurrence is None:
        if len(starts) > 1:
            return -1, f"quote occurs {len(starts)} times; say which with 'occurrence'"
        return starts[0], ""
    if not isinstance(occurrence, int) or not 1 <= occurrence <= len(starts):
        return -1, f"occurrence must be 1..{len(starts)}"
    return starts[occurrence - 1], ""


def rejected_passages(
    data: Any, source: Path | str, text: str | None, document_text: str
) -> list[tuple[str, int, int]]:
    """The passages marked ``status: rejected``, located in the document's text.

    Args:
        data: the loaded source.
        source: the file it came from, for messages.
        text: the YAML text, to give the line of a bad rejected passage.
        document_text: the document's stored text.

    Returns:
        ``(passage id, start, end)`` of each rejected passage, in the order of the source.

    Raises:
        AuthoringError: a rejected passage has no quote, or its quote is not verbatim in the
            text (or is there more than once without ``occurrence``); names the file and line.
    """
    passages = data.get("passages") if isinstance(data, dict) else None
    out: list[tuple[str, int, int]] = []
    for pid, body in passages.items() if isinstance(passages, dict) else ():
        if not _rejected(body):
            continue
        quote = body.get("quote")
        if isinstance(quote, str):
            start, problem = locate_quote(document_text, quote, body.get("occurrence"))
        else:
            start, problem = -1, "needs a 'quote' (the words it rejects)"
        if problem:
            line = _line_of(text, ("passages", pid), "quote") if text is not None else None
            where = f"{source}:{line}" if line else str(source)
            raise AuthoringError(
                f"{where}: passage {pid}: rejected, but {problem} (a rejected passage "
                "names the words of the text it rejects)"
            )
        out.append((str(pid), start, start + len(str(quote))))
    return out


def _document_text(data: dict[str, Any], source: Path | str) -> str | None:
    """The stored text a source names, read as the compiler reads it; ``None`` if it cannot be."""
    doc = data.get("document")
    name = doc.get("text") if isinstance(doc, dict) else None
    if not isinstance(name, str) or not name:
        return None
    try:
        return read_stored_text(Path(source).parent, name)
    except StoredTextError:  # the compiler reports the text itself
        return None


def _drop_rejected(data: dict[str, Any]) -> None:
    """Drop the rejected passages, and every mention of them."""
    passages = data.get("passages")
    if not isinstance(passages, dict):
        return
    gone = {pid for pid, body in passages.items() if _rejected(body)}
    if not gone:
        return
    for pid in gone:
        del passages[pid]
    entities = data.get("entities")
    for body in entities.values() if isinstance(entities, dict) else ():
        refs = body.get("mentioned_in") if isinstance(body, dict) else None
        if isinstance(refs, list | str):
            kept = [r for r in (refs if isinstance(refs, list) else [refs]) if r not in gone]
            body["mentioned_in"] = kept
            if not kept:
                del body["mentioned_in"]


def accepted_mapping(
    data: dict[str, Any],
    source: Path | str,
    text: str | None = None,
    *,
    document_text: str | None = None,
) -> dict[str, Any]:
    """Check the curation status of every item and return the mapping without ``status`` keys.

    Rejected passages are dropped (with their facts, provisions and mentions) once their quotes
    are found in the document's text.

    Args:
        data: the loaded source (modified in place and returned).
        source: the file it came from, for messages; the document's text is read relative to
            its folder when ``document_text`` is not given.
        text: the YAML text, to give the line of a proposed item.
        document_text: the document's stored text, to check rejected passages' quotes (when
            it is not given and cannot be read, they are not checked: the compiler reports the
            text).

    Raises:
        AuthoringError: an item is still ``proposed``, a status is none of the values, an item
            other than a passage is ``rejected``, or a rejected passage's quote is not in the
            text.
    """
    for path, body in _walk(data):
        if "status" not in body:
            continue
        status = body["status"]
        if status in STATUSES and status != "proposed":
            continue
        line = _line_of(text, path) if text is not None else None
        where = f"{source}:{line}" if line else str(source)
        if status == "proposed":
            raise AuthoringError(
                f"{where}: {item_name(path)} is still proposed: review it, then mark it "
                "'status: accepted' or delete it"
            )
        if status == REJECTED:
            raise AuthoringError(
                f"{where}: {item_name(path)}: only a passage can be 'rejected' (remembered, so "
                "that its words are not drafted again); delete a rejected item"
            )
        raise AuthoringError(
            f"{where}: {item_name(path)}: status must be 'proposed' or 'accepted' (a passage "
            f"may be 'rejected'), got {status!r}"
        )
    passages = data.get("passages")
    if isinstance(passages, dict) and any(_rejected(b) for b in passages.values()):
        doc_text = document_text if document_text is not None else _document_text(data, source)
        if doc_text is not None:
            rejected_passages(data, source, text, doc_text)
        _drop_rejected(data)
    for path, body in _walk(data):
        body.pop("status", None)
        if path[0] == "entities":
            body.pop("match", None)
    if isinstance(data.get("annotate"), dict):
        passages = data.get("passages")
        kept = set(passages) if isinstance(passages, dict) else set()
        entities = data.get("entities")
        for body in (entities or {}).values() if isinstance(entities, dict) else ():
            refs = body.get("mentioned_in") if isinstance(body, dict) else None
            if isinstance(refs, list):
                body["mentioned_in"] = [r for r in refs if r in kept]
                if not body["mentioned_in"]:
                    del body["mentioned_in"]
    return data
