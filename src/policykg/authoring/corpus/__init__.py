"""A corpus of documents: records read from JSON Lines, their page furniture dropped."""

from __future__ import annotations

from .furniture import Cleaned, drop_furniture

__all__ = ["Cleaned", "drop_furniture"]
