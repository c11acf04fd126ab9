"""The answer of the server's routes and query workers: status, content type, body, headers."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Answer", "error"]


@dataclass
class Answer:
    """An HTTP answer produced by a worker or the app: status, content type, body, headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str) -> Answer:
    """A plain-text error answer: ``message`` on one line."""
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))
