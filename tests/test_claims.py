"""Membership claims: who was a member of a body at a date, and which article says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from articles import services as article_services
from articles.models import Article
from entities import services
from entities.claim_selectors import membership_at
from entities.models import Claim, Entity
from entities.nlp.claims import find_claims, membership_predicate
from entities.nlp.types import ClaimSpan, EntitySpan, EventArgument, EventSpan, ExtractionResult
from entities.selectors import article_facts, articles_for_export
from tests.factories import claimed_for_extraction


def _spans(text: str, names: list[tuple[str, str]]) -> list[EntitySpan]:
    out = []
    for group, (surface, label) in enumerate(names):
        start = text.index(surface)
        out.append(EntitySpan(start, start + len(surface), surface, label, 0.9, group, surface))
    return out


def test_it_reads_the_direction_of_a_membership_from_its_trigger():
    assert membership_predicate("a rejoint") == "joined"
    assert membership_predicate("adhésion") == "joined"
    assert membership_predicate("a quitté") == "left"
    assert membership_predicate("retrait") == "left"
    assert membership_predicate("a suspendu") == "suspended"
    assert membership_predicate("réintégré") == "reinstated"


def test_it_makes_a_claim_of_each_member_of_a_membership_event():
    text = "La Finlande et la Suède ont rejoint l'OTAN."
    entities = _spans(text, [("Finlande", "GPE"), ("Suède", "GPE"), ("OTAN", "ORG")])
    at = text.index("rejoint")
    event = EventSpan(
        "MEMBERSHIP", at, at + 7, "rejoint", 0, len(text),
        (EventArgument("actor", 0), EventArgument("participant", 1), EventArgument("organisation", 2)),
        None, "2023-04-04", "day", 0.9,
    )  # fmt: skip
    claims = find_claims(text, entities, [event], dt.date(2023, 4, 5))
    assert {(c.subject, c.object, c.predicate, c.date_value, c.event) for c in claims} == {
        (0, 2, "joined", "2023-04-04", 0),
        (1, 2, "joined", "2023-04-04", 0),
    }


def test_it_reads_a_list_of_members_at_the_publication_date():
    text = "Le groupe a perdu du poids. Les États membres du G5 Sahel sont la Mauritanie, le Tchad et le Niger."
    entities = _spans(text, [("G5 Sahel", "ORG"), ("Mauritanie", "GPE"), ("Tchad", "GPE"), ("Niger", "GPE")])
    claims = find_claims(text, entities, [], dt.date(2022, 3, 1))
    assert sorted(c.subject for c in claims) == [1, 2, 3]
    assert {(c.object, c.predicate, c.date_value) for c in claims} == {(0, "member", "2022-03-01")}
    assert all(text[c.start : c.end].startswith("Les États membres") for c in claims)


def test_it_does_not_read_a_single_state_after_sont_as_a_list():
    text = "Les membres de la CEDEAO sont réunis au Nigeria."
    entities = _spans(text, [("CEDEAO", "ORG"), ("Nigeria", "GPE")])
    assert find_claims(text, entities, [], dt.date(2022, 3, 1)) == []


# -- stored, and asked about a date -------------------------------------------------------------------


def _article(owner, text: str, claims: list[tuple[str, str, str, str]], published: str | None = None) -> Article:
    """An article whose extraction states (member, predicate, body, date) claims."""
    when = dt.datetime.fromisoformat(published) if published else None
    article = claimed_for_extraction(owner, text, published_at=when)
    names = sorted({n for c in claims for n in (c[0], c[2])}, key=text.index)
    spans = _spans(text, [(n, "ORG" if n in ("OTAN", "CEDEAO", "AES") else "GPE") for n in names])
    index = {n: i for i, n in enumerate(names)}
    found = [
        ClaimSpan("membership", p, index[m], index[b], 0, len(text), d or None, "day" if d else None, 0.8)
        for m, p, b, d in claims
    ]
    services.extraction_store(article_id=article.pk, result=ExtractionResult("test", spans, claims=found))
    return article


@pytest.mark.django_db
def test_it_answers_who_was_a_member_at_a_date_and_which_article_says_so(owner):
    old = _article(owner, "Le Niger est membre de la CEDEAO depuis 1975, rappelle le texte.",
                   [("Niger", "member", "CEDEAO", "2023-05-10")])  # fmt: skip
    left = _article(
        owner, "Le Niger a quitté la CEDEAO, a annoncé la junte.", [("Niger", "left", "CEDEAO", "2024-01-28")]
    )
    cedeao = Entity.objects.get(name="CEDEAO")
    [before] = membership_at(cedeao, "2023-12")
    assert before.is_member and before.decisive.article == old
    [after] = membership_at(cedeao, "2024-03")
    assert not after.is_member and after.decisive.article == left
    assert membership_at(cedeao, "2022") == []  # nothing claimed yet
    [latest] = membership_at(cedeao)
    assert not latest.is_member and len(latest.claims) == 2


@pytest.mark.django_db
def test_it_flags_claims_of_the_same_time_that_contradict(owner):
    _article(owner, "Le Niger a quitté la CEDEAO, a annoncé la junte.", [("Niger", "left", "CEDEAO", "2024-01-28")])
    other = _article(
        owner, "Le Niger reste membre de la CEDEAO, affirme Abuja.", [("Niger", "member", "CEDEAO", "2024-01")]
    )
    [state] = membership_at(Entity.objects.get(name="CEDEAO"), "2024-02")
    assert not state.is_member
    assert [c.article for c in state.contradicted_by] == [other]


@pytest.mark.django_db
def test_it_dates_an_undated_claim_by_its_article(owner):
    _article(
        owner,
        "Le Mali et le Niger forment l'AES avec le Burkina.",
        [("Mali", "member", "AES", ""), ("Niger", "member", "AES", "")],
        published="2024-07-06T10:00:00+00:00",
    )
    aes = Entity.objects.get(name="AES")
    assert {s.member.name for s in membership_at(aes, "2024-07")} == {"Mali", "Niger"}
    assert membership_at(aes, "2024-06") == []


@pytest.mark.django_db
def test_it_exports_claims_and_replaces_unreviewed_ones_on_a_new_run(owner):
    article = _article(
        owner, "Le Niger a quitté la CEDEAO, a annoncé la junte.", [("Niger", "left", "CEDEAO", "2024-01-28")]
    )
    [facts] = [article_facts(a) for a in articles_for_export(Article.objects.filter(pk=article.pk))]
    [claim] = facts["claims"]
    assert claim["predicate"] == "left" and claim["date"] == "2024-01-28"
    assert {claim["subject_id"], claim["object_id"]} == {e["id"] for e in facts["entities"]}
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    assert article_services.article_claim_for_extraction(article.pk)
    services.extraction_store(article_id=article.pk, result=ExtractionResult("test", []))
    assert not Claim.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_it_shows_the_members_page(client_owner, owner, client):
    _article(owner, "Le Niger a quitté la CEDEAO, a annoncé la junte.", [("Niger", "left", "CEDEAO", "2024-01-28")])
    cedeao = Entity.objects.get(name="CEDEAO")
    url = reverse("entities:members", args=[cedeao.pk])
    page = client_owner.get(url, {"at": "2024-02"}).content.decode()
    assert "Niger" in page and "non membre" in page
    assert "Date invalide" in client_owner.get(url, {"at": "mars"}).content.decode()
    assert url in client_owner.get(reverse("entities:entity", args=[cedeao.pk])).content.decode()  # linked
    client.logout()
    assert client.get(url).status_code == 302  # login first


def test_it_finds_membership_claims_with_the_real_pipeline():
    from entities.nlp.pipeline import extract_many

    [result] = extract_many([("La Finlande a rejoint l'OTAN le 4 avril 2023, après des mois d'attente.", None)])
    claims = [(result.entities[c.subject].text, c.predicate, result.entities[c.object].text) for c in result.claims]
    assert ("Finlande", "joined", "OTAN") in claims
