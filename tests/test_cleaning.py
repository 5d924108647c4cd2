"""Tests for articles.cleaning (pure Python: runs with or without pytest-django)."""

import datetime
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning import (
    CleanedArticle,
    PartialDate,
    Removed,
    clean_article,
    copyright_holder,
    normalize_for_hash,
    read_also_title,
)

# No example database: the suite must not leave a .hypothesis/ directory behind.
PROPERTY = settings(max_examples=200, deadline=None, database=None)

LEAD = "Le ministre de l'Intérieur a reçu lundi à Rabat son homologue espagnol pour évoquer la lutte antiterroriste."
SECOND = "Les deux pays ont convenu de renforcer l'échange de renseignements sur les filières sahéliennes."


def kinds(cleaned: CleanedArticle) -> list[str]:
    return [r.kind for r in cleaned.removed]


# --- normalisation ---------------------------------------------------------------------


def test_it_normalises_windows_and_old_mac_line_endings():
    cleaned = clean_article(f"{LEAD}\r\n\r\n{SECOND}\rLa réunion s'est tenue à huis clos.")

    assert cleaned.text == f"{LEAD}\n\n{SECOND}\nLa réunion s'est tenue à huis clos."


def test_it_turns_non_breaking_spaces_into_plain_spaces():
    cleaned = clean_article("Le général a déclaré\u00a0: «\u202fNous restons mobilisés\u202f».")

    assert cleaned.text == "Le général a déclaré : « Nous restons mobilisés »."


def test_it_strips_zero_width_and_control_characters_but_keeps_tabs():
    raw = "\ufeffLa Gendar\u200bmerie royale\x00 a dé\u00admantelé\x07 une cellule\tà Tanger."

    assert clean_article(raw).text == "La Gendarmerie royale a démantelé une cellule\tà Tanger."


def test_it_composes_decomposed_accents():
    raw = "La de\u0301le\u0301gation se\u0301ne\u0301galaise est arrive\u0301e a\u0300 Dakar."

    cleaned = clean_article(raw)

    assert cleaned.text == "La délégation sénégalaise est arrivée à Dakar."
    assert unicodedata.is_normalized("NFC", cleaned.text)


def test_it_strips_trailing_whitespace_and_collapses_blank_lines():
    raw = f"\n\n   \n{LEAD}   \t\n \n\n\n\n{SECOND}  \n\n\n"

    assert clean_article(raw).text == f"{LEAD}\n\n{SECOND}"


def test_it_keeps_single_line_breaks_inside_a_paragraph():
    raw = f"{LEAD}\n{SECOND}"

    assert clean_article(raw).text == raw


# --- rubric glued to the headline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "rubric", "title"),
    [
        (
            "SécuritéLe Maroc et l'Espagne renforcent leur coopération",
            "Sécurité",
            "Le Maroc et l'Espagne renforcent leur coopération",
        ),
        (
            "InternationalRéunion des ministres de la Défense du G5 Sahel à Niamey",
            "International",
            "Réunion des ministres de la Défense du G5 Sahel à Niamey",
        ),
        (
            "PolitiqueLe Parlement adopte la loi de programmation militaire",
            "Politique",
            "Le Parlement adopte la loi de programmation militaire",
        ),
        (
            "ÉconomieL'Algérie et la Tunisie signent un accord frontalier",
            "Économie",
            "L'Algérie et la Tunisie signent un accord frontalier",
        ),
    ],
)
def test_it_splits_a_rubric_glued_to_the_headline(first_line, rubric, title):
    cleaned = clean_article(f"{first_line}\n\n{LEAD}")

    assert cleaned.rubric == rubric
    assert cleaned.title == title
    assert cleaned.title_inferred is True
    assert cleaned.text == LEAD
    assert cleaned.removed[:2] == (Removed("rubric", rubric), Removed("title", title))


