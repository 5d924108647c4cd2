"""Clean article text pasted from news sites.

Pure Python (no Django) so ingest, bulk import and the benchmarks share it.
``clean_article`` returns the body that every span offset will refer to, plus
what was found (and taken out) on the way: headline, rubric, dateline, agency.

The rule above all others: never drop a sentence of the body. Junk goes only
when a *whole* line matches, datelines only at the very start of the body.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class PartialDate:
    """A date known to some precision; ``value`` is the first day of the period."""

    value: datetime.date
    precision: Precision
    time: datetime.time | None = None


@dataclass(frozen=True)
class Removed:
    kind: str  # title rubric dateline copyright advertisement read_also social breadcrumb agency_credit
    text: str  # exactly as it stood in the normalised input (surrounding spaces stripped)


@dataclass(frozen=True)
class CleanedArticle:
    text: str
    title: str
    title_inferred: bool
    published: PartialDate | None
    dateline_place: str | None
    agency: str | None
    rubric: str | None
    removed: tuple[Removed, ...]


# --- normalisation ---------------------------------------------------------------------

# Line breaks other than "\n" that pastes carry (old Mac, Word, Unicode LS/PS, NEL).
_LINE_BREAK_RE = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
# Controls are invisible and would silently shift offsets shown to analysts.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Zero-width, soft hyphen and bidi marks: invisible, and they split words for search/NER.
_INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# NBSP, narrow NBSP (before « ; : »), thin spaces...: one kind of space is enough.
_SPACE_RE = re.compile(r"[^\S\n\t]")
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def _normalize(raw: str) -> str:
    text = _LINE_BREAK_RE.sub("\n", raw)
    text = _CONTROL_RE.sub("", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    # NFC last: removing invisibles can bring a letter next to its combining accent.
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def normalize_for_hash(text: str) -> str:
    """Key for duplicate detection: NFC, whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- junk lines (always matched against the WHOLE stripped line) ------------------------

# fmt: off
_AGENCIES = {
    name.casefold(): name
    for name in (
        "AFP", "AP", "APS", "APA", "MAP", "Reuters", "DPA", "EFE", "ANSA", "Xinhua",
        "Anadolu", "TAP", "ATS", "AIP", "AIB", "ANP", "AMI", "ACP", "Belga", "MENA",
        "PANA", "Sputnik", "UPI", "Bloomberg", "IRNA", "TASS", "Europa Press", "Lusa", "Kyodo", "Yonhap",
    )
}
# fmt: on
_KNOWN_AGENCY = "(?i:" + "|".join(sorted(map(re.escape, _AGENCIES.values()), key=len, reverse=True)) + r")(?![^\W\d_])"
_KNOWN_AGENCY_RE = re.compile(_KNOWN_AGENCY)

