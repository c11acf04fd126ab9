"""Write the stored texts of reviewed Government Work Reports from the corpus.

Usage: python scripts/corpus_texts.py [--corpus FILE.jsonl] [YEAR ...]

The stored text of a corpus document is exactly ``drop_furniture(record["content"]).text``
(``policykg.authoring.corpus.furniture``). For each year given (default: the reports this
project reviewed, 2014–2019 and 2021–2024) this writes ``graphs/sources/gwr-YYYY.txt`` from the
report of that year in the corpus (``../shared/corpus/gwr-zh.jsonl`` beside the clone, or two
levels up for a worktree under ``/work/wt/NAME``), through ``write_atomic``. Running it again
changes nothing; ``tests/test_review_gwr.py`` checks the files are byte for byte what it writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policykg.authoring.corpus.furniture import drop_furniture  # noqa: E402
from policykg.core.io import write_atomic  # noqa: E402

REVIEWED = (2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024)
TITLE = "{year}年中华人民共和国国务院政府工作报告"


def find_corpus() -> Path:
    """The corpus beside the clone (CI: ``../shared``) or beside the worktrees folder."""
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "corpus" / "gwr-zh.jsonl"
        if path.is_file():
            return path
    raise SystemExit("corpus_texts: ../shared/corpus/gwr-zh.jsonl not found; give --corpus")


def report_records(corpus: Path) -> dict[int, dict[str, object]]:
    """The work reports of the corpus by year (the record's title names the year)."""
    out: dict[int, dict[str, object]] = {}
    with corpus.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            title = str(record.get("title", ""))
            if title.endswith("政府工作报告") and title[:4].isdigit():
                year = int(title[:4])
                if title != TITLE.format(year=year):
                    raise SystemExit(f"corpus_texts: {corpus}:{number}: unexpected title {title!r}")
                out[year] = record
    return out


def stored_text(record: dict[str, object]) -> str:
    """The stored text of one record: its content without the page furniture."""
    return drop_furniture(str(record["content"])).text


def main(argv: list[str] | None = None) -> int:
    """Write the stored text of each reviewed year; say which changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="the corpus JSON Lines file")
    parser.add_argument("years", nargs="*", type=int, help="the years (default: the reviewed)")
    args = parser.parse_args(argv)
    records = report_records(args.corpus or find_corpus())
    for year in args.years or REVIEWED:
        if year not in records:
            raise SystemExit(f"corpus_texts: no work report of {year} in the corpus")
        path = ROOT / "graphs" / "sources" / f"gwr-{year}.txt"
        text = stored_text(records[year])
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            write_atomic(path, text)
        said = "" if old != text else " (unchanged)"
        print(f"{path.relative_to(ROOT)}: {len(text)} characters{said}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