@pytest.mark.parametrize("rubric", ["Coopération", "Sécurité intérieure", "Afrique du Nord"])
def test_it_takes_a_rubric_on_its_own_line_above_the_headline(rubric):
    title = "Rabat et Madrid renforcent leur coopération contre les passeurs"
    cleaned = clean_article(f"{rubric}\n{title}\nPublié le 14/03/2024 à 10h12\n\n{LEAD}")

    assert cleaned.rubric == rubric
    assert cleaned.title == title
    assert cleaned.text == LEAD
    assert cleaned.removed[:2] == (Removed("rubric", rubric), Removed("title", title))


def test_it_keeps_a_short_headline_followed_by_its_lead():
    cleaned = clean_article(f"Attentat à Mogadiscio\n\n{LEAD}")

    assert cleaned.title == "Attentat à Mogadiscio"
    assert cleaned.rubric is None


@pytest.mark.parametrize(
    "headline",
    [
        "McDonald's ferme ses restaurants au Niger",
        "iPhone : la gendarmerie met en garde contre une arnaque",
        "YouTube supprime des chaînes de propagande jihadiste",
        "TikTok interdit sur les téléphones des militaires",
        "TotalEnergies suspend un projet au Mozambique",
        "MacArthur, un modèle pour les officiers",
    ],
)
def test_it_does_not_split_camel_case_names_at_the_start_of_the_headline(headline):
    cleaned = clean_article(f"{headline}\n\n{LEAD}")

    assert cleaned.rubric is None
    assert cleaned.title == headline


def test_it_never_splits_camel_case_words_in_the_body():
    body = "SécuritéLe mot était collé dans la source, ainsi que InternationalRéunion."
    cleaned = clean_article(f"Titre de l'article sur la coopération\n\n{LEAD}\n\n{body}")

    assert body in cleaned.text
    assert cleaned.rubric is None


# --- title -------------------------------------------------------------------------------------


def test_it_infers_the_title_from_a_headline_followed_by_a_blank_line():
    cleaned = clean_article(f"Le Niger et le Bénin rouvrent leur frontière\n\n{LEAD}\n\n{SECOND}")

    assert cleaned.title == "Le Niger et le Bénin rouvrent leur frontière"
    assert cleaned.title_inferred is True
    assert cleaned.text == f"{LEAD}\n\n{SECOND}"
    assert cleaned.removed == (Removed("title", "Le Niger et le Bénin rouvrent leur frontière"),)


def test_it_infers_the_title_across_several_blank_and_junk_lines():
    cleaned = clean_article(f"Le Niger et le Bénin rouvrent leur frontière\n\n\nPublicité\n \n\n{LEAD}")

    assert cleaned.title == "Le Niger et le Bénin rouvrent leur frontière"
    assert cleaned.text == LEAD


def test_it_infers_the_title_from_a_headline_followed_directly_by_the_lead():
    cleaned = clean_article(f"Cybersécurité : exercice conjoint à Rabat\n{LEAD}")

    assert cleaned.title == "Cybersécurité : exercice conjoint à Rabat"
    assert cleaned.text == LEAD


def test_it_takes_a_place_dash_subject_headline_for_a_headline_not_a_dateline():
    cleaned = clean_article(f"Mali – La junte demande le départ des Casques bleus\n\nBamako (AFP) – {LEAD}")

    assert cleaned.title == "Mali – La junte demande le départ des Casques bleus"
    assert (cleaned.dateline_place, cleaned.agency) == ("Bamako", "AFP")
    assert cleaned.text == LEAD


def test_it_takes_a_headline_followed_by_a_dateline_line():
    cleaned = clean_article(f"Sommet de la CEDEAO à Abuja\ndate 2021-11\n{LEAD}")

    assert cleaned.title == "Sommet de la CEDEAO à Abuja"
    assert cleaned.published == PartialDate(datetime.date(2021, 11, 1), "month")
    assert cleaned.text == LEAD


@pytest.mark.parametrize(
    "raw",
    [
        # hard-wrapped paragraph: the next line goes on with a lowercase word
        "Le ministre de l'Intérieur a reçu lundi à Rabat son homologue\nespagnol pour parler de sécurité.",
        # the first line ends on a word that cannot end a headline
        "Le chef d'état-major a présidé la cérémonie de\nLa Promotion 2024 à Meknès.",
        # the wrapped line goes on with a proper name
        "Le ministre de l'Intérieur a reçu lundi son homologue\nFernando Grande-Marlaska à Rabat.",
    ],
)
def test_it_does_not_take_a_wrapped_sentence_for_a_headline(raw):
    cleaned = clean_article(raw)

    assert cleaned.text == raw
    assert "title" not in kinds(cleaned)


