"""Reads of claims: who was a member of a body at a date, and which article says so."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from entities.models import Claim, Entity, Status
from entities.nlp.claims import MEMBER_AFTER


@dataclass
class MemberState:
    """One state or body's membership of a body at a date, with the claims behind it."""

    member: Entity
    is_member: bool
    decisive: Claim  # the latest claim at that date
    claims: list[Claim] = field(default_factory=list)  # every claim on the pair, oldest first
    contradicted_by: list[Claim] = field(default_factory=list)  # claims of that same time saying otherwise


def claim_date(claim: Claim) -> str:
    """The claim's own date, else its article's day of publication (the present tense of the article)."""
    if claim.date_value:
        return claim.date_value
    published = claim.article.published_at
    return timezone.localtime(published).date().isoformat() if published else ""


def _same_time(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return bool(a and b) and a[:n] == b[:n]


def _at_or_before(date: str, when: str) -> bool:
    return bool(date) and date[: len(when)] <= when


def membership_at(body: Entity, when: str | None = None) -> list[MemberState]:
    """Every state or body some article says joined, left or belongs to ``body``, and its membership at
    ``when`` (ISO at any precision; None: the latest), decided by the latest claim up to that date.

    A claim dated in the same period as the deciding one but saying the opposite is listed as a
    contradiction. Rejected claims are left out. Members never claimed before ``when`` are not listed.
    """
    claims = list(
        Claim.objects.filter(object=body, kind=Claim.Kind.MEMBERSHIP)
        .exclude(status=Status.REJECTED)
        .select_related("subject", "article", "article__source")
        .order_by("pk")
    )
    by_member: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        claim.when = claim_date(claim)
        by_member[claim.subject_id].append(claim)
    states = []
    for member_claims in by_member.values():
        member_claims.sort(key=lambda c: (c.when, c.pk))
        upto = [c for c in member_claims if c.when and (when is None or _at_or_before(c.when, when))]
        if not upto:
            continue
        decisive = upto[-1]
        is_member = decisive.predicate in MEMBER_AFTER
        contradicted = [
            c for c in upto if (c.predicate in MEMBER_AFTER) != is_member and _same_time(c.when, decisive.when)
        ]
        states.append(MemberState(decisive.subject, is_member, decisive, member_claims, contradicted))
    states.sort(key=lambda s: (not s.is_member, s.member.name.casefold()))
    return states
