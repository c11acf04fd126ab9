"""The curation loop: ``annotate --update`` keeps each decision whose quote is still in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.authoring.annotate.draft import draft_mapping, quote_digest
from policykg.authoring.annotate.model import Annotation
from policykg.core.errors import AuthoringError, ParseError


def load_draft(path: Path) -> tuple[dict[str, Any], str]:
    """Read a draft with its statuses (a YAML error names the file, line and column).

    Through the one loader of every source and draft (:func:`policykg.core.yamlsafe.
    load_yaml_file`, which ``policykg add`` uses too): safe constructors, and aliases
    (``*name``) refused at their line before anything is built, so a few hundred bytes cannot
    expand to gigabytes.
    """
    from policykg.core.yamlsafe import load_yaml_file

    data, raw = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("passages"), dict):
        raise ParseError(f"{path}: not a draft: expected a mapping with 'document' and 'passages'")
    return data, raw


def _line_of_key(raw: str, key: str) -> int | None:
    m = re.search(rf"^  {re.escape(key)}:", raw, re.MULTILINE)
    return raw.count("\n", 0, m.start()) + 1 if m else None


@dataclass
class UpdateReport:
    """What ``annotate --update`` kept and dropped."""

    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    deleted: int = 0
    new: list[str] = field(default_factory=list)


def update_draft(
    old: dict[str, Any],
    raw: str,
    draft_path: Path,
    ann: Annotation,
    *,
    doc_id: str,
    text_name: str,
) -> tuple[dict[str, Any], UpdateReport]:
    """Re-run on a revised text, keeping every decision whose quote is still in the text.

    A passage of the old draft whose quote is still in the text is kept as the curator left it
    (accepted items, edits and the proposed items not yet reviewed). A suggested passage the
    curator deleted stays deleted. Sentences the old draft never suggested are new proposals.
    A passage whose quote is no longer in the text is dropped — unless its quote was edited by
    hand (it is not one the annotator suggested): then the draft no longer matches its text, an
    error.

    Raises:
        AuthoringError: a hand-edited quote is not in the text (names the draft and line).
    """
    block = old.get("annotate")
    meta: dict[str, Any] = block if isinstance(block, dict) else {}
    suggested = set(meta.get("suggested_passages") or [])
    suggested_entities = set(meta.get("suggested_entities") or [])
    fresh = draft_mapping(ann, doc_id=doc_id, text_name=text_name)
    report = UpdateReport()
    old_passages: dict[str, Any] = old["passages"]
    by_quote: dict[tuple[str, int], str] = {}
    text = ann.text
    for pid, body in old_passages.items():
        if not isinstance(body, dict) or not isinstance(body.get("quote"), str):
            line = _line_of_key(raw, str(pid))
            where = f"{draft_path}:{line}" if line else str(draft_path)
            raise AuthoringError(f"{where}: passage {pid}: needs a 'quote'")
        quote = body["quote"]
        occ = body.get("occurrence") or 1
        if quote in text:
            by_quote[(quote, int(occ))] = pid
            continue
        if quote_digest(quote) not in suggested:
            line = _line_of_key(raw, str(pid))
            where = f"{draft_path}:{line}" if line else str(draft_path)
            raise AuthoringError(
                f"{where}: passage {pid}: the quote no longer matches the text {text_name}: "
                f"{quote[:60]!r} is not in it"
            )
        report.dropped.append(str(pid))
    passages: dict[str, Any] = {}
    taken = {str(p) for p in by_quote.values()}
    keep_ids: dict[str, str] = {}
    for sent in ann.sentences:
        key = (sent.quote, sent.occurrence or 1)
        if key in by_quote:
            pid = by_quote[key]
            passages[pid] = old_passages[pid]
            keep_ids[sent.id] = pid
            report.kept.append(pid)
            continue
        if quote_digest(sent.quote) in suggested:
            report.deleted += 1
            continue
        pid = sent.id if sent.id not in taken else f"{sent.id}-n"
        while pid in taken:
            pid += "n"
        taken.add(pid)
        keep_ids[sent.id] = pid
        passages[pid] = fresh["passages"][sent.id]
        report.new.append(pid)
    # entities: the old ones still in use; new suggestions, unless the curator deleted them
    entities: dict[str, Any] = {}
    old_entities = old.get("entities") if isinstance(old.get("entities"), dict) else {}
    for eid, desc in (old_entities or {}).items():
        if isinstance(desc, dict) and isinstance(desc.get("mentioned_in"), list):
            # only the passages kept: a dropped passage's id may be reused by a new one
            kept_ids = set(report.kept)
            desc["mentioned_in"] = [p for p in desc["mentioned_in"] if p in kept_ids]
            if not desc["mentioned_in"] and desc.get("status") == "proposed":
                continue
            _keep_matches(desc, set(desc["mentioned_in"]))
        entities[eid] = desc
    for eid, desc in fresh["entities"].items():
        refs = [
            keep_ids[p]
            for p in desc.get("mentioned_in", [])
            if p in keep_ids and keep_ids[p] in report.new
        ]
        fresh_match = {
            keep_ids[p]: kind
            for p, kind in (desc.get("match") or {}).items()
            if p in keep_ids and keep_ids[p] in refs
        }
        if eid in entities:
            target = entities[eid]
            if isinstance(target, dict) and refs:
                lst = target.setdefault("mentioned_in", [])
                lst.extend(r for r in refs if r not in lst)
                if fresh_match:
                    old_match = target.get("match")
                    target["match"] = {
                        **(old_match if isinstance(old_match, dict) else {}),
                        **fresh_match,
                    }
            continue
        if eid in suggested_entities:
            continue  # deleted by the curator
        if eid.startswith("obs-"):
            sid = eid[4:].rsplit("-", 1)[0]
            if keep_ids.get(sid) in report.new:
                entities[eid] = dict(desc)
            continue
        if refs:
            desc = dict(desc)
            if "mentioned_in" in desc:
                desc["mentioned_in"] = refs
            desc.pop("match", None)
            if fresh_match:
                desc["match"] = fresh_match
            entities[eid] = desc
    # new passages' facts about figures are named after their new passage id
    for sid, pid in keep_ids.items():
        if sid != pid and pid in report.new:
            _rename_subjects(passages[pid], sid, pid, entities)
    # a new suggestion does not bring back an entity the curator deleted
    for pid in report.new:
        _drop_unknown_refs(passages[pid], set(entities) | {doc_id})
    data = dict(fresh)
    data["document"] = old.get("document", fresh["document"])
    if isinstance(data["document"], dict):
        data["document"]["text"] = text_name
    data["entities"] = {k: entities[k] for k in sorted(entities)}
    data["passages"] = passages
    data["annotate"] = dict(fresh["annotate"])
    data["annotate"]["suggested_passages"] = sorted(
        suggested | set(fresh["annotate"]["suggested_passages"])
    )
    data["annotate"]["suggested_entities"] = sorted(
        suggested_entities | set(fresh["annotate"]["suggested_entities"])
    )
    return data, report


def _keep_matches(desc: dict[str, Any], kept: set[str]) -> None:
    """Keep an entity's ``match:`` entries only for the passages it is still mentioned in."""
    match = desc.get("match")
    if isinstance(match, dict):
        match = {p: k for p, k in match.items() if p in kept}
        if match:
            desc["match"] = match
        else:
            del desc["match"]