def test_it_falls_back_to_the_first_sentence_and_keeps_the_body_intact():
    raw = f"{LEAD} {SECOND}\n\nLa prochaine réunion aura lieu à Madrid."

    cleaned = clean_article(raw)

    assert cleaned.text == raw
    assert cleaned.title_inferred is True
    assert cleaned.title.startswith("Le ministre de l'Intérieur a reçu lundi à Rabat")
    assert cleaned.title.endswith("…")
    assert len(cleaned.title) <= 101
    assert LEAD.startswith(cleaned.title[:-1])  # cut at a word boundary
    assert LEAD[len(cleaned.title) - 1] == " "


def test_it_does_not_end_the_fallback_title_at_an_abbreviation():
    cleaned = clean_article("M. Bourita a reçu Mme Albares à Rabat. La rencontre a duré deux heures.")

    assert cleaned.title == "M. Bourita a reçu Mme Albares à Rabat"


def test_it_does_not_take_a_lone_line_for_a_headline():
    cleaned = clean_article("Attaque contre un convoi près de Ménaka")

    assert cleaned.text == "Attaque contre un convoi près de Ménaka"
    assert cleaned.title == "Attaque contre un convoi près de Ménaka"
    assert cleaned.removed == ()


def test_it_drops_a_first_line_equal_to_the_given_title():
    raw = f"  Le Maroc   et l'Espagne renforcent leur coopération \n\n{LEAD}"

    cleaned = clean_article(raw, title="Le Maroc et l'Espagne renforcent leur coopération")

    assert cleaned.title == "Le Maroc et l'Espagne renforcent leur coopération"
    assert cleaned.title_inferred is False
    assert cleaned.text == LEAD


def test_it_drops_a_first_line_equal_to_the_given_title_with_a_glued_rubric():
    raw = f"SécuritéLe Maroc et l’Espagne renforcent leur coopération\n\n{LEAD}"

    cleaned = clean_article(raw, title="Le Maroc et l'Espagne renforcent leur coopération")

    assert cleaned.rubric == "Sécurité"
    assert cleaned.text == LEAD


def test_it_keeps_a_first_line_that_differs_from_the_given_title():
    raw = f"Coopération : les détails de l'accord\n\n{LEAD}"

    cleaned = clean_article(raw, title="Le Maroc et l'Espagne renforcent leur coopération")

    assert cleaned.text == raw
    assert cleaned.title == "Le Maroc et l'Espagne renforcent leur coopération"
    assert cleaned.removed == ()


def test_it_normalises_the_given_title_and_infers_when_it_is_blank():
    assert clean_article(LEAD, title=" Sahel :\u00a0la\n relève ").title == "Sahel : la relève"
    assert clean_article(f"Titre sur deux pays\n\n{LEAD}", title="  ").title == "Titre sur deux pays"


# --- datelines ----------------------------------------------------------------------------------

D = datetime.date
T = datetime.time


