"""Date expressions in French news, normalised against the publication date.

``find_dates(doc, published)`` scans ``doc.text`` with the regular expressions
below, keeps the longest, most specific match where matches overlap, then
resolves each match to an ISO value at its precision (see ``types.DateSpan``).
spaCy is used only where the text alone cannot decide: the tense of the
governing verb for « mardi » / « en mai » / « au printemps », the head of a
number that may be a year or a count (« 2000 habitants »), and sentence
boundaries for a year stated earlier in the sentence.

Choices worth knowing (each has a test):

* Day precision: « hier », « mardi », « le jeudi 18 », « le 29 mars »,
  « 12/03/2023 », holidays (« à Noël », « la Pentecôte »), « il y a une semaine ».
* Ranges carry the first day in ``value`` and the last in ``end_value``:
  « du 3 au 5 mai 2023 », « les 12 et 13 octobre », « 14-17 septembre »,
  « de 1982 à 1987 », « mars-avril ». Coordinated days or months that are not consecutive
  (« les 6 et 13 avril ») are separate dates, not a range.
* Weeks have no precision of their own: « la semaine dernière » is the range
  Monday..Sunday of that week at day precision; « ce week-end » is Saturday..Sunday.
* Seasons and parts of a year (« au printemps », « en fin d'année »,
  « début 2016 ») are normalised at *year* precision: a month value would
  claim a month the text does not give. Parts of a month (« début octobre »,
  « fin septembre 2000 ») keep month precision.
* Without a publication date, only expressions that carry their own year are
  returned (« le 29 mars 2022 », « en 2015 », « 12/03/2023 »), plus day/month
  expressions whose year is given earlier in the same clause.
* Not dates: decades (« les années 60 »), centuries, times of day
  (« ce soir »: only the day part of « hier soir » / « mardi soir » is kept),
  durations (« pendant trois jours »), habitual days (« le mercredi »,
  « chaque jeudi »), anaphoric dates (« le lendemain », « le même jour »),
  « désormais ».

No dateparser here: every form we accept is matched by our own patterns
already, and resolving them ourselves is both faster and lets us use tense
and ranges, which dateparser ignores.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from entities.nlp.doctext import doc_text
from entities.nlp.types import DateSpan

__all__ = ["find_dates"]

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_APOS = "['’]"
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WD = "|".join(_WEEKDAYS)

_MONTH_NUM = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "fév": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "dec": 12,
}
_MONTH_FULL = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)(?!\w)"
# Abbreviations only with their dot, and only next to a day number: « sept »
# alone is the number seven.
_MONTH_ABBR = r"(?:janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\."
_MONTH_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_DAY = r"(?:1\s?er|1re|1ᵉʳ|premier|3[01]|[12][0-9]|0?[1-9])(?!\d)"
# A two-digit year alone (« en 98 ») only before punctuation or the end:
# « en 15 jours », « en 18 h » are not years.
_YY = r"['’]?\d{2}(?=\s*[,.;:()!?«»\"]|\s*$)"
# After a month (« le 10 novembre 93 avait fait »), also before a word that is not
# a plural noun: « le 12 mai 15 personnes » is not 2015.
_YY_AFTER_MONTH = (
    r"['’]?\d{2}(?=\s*[,.;:()!?«»\"]|\s*$|\s+(?:dans|sans|alors|après|depuis|puis|lors)\b"
    r"|\s+(?![\w-]*[sx]\b)[^\W\d_]{2})"
)
_YEAR_AFTER_MONTH = rf"(?:\d{{4}}(?!\d)|{_YY_AFTER_MONTH})"
_MOD = r"(?:derni[eè]re?s?|prochaine?s?|pass[ée]e?s?)"
_NUM_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "cent": 100,
}
_NUM = r"(?:\d{1,3}|" + "|".join(_NUM_WORDS) + r")"

# Verbs whose passé composé takes « être » (« est arrivé mardi » is past, while
# « est reçu mardi » is a present passive).
_ETRE_VERBS = frozenset(
    {
        *("aller", "venir", "arriver", "partir", "entrer", "sortir", "monter", "descendre", "naître", "mourir"),
        *("rester", "tomber", "retourner", "devenir", "revenir", "parvenir", "rentrer", "repartir", "décéder"),
        *("intervenir", "survenir", "redevenir", "ressortir", "remonter"),
    }
)
# Verbs that, in the present or conditional, project their infinitive into
# the future: « va signer mardi », « devrait se rendre jeudi ».
_PROSPECTIVE = frozenset(
    {
        *("aller", "devoir", "pouvoir", "vouloir", "compter", "prévoir", "espérer", "souhaiter", "envisager"),
        *("entendre", "apprêter", "projeter"),
    }
)
# Participles used alone that announce something: « la réunion prévue mardi ».
_PLANNED = frozenset({"prévoir", "programmer", "fixer", "attendre", "planifier", "envisager", "agender"})

_FUTURE_ENDING_RE = re.compile(r"(?:aient|ions|iez|ais|ait|ons|ont|ai|as|ez|a)$")
_IRREGULAR_FUTURE_STEM_RE = re.compile(
    r"(?:re|dé|par|sur)?(?:ser|aur|fer)|ir|(?:re|de|con|pro|inter|sou|main|ob|ap|par|pré)?(?:viendr|tiendr)"
    r"|pourr|devr|(?:re|pré|pour)?verr|(?:r)?enverr|voudr|faudr|saur|vaudr|(?:re|a|per|con|dé)cevr|(?:ac|con|re|par|se)?courr|mourr"
)

# Tense labels returned by _clause_tense.
PAST = "past"  # imparfait, passé simple, plus-que-parfait, compound conditional
PAST_COMPOUND = "past_compound"  # passé composé: may still be today
PARTICIPLE = "participle"  # a participle alone (« réélu dimanche »): past for a weekday, too weak for more
PRESENT = "present"
FUTURE = "future"
UNKNOWN = "unknown"
_PAST_TENSES = (PAST, PAST_COMPOUND)

_SEASONS = {  # (first month, last month) of the season; winter belongs to the year of its January
    "printemps": (3, 5),
    "été": (6, 8),
    "ete": (6, 8),
    "automne": (9, 11),
    "hiver": (12, 2),
}
# Parts of a year, for the tense check of « en début d'année » / « en fin d'année ».
_YEAR_PARTS = {"début": (1, 3), "milieu": (5, 8), "fin": (10, 12), "courant": (1, 12)}


# --------------------------------------------------------------------------
# Patterns, most specific first: a match is kept only if it does not overlap
# one kept earlier. Group "c" (when present) is the reported span, so that a
# preposition needed to recognise the expression (« en 98 ») stays outside it.
# --------------------------------------------------------------------------


def _day_date(p: str) -> str:
    """A day of a month, optionally with its weekday and year; group names prefixed by p."""
    return (
        rf"(?:(?P<{p}wd>{_WD})\s+)?(?P<{p}d>{_DAY})(?:\s+|-)(?P<{p}m>{_MONTH_ANY})"
        rf"(?:(?:\s+|-)(?P<{p}y>{_YEAR_AFTER_MONTH}))?"
    )


_I = re.IGNORECASE
_ISO_RE = re.compile(r"(?<![\w-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w-])")
# Day first, as in French; dotted dates need a four-digit year (« 3.5.10 » is a version).
_NUMERIC_RE = re.compile(
    r"(?<![\w/.])(?P<d>\d{1,2})(?:/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})|\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))(?![\w/]|[.,]\d)"
)
# « du 3 au 5 mai », « entre le 3 et le 5 mai », « du 28 décembre 2022 au 3 janvier 2023 »,
# and the hyphenated « 14-17 septembre » of schedules.
_DAY_RANGE_RE = re.compile(
    rf"(?<![\w.,/-])(?:(?:du|entre\s+le)\s+(?:(?P<awd>{_WD})\s+)?(?P<ad>{_DAY})"
    rf"(?:\s+(?P<am>{_MONTH_ANY})(?:\s+(?P<ay>\d{{4}}))?)?"
    rf"\s+(?:au|jusqu{_APOS}au|et\s+le)\s+|(?:(?:les|des|du)\s+)?(?P<hd>{_DAY})\s*[-–]\s*)"
    rf"{_day_date('b')}(?:\s+(?P<mod>{_MOD}))?(?!\w)",
    _I,
)
_DAY_LIST_RE = re.compile(
    rf"(?<!\w)(?P<det>les|des|aux|le)\s+(?P<days>{_DAY}(?:\s*,\s*{_DAY})*)\s+et\s+{_day_date('b')}"
    rf"(?:\s+(?P<mod>{_MOD}))?(?!\w)",
    _I,
)
_DAY_DATE_RE = re.compile(
    rf"(?<![\w.,/-])(?:(?P<det>le|ce)\s+)?{_day_date('')}(?:\s+(?P<mod>{_MOD}))?(?!\w)",
    _I,
)
# « le jeudi 18 », « lundi (12) »: a weekday and a day of the month, the month implied.
_WEEKDAY_DAY_RE = re.compile(
    rf"(?<![\w-])(?:(?:le|ce)\s+)?(?P<wd>{_WD})\s+(?P<open>\()?(?P<d>{_DAY})(?(open)\))"
    rf"(?!\s*(?:[-–]|h\b|heures?\b|:|,\d)|\w|\s+(?:{_MONTH_FULL}|{_MONTH_ABBR}))",
    _I,
)
# « le 12 courant » (of the current month, in agency style)
_DAY_CURRENT_RE = re.compile(rf"(?<![\w-])(?:(?:le|du|au)\s+)?(?P<d>{_DAY})\s+(?P<c>courant|cour\.)(?![\w])", _I)
_HOLIDAY_RE = re.compile(
    r"(?<!\w)(?:(?P<pre>lundi|dimanche|jeudi)\s+de\s+(?:l['’])?)?"
    r"(?P<h>Pâques|Pentecôte|Ascension|Noël|Toussaint|Saint-Sylvestre|Nouvel\s+An|jour\s+de\s+l['’]An)"
    rf"(?:\s+(?P<y>\d{{4}})|\s+(?P<mod>{_MOD}))?(?!\w)"
)
_MONTH_RANGE_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?:de|d{_APOS}|entre)\s*)?(?P<am>{_MONTH_FULL})(?:\s+(?P<ay>\d{{4}}))?"
    rf"(?P<sep>\s*-\s*|\s+(?:à|au|et|jusqu{_APOS}à|jusqu{_APOS}en)\s+(?:(?:en|à)\s+)?)"
    rf"(?P<bm>{_MONTH_FULL})(?:\s+(?P<by>\d{{4}}(?!\d)|{_YY}))?(?:\s+(?P<mod>{_MOD}))?",
    _I,
)
_YEAR_RANGE_RE = re.compile(
    r"(?<![\w.,/-])(?:(?P<pre>de|entre|des\s+années)\s+)?(?P<a>1[0-9]\d\d|20\d\d)"
    r"(?P<sep>\s*-\s*|/|\s+(?:à|au|et)\s+)(?P<b>1[0-9]\d\d|20\d\d|(?<=/)\d{2})(?![\w-]|[,.]\d)",
    _I,
)
_MONTH_YEAR_RE = re.compile(
    rf"(?<![\w-])(?P<c>(?P<part>(?:début|fin|mi-?|courant|milieu)\s*(?:de\s+|d{_APOS})?)?"
    rf"(?:(?:le|au|du|ce)\s+mois\s+(?:de\s+|d{_APOS}))?(?P<m>{_MONTH_FULL})(?:\s+|-)(?P<y>{_YEAR_AFTER_MONTH}))",
    _I,
)
_YEAR_RE = re.compile(
    rf"(?<![\w.,/-])(?P<c>(?P<pre>l{_APOS}an(?:née)?\s+|(?:début|fin|mi-?|courant)\s*)?(?P<y>1\d\d\d|2[01]\d\d))(?![\w-]|[,.]\d)",
    _I,
)
_YY_RE = re.compile(rf"(?<!\w)(?P<pre>en|depuis|dès)\s+(?P<c>(?P<y>{_YY}))", _I)
_REL_DAY_RE = re.compile(
    rf"(?<![\w-])(?P<w>avant-hier|après-demain|hier|aujourd{_APOS}hui|demain)(?:\s+(?P<wd>{_WD}))?(?![\w-])", _I
)
_AGO_RE = re.compile(
    rf"(?<!\w)(?P<dir>il\s+y\s+a|dans)\s+(?P<n>{_NUM})\s+(?P<u>jours?|semaines?|mois|ans|années?)(?!\w)", _I
)
_WEEK_RE = re.compile(
    r"(?<!\w)(?P<det>la|cette)\s+(?P<u>semaine|week-?end)(?:\s+(?P<mod>derni[eè]re|pass[ée]e|prochaine))?(?![\w-])"
    r"|(?<!\w)(?P<det2>le|ce)\s+(?P<u2>week-?end)(?:\s+(?P<mod2>dernier|pass[ée]|prochain))?(?![\w-])",
    _I,
)
_MONTH_REL_RE = re.compile(
    r"(?<!\w)(?P<det>le|ce)\s+mois(?:(?P<ci>-ci)|\s+(?P<mod>dernier|pass[ée]|prochain)|(?!\s+d))(?![\w-])", _I
)
_YEAR_REL_RE = re.compile(
    rf"(?<!\w)(?:(?P<part>(?:la\s+)?(?:début|fin|milieu)\s+(?:de\s+l{_APOS}|d{_APOS})|(?:au\s+)?cours\s+de\s+l{_APOS})"
    rf"|(?P<det>l{_APOS}|cette\s+))(?P<u>an|année)"
    r"(?:\s+(?P<mod>derni[eè]re?|pass[ée]e?|prochaine?|en\s+cours))?(?![\w-])(?!\s+\d)",
    _I,
)
_SEASON_RE = re.compile(
    rf"(?<!\w)(?P<pre>au|à\s+l{_APOS}|en|cet|ce|l{_APOS}|le|depuis\s+l{_APOS}|dès\s+l{_APOS})\s*"
    rf"(?P<s>printemps|été|automne|hiver)(?:\s+(?P<y>\d{{4}})|\s+(?P<mod>dernier|passé|prochain))?(?!\w)",
    _I,
)
_WEEKDAY_RE = re.compile(
    rf"(?<![\w-])(?:(?P<det>ce|le|un|chaque)\s+)?(?P<wd>{_WD})(?:\s+(?P<mod>derni[eè]r|prochain|pass[ée]))?(?![\w-])",
    _I,
)
_MONTH_RE = re.compile(
    rf"(?<![\w-])(?P<c>(?P<part>(?:début|fin|mi-?|courant)\s*(?:de\s+|d{_APOS})?)?"
    rf"(?:(?:le|au|du|ce)\s+mois\s+(?:de\s+|d{_APOS}))?(?P<m>{_MONTH_FULL})(?:\s+(?P<mod>derniers?|prochains?))?)",
    _I,
)

# Context filters.
_STREET_BEFORE_RE = re.compile(
    r"(?:rue|place|avenue|av\.|boulevard|bd|quai|square|pont|allée|cours|stade|lycée|collège|école|esplanade"
    r"|carrefour|rond-point|parc|promenade|impasse|chemin)\s+(?:du|de\s+la|des|de)\s*$",
    _I,
)
# « 1 990 », « n° 1999 », « article 1240 »: numbers, not years.
_NUMBER_BEFORE_RE = re.compile(
    r"(?:\d[\s.,]?|n°\s*|\bno\.?\s*|\bnuméro\s+|\barticle\s+|\bart\.\s*|\bp\.\s*|\bpage\s+)$", _I
)
_DECADE_BEFORE_RE = re.compile(r"\bann[ée]es\s*$", _I)
_TIME_PREP_BEFORE_RE = re.compile(
    rf"(?:\b(?:en|depuis|dès|de|d{_APOS}|jusqu{_APOS}en|avant|après|fin|début|courant|mi-|mois\s+de"
    rf"|d{_APOS}ici(?:\s+à)?|horizon)\s*)$",
    _I,
)
# A capitalised month alone needs a stronger cue than « de »: « les accusations de Mai Fatty ».
_STRONG_TIME_PREP_BEFORE_RE = re.compile(
    rf"(?:\b(?:en|depuis|dès|jusqu{_APOS}en|fin|début|courant|mi-|mois\s+de|mois\s+d{_APOS})\s*)$", _I
)
_ORDINAL_BEFORE_RE = re.compile(r"\b(?:premi[eè]re?|second[e]?|\w+i[eè]me|derni[eè]re?)\s+$", _I)
_WEEKDAY_NAME_AFTER_RE = re.compile(r"\s*-?\s*(?:saint|gras)\b", _I)
# « le printemps arabe », « le Printemps de Bourges », « au printemps de l'environnement »:
# a season followed by a complement other than a year is the name of something.
_SEASON_NAME_AFTER_RE = re.compile(
    rf"\s+(?:arabe|républicain|d[eu]s?\s+(?!l{_APOS}an|\d|cette|la\s+même)|de\s+l{_APOS}(?!an))", _I
)


# --------------------------------------------------------------------------
# Small date helpers
# --------------------------------------------------------------------------


def _month_of(word: str) -> int:
    return _MONTH_NUM[word.lower().rstrip(".")]


def _day_of(word: str) -> int:
    w = "".join(word.lower().split())  # « 1 er », and « 1\ter » or « 1\ner » (any space _DAY allows)
    return 1 if w in ("1er", "1re", "1ᵉʳ", "premier") else int(w)


def _num_of(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _NUM_WORDS[w]


def _mod_of(word: str | None) -> str | None:
    """« dernier »/« passé » -> "last", « prochain » -> "next"."""
    if not word:
        return None
    return "next" if word.lower().startswith("prochain") else "last"


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _expand_year(text: str, published: dt.date | None) -> int:
    """A written year, two-digit ones (« 98 ») put in the century nearest the publication."""
    yy = int(text.lstrip("'’"))
    if len(text.lstrip("'’")) == 4:
        return yy
    if published is None:
        return 1900 + yy if yy >= 50 else 2000 + yy
    # Nearest, but a two-digit year is seldom more than 20 years ahead.
    cands = [c * 100 + yy for c in (published.year // 100 - 1, published.year // 100)]
    cands = [y for y in cands if y <= published.year + 20] or cands
    return min(cands, key=lambda y: abs(y - published.year))


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _holiday(name: str, prefix: str | None, year: int) -> dt.date | None:
    """The feast's day that year; None for a year the calendar cannot hold (« Noël 0000 »)."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    n = name.lower()
    for feast, after_easter in (("pâques", 0), ("ascension", 39), ("pentecôte", 49)):
        if feast in n:
            day = _easter(year) + dt.timedelta(days=after_easter)
            return day + dt.timedelta(days=1) if prefix and prefix.lower() == "lundi" else day
    fixed = {"noël": (12, 25), "toussaint": (11, 1), "saint-sylvestre": (12, 31)}
    for key, (m, d) in fixed.items():
        if key in n:
            return dt.date(year, m, d)
    return dt.date(year, 1, 1)  # Nouvel An, jour de l'An


