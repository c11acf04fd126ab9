"""``policykg annotate``: from a new policy text to a draft authoring source with exact evidence.

The annotator reads a UTF-8 plain-text or Markdown file and suggests, for a curator to review:

- **passages**: the sentences (pysbd for English, ``。！？；`` and line ends for Chinese), each a
  verbatim quote with its code-point offsets;
- **mentions** of known terms (:mod:`policykg.authoring.lexicon`), longest first;
- **figures** with unit, qualifier and period (:mod:`policykg.authoring.figures`);
- **enumerations** (``such as A, B and C``, ``包括A、B和C``) as examples of their head term;
- **provisions** from modality cues (:mod:`policykg.authoring.modality`): the modality, the cue,
  the addressee when an actor is the subject before the cue (never guessed: ``They should`` names
  no one), the action after it and the condition of an ``if`` clause;
- **new term candidates**: recurring phrases that are not in the lexicon, with their counts.

Everything is written in the authoring format (``docs/DESIGN.md``) with ``status: proposed`` on
every suggestion; the compiler refuses a source that still holds one
(:mod:`policykg.authoring.status`). The output is deterministic: the same text, options and graph
give the same draft, byte for byte.

The drafter is a pipeline of stages, one module each: :mod:`.reading` (the file, its language,
its sentences), the lexicon's mentions (:mod:`policykg.authoring.lexicon`) and
:mod:`.speakers` (evidence beyond the words, reported speakers), :mod:`.figuring` (figures and
enumerations), :mod:`.addressees` (who a provision addresses, who reports it) and
:mod:`.provisioning` (modality, action, roles), :mod:`.candidates` (new terms),
:mod:`.pipeline` (all of them over one text), :mod:`.draft` (the YAML) and :mod:`.update`
(``--update``).
"""

from __future__ import annotations

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.draft import draft_mapping, draft_yaml, dump_draft, quote_digest
from policykg.authoring.annotate.figuring import MAX_FIGURES
from policykg.authoring.annotate.model import (
    Annotation,
    Enumeration,
    FigureSuggestion,
    ProvisionSuggestion,
    Ref,
    _slug,
)
from policykg.authoring.annotate.pipeline import _Annotator, annotate_text
from policykg.authoring.annotate.reading import (
    MAX_SENTENCE,
    MAX_TEXT_BYTES,
    Sentence,
    _gc_paused,
    bounded_spans,
    detect_language,
    read_text,
    split_sentences,
)
from policykg.authoring.annotate.update import UpdateReport, load_draft, update_draft

__all__ = [
    "MAX_FIGURES",
    "MAX_SENTENCE",
    "MAX_TEXT_BYTES",
    "Annotation",
    "Enumeration",
    "FigureSuggestion",
    "ProvisionSuggestion",
    "Ref",
    "Sentence",
    "UpdateReport",
    "_Annotator",
    "_Base",
    "_gc_paused",
    "_slug",
    "annotate_text",
    "bounded_spans",
    "detect_language",
    "draft_mapping",
    "draft_yaml",
    "dump_draft",
    "load_draft",
    "quote_digest",
    "read_text",
    "split_sentences",
    "update_draft",
]