@pytest.mark.parametrize(
    ("header", "published", "place", "agency"),
    [
        ("date 2021-11\n", PartialDate(D(2021, 11, 1), "month"), None, None),
        ("date 2019\n", PartialDate(D(2019, 1, 1), "year"), None, None),
        ("lundi, 8 novembre, 2021 à 09:15\n", PartialDate(D(2021, 11, 8), "day", T(9, 15)), None, None),
        ("samedi 3 février 2024\n", PartialDate(D(2024, 2, 3), "day"), None, None),
        ("3 fevrier 2024\n", PartialDate(D(2024, 2, 3), "day"), None, None),
        ("1er août 2023\n", PartialDate(D(2023, 8, 1), "day"), None, None),
        ("Mardi 15 aout 2023\n", PartialDate(D(2023, 8, 15), "day"), None, None),
        ("Novembre 2022\n", PartialDate(D(2022, 11, 1), "month"), None, None),
        ("Publié le 12/03/2023 à 10h05\n", PartialDate(D(2023, 3, 12), "day", T(10, 5)), None, None),
        ("Mis à jour le 1er décembre 2023 à 18h\n", PartialDate(D(2023, 12, 1), "day", T(18, 0)), None, None),
        (
            "Publié le 12/03/2023 à 10h05, mis à jour le 13/03/2023 à 08h00\n",
            PartialDate(D(2023, 3, 12), "day", T(10, 5)),
            None,
            None,
        ),
        ("2023-07-14\n", PartialDate(D(2023, 7, 14), "day"), None, None),
        ("Rabat – ", None, "Rabat", None),
        ("Rabat - ", None, "Rabat", None),
        ("Rabat—", None, "Rabat", None),
        ("Rabat –\n", None, "Rabat", None),
        ("PARIS (AFP) - ", None, "Paris", "AFP"),
        ("Bamako (AFP) – ", None, "Bamako", "AFP"),
        ("ADDIS-ABEBA (Reuters) - ", None, "Addis-Abeba", "Reuters"),
        ("Rabat, 8 novembre 2021 (MAP) - ", PartialDate(D(2021, 11, 8), "day"), "Rabat", "MAP"),
        ("NIAMEY, 12 mars (Reuters) - ", None, "Niamey", "Reuters"),
        ("KOWEÏT (KUNA) -- ", None, "Koweït", "KUNA"),  # a dash typed as two hyphens
        ("3 décembre 2023 -- ", PartialDate(D(2023, 12, 3), "day"), None, None),
        ("3 décembre 2023 - ", PartialDate(D(2023, 12, 3), "day"), None, None),
        ("Publié le 12/03/2023 à 10h05 ", PartialDate(D(2023, 3, 12), "day", T(10, 5)), None, None),
    ],
)
def test_it_reads_and_removes_a_dateline(header, published, place, agency):
    cleaned = clean_article(f"Exercice naval conjoint au large d'Agadir\n\n{header}{LEAD}\n\n{SECOND}")

    assert cleaned.text == f"{LEAD}\n\n{SECOND}"  # the lead sentence stays exactly as is
    assert cleaned.published == published
    assert cleaned.dateline_place == place
    assert cleaned.agency == agency
    assert Removed("dateline", header.strip()) in cleaned.removed
    assert cleaned.title == "Exercice naval conjoint au large d'Agadir"


def test_a_date_of_publication_beats_a_date_of_update():
    raw = (
        "Exercice naval au large d'Agadir\nMis à jour le 04/02/2024 à 08h10\n\n"
        f"Agadir, samedi 3 février 2024 (MAP) – {LEAD}"
    )

    cleaned = clean_article(raw)

    assert cleaned.published == PartialDate(D(2024, 2, 3), "day")
    assert cleaned.text == LEAD
    # alone, the update is the best date there is
    assert clean_article(f"Titre de l'article\nMis à jour le 04/02/2024\n\n{LEAD}").published == PartialDate(
        D(2024, 2, 4), "day"
    )


def test_it_reads_a_date_line_and_a_place_dateline_together():
    raw = f"Exercice naval au large d'Agadir\nsamedi 3 février 2024\n\nAgadir (MAP) – {LEAD}"

    cleaned = clean_article(raw)

    assert cleaned.published == PartialDate(D(2024, 2, 3), "day")
    assert (cleaned.dateline_place, cleaned.agency) == ("Agadir", "MAP")
    assert cleaned.text == LEAD
    assert kinds(cleaned) == ["title", "dateline", "dateline"]


def test_it_reads_a_dateline_placed_before_the_headline():
    raw = f"Publié le 05/09/2022 à 07h30\nLe G5 Sahel se réunit à Nouakchott\n\n{LEAD}"

    cleaned = clean_article(raw)

    assert cleaned.published == PartialDate(D(2022, 9, 5), "day", T(7, 30))
    assert cleaned.title == "Le G5 Sahel se réunit à Nouakchott"
    assert cleaned.text == LEAD