_RIGHTS = (
    r"(?i:(?:tous\s+)?droits\s+r[ée]serv[ée]s|all\s+rights\s+reserved"
    r"|reproduction\s+(?:totale\s+ou\s+partielle\s+)?interdite(?:\s+sans\s+autorisation)?)"
)
_COPYRIGHT_RE = re.compile(
    # "© 2024 Le Monde", "Copyright © ...", "(c) 2023 ..." but not a list item "(c) les frais..."
    r"(?:©|\((?i:c)\)\s*(?:[0-9]{4}|(?i:copyright))|(?i:copyright)\s*(?:©|\((?i:c)\)|[0-9]{4})).{0,200}"
    r"|(?i:copyright)(?:\s+[^\s.!?]+){0,4}"  # "Copyright Le360": a name, not a sentence
    # "Le Monde - Tous droits réservés": a prefix without sentence punctuation.
    rf"|(?:[^.!?]{{1,60}}\s[-–—|]\s)?{_RIGHTS}(?:\s*[-–—|.,]\s*{_RIGHTS})*(?:\s*©.{{0,80}})?\.?"
)
_ADVERT_RE = re.compile(
    r"[\s\-–—•|*_]*(?i:advertisement|publicit[ée]|pub|annonce|(?:contenu\s+)?sponsoris[ée])"
    r"[\s\-–—•|*_:]*"
)
# A "read also" line is a link: after the marker comes a separator, a capitalised
# link title without final period, or nothing. "Lire aussi les rapports..." stays.
_READ_ALSO_RE = re.compile(
    r"[\s»>›→•*-]*(?i:(?:[àa]\s+)?(?:lire|voir)\s+(?:aussi|[ée]galement)|lire\s+la\s+suite"
    r"|sur\s+le\s+m[êe]me\s+sujet|read\s+more|related)"
    r"(?:\s*(?:[:>»›→|–—-]|\.{3}|…).*|\s+[«\"“A-ZÀ-ÖØ-ÞŒ0-9].*[^.]|\s*)"
)
_SOCIAL_TOKEN = (
    r"(?i:partager(?:\s+(?:sur|via)\s+\w+|\s+(?:l'|cet\s+)article)?|tweet(?:er)?|imprimer"
    r"|envoyer(?:\s+par\s+e-?mail)?|facebook|twitter|linkedin|whatsapp|telegram|e-?mail"
    r"|copier\s+le\s+lien|lien\s+copi[ée]|commenter|s'abonner|abonnez-vous"
    r"|suivez-nous(?:\s+sur\s+\w+)?)"
)
_SOCIAL_RE = re.compile(rf"{_SOCIAL_TOKEN}(?:[\s|•·,/]+{_SOCIAL_TOKEN})*\s*:?")
# "Accueil > International > Afrique": site navigation that would pass for a headline.
_BREADCRUMB_RE = re.compile(r"(?i:accueil|home)(?:\s*[>›»/|]\s*[^>›»/|.!?]{1,60}){1,6}\s*[>›»/|]?")
_JUNK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("copyright", _COPYRIGHT_RE),
    ("advertisement", _ADVERT_RE),
    ("read_also", _READ_ALSO_RE),
    ("social", _SOCIAL_RE),
    ("breadcrumb", _BREADCRUMB_RE),
)
_MAX_JUNK_LINE = 250  # longer lines are body paragraphs, whatever they start with

# An agency credit alone on the last line: "AFP", "(AFP)", "— AFP", "Le Monde avec AFP".
_AGENCY_LIST = rf"{_KNOWN_AGENCY}(?:\s*(?:/|,|&|(?i:et))\s*{_KNOWN_AGENCY})*"
_AGENCY_CREDIT_RE = re.compile(
    r"[—–-]?\s*\(?\s*"
    r"(?:(?:[^\s()]+\s+){1,3}?(?i:avec)\s+|(?i:avec)\s+|(?i:sources?)\s*:\s*)?"
    rf"(?P<agencies>{_AGENCY_LIST})\s*\)?\.?"
)


def _junk_kind(line: str) -> str | None:
    if len(line) > _MAX_JUNK_LINE:
        return None
    for kind, pattern in _JUNK_PATTERNS:
        if pattern.fullmatch(line):
            return kind
    return None


# What surrounds the holder's name in a copyright line: the sign, the word, years, the rights.
_COPYRIGHT_NOISE_RE = re.compile(
    rf"©|\((?i:c)\)|(?i:copyright)|\b(?:19|20)[0-9]{{2}}(?:\s*[-–]\s*(?:19|20)[0-9]{{2}})?\b|{_RIGHTS}"
)
_READ_ALSO_MARKER_RE = re.compile(
    r"[\s»>›→•*-]*(?i:(?:[àa]\s+)?(?:lire|voir)\s+(?:aussi|[ée]galement)|lire\s+la\s+suite"
    r"|sur\s+le\s+m[êe]me\s+sujet|read\s+more|related)\s*(?:[:>»›→|–—-]|\.{3}|…)?\s*"
)


def copyright_holder(line: str) -> str | None:
    """Who a copyright line names (« © 2024 Abidjan Matin – Tous droits réservés » -> « Abidjan Matin »).

    The outlet is news about the article (where it was published), so extraction keeps it as an
    entity of the article although the line is not part of the stored text.
    """
    rest = _COPYRIGHT_NOISE_RE.sub(" ", line)
    rest = " ".join(rest.split()).strip(" .,;:|-–—()[]")
    return rest if any(ch.isalpha() for ch in rest) and len(rest) <= 80 else None


