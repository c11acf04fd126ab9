"""Every problem of a draft in one run: what ``policykg add`` reports when a source is refused.

The compiler stops at the first problem it meets (one line naming the file and the item); a
curator fixing a long draft would then need one run per problem. When a source is refused,
:func:`every_problem` looks for the others: every item still ``proposed`` (with its line), every
status that is neither value, and every problem of each passage compiled on its own (with the
document and all entities), each once, in the order of the source.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import URIRef

from policykg.authoring.compiler import OntologyIndex, _safe_load, compile_mapping
from policykg.authoring.status import STATUSES, _line_of, _walk, accepted_mapping, item_name
from policykg.core.errors import AuthoringError, PolicyKGError

__all__ = ["DraftProblems", "every_problem", "source_problems", "status_problems"]

#: Most problems listed (a draft of thousands of proposed items would print thousands).
MAX_PROBLEMS = 200


class DraftProblems(AuthoringError):
    """Several problems of one source.

    ``problems`` holds one line for each; the CLI prints each on its own line.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def status_problems(data: dict[str, Any], source: Path, text: str | None) -> list[str]:
    """One line per item still proposed or with a status that is neither value."""
    out: list[str] = []
    for path, body in _walk(data):
        if "status" not in body or body["status"] == "accepted":
            continue
        line = _line_of(text, path) if text is not None else None
        where = f"{source}:{line}" if line else str(source)
        if body["status"] == "proposed":
            out.append(f"{where}: {item_name(path)} is still proposed: review it, then mark it "
                       "'status: accepted' or delete it")
        else:
            out.append(f"{where}: {item_name(path)}: status must be "
                       f"{' or '.join(repr(s) for s in STATUSES)}, got {body['status']!r}")
    return out


def _accepted_copy(data: dict[str, Any], source: Path) -> dict[str, Any] | None:
    """The mapping as if every item were accepted (statuses dropped), or ``None``."""
    trial = copy.deepcopy(data)
    for _path, body in _walk(trial):
        if "status" in body:
            body["status"] = "accepted"
    try:
        return accepted_mapping(trial, source)
    except PolicyKGError:
        return None


def _one_passage(data: dict[str, Any], pid: Any, body: Any) -> dict[str, Any]:
    """The mapping with one passage, its entities mentioned only there."""
    entities = data.get("entities")
    kept: Any = entities
    if isinstance(entities, dict):
        kept = {}
        for eid, desc in entities.items():
            if isinstance(desc, dict) and isinstance(desc.get("mentioned_in"), list):
                desc = {**desc, "mentioned_in": [m for m in desc["mentioned_in"] if m == pid]}
            kept[eid] = desc
    return {**data, "entities": kept, "passages": {pid: body}}


def every_problem(
    first: AuthoringError,
    source: Path,
    data: dict[str, Any] | None,
    text: str | None,
    compile_one: Callable[[dict[str, Any]], Any],
) -> AuthoringError:
    """The error to report for a refused source: ``first``, or all of its problems.

    Args:
        first: the problem the compiler (or the status check) stopped at.
        source: the source file, for messages.
        data: the source as read (with its statuses), or ``None`` when it could not be read.
        text: the source's YAML text, for line numbers.
        compile_one: compiles a mapping (raising :class:`AuthoringError`); called once per
            passage on the document, every entity and that passage alone.

    Returns:
        ``first`` itself when it is the only problem found; otherwise one error whose message
        has one line per problem (``first``'s first, then the others in the order of the
        source) and a last line saying how many there are.
    """
    if not isinstance(data, dict):
        return first
    problems = status_problems(data, source, text)
    accepted = _accepted_copy(data, source)
    passages = accepted.get("passages") if accepted is not None else None
    if accepted is not None and isinstance(passages, dict):
        for pid, body in passages.items():
            if len(problems) >= MAX_PROBLEMS:
                break
            try:
                compile_one(_one_passage(accepted, pid, body))
            except AuthoringError as exc:
                if f"passage {pid}" in str(exc) or f"'{pid}'" in str(exc):
                    problems.append(str(exc))  # not a problem of leaving the others out
            except PolicyKGError:
                continue
    problems = [str(first), *(p for p in dict.fromkeys(problems) if p != str(first))]
    if len(problems) <= 1:
        return first
    shown = problems[:MAX_PROBLEMS]
    more = f"; the first {MAX_PROBLEMS} are listed" if len(problems) > MAX_PROBLEMS else ""
    return DraftProblems([*shown, f"{source}: {len(problems)} problems in all{more}"])


def source_problems(
    first: AuthoringError,
    path: Path,
    text: str,
    ontology: OntologyIndex,
    known: Callable[[], Iterable[URIRef]],
) -> AuthoringError:
    """:func:`every_problem` for the YAML source ``path`` (``policykg add``).

    Args:
        first: the problem the compiler stopped at.
        path: the source file; its document's text is read relative to its folder.
        text: its YAML text.
        ontology: the ontology index.
        known: gives the IRIs declared elsewhere that facts may use.
    """
    import yaml

    if path.suffix.lower() not in (".yaml", ".yml"):
        return first
    try:
        data = _safe_load(text)
    except (yaml.YAMLError, PolicyKGError):  # unreadable: the first problem says why
        return first
    entities = list(known())

    def compile_one(mapping: dict[str, Any]) -> Any:
        return compile_mapping(mapping, base_dir=path.parent, source=path, ontology=ontology,
                               known_entities=entities)

    return every_problem(first, path, data, text, compile_one)