def test_it_skips_a_byline_to_find_the_dateline():
    raw = f"Le G5 Sahel se réunit à Nouakchott\n\nPar Aïcha Diallo\n\nNouakchott – {LEAD}"

    cleaned = clean_article(raw)

    assert cleaned.dateline_place == "Nouakchott"
    assert cleaned.text == f"Par Aïcha Diallo\n\n{LEAD}"


def test_it_cleans_a_full_page_paste():
    raw = (
        "Accueil > International\n"
        "InternationalLe Sénégal et la Mauritanie signent un accord de sécurité maritime\n"
        "Par Moussa Ndiaye\n"
        "Publié le 14/06/2024 à 11h20, mis à jour le 14/06/2024 à 15h02\n\n"
        f"Dakar (APS) – {LEAD}\n\nPUBLICITÉ\n\n{SECOND}\n\nÀ lire aussi\n\n© 2024 APS. Tous droits réservés"
    )

    cleaned = clean_article(raw)

    assert cleaned.text == f"Par Moussa Ndiaye\n\n{LEAD}\n\n{SECOND}"
    assert cleaned.title == "Le Sénégal et la Mauritanie signent un accord de sécurité maritime"
    assert cleaned.rubric == "International"
    assert cleaned.published == PartialDate(D(2024, 6, 14), "day", T(11, 20))
    assert (cleaned.dateline_place, cleaned.agency) == ("Dakar", "APS")
    assert kinds(cleaned) == [
        "breadcrumb",
        "rubric",
        "title",
        "dateline",
        "dateline",
        "advertisement",
        "read_also",
        "copyright",
    ]


def test_it_reads_a_dateline_at_the_start_of_a_text_without_headline():
    cleaned = clean_article(f"Dakar (APS) – {LEAD}\n\n{SECOND}")

    assert (cleaned.dateline_place, cleaned.agency) == ("Dakar", "APS")
    assert cleaned.text == f"{LEAD}\n\n{SECOND}"
    assert cleaned.title.startswith("Le ministre de l'Intérieur")


def test_it_ignores_datelines_in_the_middle_of_the_body():
    later = "Rabat (MAP) – Une seconde réunion est prévue en juin."
    dated = "samedi 3 février 2024"
    raw = f"Titre de l'article sur la coopération\n\n{LEAD}\n\n{SECOND}\n\n{later}\n\n{dated}"

    cleaned = clean_article(raw)

    assert cleaned.text == f"{LEAD}\n\n{SECOND}\n\n{later}\n\n{dated}"
    assert cleaned.published is None
    assert cleaned.dateline_place is None


@pytest.mark.parametrize(
    "lead",
    [
        "Le 3 février 2024, le ministre a inauguré la nouvelle caserne de Laâyoune.",
        "Paris, Londres et Berlin ont condamné l'attaque contre la base de Tessalit.",
        "Rabat - la capitale accueille pour la première fois l'exercice African Lion.",
        "Bamako (Mali) – La junte a annoncé la fin de l'accord d'Alger.",
        "31 février 2024 - Une date impossible ne doit pas être lue.",
        "Le Maroc – premier partenaire de l'Espagne – accueille la réunion.",
    ],
)
def test_it_leaves_a_lead_that_only_resembles_a_dateline(lead):
    cleaned = clean_article(f"Titre de l'article sur la coopération\n\n{lead}")

    assert cleaned.text == lead
    assert cleaned.published is None
    assert "dateline" not in kinds(cleaned)


# --- junk lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("© 2024 Le Monde", "copyright"),
        ("Copyright © 2023 Jeune Afrique", "copyright"),
        ("Copyright Le360", "copyright"),
        ("Tous droits réservés", "copyright"),
        ("Reproduction interdite", "copyright"),
        ("© Copyright 2024 Le Matin - Reproduction interdite", "copyright"),
        ("Hespress - Tous droits réservés.", "copyright"),
        ("Advertisement", "advertisement"),
        ("Publicité", "advertisement"),
        ("PUBLICITÉ", "advertisement"),
        ("- Publicité -", "advertisement"),
        ("Lire aussi : Le Sahel face à la menace jihadiste", "read_also"),
        ("LIRE AUSSI", "read_also"),
        ("À lire aussi", "read_also"),
        ("Lire aussi >", "read_also"),
        ("LIRE AUSSI Le Maroc et la Mauritanie signent un accord", "read_also"),
        ("Partager sur Facebook", "social"),
        ("Partager", "social"),
        ("Tweet", "social"),
        ("Facebook Twitter LinkedIn", "social"),
        ("Accueil > International > Afrique", "breadcrumb"),
    ],
)
def test_it_removes_whole_junk_lines(line, kind):
    cleaned = clean_article(f"Titre de l'article sur la coopération\n\n{LEAD}\n\n{line}\n\n{SECOND}")

    assert cleaned.text == f"{LEAD}\n\n{SECOND}"
    assert Removed(kind, line) in cleaned.removed


