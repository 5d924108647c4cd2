"""Pure helpers: fingerprints for duplicates, language detection, publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

from articles import dedup
from articles.dates import parse_published
from articles.language import detect_language

PLUS_ONE = dt.timezone(dt.timedelta(hours=1))
STORY = (
    "Les ministres de l'Intérieur du G5 Sahel se sont réunis mardi à Nouakchott pour faire le point sur "
    "la coopération transfrontalière. Ils ont décidé de créer une cellule commune de renseignement et de "
    "renforcer les patrouilles mixtes le long des frontières. Le secrétaire permanent a rappelé que la "
    "menace terroriste restait élevée dans la zone des trois frontières et que les financements promis "
    "par les partenaires internationaux tardaient à arriver. Une prochaine réunion est prévue en juin."
)


def test_it_hashes_texts_alike_up_to_whitespace():
    assert dedup.content_hash(STORY) == dedup.content_hash("  " + STORY.replace(" ", "\n ") + "\n")
    assert dedup.content_hash(STORY) != dedup.content_hash(STORY.replace("mardi", "mercredi"))


def test_it_estimates_similarity_close_to_the_true_jaccard():
    edited = STORY.replace("mardi", "mercredi").replace("en juin", "à l'automne")
    a, b = set(dedup.shingles(STORY).tolist()), set(dedup.shingles(edited).tolist())
    true = len(a & b) / len(a | b)
    estimate = dedup.similarity(dedup.signature(STORY), dedup.signature(edited))
    assert abs(true - estimate) < 0.15
    unrelated = "Le club de football local a remporté le championnat régional après une saison sans défaite."
    assert dedup.similarity(dedup.signature(STORY), dedup.signature(unrelated)) < 0.2


def test_it_gives_similar_texts_a_shared_band_and_stable_keys():
    edited = STORY.replace("mardi", "mercredi")
    keys = dedup.band_keys(dedup.signature(STORY))
    assert len(keys) == dedup.BANDS
    assert set(keys) & set(dedup.band_keys(dedup.signature(edited)))
    # Signatures are stored and compared across processes: they must not depend on the run.
    assert dedup.signature_from_bytes(dedup.signature_to_bytes(dedup.signature(STORY))).tolist() == (
        dedup.signature(STORY).tolist()
    )


def test_it_handles_texts_too_short_for_a_shingle():
    assert dedup.signature("").size == dedup.NUM_PERM
    assert dedup.similarity(dedup.signature("Alerte"), dedup.signature("Alerte")) == 1.0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (STORY, "fr"),
        ("The ministers agreed on Tuesday to set up a joint intelligence cell and to step up border patrols.", "en"),
        ("Los ministros acordaron el martes crear una célula conjunta de inteligencia y reforzar las patrullas.", "es"),
        ("Die Minister vereinbarten am Dienstag eine gemeinsame Geheimdienstzelle und mehr Grenzpatrouillen.", "de"),
        ("Bonjour", ""),
    ],
)
def test_it_detects_the_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2021-11-08", dt.datetime(2021, 11, 8), "day"),
        ("2021-11-08T09:15:00+01:00", dt.datetime(2021, 11, 8, 9, 15, tzinfo=PLUS_ONE), "day"),
        ("2021-11-08T08:15:00Z", dt.datetime(2021, 11, 8, 8, 15, tzinfo=dt.UTC), "day"),
        ("08/11/2021", dt.datetime(2021, 11, 8), "day"),
        ("2021-11", dt.datetime(2021, 11, 1), "month"),
        ("2021", dt.datetime(2021, 1, 1), "year"),
        (dt.date(2021, 11, 8), dt.datetime(2021, 11, 8), "day"),
    ],
)
def test_it_parses_publication_dates_with_their_precision(value, expected, precision):
    published = parse_published(value)
    assert (published.at, published.precision) == (expected, precision)


@pytest.mark.parametrize("value", ["hier", "2021-13", "32/01/2021", "2021-02-30"])
def test_it_refuses_unreadable_dates_with_a_message(value):
    with pytest.raises(ValueError, match="unreadable publication date"):
        parse_published(value)


def test_it_treats_an_empty_date_as_none():
    assert parse_published("  ") is None and parse_published(None) is None
