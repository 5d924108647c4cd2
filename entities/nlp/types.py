"""What the pipeline returns (pure Python, no Django, no spaCy objects).

Every offset is a character offset into the text the pipeline was given, which
is the article's stored text: ``text[start:end] == span.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = ("PER", "ORG", "GPE", "LOC", "MISC")
PRECISIONS = ("day", "month", "year")
EVENT_TYPES = (
    "MEETING",
    "VISIT",
    "MEMBERSHIP",
    "AGREEMENT",
    "COOPERATION",
    "FOUNDING",
    "LAUNCH",
    "EXERCISE",
    "ATTACK",
    "CONDEMNATION",
    "PRAISE",
    "ARREST",
)
ARGUMENT_ROLES = ("actor", "counterpart", "target", "participant", "location", "organisation")


@dataclass(frozen=True)
class EntitySpan:
    """A mention of a person, organisation or place."""

    start: int
    end: int
    text: str
    label: str  # one of LABELS
    confidence: float  # 0..1
    # Spans of one article that refer to the same thing share a group number
    # (« Mohamed Hassad » and later « M. Hassad »; « Direction générale de la
    # sécurité intérieure » and « DGSI »; « l'Alliance » after « OTAN »).
    group: int
    # Best name for the group within this article (the longest full form), and
    # the other surface forms seen for it (acronyms, short forms).
    canonical: str
    aliases: tuple[str, ...] = ()
    source: str = "model"  # "model" | "gazetteer" | "rule"


@dataclass(frozen=True)
class RoleSpan:
    """A title or function (« ministre espagnol de l'Intérieur ») held by an entity."""

    start: int
    end: int
    text: str
    role: str  # normalised role name, e.g. "ministre de l'Intérieur"
    holder: int | None  # index into ExtractionResult.entities of the person holding it
    of: int | None  # index of the country / organisation it is held for, when given
    of_name: str | None  # the country or body as written when it is not an entity (« espagnol » -> "Espagne")
    confidence: float


@dataclass(frozen=True)
class DateSpan:
    """A date expression normalised relative to the publication date."""

    start: int
    end: int
    text: str
    value: str  # ISO at its precision: "2022-03-29", "2022-03", "2022"
    precision: str  # one of PRECISIONS
    end_value: str | None = None  # for ranges (« les 12 et 13 octobre »): last day, same precision
    confidence: float = 0.8


@dataclass(frozen=True)
class EventArgument:
    role: str  # one of ARGUMENT_ROLES
    entity: int  # index into ExtractionResult.entities


@dataclass(frozen=True)
class EventSpan:
    type: str  # one of EVENT_TYPES
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence_start: int
    sentence_end: int
    arguments: tuple[EventArgument, ...]
    date: int | None  # index into ExtractionResult.dates, the event's own date
    date_value: str | None  # ISO at its precision (from the clause, else the dateline / publication date)
    date_precision: str | None
    confidence: float
    historical: bool = False  # « fondée en 2015 »: a past event mentioned in passing


@dataclass(frozen=True)
class ClaimSpan:
    """A fact that changes over time, with the sentence stating it: first of all membership
    (``subject`` joined / left / was suspended from / was reinstated in / is a member of ``object``)."""

    kind: str  # "membership"
    predicate: str  # joined | left | suspended | reinstated | member
    subject: int  # index into ExtractionResult.entities (the state or body)
    object: int  # index into ExtractionResult.entities (the body)
    start: int  # the sentence stating it
    end: int
    date_value: str | None
    date_precision: str | None
    confidence: float
    event: int | None = None  # index into ExtractionResult.events


@dataclass(frozen=True)
class ExtractionResult:
    pipeline_version: str = ""
    entities: list[EntitySpan] = field(default_factory=list)
    roles: list[RoleSpan] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    events: list[EventSpan] = field(default_factory=list)
    claims: list[ClaimSpan] = field(default_factory=list)
    # Each header line given with the text (headline, rubric, « Lire aussi » link) and the persons
    # it names as (surface, name): cleaning keeps those lines out of the text, so they have no
    # offsets. Keyed by the line itself, so the store never depends on the order it was given in.
    header_persons: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