def _pick_year(
    published: dt.date,
    make: Callable[[int], dt.date | None],
    side: str | None,
    weekday: int | None = None,
) -> dt.date | None:
    """The occurrence of a yearly date nearest the publication date.

    side: "last" (strictly before), "next" (strictly after), PAST (not after),
    FUTURE (not before) or None (nearest either way). A weekday written next to
    the date (« samedi 6 avril ») picks the year where it fits.
    """
    cands = [d for y in range(published.year - 4, published.year + 5) if (d := make(y)) is not None]
    if side == "last":
        cands = [d for d in cands if d < published]
    elif side == "next":
        cands = [d for d in cands if d > published]
    elif side == PAST:
        cands = [d for d in cands if d <= published]
    elif side == FUTURE:
        cands = [d for d in cands if d >= published]
    if weekday is not None:
        fitting = [d for d in cands if d.weekday() == weekday and abs(d.year - published.year) <= 1]
        cands = fitting or cands
    if not cands:
        return None
    return min(cands, key=lambda d: (abs((d - published).days), d))


def _season_bounds(first: int, last: int, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a span of months in a given year (winter: Dec of year-1 .. Feb of year)."""
    start_year = year - 1 if first > last else year
    start = dt.date(start_year, first, 1)
    ny, nm = _add_months(year, last, 1)
    return start, dt.date(ny, nm, 1) - dt.timedelta(days=1)


def _pick_season_year(published: dt.date, first: int, last: int, mod: str | None, tense: str) -> int:
    """Which year a season or part of a year (« au printemps », « en fin d'année ») refers to."""
    year = published.year + (1 if first > last and published.month >= first else 0)
    start, end = _season_bounds(first, last, year)
    if mod == "last":
        return year - 1 if published <= end else year
    if mod == "next":
        return year + 1 if published >= start else year
    if tense in _PAST_TENSES and published < start:
        return year - 1
    if tense == FUTURE and published > end:
        return year + 1
    return year


# --------------------------------------------------------------------------
# Reading the clause with spaCy
# --------------------------------------------------------------------------


def _future_form(tok: Token) -> str | None:
    """'Fut' or 'Cnd' by spelling alone: infinitive stem + ending (« réunira », « prendrait »).

    The morphologizer sometimes tags « réunira » as a past; the spelling cannot lie,
    while a passé simple (« déclara ») never carries the whole infinitive.
    """
    m = _FUTURE_ENDING_RE.search(tok.lower_)
    if m is None or tok.pos_ not in ("VERB", "AUX"):
        return None
    stem, lemma = tok.lower_[: m.start()], tok.lemma_.lower()
    regular = lemma.endswith(("er", "ir", "re")) and stem in (lemma, lemma[:-1]) and len(stem) > 2
    if not (regular or _IRREGULAR_FUTURE_STEM_RE.fullmatch(stem)):
        return None
    return "Cnd" if m.group() in ("ais", "ait", "ions", "iez", "aient") else "Fut"


def _present_lookalike(tok: Token) -> bool:
    """Passé simple forms spelt like the present (« réunit », « finit », « dit »)."""
    lemma, text = tok.lemma_.lower(), tok.lower_
    return lemma.endswith(("ir", "re")) and text in (lemma[:-1] + "t", lemma[:-2] + "t")


def _finite_tense(tok: Token) -> str:
    mood, tense = tok.morph.get("Mood"), tok.morph.get("Tense")
    if "Fut" in tense or "Cnd" in mood or _future_form(tok):
        # « se réunira mardi », « se réunirait mardi »; compound conditionals are handled before.
        return FUTURE
    if "Past" in tense and _present_lookalike(tok):
        return PRESENT  # « se réunit »: a present that the tagger read as a passé simple
    if "Imp" in tense or "Past" in tense:
        return PAST
    if "Pres" in tense:
        return PRESENT
    return UNKNOWN


def _compound_tense(verb: Token, auxes: list[Token]) -> str | None:
    """Tense of auxiliary + participle (« a signé », « s'est réuni », « sera reçu »)."""
    finite = [a for a in auxes if "Fin" in a.morph.get("VerbForm")]
    if not finite:
        return None  # « avoir signé »: let the governing verb decide
    aux = finite[0]
    lexical = _future_form(aux)
    if "Cnd" in aux.morph.get("Mood") or lexical == "Cnd":
        return PAST  # « aurait été tué mardi »: journalistic past
    if "Fut" in aux.morph.get("Tense") or lexical == "Fut":
        return FUTURE
    etre_compound = aux.lemma_ == "avoir" or len(auxes) > 1 or verb.lemma_ in _ETRE_VERBS
    if "Sub" in aux.morph.get("Mood"):
        # « qu'il ait signé mardi » is past; « avant que le bilan soit rendu public lundi » ahead.
        return PAST if etre_compound else FUTURE
    if aux.morph.get("Tense") and "Pres" not in aux.morph.get("Tense"):
        return PAST  # plus-que-parfait, passé antérieur
    # être + participle: passé composé of pronominal and motion verbs, present passive otherwise.
    reflexive = any("Yes" in c.morph.get("Reflex") for c in verb.children)
    return PAST_COMPOUND if etre_compound or reflexive else PRESENT


def _verb_tense(tok: Token) -> str | None:
    """Tense of the clause headed by tok, or None to keep climbing."""
    if tok.pos_ not in ("VERB", "AUX"):
        cop = next((c for c in tok.children if c.dep_ == "cop"), None)
        return _finite_tense(cop) if cop is not None else None
    auxes = [c for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i]
    form = tok.morph.get("VerbForm")
    if "Part" in form:
        if auxes:
            return _compound_tense(tok, auxes)
        # A participle alone (« réélu dimanche », « lancé vendredi ») reports a
        # past event, except the ones that announce (« la réunion prévue mardi »).
        return FUTURE if tok.lemma_ in _PLANNED else PARTICIPLE
    if "Inf" in form:
        gov = tok.head
        if gov.i != tok.i and gov.pos_ in ("VERB", "AUX"):
            gov_tense = _verb_tense(gov)
            if gov.lemma_ in _PROSPECTIVE and gov_tense in (PRESENT, FUTURE):
                return FUTURE
            if gov.lemma_ == "venir" and any(c.lower_ in ("de", "d'", "d’") for c in tok.children):
                return PAST  # « vient de signer »
        return None
    if "Fin" in form:
        return _finite_tense(tok)
    return None


_BOUND_BEFORE_RE = re.compile(
    rf"(?:jusqu{_APOS}\s*(?:au|à)|d{_APOS}ici|avant|après|à\s+partir\s+du|depuis|dès)\s*(?:le\s+)?$", _I
)


def _direct_tense(ctx: _Ctx, start: int, end: int) -> str:
    """Tense of the verb the date directly modifies (no climbing), UNKNOWN after a bound (« jusqu'au »)."""
    if not ctx.doc.has_annotation("DEP") or _BOUND_BEFORE_RE.search(ctx.text[max(0, start - 20) : start]):
        return UNKNOWN
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return UNKNOWN
    head = span.root.head
    if head.pos_ not in ("VERB", "AUX") or "Inf" in head.morph.get("VerbForm"):
        return UNKNOWN
    return _verb_tense(head) or UNKNOWN


def _clause_tense(doc: Doc, start: int, end: int) -> str:
    """Past / future / present of the verb governing the characters start..end."""
    if not doc.has_annotation("DEP"):
        return UNKNOWN
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return UNKNOWN
    if span.start > 0 and doc[span.start - 1].lower_ == "depuis":
        return PAST  # « fermé depuis vendredi »: the state began before
    tok = span.root
    for _ in range(8):
        tense = _verb_tense(tok)
        if tense is not None:
            return tense
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return UNKNOWN


# --------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------


@dataclass
class _Ctx:
    doc: Doc
    text: str
    published: dt.date | None
    sent_starts: list[int]
    # Last year written in full (« en 97 », « le 3 mai 2022 ») and where it ended,
    # lent to following day/month expressions of the same clause.
    last_year: int | None = None
    last_year_end: int = -1

    def tense(self, start: int, end: int) -> str:
        return _clause_tense(self.doc, start, end)

    def saw_year(self, year: int, end: int) -> None:
        self.last_year, self.last_year_end = year, end

    def inherited_year(self, start: int) -> int | None:
        """The year stated earlier in the same sentence with no finite verb in between."""
        if self.last_year is None or self.last_year_end > start:
            return None
        if self.sent_starts:
            here = bisect.bisect_right(self.sent_starts, start)
            there = bisect.bisect_right(self.sent_starts, self.last_year_end - 1)
            if here != there:
                return None
        between = self.doc.char_span(self.last_year_end, start, alignment_mode="contract")
        if between is not None and any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in between):
            return None
        return self.last_year


def _span(
    ctx: _Ctx, start: int, end: int, value: str, precision: str, conf: float, end_value: str | None = None
) -> DateSpan:
    return DateSpan(
        start=start,
        end=end,
        text=ctx.text[start:end],
        value=value,
        precision=precision,
        end_value=end_value,
        confidence=round(conf, 2),
    )


def _day_span(ctx: _Ctx, start: int, end: int, day: dt.date, conf: float, last: dt.date | None = None) -> DateSpan:
    return _span(ctx, start, end, day.isoformat(), "day", conf, last.isoformat() if last else None)


def _month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _core(m: re.Match[str]) -> tuple[int, int]:
    if "c" in m.re.groupindex and m.group("c") is not None:
        return m.span("c")
    return m.span()


def _resolve_day_month(
    ctx: _Ctx, start: int, end: int, day: int, month: int, year_text: str | None, mod: str | None, weekday: str | None
) -> tuple[dt.date | None, float]:
    """A day of a month, its year written, lent by the clause, or nearest the publication date."""
    if year_text:
        year = _expand_year(year_text, ctx.published)
        return _safe_date(year, month, day), 0.95 if len(year_text.strip("'’")) == 4 else 0.85
    wd = _WEEKDAYS.index(weekday.lower()) if weekday else None
    if mod and ctx.published is not None:
        return _pick_year(ctx.published, lambda y: _safe_date(y, month, day), mod, wd), 0.9
    inherited = ctx.inherited_year(start)
    if inherited is not None:
        return _safe_date(inherited, month, day), 0.8
    if ctx.published is None:
        return None, 0.0
    # The year nearest the publication date, unless the verb the date modifies
    # directly says otherwise: « a été tué le 29 mars » published on 20 March is
    # last year's 29 March. Only that verb: in « a donné jusqu'au 30 juin » or
    # « la réunion du 30 juin a été annulée » its tense is not the date's.
    nearest = _pick_year(ctx.published, lambda y: _safe_date(y, month, day), None, wd)
    if nearest is None:
        return None, 0.0
    # Within a week of publication the nearest wins anyway: a misattached verb
    # is likelier than an event a year away.
    if abs((nearest - ctx.published).days) <= 7:
        return nearest, 0.85
    tense = _direct_tense(ctx, start, end)
    if (tense in _PAST_TENSES and nearest > ctx.published) or (tense == FUTURE and nearest < ctx.published):
        side = FUTURE if tense == FUTURE else PAST
        return _pick_year(ctx.published, lambda y: _safe_date(y, month, day), side, wd) or nearest, 0.75
    return nearest, 0.85


def _r_iso(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if day is None:
        return []
    ctx.saw_year(day.year, m.end())
    return [_day_span(ctx, *m.span(), day, 0.95)]


def _r_numeric(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    # French order: day/month/year.
    year, month = (m["y"], m["m"]) if m["m"] else (m["y2"], m["m2"])
    day = _safe_date(_expand_year(year, ctx.published), int(month), int(m["d"]))
    if day is None:
        return []
    ctx.saw_year(day.year, m.end())
    return [_day_span(ctx, *m.span(), day, 0.9)]


def _r_day_range(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    mod = _mod_of(m["mod"])
    last, conf = _resolve_day_month(ctx, *m.span(), _day_of(m["bd"]), _month_of(m["bm"]), m["by"], mod, m["bwd"])
    if last is None:
        return []
    first_month = _month_of(m["am"]) if m["am"] else last.month
    if m["ay"]:
        first_year = int(m["ay"])
    else:
        first_year = last.year - 1 if first_month > last.month else last.year  # « du 28 décembre au 3 janvier »
    first = _safe_date(first_year, first_month, _day_of(m["ad"] or m["hd"]))
    if first is None or first > last:
        return []
    ctx.saw_year(last.year, m.end())
    return [_day_span(ctx, *m.span(), first, conf, last)]


def _r_day_list(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """« les 12 et 13 octobre » is a range; « les 6 et 13 avril » two dates."""
    mod = _mod_of(m["mod"])
    last, conf = _resolve_day_month(ctx, *m.span(), _day_of(m["bd"]), _month_of(m["bm"]), m["by"], mod, m["bwd"])
    if last is None:
        return []
    offset = m.start("days")
    firsts = [(offset + d.start(), offset + d.end(), _day_of(d.group())) for d in re.finditer(_DAY, m["days"], _I)]
    days = [d for _, _, d in firsts] + [last.day]
    ctx.saw_year(last.year, m.end())
    if all(b == a + 1 for a, b in zip(days, days[1:], strict=False)):
        first = last.replace(day=days[0])
        return [_day_span(ctx, *m.span(), first, conf, last)]
    spans = []
    for i, (s, e, d) in enumerate(firsts):
        start = m.start() if i == 0 else s  # the first one keeps « les »
        spans.append(_day_span(ctx, start, e, last.replace(day=d), conf * 0.95))
    spans.append(_day_span(ctx, m.start("bwd") if m["bwd"] else m.start("bd"), m.end(), last, conf))
    return spans


def _r_day_date(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    day, conf = _resolve_day_month(
        ctx, *m.span(), _day_of(m["d"]), _month_of(m["m"]), m["y"], _mod_of(m["mod"]), m["wd"]
    )
    if day is None:
        return []
    if m["y"]:
        ctx.saw_year(day.year, m.end())
    return [_day_span(ctx, *m.span(), day, conf)]


def _r_day_current(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """« le 12 courant »: that day of the month of publication."""
    pub = ctx.published
    if pub is None or (day := _safe_date(pub.year, pub.month, _day_of(m["d"]))) is None:
        return []
    start = m.start("d") if m.group(0)[:2].lower() in ("le", "du", "au") else m.start()
    return [_day_span(ctx, start, m.end(), day, 0.85)]


def _r_weekday_day(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """The date nearest publication that falls on that weekday and day of the month."""
    pub = ctx.published
    if pub is None:
        return []
    target, day = _WEEKDAYS.index(m["wd"].lower()), _day_of(m["d"])
    cands = [
        d
        for k in range(-3, 4)
        if (d := _safe_date(*_add_months(pub.year, pub.month, k), day)) is not None and d.weekday() == target
    ]
    if not cands:
        return []
    best = min(cands, key=lambda d: abs((d - pub).days))
    return [_day_span(ctx, *m.span(), best, 0.8)]


def _r_holiday(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    name, prefix = m["h"], m["pre"]
    if m["y"]:
        day = _holiday(name, prefix, int(m["y"]))
        if day is None:
            return []
        ctx.saw_year(day.year, m.end())
        return [_day_span(ctx, *m.span(), day, 0.9)]
    year = ctx.inherited_year(m.start())
    if year is not None:
        day = _holiday(name, prefix, year)
        return [_day_span(ctx, *m.span(), day, 0.75)] if day else []
    if ctx.published is None:
        return []
    mod = _mod_of(m["mod"])
    tense = ctx.tense(*m.span())
    side = mod or (PAST if tense in _PAST_TENSES else FUTURE if tense == FUTURE else None)
    day = _pick_year(ctx.published, lambda y: _holiday(name, prefix, y), side)
    return [_day_span(ctx, *m.span(), day, 0.75)] if day else []


def _resolve_month_year(ctx: _Ctx, month: int, start: int, end: int, mod: str | None) -> tuple[int | None, float]:
    """Year of a month written without one (« en mai », « septembre dernier »)."""
    pub = ctx.published
    if mod == "last" and pub is not None:
        return (pub.year if month < pub.month else pub.year - 1), 0.85
    if mod == "next" and pub is not None:
        return (pub.year if month > pub.month else pub.year + 1), 0.85
    inherited = ctx.inherited_year(start)
    if inherited is not None:
        return inherited, 0.75
    if pub is None:
        return None, 0.0
    tense = ctx.tense(start, end)
    if tense in _PAST_TENSES:
        return (pub.year if month <= pub.month else pub.year - 1), 0.75
    if tense == FUTURE:
        return (pub.year if month >= pub.month else pub.year + 1), 0.75
    diff = month - pub.month
    return pub.year + (-1 if diff > 6 else 1 if diff < -6 else 0), 0.65


def _bare_month_ok(ctx: _Ctx, m: re.Match[str], group: str) -> bool:
    """A month name alone: lowercase, a shouting headline, or after a time preposition.

    « Mars » alone is the planet, « Avril » a first name.
    """
    word = m[group]
    if word.islower():
        return True
    if word.isupper():
        return len(word) > 2
    before = ctx.text[max(0, m.start(group) - 20) : m.start(group)]
    return bool(_STRONG_TIME_PREP_BEFORE_RE.search(before)) and not re.match(
        r"\s+[A-ZÉ][a-zé]", ctx.text[m.end(group) : m.end(group) + 3]
    )


def _month_range_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    return bool((m["ay"] or _bare_month_ok(ctx, m, "am")) and (m["by"] or _bare_month_ok(ctx, m, "bm")))


def _r_month_range(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    first_m, last_m = _month_of(m["am"]), _month_of(m["bm"])
    mod = _mod_of(m["mod"])
    if m["by"]:
        last_y, conf = _expand_year(m["by"], ctx.published), 0.9
    else:
        last_y, conf = _resolve_month_year(ctx, last_m, *m.span(), mod)
        if last_y is None:
            return []
    first_y = int(m["ay"]) if m["ay"] else (last_y - 1 if first_m > last_m else last_y)
    if (first_y, first_m) >= (last_y, last_m) or first_y < dt.MINYEAR:  # « de mars 0000 »: no such year
        return []
    if m["by"] or m["ay"]:
        ctx.saw_year(last_y, m.end())
    coordination = m["sep"].strip().lower().startswith("et") and not (m["pre"] or "").lower().startswith("entre")
    consecutive = _add_months(first_y, first_m, 1) == (last_y, last_m)
    first_v, last_v = _month_value(first_y, first_m), _month_value(last_y, last_m)
    if coordination and not consecutive:  # « en mai et septembre derniers »: two months
        return [
            _span(ctx, m.start("am"), m.end("am"), first_v, "month", conf),
            _span(ctx, m.start("bm"), m.end(), last_v, "month", conf),
        ]
    # « de mars à mai » and « entre mars et mai » are one expression; in
    # « le recensement de mars-avril », « de » belongs to the noun.
    bounded = m["pre"] and (m["pre"].lower().startswith("entre") or m["sep"].strip() not in ("-", ""))
    return [_span(ctx, m.start() if bounded else m.start("am"), m.end(), first_v, "month", conf, last_v)]


def _year_is_count(ctx: _Ctx, start: int, end: int) -> bool:
    """« 2000 habitants », « 1999 voitures »: a number heading a noun is a count."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not ctx.doc.has_annotation("DEP"):
        return False
    tok = span[-1]
    head = tok.head
    # Only adjectives may stand between a count and its noun (« 1500 nouveaux
    # policiers »); « avant 1970 seuls 9 pays » is a year the parser misread.
    between_ok = all(t.pos_ in ("ADJ", "ADV") for t in ctx.doc[tok.i + 1 : head.i])
    if tok.dep_ == "nummod" and head.i > tok.i and head.pos_ == "NOUN" and between_ok:
        return True
    # The parser may hang the number elsewhere; a plural noun right after it still gives it away.
    nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
    return nxt is not None and nxt.pos_ == "NOUN" and "Plur" in nxt.morph.get("Number")


def _year_context_ok(ctx: _Ctx, start: int, end: int) -> bool:
    before = ctx.text[max(0, start - 12) : start]
    if _NUMBER_BEFORE_RE.search(before) or _DECADE_BEFORE_RE.search(before):
        return False
    return not _year_is_count(ctx, start, end)


def _range_years(m: re.Match[str]) -> tuple[int, int]:
    first = int(m["a"])
    return first, (first // 100 * 100 + int(m["b"]) if len(m["b"]) == 2 else int(m["b"]))


def _year_range_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    if (m["pre"] or "").lower().startswith("des"):
        return False  # « des années 1980 à 2000 » is about decades
    first, last = _range_years(m)
    return first < last <= first + 100 and _year_context_ok(ctx, m.start("a"), m.end("b"))


def _r_year_range(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    first, last = _range_years(m)
    ctx.saw_year(last, m.end())
    sep = m["sep"].strip().lower()
    if sep == "et" and not m["pre"]:  # « en 1990 et 1999 »: two years
        return [
            _span(ctx, *m.span("a"), str(first), "year", 0.85),
            _span(ctx, *m.span("b"), str(last), "year", 0.85),
        ]
    return [_span(ctx, *m.span(), str(first), "year", 0.85, str(last))]


def _month_year_ok(ctx: _Ctx, m: re.Match[str]) -> bool | None:
    if not _not_a_street(ctx, m):
        return None
    return len(m["y"]) == 4 or _bare_month_ok(ctx, m, "m")


def _r_month_year(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    year = _expand_year(m["y"], ctx.published)
    if year < dt.MINYEAR:  # « mai 0000 »
        return []
    ctx.saw_year(year, m.end())
    conf = 0.95 if len(m["y"]) == 4 else 0.8
    return [_span(ctx, *_core(m), _month_value(year, _month_of(m["m"])), "month", conf)]


def _year_anchored(ctx: _Ctx, m: re.Match[str]) -> bool:
    before = ctx.text[max(0, m.start() - 20) : m.start()]
    return bool(m["pre"]) or bool(_TIME_PREP_BEFORE_RE.search(before))


def _year_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    # Without a preposition, only years of the last century or so are
    # likely enough among other four-digit numbers.
    if not _year_anchored(ctx, m) and not 1900 <= int(m["y"]) <= 2099:
        return False
    return _year_context_ok(ctx, m.start("y"), m.end("y"))


def _r_year(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    year = int(m["y"])
    ctx.saw_year(year, m.end())
    return [_span(ctx, *_core(m), str(year), "year", 0.9 if _year_anchored(ctx, m) else 0.8)]


def _r_two_digit_year(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    year = _expand_year(m["y"], ctx.published)
    ctx.saw_year(year, m.end())
    return [_span(ctx, *_core(m), str(year), "year", 0.6)]


def _r_rel_day(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    if ctx.published is None:
        return []
    word = m["w"].lower().replace("’", "'")
    offset = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "après-demain": 2}[word]
    conf = 0.9
    if offset == 0 and ctx.tense(*m.span()) in (PRESENT, PAST_COMPOUND, UNKNOWN):
        # « aujourd'hui » is often "nowadays" (TimeBank's PRESENT_REF), above all
        # when it opens the sentence: « Aujourd'hui, la ville a changé ».
        conf = 0.5 if ctx.text[m.end() : m.end() + 1] == "," else 0.7
    return [_day_span(ctx, *m.span(), ctx.published + dt.timedelta(days=offset), conf)]


def _ago_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    # « il y a deux jours de grève » is existential, « il y a dix ans que » a duration.
    return not re.match(rf"\s+(?:de|d{_APOS}|que|qu{_APOS})", ctx.text[m.end() : m.end() + 5], _I)


def _r_ago(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """« il y a une semaine », « dans trois mois »."""
    pub = ctx.published
    if pub is None:
        return []
    n = _num_of(m["n"]) * (-1 if m["dir"].lower().startswith("il") else 1)
    unit = m["u"].lower()
    if unit.startswith("jour"):
        return [_day_span(ctx, *m.span(), pub + dt.timedelta(days=n), 0.7)]
    if unit.startswith("semaine"):
        return [_day_span(ctx, *m.span(), pub + dt.timedelta(days=7 * n), 0.6)]
    if unit == "mois":
        return [_span(ctx, *m.span(), _month_value(*_add_months(pub.year, pub.month, n)), "month", 0.6)]
    return [_span(ctx, *m.span(), f"{pub.year + n:04d}", "year", 0.6)]  # « il y a 999 ans » in 1950: 0951


def _week_parts(m: re.Match[str]) -> tuple[str, str, str | None]:
    det, unit, mod = (m["det"], m["u"], m["mod"]) if m["det"] else (m["det2"], m["u2"], m["mod2"])
    return det.lower(), unit.lower(), _mod_of(mod)


def _anaphoric_after(ctx: _Ctx, m: re.Match[str]) -> bool:
    """« cette semaine-là », « ce mois-là »: relative to the story, not to the publication."""
    return ctx.text[m.end() : m.end() + 3].lower().startswith(("-là", "-la"))


def _week_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    det, _unit, mod = _week_parts(m)
    # « la semaine » alone is generic or anaphoric.
    return not (det in ("la", "le") and mod is None) and not _anaphoric_after(ctx, m)


def _r_week(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """Weeks and weekends: a Monday..Sunday or Saturday..Sunday range at day precision."""
    pub = ctx.published
    _det, unit, mod = _week_parts(m)
    if pub is None:
        return []
    step = {"last": -7, "next": 7, None: 0}[mod]
    if unit.startswith("semaine"):
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=step)
        return [_day_span(ctx, *m.span(), monday, 0.8, monday + dt.timedelta(days=6))]
    # Weekend: the one under way, else the coming one, else (past verb) the last one.
    saturday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=5)
    if pub.weekday() < 5:
        if mod == "last" or (mod is None and ctx.tense(*m.span()) in _PAST_TENSES):
            step = -7
        elif mod == "next":
            step = 0
    saturday += dt.timedelta(days=step)
    return [_day_span(ctx, *m.span(), saturday, 0.7, saturday + dt.timedelta(days=1))]


def _month_rel_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    return not (m["det"].lower() == "le" and m["mod"] is None) and not _anaphoric_after(ctx, m)


def _r_month_rel(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    pub = ctx.published
    mod = _mod_of(m["mod"])
    if pub is None:
        return []
    y, mo = _add_months(pub.year, pub.month, {"last": -1, "next": 1, None: 0}[mod])
    return [_span(ctx, *m.span(), _month_value(y, mo), "month", 0.85)]


def _year_rel_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    # « l'année » alone is anaphoric (and « l'an 2000 » is the year rule's).
    named = m["part"] or (m["det"] or "").lower().startswith("cette") or m["mod"]
    if not named or _anaphoric_after(ctx, m):
        return False
    # « une fête de fin d'année », « les bilans de début d'année »: a kind, not a time.
    bare_part = m["part"] and not m["mod"] and re.match(r"(?:début|fin|milieu)\s+d", m["part"], _I)
    return not (bare_part and re.search(r"\bde\s+$", ctx.text[max(0, m.start() - 4) : m.start()], _I))


def _r_year_rel(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """« l'an dernier », « cette année », « en fin d'année », « la fin de l'année dernière »: year precision."""
    pub = ctx.published
    if pub is None:
        return []
    mod_text = (m["mod"] or "").lower()
    if mod_text.startswith(("derni", "pass")):
        ctx.saw_year(pub.year - 1, m.end())
        return [_span(ctx, *m.span(), str(pub.year - 1), "year", 0.85)]
    if mod_text.startswith("prochain"):
        ctx.saw_year(pub.year + 1, m.end())
        return [_span(ctx, *m.span(), str(pub.year + 1), "year", 0.85)]
    part = (m["part"] or "").lower()
    if part and "cours" not in part:
        # « en fin d'année » with no year named: this year, unless the tense says
        # it is already past (« fin d'année » in a past clause published in spring)
        # or still to come.
        key = next((k for k in ("début", "milieu", "fin") if k in part), "courant")
        first, last = _YEAR_PARTS[key]
        year = _pick_season_year(pub, first, last, None, ctx.tense(*m.span()))
        return [_span(ctx, *m.span(), str(year), "year", 0.6)]
    ctx.saw_year(pub.year, m.end())  # « cette année », « au cours de l'année »
    return [_span(ctx, *m.span(), str(pub.year), "year", 0.85)]


_SUMMER_PRE_RE = re.compile(rf"(?:cet|en|l{_APOS}|à\s+l{_APOS}|depuis|dès)", _I)


def _season_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    if m["s"].lower() == "été" and not (_SUMMER_PRE_RE.match(m["pre"]) or m["y"]):
        return False  # « a été »: the participle of être
    return not _SEASON_NAME_AFTER_RE.match(ctx.text, m.end())  # le printemps arabe


def _r_season(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """Seasons at year precision (see module docstring)."""
    season = m["s"].lower()
    if m["y"]:
        year = int(m["y"])
        if year < dt.MINYEAR:  # « au printemps 0000 »
            return []
        ctx.saw_year(year, m.end())
        return [_span(ctx, *m.span(), f"{year:04d}", "year", 0.85)]  # « 0999 », as ISO writes it
    if ctx.published is None:
        return []
    tense = ctx.tense(*m.span())
    if m["pre"].lower() == "en" and tense == PRESENT and not m["mod"]:
        return []  # « en été, les ventes augmentent »: habitual, no particular year
    first, last = _SEASONS[season]
    year = _pick_season_year(ctx.published, first, last, _mod_of(m["mod"]), tense)
    return [_span(ctx, *m.span(), str(year), "year", 0.6)]


def _weekday_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    det = (m["det"] or "").lower()
    if det in ("un", "chaque") or (det == "le" and m["mod"] is None):
        return False  # « le mercredi » alone is habitual (« fermé le mercredi »)
    if _ORDINAL_BEFORE_RE.search(ctx.text[max(0, m.start() - 15) : m.start()]):
        return False  # « le premier dimanche du printemps »: a rule, not that weekday
    if _WEEKDAY_NAME_AFTER_RE.match(ctx.text, m.end("wd")):
        return False  # Vendredi saint, Mardi gras
    # « Vendredi ou les Limbes du Pacifique »: capitalised in mid-sentence, a name.
    wd = m["wd"]
    if wd[0].isupper() and wd[1:].islower() and not m["det"]:
        before = ctx.text[: m.start("wd")].rstrip()
        return not before or before[-1] in ".!?:;»\n–—-(" or before[-1].isdigit()
    return True


def _r_weekday(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    """« mardi », « ce mardi », « jeudi dernier », « jeudi prochain »."""
    pub = ctx.published
    det = (m["det"] or "").lower()
    mod = _mod_of(m["mod"])
    if pub is None:
        return []
    start = m.start("wd") if det == "le" else m.start()
    target = _WEEKDAYS.index(m["wd"].lower())
    back = (pub.weekday() - target) % 7  # days since the last such weekday (0 today)
    ahead = (target - pub.weekday()) % 7
    if mod == "last":
        return [_day_span(ctx, start, m.end(), pub - dt.timedelta(days=back or 7), 0.9)]
    if mod == "next":
        return [_day_span(ctx, start, m.end(), pub + dt.timedelta(days=ahead or 7), 0.9)]
    tense = ctx.tense(*m.span())
    if back == 0 and (det == "ce" or tense in (PAST_COMPOUND, PRESENT, UNKNOWN, PARTICIPLE)):
        delta, conf = 0, 0.8
    elif tense in (*_PAST_TENSES, PARTICIPLE):
        delta, conf = -(back or 7), 0.85 if tense != PARTICIPLE else 0.75
    elif tense == FUTURE:
        delta, conf = ahead or 7, 0.85
    elif tense == PRESENT and _direct_tense(ctx, *m.span()) == PRESENT:
        delta, conf = ahead, 0.7  # « il arrive samedi »: news tell past days in a past tense
    else:  # no verb (headlines), or a verb the day does not modify: the nearest such day
        delta, conf = (-back if back < ahead else ahead), 0.65
    return [_day_span(ctx, start, m.end(), pub + dt.timedelta(days=delta), conf)]


def _month_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    return _bare_month_ok(ctx, m, "m")


def _r_month(ctx: _Ctx, m: re.Match[str]) -> list[DateSpan]:
    month = _month_of(m["m"])
    year, conf = _resolve_month_year(ctx, month, *_core(m), _mod_of(m["mod"]))
    if year is None:
        return []
    return [_span(ctx, *_core(m), _month_value(year, month), "month", conf)]


# Candidate-level filters that need no resolution (run before overlaps are settled,
# so that a rejected match leaves room for a weaker one).
def _not_a_street(ctx: _Ctx, m: re.Match[str]) -> bool | None:
    """« rue du 8 mai 1945 » is a street: block it, so that « mai 1945 » is not taken from it."""
    return None if _STREET_BEFORE_RE.search(ctx.text[max(0, m.start() - 20) : m.start()]) else True


def _day_list_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    days = [_day_of(d) for d in re.findall(_DAY, m["days"], _I)] + [_day_of(m["bd"])]
    return all(a < b for a, b in zip(days, days[1:], strict=False))


def _holiday_ok(ctx: _Ctx, m: re.Match[str]) -> bool:
    text, h = ctx.text, m["h"]
    before = text[max(0, m.start() - 12) : m.start()]
    if re.match(r"\s+[A-ZÉÈ][a-zéèêëïîôûç]", text[m.end() : m.end() + 3]):
        return False  # Noël Mamère, Toussaint Louverture
    if h == "Pâques" and re.search(r"\bîle\s+de\s*$", before, _I):
        return False
    # « l'ascension » of a mountain or a career is lowercase; the feast comes with its article.
    return not (h == "Ascension" and not (m["pre"] or re.search(rf"l{_APOS}\s*$", before)))


_Resolver = Callable[[_Ctx, re.Match[str]], list[DateSpan]]
# A filter says whether a match is a date: True keep it, False drop it (a later
# rule may still match inside), None drop it and keep later rules out of it too.
_Filter = Callable[[_Ctx, re.Match[str]], bool | None]
_RULES: tuple[tuple[re.Pattern[str], _Resolver, _Filter | None], ...] = (
    (_ISO_RE, _r_iso, None),
    (_NUMERIC_RE, _r_numeric, None),
    (_DAY_RANGE_RE, _r_day_range, None),
    (_DAY_LIST_RE, _r_day_list, _day_list_ok),
    (_DAY_DATE_RE, _r_day_date, _not_a_street),
    (_WEEKDAY_DAY_RE, _r_weekday_day, None),
    (_DAY_CURRENT_RE, _r_day_current, None),
    (_HOLIDAY_RE, _r_holiday, _holiday_ok),
    (_YEAR_RANGE_RE, _r_year_range, _year_range_ok),
    (_MONTH_YEAR_RE, _r_month_year, _month_year_ok),
    (_MONTH_RANGE_RE, _r_month_range, _month_range_ok),
    (_REL_DAY_RE, _r_rel_day, None),
    (_AGO_RE, _r_ago, _ago_ok),
    (_WEEK_RE, _r_week, _week_ok),
    (_MONTH_REL_RE, _r_month_rel, _month_rel_ok),
    (_YEAR_REL_RE, _r_year_rel, _year_rel_ok),
    (_SEASON_RE, _r_season, _season_ok),
    (_YEAR_RE, _r_year, _year_ok),
    (_YY_RE, _r_two_digit_year, None),
    (_WEEKDAY_RE, _r_weekday, _weekday_ok),
    (_MONTH_RE, _r_month, _month_ok),
)


# What every match of a rule contains: words (lower-cased for a case-insensitive rule)
# or a pattern that, unlike the rule's, starts with a character class and so is
# scanned fast. Scanning the text once per rule was most of find_dates' time, and
# most articles have no weekday, holiday, season or week in them: a text
# without any of a rule's words cannot match the rule, so its scan is skipped.
_NEEDS: dict[re.Pattern[str], tuple[str, ...] | re.Pattern[str]] = {
    _ISO_RE: re.compile(r"\d-\d"),
    _NUMERIC_RE: re.compile(r"\d[/.]\d"),
    _WEEKDAY_DAY_RE: _WEEKDAYS,
    _DAY_CURRENT_RE: ("courant", "cour."),
    _HOLIDAY_RE: ("Pâques", "Pentecôte", "Ascension", "Noël", "Toussaint", "Saint-Sylvestre", "Nouvel", "l'An", "l’An"),
    _REL_DAY_RE: ("hier", "demain", "aujourd"),
    _WEEK_RE: ("semaine", "week"),
    _MONTH_REL_RE: ("mois",),
    _YEAR_REL_RE: ("'an", "’an", "cette"),
    _SEASON_RE: ("printemps", "été", "automne", "hiver"),
    _WEEKDAY_RE: _WEEKDAYS,
}
# Letters that a case-insensitive pattern matches but str.lower() does not turn into
# the pattern's letter (« ı », « ſ » match i and s; « İ » lower-cases to two characters):
# a text with any of them is scanned by every rule.
_FOLD_MISMATCH = ("ı", "ſ", "İ")


def _may_match(pattern: re.Pattern[str], text: str, lowered: str | None) -> bool:
    needs = _NEEDS.get(pattern)
    if needs is None:
        return True
    if isinstance(needs, re.Pattern):
        return needs.search(text) is not None
    if not pattern.flags & re.IGNORECASE:
        return any(word in text for word in needs)
    return lowered is None or any(word in lowered for word in needs)


def _candidates(ctx: _Ctx) -> list[tuple[re.Match[str], _Resolver]]:
    """Non-overlapping matches, earlier rules winning, in text order."""
    text = ctx.text
    lowered = None if any(c in text for c in _FOLD_MISMATCH) else text.lower()
    taken: list[tuple[int, int]] = []
    kept: list[tuple[re.Match[str], _Resolver]] = []
    for pattern, resolver, keep in _RULES:
        if not _may_match(pattern, text, lowered):
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            verdict = True if keep is None else keep(ctx, m)
            if verdict is None:
                taken.append((s, e))
            if not verdict:
                continue
            taken.append((s, e))
            kept.append((m, resolver))
    kept.sort(key=lambda c: c[0].start())
    return kept


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return []
    return [s.start_char for s in doc.sents]


def find_dates(doc: Doc, published: dt.date | None) -> list[DateSpan]:
    """Every date expression of the doc, normalised to ISO at its precision relative to the publication date.

    Offsets are doc.text character offsets (doc.text[start:end] == span.text).
    """
    if isinstance(published, dt.datetime):
        published = published.date()  # a datetime would not compare with the dates built here
    text = doc_text(doc)
    ctx = _Ctx(doc=doc, text=text, published=published, sent_starts=_sentence_starts(doc))
    out: list[DateSpan] = []
    for m, resolver in _candidates(ctx):
        try:
            out.extend(resolver(ctx, m))
        except KeyError:
            # The case-insensitive patterns let look-alike letters through (« HıER »: dotless ı
            # matches i) that the resolvers' tables do not know: such a match is no date we can
            # read, and must not fail the whole article.
            continue
    out.sort(key=lambda d: (d.start, d.end))
    return out