@pytest.mark.parametrize(
    "sentence",
    [
        "Le ministre a dénoncé la publicité faite à l'attaque.",
        "Publicité mensongère : l'opérateur condamné à une amende.",
        "Pour comprendre l'enjeu, lire aussi le rapport du Conseil de sécurité.",
        "Lire aussi les rapports de l'ONU permet de mesurer l'ampleur de la crise.",
        "LIRE AUSSI Le rapport de l'ONU, c'est comprendre la crise.",
        "Copyright et droits voisins : le Parlement européen a tranché.",
        "Tous droits réservés, a ironisé le porte-parole devant la presse.",
        "La reproduction interdite des documents classifiés inquiète l'état-major.",
        "Partager le renseignement reste la priorité des deux services.",
        "Selon l'AFP, la réunion a été reportée.",
        "(c) la formation des unités d'élite marocaines.",
        "Accueil chaleureux > attendu : la délégation a été reçue au palais.",
        "AFP",  # a credit line anywhere but last is not removed
    ],
)
def test_it_keeps_body_lines_that_merely_mention_junk_words(sentence):
    raw = f"Titre de l'article sur la coopération\n\n{LEAD}\n\n{sentence}\n\n{SECOND}"

    assert clean_article(raw).text == f"{LEAD}\n\n{sentence}\n\n{SECOND}"


def test_it_removes_a_junk_line_inside_a_paragraph_without_joining_lines():
    cleaned = clean_article(f"{LEAD}\nPublicité\n{SECOND}")

    assert cleaned.text == f"{LEAD}\n{SECOND}"


@pytest.mark.parametrize(
    ("credit", "agency"),
    [
        ("MAP", "MAP"),
        ("AFP", "AFP"),
        ("Reuters", "Reuters"),
        ("REUTERS", "Reuters"),
        ("AP", "AP"),
        ("APS", "APS"),
        ("(AFP)", "AFP"),
        ("— AFP", "AFP"),
        ("avec AFP", "AFP"),
        ("(Avec AFP)", "AFP"),
        ("Le Monde avec AFP", "AFP"),
        ("AFP/Reuters", "AFP/Reuters"),
    ],
)
def test_it_takes_the_agency_from_a_credit_on_the_last_line(credit, agency):
    cleaned = clean_article(f"Titre de l'article sur la coopération\n\n{LEAD}\n\n{credit}\n© 2024 Le Monde")

    assert cleaned.agency == agency
    assert cleaned.text == LEAD
    assert Removed("agency_credit", credit) in cleaned.removed


def test_it_keeps_a_last_sentence_that_names_an_agency():
    last = "Les informations ont été confirmées par Reuters."
    cleaned = clean_article(f"{LEAD}\n\n{last}")

    assert cleaned.text == f"{LEAD}\n\n{last}"
    assert cleaned.agency is None


def test_it_prefers_the_dateline_agency_to_the_credit():
    cleaned = clean_article(f"Titre de l'article sur la coopération\n\nRabat (MAP) – {LEAD}\n\nAFP")

    assert cleaned.agency == "MAP"
    assert cleaned.text == LEAD
    assert kinds(cleaned) == ["title", "dateline", "agency_credit"]


