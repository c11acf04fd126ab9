"""The curation status of a draft's items: ``status: proposed`` or ``status: accepted``.

``policykg annotate`` marks every suggestion it writes (entity, passage, fact in mapping form,
provision) ``status: proposed``. A curator marks what is right ``accepted`` and deletes the rest;
the compiler (through :func:`accepted_mapping`, called when a source is read) refuses a source
that still holds a proposed item, with one line naming the first one and its file and line, and
otherwise drops the ``status`` keys so that the rest of the compiler never sees them.

A draft is recognised by its top-level ``annotate:`` block (what ``policykg annotate`` knows about
the run, ignored by the compiler). In a draft, deleting a passage deletes its mentions too: an
entity's ``mentioned_in`` entries that name a passage no longer in the draft are dropped.

An entity's ``match:`` mapping (passage id to how the annotator found the mention there:
``acronym``, ``coordination``, ``fuzzy``, ``caption``, ``anaphora``, ``author``) is review
information for the curator, like ``status``: it is dropped before compiling, in any source.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykg.core.errors import AuthoringError

__all__ = ["STATUSES", "accepted_mapping", "item_name", "proposed_items"]

#: The values ``status`` may take.
STATUSES: tuple[str, ...] = ("proposed", "accepted")


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


def _walk(
    data: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[Any, Any]]]:
    """Yield every item that may carry a status, with its path, in document order."""
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
            if not isinstance(body, dict):
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
    """The paths of every item still marked proposed."""
    return [path for path, body in _walk(data) if body.get("status") == "proposed"]


def _line_of(text: str, path: tuple[Any, ...]) -> int | None:
    """The line (from 1) of the ``status`` key of the item at ``path`` in the YAML ``text``."""
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
            if k.value == "status":
                return int(k.start_mark.line) + 1
        return int(node.start_mark.line) + 1
    return None


def accepted_mapping(
    data: dict[str, Any], source: Path | str, text: str | None = None
) -> dict[str, Any]:
    """Check the curation status of every item and return the mapping without ``status`` keys.

    Args:
        data: the loaded source (modified in place and returned).
        source: the file it came from, for messages.
        text: the YAML text, to give the line of a proposed item.

    Raises:
        AuthoringError: an item is still ``proposed``, or a status is neither value.
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
        raise AuthoringError(
            f"{where}: {item_name(path)}: status must be 'proposed' or 'accepted', got {status!r}"
        )
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