def read_also_title(line: str) -> str:
    """The linked headline of a « Lire aussi » line, without its marker."""
    return _READ_ALSO_MARKER_RE.sub("", line, count=1).strip()


def _canonical_agency(name: str) -> str:
    return _AGENCIES.get(name.casefold(), name)


# --- datelines ---------------------------------------------------------------------------

# fmt: off
_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}
# fmt: on
_MONTH = "(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])\.?"
_WEEKDAY = r"(?i:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_TIME = (
    r"(?:\s*(?:,|(?i:à|a)|-|–|—)?\s*(?P<hour>[0-9]{1,2})"
    r"(?:\s*[hH]\s*(?P<minute>[0-9]{2})?(?![^\W_])|:(?P<minute2>[0-9]{2})(?::[0-9]{2})?(?![0-9]))"
    r"(?:\s*(?:GMT|UTC|TU)(?:\s*[+-]\s*[0-9]{1,2})?)?)?"
)


def _date_pattern(*, year_optional: bool) -> str:
    year = r"(?:\s*,?\s*(?P<year>[0-9]{4}))" + ("?" if year_optional else "")
    return (
        rf"(?:{_WEEKDAY}\s*,?\s+)?(?:"
        rf"(?P<day>(?i:1er)|1ᵉʳ|[0-9]{{1,2}})\s*,?\s*(?P<month>{_MONTH}){year}"
        rf"|(?P<mmonth>{_MONTH})\s+(?P<myear>[0-9]{{4}})"
        r"|(?P<nday>[0-9]{1,2})[/.-](?P<nmonth>[0-9]{1,2})[/.-](?P<nyear>[0-9]{4}|[0-9]{2})"
        r"|(?P<iyear>[0-9]{4})-(?P<imonth>[0-9]{1,2})(?:-(?P<iday>[0-9]{1,2}))?"
        rf")(?![0-9]){_TIME}"
    )


_DATE_KEYWORD = (
    r"(?i:date\s+de\s+publication|publication|publi[ée]e?|mise?\s+[àa]\s+jour"
    r"|mise?\s+en\s+ligne|modifi[ée]e?|actualis[ée]e?|date)"
)
# "Publié le 12/03/2023 à 10h05", "samedi 3 février 2024", "date 2021-11", "date 2021".
_DATE_CLAUSE_RE = re.compile(
    r"(?i:date)\s*:?\s*(?P<yonly>[0-9]{4})(?![0-9/.\-])"
    rf"|(?:(?P<keyword>{_DATE_KEYWORD})\s*:?\s*)?(?:(?i:le)\s+)?" + _date_pattern(year_optional=False)
)
_CLAUSE_SEP_RE = re.compile(r"\s*[,;|·•–—-]?\s*")
_LEAD_SEP_RE = re.compile(r"\s*(?:[–—|]|--?(?=\s))\s*")

_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_PLACE_WORD = rf"[{_UPPER}][A-Za-zÀ-ÖØ-öø-ÿŒœ'’-]*"
_PLACE = (
    rf"{_PLACE_WORD}(?:\s+(?:(?:de|du|des|la|le|el|es|al|da|do|en|sur|ben)\s+)?{_PLACE_WORD})"
    "{0,3}"
)
_DATELINE_AGENCY = rf"(?:{_KNOWN_AGENCY}|[A-Z]{{2,6}}(?![^\W\d_]))"
# "Rabat –", "PARIS (AFP) -", "Rabat, 8 novembre 2021 (MAP) -", "NIAMEY, 12 mars (Reuters) -",
# "KOWEÏT (KUNA) --" (a dash typed as two hyphens).
_PLACE_DATELINE_RE = re.compile(
    rf"(?P<place>{_PLACE})"
    rf"(?:\s*,\s*(?:(?i:le)\s+)?{_date_pattern(year_optional=True)})?"
    rf"(?:\s*\(\s*(?P<agency>{_DATELINE_AGENCY}(?:\s*/\s*{_DATELINE_AGENCY})*)\s*\))?"
    r"(?P<dash>\s*[–—]\s*|\s+--?\s*|--?\s+)?"
)
_MAX_PLACE = 40