def _rename_subjects(
    body: dict[str, Any], old_id: str, new_id: str, entities: dict[str, Any]
) -> None:
    for fact in body.get("facts") or []:
        if isinstance(fact, dict) and str(fact.get("subject", "")).startswith(f"obs-{old_id}-"):
            new = f"obs-{new_id}-" + str(fact["subject"]).rsplit("-", 1)[1]
            if fact["subject"] in entities:
                entities[new] = entities.pop(fact["subject"])
            fact["subject"] = new


def _drop_unknown_refs(body: dict[str, Any], known: set[str]) -> None:
    """Remove from a new passage's suggestions every entity that is not in the draft."""
    facts = []
    for fact in body.get("facts") or []:
        if all(
            str(fact.get(k)) in known
            for k in ("subject", "exampleOf", "observationOf", "author")
            if k in fact
        ):
            facts.append(fact)
    if facts:
        body["facts"] = facts
    else:
        body.pop("facts", None)
    for prov in body.get("provisions") or []:
        for key in ("addressee", "action", "condition", "means", "purpose"):
            if key not in prov:
                continue
            value = prov[key]
            ids = [v for v in (value if isinstance(value, list) else [value]) if v in known]
            if not ids:
                del prov[key]
            else:
                prov[key] = ids[0] if len(ids) == 1 else ids
