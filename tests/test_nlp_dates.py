"""find_dates: French date expressions normalised against the publication date.

Publication dates used below (2023):
    Tue 21 March, Wed 22 March, Mon 20 November.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import spacy

from entities.nlp.dates import find_dates
from entities.nlp.types import PRECISIONS, DateSpan

TUE = dt.date(2023, 3, 21)
WED = dt.date(2023, 3, 22)
NOV = dt.date(2023, 11, 20)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("fr_core_news_md")


@pytest.fixture
def dates(nlp):
    """dates(text, published) -> list of DateSpan, checking the offsets on the way."""

    def run(text: str, published: dt.date | None) -> list[DateSpan]:
        doc = nlp(text)
        found = find_dates(doc, published)
        for d in found:
            assert doc.text[d.start : d.end] == d.text
            assert d.precision in PRECISIONS
            assert 0.0 <= d.confidence <= 1.0
        return found

    return run


def one(found: list[DateSpan], text: str | None = None) -> DateSpan:
    """The only date found (or the one with that text)."""
    if text is not None:
        found = [d for d in found if d.text == text]
    assert len(found) == 1, found
    return found[0]


def values(found: list[DateSpan]) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.value, d.end_value) for d in found]


# --- weekdays -----------------------------------------------------------------


def test_it_reads_a_weekday_with_a_past_verb_as_the_one_before_publication(dates):
    d = one(dates("Le conseil des ministres s'est réuni mardi à Paris.", WED))
    assert (d.text, d.value, d.precision) == ("mardi", "2023-03-21", "day")
    assert one(dates("Le suspect a été interpellé jeudi à Lyon.", WED)).value == "2023-03-16"


def test_it_reads_a_weekday_with_a_future_verb_as_the_next_one(dates):
    assert one(dates("Le conseil des ministres se réunira mardi à Paris.", WED)).value == "2023-03-28"
    assert one(dates("Le ministre va se rendre vendredi à Rabat.", WED)).value == "2023-03-24"
    assert one(dates("Il devrait signer jeudi l'accord.", WED)).value == "2023-03-23"


def test_it_reads_the_publication_weekday_as_that_day_with_a_present_or_passe_compose(dates):
    assert one(dates("Le conseil s'est réuni mardi à Paris.", TUE)).value == "2023-03-21"
    assert one(dates("Le conseil se réunit mardi à Paris.", TUE)).value == "2023-03-21"
    # a participle alone too: « dans un message publié mardi », published that Tuesday
    assert one(dates("Il a salué, dans un message publié mardi, les agents.", TUE)).value == "2023-03-21"
    # Future on the day itself: next week.
    assert one(dates("Le conseil se réunira mardi à Paris.", TUE)).value == "2023-03-28"


def test_it_reads_a_weekday_in_a_headline_without_verb_as_the_nearest(dates):
    assert one(dates("Sommet franco-marocain à Rabat samedi", dt.date(2023, 3, 23))).value == "2023-03-25"


def test_it_reads_jeudi_dernier_and_jeudi_prochain(dates):
    found = dates("Il est venu jeudi dernier et reviendra jeudi prochain.", WED)
    assert values(found) == [("jeudi dernier", "2023-03-16", None), ("jeudi prochain", "2023-03-23", None)]
    # On a Thursday, « jeudi dernier » is a week ago and « jeudi prochain » a week ahead.
    thu = dt.date(2023, 3, 23)
    assert one(dates("Il est venu jeudi dernier.", thu)).value == "2023-03-16"
    assert one(dates("Il reviendra jeudi prochain.", thu)).value == "2023-03-30"


def test_it_skips_habitual_and_named_weekdays(dates):
    assert dates("La bibliothèque est fermée le mercredi.", WED) == []
    assert dates("Le premier dimanche du mois, la visite est gratuite.", WED) == []
    assert dates("Le défilé du Mardi gras a eu lieu.", WED) == []


# --- relative days --------------------------------------------------------------


def test_it_reads_hier_aujourdhui_demain_avant_hier(dates):
    found = dates(
        "Il a été arrêté hier ; avant-hier la police l'avait repéré. Il sera jugé demain et entendu aujourd'hui.",
        WED,
    )
    assert values(found) == [
        ("hier", "2023-03-21", None),
        ("avant-hier", "2023-03-20", None),
        ("demain", "2023-03-23", None),
        ("aujourd'hui", "2023-03-22", None),
    ]
    assert all(d.precision == "day" for d in found)


def test_it_keeps_the_day_of_hier_soir_but_not_times_of_day(dates):
    found = dates("Hier soir, les policiers sont intervenus. Ce soir, ils repartent à 20 h 30.", WED)
    assert values(found) == [("Hier", "2023-03-21", None)]


def test_it_handles_the_typographic_apostrophe(dates):
    d = one(dates("Le ministre se rend aujourd’hui à Madrid.", WED))
    assert (d.text, d.value) == ("aujourd’hui", "2023-03-22")


# --- day and month ----------------------------------------------------------------


def test_it_picks_the_year_nearest_publication_for_le_29_mars(dates):
    assert one(dates("Rendez-vous le 29 mars à Bruxelles.", dt.date(2023, 1, 10))).value == "2023-03-29"
    assert one(dates("Rendez-vous le 29 mars à Bruxelles.", NOV)).value == "2024-03-29"
    assert one(dates("Rendez-vous le 29 mars à Bruxelles.", dt.date(2023, 6, 1))).value == "2023-03-29"


def test_it_lets_the_verb_of_the_date_overrule_the_nearest_year(dates):
    # Nearest would be nine days ahead, but the summit is over.
    assert one(dates("Le sommet a eu lieu le 29 mars à Bruxelles.", dt.date(2023, 3, 20))).value == "2022-03-29"
    # A deadline keeps the nearest year whatever the tense of « a donné ».
    assert one(dates("Il a donné jusqu'au 29 mars aux négociateurs.", dt.date(2023, 3, 20))).value == "2023-03-29"


def test_it_reads_le_29_mars_2022(dates):
    d = one(dates("L'accord a été signé le 29 mars 2022 à Rabat.", WED))
    assert (d.text, d.value, d.precision) == ("le 29 mars 2022", "2022-03-29", "day")


def test_it_reads_premier_janvier(dates):
    d = one(dates("La loi entre en vigueur le 1er janvier.", NOV))
    assert (d.text, d.value) == ("le 1er janvier", "2024-01-01")
    assert one(dates("Depuis le premier janvier 2020, la règle a changé.", NOV)).value == "2020-01-01"


def test_it_reads_a_weekday_with_its_date(dates):
    d = one(dates("La réunion aura lieu le jeudi 12 octobre à Madrid.", WED))
    assert (d.text, d.value) == ("le jeudi 12 octobre", "2023-10-12")


def test_it_reads_dernier_and_prochain_after_a_date(dates):
    assert one(dates("Il a été élu le 6 mai dernier.", WED)).value == "2022-05-06"
    assert one(dates("Il sera installé le 1er septembre prochain.", WED)).value == "2023-09-01"


def test_it_reads_a_two_digit_year(dates):
    assert one(dates("Le carambolage du 10 novembre 93 avait fait dix morts.", WED)).value == "1993-11-10"
    assert one(dates("Le projet date d'octobre 98.", dt.date(1999, 5, 23))).value == "1998-10"


# --- ranges ----------------------------------------------------------------------


def test_it_reads_les_12_et_13_octobre_as_a_range(dates):
    d = one(dates("Les ministres se retrouveront les 12 et 13 octobre à Madrid.", WED))
    assert (d.text, d.value, d.end_value, d.precision) == ("les 12 et 13 octobre", "2023-10-12", "2023-10-13", "day")


def test_it_reads_non_consecutive_days_as_separate_dates(dates):
    found = dates("Les élections auront lieu les 6 et 13 avril prochains.", WED)
    assert values(found) == [("les 6", "2023-04-06", None), ("13 avril prochains", "2023-04-13", None)]


def test_it_reads_du_3_au_5_mai_2023(dates):
    d = one(dates("L'exercice se déroulera du 3 au 5 mai 2023 en Méditerranée.", WED))
    assert (d.text, d.value, d.end_value, d.precision) == ("du 3 au 5 mai 2023", "2023-05-03", "2023-05-05", "day")


def test_it_reads_hyphenated_day_ranges(dates):
    d = one(dates("Les séries mondiales passeront à Rotterdam (14-17 septembre 2017).", WED))
    assert (d.text, d.value, d.end_value) == ("14-17 septembre 2017", "2017-09-14", "2017-09-17")


def test_it_reads_a_weekday_with_a_day_number_and_no_month(dates):
    d = one(dates("Barrow est revenu le jeudi 26, dans l'après-midi.", dt.date(2017, 1, 28)))
    assert (d.text, d.value) == ("le jeudi 26", "2017-01-26")
    # « jeudi 18 h » is a time, the day stays a weekday.
    assert one(dates("Le match aura lieu jeudi 18 h 30.", WED)).text == "jeudi"


def test_it_reads_a_range_across_new_year(dates):
    d = one(dates("L'opération s'est déroulée du 28 décembre au 3 janvier.", dt.date(2023, 1, 10)))
    assert (d.value, d.end_value) == ("2022-12-28", "2023-01-03")


def test_it_reads_year_and_month_ranges(dates):
    assert values(dates("De 1982 à 1987, il a dirigé le groupe.", WED)) == [("De 1982 à 1987", "1982", "1987")]
    assert values(dates("Le recensement de mars-avril est publié.", dt.date(1999, 7, 7))) == [
        ("mars-avril", "1999-03", "1999-04")
    ]


# --- months and years -------------------------------------------------------------------


def test_it_reads_en_mars_2019_at_month_precision(dates):
    d = one(dates("L'accord avait été conclu en mars 2019 à Alger.", WED))
    assert (d.text, d.value, d.precision) == ("mars 2019", "2019-03", "month")


def test_it_reads_a_month_alone_with_the_tense(dates):
    pub = dt.date(2023, 2, 23)
    assert one(dates("Il a été sanctionné en mai.", pub)).value == "2022-05"
    assert one(dates("Il sera jugé en mai.", pub)).value == "2023-05"
    assert one(dates("Il a été recruté en septembre dernier.", pub)).value == "2022-09"


def test_it_reads_en_2015_and_fondee_en_2015_at_year_precision(dates):
    d = one(dates("Europol, fondée en 2015, coordonne l'enquête.", WED))
    assert (d.text, d.value, d.precision) == ("2015", "2015", "year")
    assert one(dates("En 2015, l'agence a ouvert un bureau.", None)).value == "2015"


def test_it_does_not_take_counts_or_decades_for_years(dates):
    assert dates("La ville compte 2000 habitants et 1500 policiers.", WED) == []
    assert dates("Dans les années 60, puis les années 1990, la ville a grandi.", WED) == []
    assert dates("Selon l'article 1240 du code civil.", WED) == []


def test_it_lends_a_year_to_later_months_of_the_same_clause(dates):
    found = dates("Deux ruptures en 97 (en janvier rue Saint-Dizier, en octobre rue de Metz).", dt.date(1999, 7, 29))
    assert values(found) == [("97", "1997", None), ("janvier", "1997-01", None), ("octobre", "1997-10", None)]


def test_it_ignores_mars_the_planet_and_avril_the_name(dates):
    assert dates("Mars est une planète. Avril Lavigne chante à Paris.", WED) == []


# --- parts of the year, seasons, weeks --------------------------------------------------


def test_it_reads_debut_and_fin_dannee_at_year_precision(dates):
    d = one(dates("Un nouveau traité sera signé en début d'année.", NOV))
    assert (d.value, d.precision) == ("2024", "year")
    d = one(dates("La réforme a été adoptée en fin d'année.", WED))
    assert (d.value, d.precision) == ("2022", "year")
    assert one(dates("Les travaux seront achevés d'ici la fin de l'année.", WED)).value == "2023"


def test_it_reads_au_printemps_at_year_precision(dates):
    d = one(dates("Les négociations reprendront au printemps.", NOV))
    assert (d.text, d.value, d.precision) == ("au printemps", "2024", "year")
    assert one(dates("Les négociations ont repris au printemps.", NOV)).value == "2023"
    assert one(dates("Il a été libéré l'été dernier.", WED)).value == "2022"


def test_it_does_not_take_the_participle_ete_for_summer(dates):
    assert dates("Il a été arrêté par la police.", WED) == []
    assert dates("Le printemps arabe a changé la région.", WED) == []


def test_it_keeps_month_precision_for_parts_of_a_month(dates):
    d = one(dates("Le régiment achèvera début octobre son mandat.", dt.date(2002, 9, 14)))
    assert (d.text, d.value, d.precision) == ("début octobre", "2002-10", "month")
    assert one(dates("Depuis fin septembre 2000, les violences continuent.", WED)).value == "2000-09"


def test_it_reads_la_semaine_derniere_as_monday_to_sunday(dates):
    d = one(dates("La police a démantelé la semaine dernière un réseau.", WED))
    assert (d.text, d.value, d.end_value, d.precision) == ("la semaine dernière", "2023-03-13", "2023-03-19", "day")
    assert one(dates("Il sera reçu la semaine prochaine.", WED)).value == "2023-03-27"


def test_it_reads_weekends_as_saturday_to_sunday(dates):
    assert values(dates("Le match aura lieu ce week-end.", WED)) == [("ce week-end", "2023-03-25", "2023-03-26")]
    assert values(dates("Les coureurs se sont rendus ce week-end à Genève.", TUE)) == [
        ("ce week-end", "2023-03-18", "2023-03-19")
    ]


def test_it_reads_le_mois_dernier_at_month_precision(dates):
    d = one(dates("Le mois dernier, trois suspects ont été interpellés.", WED))
    assert (d.text, d.value, d.precision) == ("Le mois dernier", "2023-02", "month")
    assert one(dates("Le texte sera voté le mois prochain.", NOV)).value == "2023-12"


def test_it_reads_lan_dernier_and_lannee_derniere_at_year_precision(dates):
    found = dates("L'an dernier, 145 personnes ont été arrêtées, contre 120 l'année dernière à Lyon.", WED)
    assert [(d.text, d.value, d.precision) for d in found] == [
        ("L'an dernier", "2022", "year"),
        ("l'année dernière", "2022", "year"),
    ]
    assert one(dates("Cette année, les saisies ont doublé.", WED)).value == "2023"


def test_it_reads_il_y_a_and_dans(dates):
    assert one(dates("Il a été enlevé il y a trois jours.", WED)).value == "2023-03-19"
    d = one(dates("Dans deux mois, le traité sera ratifié.", NOV))
    assert (d.value, d.precision) == ("2024-01", "month")


def test_it_reads_holidays(dates):
    assert one(dates("Le cessez-le-feu a tenu jusqu'à Noël.", dt.date(2023, 1, 5))).value == "2022-12-25"
    # Pentecost 1999 was on 23 May.
    assert one(dates("Le village fête la Pentecôte.", dt.date(1999, 5, 18))).value == "1999-05-23"
    assert dates("Noël Mamère a pris la parole.", WED) == []


# --- numeric forms ------------------------------------------------------------------------


def test_it_reads_numeric_dates(dates):
    found = dates("Le document daté du 12/03/2023 a été publié le 2023-03-12.", None)
    assert values(found) == [("12/03/2023", "2023-03-12", None), ("2023-03-12", "2023-03-12", None)]
    assert all(d.precision == "day" for d in found)
    assert dates("La version 3.5.10 corrige une faille ; le score est de 2/3.", WED) == []


# --- durations, streets, no publication date --------------------------------------------


def test_it_skips_durations(dates):
    assert dates("Les négociations ont duré pendant trois jours, puis six mois de trêve.", WED) == []


def test_it_skips_street_names(dates):
    assert dates("Le siège est situé rue du 8 mai 1945 à Nancy.", WED) == []


def test_it_works_without_publication_date(dates):
    found = dates(
        "Le sommet s'est tenu mardi, le 29 mars, hier et en mars 2019 ; l'accord du 29 mars 2022 date de 2015.",
        None,
    )
    assert values(found) == [
        ("mars 2019", "2019-03", None),
        ("29 mars 2022", "2022-03-29", None),
        ("2015", "2015", None),
    ]


def test_it_works_on_a_doc_without_parser(dates):
    doc = spacy.blank("fr")("Le sommet s'est tenu le 29 mars 2022 et mardi.")
    assert values(find_dates(doc, WED)) == [("le 29 mars 2022", "2022-03-29", None), ("mardi", "2023-03-21", None)]


def test_it_costs_little_next_to_the_spacy_pipeline(nlp):
    text = " ".join(
        [
            "Le ministre s'est rendu mardi à Rabat, où il a signé le 29 mars un accord conclu en mars 2019.",
            "Les deux pays se retrouveront les 12 et 13 octobre, puis du 3 au 5 mai 2023 pour un exercice.",
            "L'an dernier, 2000 policiers avaient été mobilisés ; la semaine dernière, hier encore.",
        ]
        * 40
    )
    t0 = time.perf_counter()
    doc = nlp(text)
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = find_dates(doc, WED)
    t_dates = time.perf_counter() - t0
    assert len(found) == 40 * 8  # the 2000 policemen are not a year
    assert t_dates < 0.5 * t_nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LA SEMAINE DERNIÈRE, le ministre a reçu son homologue.", ("2023-03-13", "2023-03-19")),
        ("Le ministre est arrivé HIER à Dakar.", ("2023-03-20", None)),
        ("Le Sommet s'ouvre MARDI à Dakar.", ("2023-03-21", None)),
    ],
)
def test_it_finds_dates_written_in_capitals(dates, text, expected):
    # Rules skip texts that lack their words; the check must fold case as the rules do.
    assert [(d.value, d.end_value) for d in dates(text, TUE)] == [expected]


def test_it_skips_a_date_word_written_with_look_alike_letters(nlp):
    doc = nlp("Le ministre est arrivé HıER à Rabat, il repart le 15 mars.")
    dates = find_dates(doc, dt.date(2024, 3, 14))
    assert [d.value for d in dates] == ["2024-03-15"]


def test_it_reads_le_12_courant_as_that_day_of_the_month_of_publication(dates):
    d = one(dates("Sept individus ont été interpellés le 12 courant à Tanger.", NOV))
    assert (d.text, d.value, d.precision) == ("12 courant", "2023-11-12", "day")
    assert not dates("Le courant passe entre les deux ministres.", NOV)