@dataclass(frozen=True)
class _Dateline:
    length: int  # characters of the line it covers, separator included
    whole_line: bool
    published: PartialDate | None
    place: str | None = None
    agency: str | None = None
    updated: bool = False  # « Mis à jour le … » alone: when it was edited, not published


_UPDATE_KEYWORD_RE = re.compile(r"(?i:mise?\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?)")


def _year(digits: str) -> int:
    year = int(digits) + (2000 if len(digits) == 2 else 0)
    if not 1900 <= year <= 2100:
        raise ValueError(f"implausible year {digits}")
    return year


def _date_from_match(match: re.Match[str]) -> PartialDate | None:
    """None when the year is missing; ValueError when the date does not exist."""
    g = match.groupdict()
    if g.get("yonly"):
        return PartialDate(datetime.date(_year(g["yonly"]), 1, 1), "year")
    if g["iyear"]:
        year, month, day = _year(g["iyear"]), int(g["imonth"]), g["iday"]
    elif g["nyear"]:
        year, month, day = _year(g["nyear"]), int(g["nmonth"]), g["nday"]
    elif g["myear"]:
        year, month, day = _year(g["myear"]), _MONTHS[g["mmonth"].lower().rstrip(".")], None
    elif g["month"] and g["year"]:
        year, month = _year(g["year"]), _MONTHS[g["month"].lower().rstrip(".")]
        day = g["day"].rstrip("erERᵉʳ")  # "1er" -> "1"
    else:
        return None
    if day is None:
        return PartialDate(datetime.date(year, month, 1), "month")
    time = None
    if g["hour"]:
        time = datetime.time(int(g["hour"]), int(g["minute"] or g["minute2"] or 0))
    return PartialDate(datetime.date(year, month, int(day)), "day", time)