def test_it_lists_removed_text_in_document_order():
    raw = (
        "Partager\nDéfenseLe Sénégal modernise sa marine\n\nDakar, 8 novembre 2021 (APS) - "
        f"{LEAD}\nPublicité\n{SECOND}\n\nLire aussi : Le port de Dakar sous surveillance\nAPS"
    )

    cleaned = clean_article(raw)

    assert cleaned.removed == (
        Removed("social", "Partager"),
        Removed("rubric", "Défense"),
        Removed("title", "Le Sénégal modernise sa marine"),
        Removed("dateline", "Dakar, 8 novembre 2021 (APS) -"),
        Removed("advertisement", "Publicité"),
        Removed("read_also", "Lire aussi : Le port de Dakar sous surveillance"),
        Removed("agency_credit", "APS"),
    )
    assert cleaned.text == f"{LEAD}\n{SECOND}"


# --- empty results --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["", "   \n\t \u00a0\n", "\u200b\u200b", "Publicité\n\n© 2024 Le Monde\nPartager sur Facebook", "AFP"],
)
def test_it_returns_an_empty_text_when_nothing_is_left(raw):
    cleaned = clean_article(raw)

    assert cleaned.text == ""
    assert cleaned.title == ""
    assert cleaned.published is None


def test_it_keeps_the_given_title_when_the_text_is_empty():
    cleaned = clean_article("Publicité", title="Un titre donné")

    assert (cleaned.text, cleaned.title, cleaned.title_inferred) == ("", "Un titre donné", False)


# --- normalize_for_hash ------------------------------------------------------------------------------


def test_it_normalises_for_hash_by_collapsing_whitespace_and_composing():
    assert normalize_for_hash("  Le  ministre\u00a0a\n\nparle\u0301 \t ") == "Le ministre a parlé"


def test_it_gives_the_same_hash_key_to_texts_differing_only_in_spacing():
    first = clean_article(f"{LEAD}\n\n{SECOND}").text
    second = clean_article(f"  {LEAD.replace(' ', '  ')}\r\n{SECOND}\u00a0").text

    assert first != second
    assert normalize_for_hash(first) == normalize_for_hash(second)


def test_it_keeps_case_and_punctuation_in_the_hash_key():
    assert normalize_for_hash("Rabat, le 3 mai.") != normalize_for_hash("rabat le 3 mai")


