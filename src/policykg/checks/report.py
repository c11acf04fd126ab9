"""What a validation found: problems, the report, and the error that carries them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from policykg.core.errors import ValidationError

__all__ = ["Problem", "Report", "ValidationFailed"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the graph.

    Attributes:
        file: the file the problem is in (relative to the project folder when inside it).
        entity: the entity concerned, by its English label and CURIE.
        rule: the rule broken (a SHACL shape's name, ``quote verbatim``, ``OWL consistency``...).
        message: what is wrong and how to fix it.
        severity: ``"violation"`` (fails validation) or ``"warning"``.
    """

    file: str
    entity: str
    rule: str
    message: str
    severity: str = "violation"

    def __str__(self) -> str:
        tail = " (warning)" if self.severity == "warning" else ""
        return f"{self.file}: {self.entity}: [{self.rule}] {self.message}{tail}"


@dataclass
class Report:
    """The result of a validation.

    Attributes:
        problems: every problem found, violations first, then sorted by file and entity.
        files: the files checked, in load order.
        triples: number of distinct triples in the union.
        consistent: HermiT's verdict; ``None`` when the OWL check did not run.
        passages: number of passages whose quote was checked against the stored text.
        timings: seconds spent per check (``load``, ``shacl``, ``evidence``, ``queries``,
            ``owl``...).
        shacl_engine: the SHACL engine that ran (``None`` when SHACL did not run).
        owl_check: how consistency was checked: ``"hermit"`` (HermiT on ontology and data),
            ``"sparql"`` (the queries of :mod:`policykg.checks.consistency`), or ``None``.
    """

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    triples: int = 0
    consistent: bool | None = None
    passages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    shacl_engine: str | None = None
    owl_check: str | None = None

    @property
    def violations(self) -> list[Problem]:
        """The problems that fail validation."""
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported as warnings only."""
        return [p for p in self.problems if p.severity != "violation"]

    @property
    def ok(self) -> bool:
        """``True`` when no violation was found."""
        return not self.violations

    def lines(self) -> list[str]:
        """Return one line per problem."""
        return [str(p) for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (``policykg validate --format json``)."""
        return {
            "ok": self.ok,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "problems": [asdict(p) for p in self.problems],
            "files": list(self.files),
            "triples": self.triples,
            "passages": self.passages,
            "consistent": self.consistent,
            "shacl_engine": self.shacl_engine,
            "owl_check": self.owl_check,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def to_json(self) -> str:
        """The report as JSON (see :meth:`as_dict`)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)


class ValidationFailed(ValidationError):
    """Validation found violations; :attr:`problems` holds them, the message is the first one."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "") -> None:
        self.problems = list(problems)
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        prefix = f"{what}: " if what else ""
        first = str(self.problems[0]) if self.problems else "validation failed"
        super().__init__(f"{prefix}{first}{more}")
