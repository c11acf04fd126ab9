"""The CSV format of ``policykg add``: a new document as rows, read into an authoring mapping."""

from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from policykg.authoring.compiler import (
    OntologyIndex,
)
from policykg.core.errors import AuthoringError, ParseError
from policykg.core.io import read_text_file
from policykg.core.namespaces import PKG

__all__ = ["CSV_COLUMNS", "csv_to_mapping", "dump_yaml", "read_csv_source"]

#: The columns of the CSV format read by ``policykg add`` (any order; missing ones are empty).
CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "type",
    "label",
    "zh",
    "alt",
    "alt_zh",
    "predicate",
    "object",
    "passage",
    "quote",
    "occurrence",
    "text",
)


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d+$")


def _scalar(cell: str) -> Any:
    """Type a CSV value the way YAML would: integer, decimal, date, else text."""
    if _INT.match(cell):
        return int(cell)
    if _DATE.match(cell):
        try:
            return _dt.date.fromisoformat(cell)
        except ValueError:
            return cell
    if re.match(r"^-?\d+\.\d+$", cell):
        try:
            return float(Decimal(cell))
        except InvalidOperation:
            return cell
    return cell


def read_csv_source(path: Path) -> list[dict[str, str]]:
    """Read the rows of a CSV source; a malformed file raises a one-line ParseError."""
    text = read_text_file(path, encoding="utf-8-sig")
    try:
        reader = csv.DictReader(text.splitlines(), strict=True)
        header = [h.strip() for h in reader.fieldnames or []]
        rows = []
        for row in reader:
            if None in row:
                raise ParseError(f"{path}:{reader.line_num}: more cells than columns")
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        raise ParseError(f"{path}:{reader.line_num}: CSV syntax error: {exc}") from None
    if "kind" not in header or "id" not in header:
        raise ParseError(
            f"{path}:1: the header needs at least the columns 'kind' and 'id' "
            f"(columns: {', '.join(CSV_COLUMNS)})"
        )
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise ParseError(
            f"{path}:1: unknown column(s) {', '.join(unknown)} (columns: {', '.join(CSV_COLUMNS)})"
        )
    return rows


def csv_to_mapping(
    rows: Sequence[Mapping[str, str]], *, source: Path, ontology: OntologyIndex
) -> dict[str, Any]:
    """Convert CSV rows into the YAML authoring mapping (see ``docs/extending.md``).

    One row per item, ``kind`` saying which: ``document`` (id, type, label = title, text = the
    stored text file), ``passage`` (id, quote, optional occurrence), ``entity`` (id, type, label,
    zh, alt, alt_zh; ``|`` separates several values; passage = extra evidence passages) and
    ``fact`` (id = subject, predicate, object, passage). A ``fact`` row without a passage whose
    subject is the document sets a field of the document record (publisher, year...).
    """
    where = str(source)
    document: dict[str, Any] = {}
    entities: dict[str, Any] = {}
    passages: dict[str, Any] = {}
    doc_fields: list[tuple[int, str, str]] = []
    facts: list[tuple[int, dict[str, str]]] = []
    for n, row in enumerate(rows, 2):
        kind = row.get("kind", "").lower()
        rid = row.get("id", "")
        at = f"{where}:{n}"
        if kind == "document":
            if document:
                raise AuthoringError(
                    f"{at}: a CSV source describes one document; found a second 'document' row"
                )
            document = {
                "id": rid,
                "type": row.get("type") or "Document",
                "text": row.get("text", ""),
                "title": row.get("label", ""),
            }
        elif kind == "entity":
            if rid in entities:
                raise AuthoringError(f"{at}: entity '{rid}' is declared twice")
            types = _split(row.get("type", ""))
            desc: dict[str, Any] = {
                "type": types[0] if len(types) == 1 else types,
                "label": row.get("label", ""),
            }
            if row.get("zh"):
                desc["zh"] = row["zh"]
            for key in ("alt", "alt_zh"):
                if row.get(key):
                    desc[key] = _split(row[key])
            if row.get("passage"):
                desc["mentioned_in"] = _split(row["passage"])
            entities[rid] = desc
        elif kind == "passage":
            if rid in passages:
                raise AuthoringError(f"{at}: passage '{rid}' is declared twice")
            body: dict[str, Any] = {"quote": row.get("quote", ""), "facts": []}
            if row.get("occurrence"):
                if not _INT.match(row["occurrence"]):
                    raise AuthoringError(
                        f"{at}: occurrence must be a number, got {row['occurrence']!r}"
                    )
                body["occurrence"] = int(row["occurrence"])
            passages[rid] = body
        elif kind == "fact":
            facts.append((n, dict(row)))
        elif kind or any(row.values()):
            raise AuthoringError(
                f"{at}: unknown kind {kind!r} (use document, entity, passage or fact)"
            )
    if not document:
        raise AuthoringError(
            f"{where}: needs one 'document' row (id, type, label = title, text = stored text file)"
        )
    for n, row in facts:
        at = f"{where}:{n}"
        subject, pred, obj, pid = (
            row.get("id", ""),
            row.get("predicate", ""),
            row.get("object", ""),
            row.get("passage", ""),
        )
        if not subject or not pred or obj == "":
            raise AuthoringError(f"{at}: a fact row needs id (the subject), predicate and object")
        value: Any = obj
        is_object_property = pred.removeprefix("pkg:") in {
            str(p).removeprefix(str(PKG)) for p in ontology.object_properties
        }
        if not is_object_property:
            value = _scalar(obj)
        if not pid:
            if subject != document["id"]:
                raise AuthoringError(
                    f"{at}: fact [{subject}, {pred}, {obj}] needs the passage that states it"
                )
            doc_fields.append((n, pred, value))
            continue
        if pid not in passages:
            raise AuthoringError(f"{at}: fact names unknown passage '{pid}'")
        passages[pid]["facts"].append([subject, pred, value])
    for _n, pred, value in doc_fields:
        document[pred] = value
    return {"document": document, "entities": entities, "passages": passages}


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Dump an authoring mapping as YAML, facts and label lists in flow style ([a, b, c])."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
        flow = all(not isinstance(x, (list, dict)) for x in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