@PROPERTY
@given(st.text())
def test_it_normalises_for_hash_idempotently(text):
    once = normalize_for_hash(text)

    assert normalize_for_hash(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- properties ------------------------------------------------------------------------------------

# fmt: off
SUBJECTS = ["Le ministre", "La délégation marocaine", "Le porte-parole de l'armée", "Les autorités espagnoles",
            "Le Maroc", "Rabat", "La commission mixte", "L'état-major malien", "Publicité et propagande"]
VERBS = ["a annoncé", "a dénoncé", "a signé", "a rappelé", "prépare", "évoque", "refuse"]
OBJECTS = ["la publicité faite à l'attaque", "un accord de coopération", "de lire aussi le rapport de l'ONU",
           "la reproduction interdite des documents", "les droits réservés aux victimes",
           "le partage de renseignements avec l'AFP", "une réunion à Niamey", "un exercice conjoint"]
TAILS = ["", " lundi", " à Rabat", " selon Reuters", " le 3 février 2024", " (MAP)"]
NEAR_MISSES = [
    "Publicité mensongère : l'opérateur condamné à une amende.",
    "Lire aussi les rapports de l'ONU permet de mesurer la crise.",
    "Tous droits réservés, a ironisé le porte-parole.",
    "Partager le renseignement reste la priorité.",
    "Copyright et droits voisins : le Parlement européen a tranché.",
    "AFP et Reuters ont confirmé l'information.",
]
JUNK = [
    "Publicité", "PUBLICITÉ", "Advertisement", "© 2024 Le Monde", "Tous droits réservés", "Reproduction interdite",
    "Lire aussi : Le Sahel sous tension", "LIRE AUSSI", "À lire aussi", "Partager sur Facebook", "Tweet",
]
HEADLINES = ["", "Le Maroc et l'Espagne renforcent leur coopération", "SécuritéExercice conjoint à Tanger"]
DATELINES = ["", "Rabat (MAP) – ", "PARIS (AFP) - ", "samedi 3 février 2024 - ", "Niamey, 12 mars (Reuters) - "]
# fmt: on

sentences = st.one_of(
    st.builds(lambda s, v, o, t: f"{s} {v} {o}{t}.", *(st.sampled_from(p) for p in (SUBJECTS, VERBS, OBJECTS, TAILS))),
    st.sampled_from(NEAR_MISSES),
)
blocks = st.lists(
    st.tuples(st.booleans(), sentences, st.sampled_from(JUNK), st.sampled_from(["\n", "\n\n", "\n\n\n", " \n \n"])),
    min_size=1,
    max_size=10,
)


@PROPERTY
@given(st.sampled_from(HEADLINES), st.sampled_from(DATELINES), blocks, st.lists(st.sampled_from(JUNK), max_size=3))
def test_it_never_drops_a_body_sentence_among_junk_lines(headline, dateline, blocks, leading_junk):
    pieces = [f"{line}\n" for line in [*leading_junk, headline] if line]
    for position, (junk_first, sentence, junk, gap) in enumerate(blocks):
        sentence_line = (dateline if position == 0 else "") + sentence
        pieces += [junk, gap, sentence_line, gap] if junk_first else [sentence_line, "\n", junk, gap]

    cleaned = clean_article("".join(pieces))

    for _, sentence, _, _ in blocks:
        assert sentence in cleaned.text
    assert not headline or headline in cleaned.text or "title" in kinds(cleaned)
    assert not set(cleaned.text.split("\n")) & set(JUNK)
    expected_removals = {*JUNK, headline, "Sécurité", "Exercice conjoint à Tanger", dateline.strip()}
    assert {r.text for r in cleaned.removed} <= expected_removals


@PROPERTY
@given(st.text(), st.one_of(st.none(), st.text()))
def test_it_never_crashes_on_arbitrary_unicode(raw, title):
    cleaned = clean_article(raw, title=title)

    assert isinstance(cleaned.text, str)
    assert "\r" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()
    assert "\n\n\n" not in cleaned.text
    assert "\n" not in cleaned.title
    assert unicodedata.is_normalized("NFC", cleaned.text)


# fmt: off
newsy_text = st.lists(
    st.sampled_from(
        ["Publicité", "AFP", "(MAP)", "Rabat", "PARIS", "février", "2024", "1er", "à", "09:15", "10h05", "Lire aussi",
         "SécuritéLe", "Le", "©", "Publié le", "date", "12/03/2023", "2021-11", " ", " – ", " - ", "—", ", ", ": ",
         ".", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u200b", "e\u0301", "É", "\t", "\x0c", "\u2028"]
    ),
    max_size=40,
).map("".join)

# fmt: on


@PROPERTY
@given(newsy_text, st.one_of(st.none(), newsy_text))
def test_it_never_crashes_on_newsy_fragments(raw, title):
    cleaned = clean_article(raw, title=title)

    assert "\r" not in cleaned.text
    assert "\u00a0" not in cleaned.text
    assert "\u200b" not in cleaned.text
    assert all(line == line.rstrip() for line in cleaned.text.split("\n"))
    assert cleaned.published is None or cleaned.published.precision in {"day", "month", "year"}
    assert unicodedata.is_normalized("NFC", cleaned.text)


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2024 Maghreb Hebdo. Tous droits réservés.", "Maghreb Hebdo"),
        ("© 2019-2024 Abidjan Matin – Tous droits réservés", "Abidjan Matin"),
        ("© L'Observateur du Golfe", "L'Observateur du Golfe"),
        ("Copyright Le360", "Le360"),
        ("Le Monde - Tous droits réservés", "Le Monde"),
        ("Tous droits réservés", None),
        ("© 2024 – Reproduction interdite", None),
    ],
)
def test_it_reads_who_a_copyright_line_names(line, holder):
    assert copyright_holder(line) == holder


def test_it_reads_the_linked_headline_of_a_read_also_line():
    assert read_also_title("Lire aussi : Libye : Tripoli et Rome renforcent") == "Libye : Tripoli et Rome renforcent"
    assert read_also_title("» À lire également – Bamako accueillera le sommet") == "Bamako accueillera le sommet"
