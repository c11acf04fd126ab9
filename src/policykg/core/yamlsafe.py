"""The one YAML loader for every authoring source and draft: safe constructors, no aliases.

A few lines of YAML aliases (``&a`` / ``*a``) can expand to gigabytes (the "billion laughs"),
and no source or draft needs them. :func:`load_yaml_text` scans the parser's events first and
refuses the first alias at its line, before any value is built; :func:`load_yaml_file` also
reads the file (UTF-8) and names it in every error. Both raise :class:`ParseError` with
``file:line:column``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykg.core.errors import ParseError
from policykg.core.io import read_text_file

__all__ = ["ALIAS_REFUSED", "load_yaml_file", "load_yaml_text"]

#: The message of a refused alias (after ``file:line:column:``).
ALIAS_REFUSED = "YAML aliases (*name) are not allowed in an authoring source; write the value out"


def _where(name: str, mark: Any) -> str:
    if mark is None:
        return name
    return f"{name}:{int(mark.line) + 1}:{int(mark.column) + 1}"


def load_yaml_text(text: str, where: str | Path = "<yaml>") -> Any:
    """Load YAML ``text`` with the safe constructors, refusing aliases.

    libyaml's parser (``CSafeLoader``) is used when PyYAML has it, the pure-Python
    ``SafeLoader`` otherwise; both build the same values.

    Args:
        text: the YAML text.
        where: the file (or a description) named in error messages.

    Raises:
        ParseError: a syntax error or an alias, as ``where:line:column: ...``.
    """
    import yaml

    name = str(where)
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise ParseError(f"{_where(name, event.start_mark)}: {ALIAS_REFUSED}")
        return yaml.load(text, Loader=loader)  # a safe loader: CSafeLoader or SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ParseError(
            f"{_where(name, mark)}: YAML syntax error: {exc.problem or exc.context}"
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(f"{name}: YAML error: {first}") from None
    except RecursionError:
        raise ParseError(f"{name}: YAML nested too deeply") from None


def load_yaml_file(path: str | Path) -> tuple[Any, str]:
    """Read and load a YAML file (see :func:`load_yaml_text`).

    Returns:
        The loaded value and the file's text.

    Raises:
        ParseError: the file cannot be read, is not UTF-8, has a syntax error or an alias.
    """
    p = Path(path)
    text = read_text_file(p)
    return load_yaml_text(text, p), text
