"""English reporting verbs: one closed-class vocabulary, and the pattern each stage reads it with.

Wire copy and official translations report speech with a small, closed set of verbs ("said",
"stressed", "pointed out", "urged", ...). The stages read them in four roles, each a pattern
built here from :data:`REPORTING_VERBS` (docs/annotate-en.md, "Reporting verbs"):

* the verb of a reporting clause, whose subject is the speaker ("Li said", "the ministry on
  Monday called for"): :data:`REPORT_VERB`;
* a reporting clause set between commas inside what it reports ("Local governments, the circular
  said, must ..."): :data:`ASIDE`;
* a reporting verb (and "that") before the subject of what it reports ("Xinhua reported that
  officials must ..."): :data:`REPORTED_THAT`;
* the inverted clause after a quotation or a comma (", said Li Qiang"): :data:`SAID_NAME`;
* a verb of emphasis before "the need to" / "the importance of" (a necessity the speaker names):
  :data:`EMPHASIS_BEFORE`.

Some reporting verbs also direct: "X urged / called on / demanded that / appealed to Y ..." asks
something of Y, "X called for ..." names what is needed. Their forms are modality cues
(:data:`DIRECTIVE_CUES`), and those that name an addressee after them are :data:`OBJECT_CUES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ASIDE",
    "CALLED_ALL",
    "DIRECTIVE_BASES",
    "DIRECTIVE_CUES",
    "EMPHASIS_BEFORE",
    "FINITE",
    "OBJECT_CUES",
    "REPORTED_THAT",
    "REPORTING_VERBS",
    "REPORT_VERB",
    "SAID_NAME",
    "ReportingVerb",
    "finite_forms",
]


@dataclass(frozen=True)
class ReportingVerb:
    """One reporting verb: its base form, finite forms (past, third person) and -ing forms.

    ``directs``: the modality of what it asks when it also directs ("" when it only reports);
    ``object``: what follows it before its addressee's action ("to" for "urged Y to", "that" for
    "demanded that Y ..."; "" when it names no addressee: "called for"); ``inverts``: wire copy
    puts it before its subject (", said Li"); ``emphasis``: it takes "the need to" / "the
    importance of" as its object ("stressed the need to").
    """

    base: str
    finite: tuple[str, ...]
    ing: tuple[str, ...]
    directs: str = ""
    object: str = ""
    inverts: bool = False
    emphasis: bool = False


def _verb(base: str, finite: str, ing: str, roles: str = "") -> ReportingVerb:
    flags = roles.split()
    directs = next((f.split(":")[1] for f in flags if f.startswith("directs:")), "")
    obj = next((f.split(":")[1] for f in flags if f.startswith("object:")), "")
    return ReportingVerb(
        base,
        tuple(finite.split("|")),
        tuple(ing.split("|")),
        directs,
        obj,
        "inverts" in flags,
        "emphasis" in flags,
    )


#: The closed class. A third-person form that is more often a noun ("remarks", "orders",
#: "states") is left out of the finite forms: "the United States", "his remarks" report nothing.
REPORTING_VERBS: tuple[ReportingVerb, ...] = (
    _verb("say", "said|says", "saying", "inverts"),
    _verb("add", "added|adds", "adding", "inverts"),
    _verb("note", "noted|notes", "noting", "inverts emphasis"),
    _verb("stress", "stressed|stresses", "stressing", "inverts emphasis"),
    _verb("emphasize", "emphasized|emphasised|emphasizes|emphasises", "emphasizing|emphasising",
          "emphasis"),
    _verb("underscore", "underscored|underscores", "underscoring", "emphasis"),
    _verb("underline", "underlined|underlines", "underlining", "emphasis"),
    _verb("highlight", "highlighted|highlights", "highlighting", "emphasis"),
    _verb("reiterate", "reiterated|reiterates", "reiterating", "emphasis"),
    _verb("point out", "pointed out|points out", "pointing out"),
    _verb("tell", "told|tells", "telling"),
    _verb("remark", "remarked", "remarking"),
    _verb("declare", "declared|declares", "declaring"),
    _verb("state", "stated", "stating"),
    _verb("pledge", "pledged|pledges", "pledging"),
    _verb("vow", "vowed|vows", "vowing"),
    _verb("warn", "warned|warns", "warning", "inverts"),
    _verb("report", "reported|reports", "reporting"),
    _verb("announce", "announced|announces", "announcing"),
    _verb("observe", "observed|observes", "observing"),
    _verb("affirm", "affirmed|affirms", "affirming"),
    _verb("explain", "explained|explains", "explaining", "inverts"),
    _verb("insist", "insisted|insists", "insisting"),
    _verb("instruct", "instructed|instructs", "instructing"),
    _verb("order", "ordered", "ordering"),
    _verb("urge", "urged|urges", "urging", "directs:obligation object:to"),
    _verb("call on", "called on|calls on", "calling on", "directs:obligation object:to"),
    _verb("call upon", "called upon|calls upon", "calling upon", "directs:obligation object:to"),
    _verb("demand", "demanded|demands", "demanding", "directs:obligation object:that"),
    _verb("call for", "called for|calls for", "calling for", "directs:necessity"),
    # an appeal asks, it does not order (呼吁 is rendered "appealed to"): a recommendation
    _verb("appeal to", "appealed to|appeals to", "appealing to",
          "directs:recommendation object:to"),
)  # fmt: skip


def _longest_first(forms: Iterable[str]) -> list[str]:
    """``forms`` once each, longest first (an alternation tries "called on" before "called")."""
    return sorted(set(forms), key=lambda f: (-len(f), f))


def finite_forms(*, directing: bool = True) -> list[str]:
    """Every finite form of the vocabulary, longest first (optionally without directing verbs)."""
    return _longest_first(
        f for v in REPORTING_VERBS if directing or not v.directs for f in v.finite
    )


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


def _cue_key(v: ReportingVerb, form: str) -> str:
    return f"{form} that" if v.object == "that" else form


#: the directing verbs' forms as modality cues, with their modality: "urged", "call on",
#: "demanded that", "called for" (the base form too: "we call on", "leaders urge")
DIRECTIVE_CUES: dict[str, str] = {
    _cue_key(v, f): v.directs for v in REPORTING_VERBS if v.directs for f in (v.base, *v.finite)
}
#: the base forms among them: after an article they are nouns ("the urge to", "a call on")
DIRECTIVE_BASES: frozenset[str] = frozenset(
    _cue_key(v, v.base) for v in REPORTING_VERBS if v.directs
)
#: the cues that direct their object ("urged local governments to", "demanded that firms")
OBJECT_CUES: frozenset[str] = frozenset(
    _cue_key(v, f) for v in REPORTING_VERBS if v.object for f in (v.base, *v.finite)
)

_FINITE = _alt(finite_forms())
#: every finite form as one alternation (for a pattern of another stage: a person's mention
#: followed by a reporting verb, :data:`policykg.authoring.annotate.vocab._REPORTING`)
FINITE = _FINITE
_REPORTING_ONLY = _alt(finite_forms(directing=False))
#: "on Monday", "in Beijing", "at a meeting", "on May 3": an adjunct after a reporting verb
_ADJUNCT = r"(?:\s+(?:on|in|at)\s+(?:(?:a|an|the)\s+)?[\w'’-]+(?:\s+\d{1,2})?)?"

#: the verb of a reporting clause: its subject is the speaker
REPORT_VERB = re.compile(rf"\b(?:{_FINITE})\b")
#: a reporting clause between commas inside what it reports: ", the circular said," /
#: ", Li stressed on Monday,": all of it is left out between a subject and its verb
ASIDE = re.compile(rf"^\s*,[^,;:]{{1,60}}\b(?:{_REPORTING_ONLY}){_ADJUNCT}\s*,\s*$")
#: a reporting verb (and "that") before the subject of what it reports (on lower-cased words)
REPORTED_THAT = re.compile(rf"\b(?:{_FINITE}){_ADJUNCT}(?:\s+that\b)?")
#: the inverted reporting clause: ", said Li Qiang", '" added Wang' (a pattern's source: the
#: name that follows is the stage's)
_INVERTING = _alt(sorted({f for v in REPORTING_VERBS if v.inverts for f in v.finite}))
SAID_NAME = rf"(?:^|[,\"”]\s*)(?:{_INVERTING})\s+"
#: a verb of emphasis right before a cue ("stressed the need to", "highlighting the importance
#: of", "we must stress the need for"): the cue names what the speaker holds necessary
_EMPHASIS = _alt(
    _longest_first(f for v in REPORTING_VERBS if v.emphasis for f in (v.base, *v.finite, *v.ing))
)
EMPHASIS_BEFORE = re.compile(rf"\b(?:{_EMPHASIS})\s+$", re.IGNORECASE)

#: nouns of a whole people ("the people", "the whole nation", "all sectors of society")
_PEOPLE = (
    r"people|public|nation|country|society|masses|citizens|compatriots|populace|everyone|"
    r"everybody|all\s+sectors\s+of\s+society|(?:whole|entire)\s+Party"
)
#: the addressee of a directing verb that is a whole people: "called on the people of all ethnic
#: groups to", "urged the whole nation to", "appealed to all to". A call on everyone is an
#: exhortation, not a duty of someone who answers for it (as 号召 / 呼吁 are in Chinese): a
#: recommendation (docs/annotate-en.md, "Calls on a whole people")
CALLED_ALL = re.compile(
    rf"\s+(?:all(?=\s+to\b)|(?:(?:all|the)\s+)?(?:(?:whole|entire|general|broad)\s+)?"
    rf"(?:Chinese\s+)?(?:{_PEOPLE})(?=\s+(?:to|of|across|nationwide|at\s+large|and|in)\b|\s*[,;]))",
    re.IGNORECASE,
)