def _starts_like_sentence(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "«\"“'’("


def _parse_place_dateline(line: str) -> _Dateline | None:
    match = _PLACE_DATELINE_RE.match(line)
    if match is None or len(match["place"]) > _MAX_PLACE:
        return None
    rest = line[match.end() :]
    has_date = bool(match["month"] or match["nyear"] or match["iyear"] or match["myear"])
    if rest and match["dash"] is None:
        return None  # a dateline ends with a dash or with the line
    if not (has_date or match["agency"] or match["dash"]):
        return None  # a capitalised word alone is a kicker or a heading, not a dateline
    if not (has_date or match["agency"]) and rest and not _starts_like_sentence(rest):
        return None  # "Rabat - lundi..." is prose, a place dateline is followed by the lead
    try:
        published = _date_from_match(match) if has_date else None
    except ValueError:
        return None
    place = match["place"]
    if place.isupper():
        place = place.title()  # PARIS -> Paris, ADDIS-ABEBA -> Addis-Abeba
    agency = None
    if match["agency"]:
        agency = "/".join(_canonical_agency(a.strip()) for a in match["agency"].split("/"))
    return _Dateline(match.end(), not rest, published, place, agency)


def _parse_date_dateline(line: str) -> _Dateline | None:
    match = _DATE_CLAUSE_RE.match(line)
    if match is None:
        return None
    try:
        published = _date_from_match(match)
    except ValueError:
        return None
    end = match.end()
    updated = bool(match["keyword"] and _UPDATE_KEYWORD_RE.fullmatch(match["keyword"]))
    # "Publié le ..., mis à jour le ...": the update clause goes with the dateline.
    joint = _CLAUSE_SEP_RE.match(line, end)
    update = _DATE_CLAUSE_RE.match(line, joint.end() if joint else end)
    if update is not None and update["keyword"]:
        end = update.end()
    rest = line[end:]
    if not rest.strip(" ."):
        return _Dateline(len(line), True, published, updated=updated)
    separator = _LEAD_SEP_RE.match(line, end)
    if separator and separator.end() > end and _starts_like_sentence(line[separator.end() :]):
        return _Dateline(separator.end(), False, published, updated=updated)
    lead = rest.lstrip()
    if match["keyword"] and rest[:1].isspace() and _starts_like_sentence(lead):
        return _Dateline(len(line) - len(lead), False, published, updated=updated)
    return None


def _parse_dateline(line: str) -> _Dateline | None:
    return _parse_place_dateline(line) or _parse_date_dateline(line)


# --- headline and rubric -----------------------------------------------------------------

# "SécuritéLe Maroc...": a capitalised word of 3+ letters glued to a capital that starts
# a word of 2+ letters ("Le", "Réunion", "L'Algérie").
_GLUED_RUBRIC_RE = re.compile(
    rf"(?P<rubric>[{_UPPER}][a-zß-öø-ÿœ]{{2,24}})"
    rf"(?=[{_UPPER}](?:[a-zß-öø-ÿœ]|['’][^\W\d_]))"
)
_GLUED_WORD_RE = re.compile(r"[^\W\d_]+")
# Camel-case names that the rubric rule would otherwise cut in two.
# fmt: off
_CAMEL_CASE_NAMES = frozenset(
    name.casefold()
    for name in (
        "YouTube", "TikTok", "WhatsApp", "LinkedIn", "PayPal", "PlayStation", "MacBook",
        "PowerPoint", "JavaScript", "BlackRock", "BlackBerry", "AstraZeneca", "ArcelorMittal",
        "TotalEnergies", "GlaxoSmithKline", "SoftBank", "ExxonMobil", "WikiLeaks", "DeepMind",
        "DeepSeek", "HuffPost", "EgyptAir", "RwandAir", "MasterCard", "FaceTime", "ThyssenKrupp",
    )
)
# fmt: on
_MAX_HEADLINE = 200
_CLOSING_MARKS = ' »"”’)]'
# A line ending with one of these continues on the next: it is wrapped prose.
# fmt: off
_DANGLING_WORDS = frozenset(
    ("de", "du", "des", "d'", "le", "la", "les", "l'", "un", "une", "et", "ou", "à", "au", "aux",
     "en", "pour", "par", "sur", "dans", "avec", "que", "qui", "son", "sa", "ses", "leur", "leurs",
     "ce", "cette", "ces")
)
# fmt: on


def _split_glued_rubric(line: str) -> tuple[str | None, str]:
    match = _GLUED_RUBRIC_RE.match(line)
    if match is None:
        return None, line
    rubric = match["rubric"]
    tail = _GLUED_WORD_RE.match(line, match.end())
    glued = rubric + (tail.group() if tail else "")
    if rubric == "Mac" or glued.casefold() in _CAMEL_CASE_NAMES:
        return None, line
    return rubric, line[match.end() :]


def _headline_key(text: str) -> str:
    text = text.casefold().replace("’", "'").translate(str.maketrans("«»“”–—", '""""--'))
    return " ".join(text.split()).rstrip(" .")


def _looks_like_kicker(line: str) -> bool:
    """Short line without final punctuation: byline, kicker, reading time."""
    return len(line) <= 80 and not line.rstrip(_CLOSING_MARKS).endswith((".", "!", "?", ":"))


def _looks_like_headline(text: str, following: list[str]) -> bool:
    """``following``: the next two kept lines ("" for a blank run), see ``_Draft.following``."""
    if not any(following) or not text or len(text) > _MAX_HEADLINE:
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    dateline = _parse_dateline(text)
    if dateline and (dateline.published or dateline.agency or dateline.whole_line):
        return False  # "Mali – La junte se retire" is a headline; "Rabat (MAP) – ..." is a lead
    if text.rstrip(_CLOSING_MARKS).endswith((".", ",", ";", ":", "-", "–", "—")):
        return False
    if text.split()[-1].casefold() in _DANGLING_WORDS:
        return False
    after = following[0].strip()
    if not after or _parse_dateline(after) is not None:
        return True
    if after[:1].islower():
        return False  # the sentence goes on: hard-wrapped paragraph
    # Directly followed by another line: a wrapped paragraph fills its lines, a headline
    # is shorter than its lead; or it is followed by a byline ending its block or a dateline.
    beyond = following[1].strip() if len(following) > 1 else ""
    byline = _looks_like_kicker(after) and (not beyond or _parse_dateline(beyond) is not None)
    return len(text) <= 0.8 * len(after) or byline


# --- title from the first sentence ----------------------------------------------------------

_SENTENCE_END_RE = re.compile(r"[.!?…]+[»\"”’)]*(?=\s|$)")
# fmt: off
_ABBREVIATIONS = frozenset(
    ("m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "cf", "av", "bd", "gén",
     "col", "lt", "cdt", "sgt", "jr", "inc", "corp", "env")
)
# fmt: on
_FALLBACK_TITLE_LENGTH = 100


def _title_from_first_sentence(text: str) -> str:
    # A title is ~100 characters: no need to look for the sentence end much further.
    paragraph = " ".join(text.split("\n\n", 1)[0][: 10 * _FALLBACK_TITLE_LENGTH].split())
    sentence = paragraph
    for end in _SENTENCE_END_RE.finditer(paragraph):
        word = paragraph[paragraph.rfind(" ", 0, end.start()) + 1 : end.start()].lstrip('(«"“')
        if end.group() == "." and (word.casefold() in _ABBREVIATIONS or len(word) == 1):
            continue  # "M. Bourita", "J. Dupont": not the end of the sentence
        sentence = paragraph[: end.end()]
        break
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    if len(sentence) <= _FALLBACK_TITLE_LENGTH:
        return sentence
    head = sentence[:_FALLBACK_TITLE_LENGTH]
    space = head.rfind(" ")
    if space > _FALLBACK_TITLE_LENGTH // 2:
        head = head[:space]
    return head.rstrip(" ,;:-–—") + "…"


# --- putting it together -------------------------------------------------------------------


class _Draft:
    """The body as lines that can be dropped or lose a prefix; every cut is logged."""

    def __init__(self, text: str) -> None:
        self.lines: list[str | None] = list(text.split("\n"))
        self._cuts: list[tuple[int, int, Removed]] = []  # (line, column, what)

    def nonempty(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line]

    def following(self, index: int, count: int = 2) -> list[str]:
        """The next kept lines, a run of blank lines counting as one "" entry."""
        found: list[str] = []
        for line in self.lines[index + 1 :]:
            if line is None or (line == "" and found[-1:] == [""]):
                continue
            found.append(line)
            if len(found) == count and any(found):
                break
        return found

    def drop(self, index: int, kind: str) -> None:
        self._cuts.append((index, 0, Removed(kind, (self.lines[index] or "").strip())))
        self.lines[index] = None

    def drop_headline(self, index: int, rubric: str | None, headline: str) -> None:
        if rubric:
            self._cuts.append((index, 0, Removed("rubric", rubric)))
        self._cuts.append((index, 1, Removed("title", headline.strip())))
        self.lines[index] = None

    def cut_prefix(self, index: int, length: int, kind: str) -> None:
        line = (self.lines[index] or "").strip()
        self._cuts.append((index, 0, Removed(kind, line[:length].strip())))
        self.lines[index] = line[length:]

    def text(self) -> str:
        kept = "\n".join(line for line in self.lines if line is not None)
        return _BLANK_RUN_RE.sub("\n\n", kept).strip()

    def removed(self) -> tuple[Removed, ...]:
        return tuple(cut for _, _, cut in sorted(self._cuts, key=lambda c: c[:2]))


@dataclass
class _Header:
    title: str | None = None
    rubric: str | None = None
    published: PartialDate | None = None
    place: str | None = None
    agency: str | None = None
    published_is_update: bool = False

    def add(self, dateline: _Dateline) -> None:
        # Several datelines (date line, then "Rabat (MAP) –"): the first of each wins, except
        # that a date of publication beats a date of update (« Mis à jour le 30/08 », then
        # « Dakar, jeudi 29 août 2024 (EFE) – »).
        if dateline.published and (self.published is None or (self.published_is_update and not dateline.updated)):
            self.published = dateline.published
            self.published_is_update = dateline.updated
        self.place = self.place or dateline.place
        self.agency = self.agency or dateline.agency


_MAX_DATELINES_BEFORE_TITLE = 2
_HEADER_LINES_AFTER_TITLE = 3


def _remove_junk_lines(draft: _Draft) -> None:
    for index in draft.nonempty():
        kind = _junk_kind((draft.lines[index] or "").strip())
        if kind:
            draft.drop(index, kind)


def _remove_trailing_credit(draft: _Draft) -> str | None:
    lines = draft.nonempty()
    if not lines:
        return None
    match = _AGENCY_CREDIT_RE.fullmatch((draft.lines[lines[-1]] or "").strip())
    if match is None:
        return None
    draft.drop(lines[-1], "agency_credit")
    return "/".join(_canonical_agency(a) for a in _KNOWN_AGENCY_RE.findall(match["agencies"]))


_MAX_RUBRIC_WORDS = 3


def _is_stacked_rubric(draft: _Draft, index: int, line: str, given: str | None) -> bool:
    """« Coopération » on its own line above the headline: a section name, not the title."""
    if given is not None and _headline_key(line) == _headline_key(given):
        return False
    if len(line.split()) > _MAX_RUBRIC_WORDS or len(line) > 40 or line.rstrip(_CLOSING_MARKS).endswith((".", ":", ",")):
        return False
    following = draft.following(index, 3)
    if not following or not following[0].strip():
        return False  # a short line, then a blank: a short headline
    headline = following[0].strip()
    if given is not None:
        return _headline_key(headline) == _headline_key(given)
    return len(headline.split()) > _MAX_RUBRIC_WORDS and _looks_like_headline(headline, following[1:] or [""])


def _take_headline(draft: _Draft, index: int, line: str, given: str | None) -> tuple[str, str | None] | None:
    """Drop the line if it is the headline; return (title, rubric)."""
    rubric, headline = _split_glued_rubric(line)
    if given is not None:
        if _headline_key(line) == _headline_key(given):
            rubric, headline = None, line
        elif rubric is None or _headline_key(headline) != _headline_key(given):
            return None
    elif not _looks_like_headline(headline, draft.following(index)):
        return None
    draft.drop_headline(index, rubric, headline)
    return " ".join(headline.split()), rubric


def _read_header(draft: _Draft, given_title: str | None) -> _Header:
    header = _Header()
    title_settled = False
    before_title = after_title = 0
    for index in draft.nonempty():
        line = (draft.lines[index] or "").strip()
        if not title_settled:
            dateline = _parse_dateline(line)
            if dateline and dateline.whole_line and before_title < _MAX_DATELINES_BEFORE_TITLE:
                before_title += 1
                header.add(dateline)
                draft.drop(index, "dateline")
                continue
            if header.rubric is None and _is_stacked_rubric(draft, index, line, given_title):
                header.rubric = line
                draft.drop(index, "rubric")
                continue
            title_settled = True
            taken = _take_headline(draft, index, line, given_title)
            if taken is not None:
                header.title, header.rubric = taken[0], taken[1] or header.rubric
                continue
        if after_title == _HEADER_LINES_AFTER_TITLE:
            break
        after_title += 1
        dateline = _parse_dateline(line)
        if dateline is not None:
            header.add(dateline)
            if dateline.whole_line:
                draft.drop(index, "dateline")
                continue
            draft.cut_prefix(index, dateline.length, "dateline")
            break
        if not _looks_like_kicker(line):
            break  # the lead has started: anything further down is body
    return header


def clean_article(raw: str, *, title: str | None = None) -> CleanedArticle:
    given_title = " ".join(_normalize(title).split()) if title else ""
    draft = _Draft(_normalize(raw))
    _remove_junk_lines(draft)
    credit_agency = _remove_trailing_credit(draft)
    header = _read_header(draft, given_title or None)
    text = draft.text()
    if given_title:
        final_title, inferred = given_title, False
    else:
        final_title, inferred = header.title or _title_from_first_sentence(text), True
    return CleanedArticle(
        text=text,
        title=final_title,
        title_inferred=inferred,
        published=header.published,
        dateline_place=header.place,
        agency=header.agency or credit_agency,
        rubric=header.rubric,
        removed=draft.removed(),
    )
