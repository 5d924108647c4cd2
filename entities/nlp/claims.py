"""Claims: facts that change over time, with the sentence that states them (pure Python).

The first kind is membership. Who belongs to an alliance changes (« la Finlande a rejoint
l'OTAN », « le Niger a quitté la CEDEAO ») and is told in two ways, both kept as claims with their
date and sentence, so that an analyst can ask who was a member of a body at a date, and which
article says so:

* a MEMBERSHIP event: its actor and participants (states and bodies) joined, left, were
  suspended from or reinstated in its organisation;
* a list of members (« Les États membres du G5 Sahel sont la Mauritanie, le Mali… », « L'AES
  regroupe le Mali, le Burkina Faso et le Niger »): each listed state is a member, at the
  publication date (the article's present tense).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from entities.nlp.types import ClaimSpan, EntitySpan, EventSpan

PREDICATES = ("joined", "left", "suspended", "reinstated", "member")
# A member after these; not one after the others.
MEMBER_AFTER = frozenset({"joined", "reinstated", "member"})

_LEFT = re.compile(r"quitt|retir|retrait|départ|sorti|claqu", re.IGNORECASE)
_SUSPENDED = re.compile(r"suspen", re.IGNORECASE)
_REINSTATED = re.compile(r"réintégr|reintegr|réadmi|levé la suspension", re.IGNORECASE)
# A body's members listed after « sont », « : », « regroupe », « composé(e) de »…
_LIST_CUE = re.compile(
    r"\b(?:sont|regroupe(?:nt)?|rassemble(?:nt)?|réunit|comprend|compte|composée?s? de|formée?s? de)\b|:",
    re.IGNORECASE,
)
_MEMBERS_WORD = re.compile(r"\bmembres?\b", re.IGNORECASE)
_GROUPING_VERB = re.compile(r"\b(?:regroupe(?:nt)?|rassemble(?:nt)?|réunit|composée?s? de|formée?s? de)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def membership_predicate(trigger: str) -> str:
    if _REINSTATED.search(trigger):
        return "reinstated"
    if _SUSPENDED.search(trigger):
        return "suspended"
    if _LEFT.search(trigger):
        return "left"
    return "joined"


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _from_events(entities: Sequence[EntitySpan], events: Sequence[EventSpan]) -> list[ClaimSpan]:
    claims = []
    for index, event in enumerate(events):
        if event.type != "MEMBERSHIP":
            continue
        bodies = [a.entity for a in event.arguments if a.role == "organisation" and entities[a.entity].label == "ORG"]
        members = [
            a.entity
            for a in event.arguments
            if a.role in ("actor", "participant") and entities[a.entity].label in ("GPE", "ORG")
        ]
        predicate = membership_predicate(event.trigger_text)
        for body in bodies:
            for member in members:
                if entities[member].group == entities[body].group:
                    continue
                claims.append(
                    ClaimSpan(
                        "membership", predicate, member, body, event.sentence_start, event.sentence_end,
                        event.date_value, event.date_precision, round(event.confidence * 0.9, 3), index,
                    )
                )  # fmt: skip
    return claims


def _from_lists(text: str, entities: Sequence[EntitySpan], published: dt.date | None) -> list[ClaimSpan]:
    claims = []
    for start, end in _sentences(text):
        sentence = text[start:end]
        if not (_MEMBERS_WORD.search(sentence) or _GROUPING_VERB.search(sentence)):
            continue
        cue = _LIST_CUE.search(sentence)
        if cue is None:
            continue
        at = start + cue.start()
        inside = [i for i, e in enumerate(entities) if start <= e.start and e.end <= end]
        bodies = [i for i in inside if entities[i].label == "ORG" and entities[i].end <= at]
        members = [i for i in inside if entities[i].label == "GPE" and entities[i].start >= at]
        if not bodies or len(members) < 2:
            continue  # one state after « sont » is no list of members
        body = bodies[-1]  # the body named last before the list: « les États membres du G5 Sahel sont »
        for member in members:
            claims.append(
                ClaimSpan(
                    "membership", "member", member, body, start, end,
                    published.isoformat() if published else None, "day" if published else None, 0.6,
                )
            )  # fmt: skip
    return claims


def find_claims(
    text: str, entities: Sequence[EntitySpan], events: Sequence[EventSpan], published: dt.date | None
) -> list[ClaimSpan]:
    """Membership claims of one article, from its MEMBERSHIP events and its lists of members."""
    claims = _from_events(entities, events)
    seen = {(c.subject, c.object, c.predicate) for c in claims}
    for claim in _from_lists(text, entities, published):
        if (claim.subject, claim.object, claim.predicate) not in seen:
            seen.add((claim.subject, claim.object, claim.predicate))
            claims.append(claim)
    return claims
