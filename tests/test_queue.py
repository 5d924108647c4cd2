"""The review queue's filters, sorting, counts and "review next"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ImportJob, Source
from entities import review
from entities.models import Entity, Event, Mention
from tests.factories import TEXT, extracted

pytestmark = pytest.mark.django_db

QUEUE = reverse("articles:list")


def ids(client, query: str = "") -> list[int]:
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    return [a.pk for a in response.context["page"]]


@pytest.fixture
def three(owner):
    """A meeting in Rabat (PER, GPE), a near-duplicate of it, and a text about Dakar with one ORG mention."""
    rabat = extracted(owner, title="Réunion à Rabat", source="Agence A", published_at="2024-03-05")
    copy = extracted(owner, text=TEXT + " Mise à jour.", title="Réunion à Rabat (bis)", published_at="2024-03-06")
    Article.objects.filter(pk=copy.pk).update(near_duplicate_of=rabat)
    dakar_text = "La CEDEAO a tenu une session extraordinaire consacrée à la sécurité au Sahel."
    dakar = extracted(
        owner, text=dakar_text, title="Session à Dakar", entities=[("CEDEAO", "ORG", 0)], published_at="2023-01-10"
    )
    return rabat, copy, dakar


def test_it_filters_by_status_source_and_publication_dates(client_owner, three):
    rabat, copy, dakar = three
    Article.objects.filter(pk=dakar.pk).update(status=Article.Status.REVIEWED)
    assert ids(client_owner, "status=reviewed") == [dakar.pk]
    source = Source.objects.get(name="Agence A")
    assert ids(client_owner, f"source={source.pk}") == [rabat.pk]
    assert set(ids(client_owner, "published_after=2024-01-01")) == {rabat.pk, copy.pk}
    assert ids(client_owner, "published_before=2023-12-31") == [dakar.pk]


def test_it_filters_by_import_job_and_near_duplicates(client_owner, three, owner):
    rabat, copy, dakar = three
    job = ImportJob.objects.create(created_by=owner, original_filename="lot.jsonl")
    Article.objects.filter(pk=dakar.pk).update(import_job=job)
    assert ids(client_owner, f"import_job={job.pk}") == [dakar.pk]
    assert ids(client_owner, "dup=only") == [copy.pk]
    assert copy.pk not in ids(client_owner, "dup=hide")


def test_it_filters_by_entity_including_entities_merged_into_it(client_owner, three):
    rabat, copy, dakar = three
    cedeao = Entity.objects.get(name="CEDEAO")
    assert ids(client_owner, f"entity={cedeao.pk}") == [dakar.pk]
    hassad = Entity.objects.get(name="Mohamed Hassad")
    assert set(ids(client_owner, f"entity={hassad.pk}")) == {rabat.pk, copy.pk}
    survivor = Entity.objects.create(name="ECOWAS", label="ORG", key="ecowas")
    Entity.objects.filter(pk=cedeao.pk).update(merged_into=survivor)
    assert ids(client_owner, f"entity={survivor.pk}") == [dakar.pk]


def test_it_filters_by_entity_type_event_type_and_low_confidence(client_owner, three, owner):
    rabat, copy, dakar = three
    assert set(ids(client_owner, "label=PER")) == {rabat.pk, copy.pk}
    assert ids(client_owner, "label=ORG") == [dakar.pk]
    assert set(ids(client_owner, "event_type=MEETING")) == {rabat.pk, copy.pk}
    assert ids(client_owner, "event_type=ATTACK") == []
    # The factory gives confidences 0.4, 0.5, ...: only mentions still suggested count.
    assert set(ids(client_owner, "below=0.45")) == {rabat.pk, copy.pk, dakar.pk}
    for m in Mention.objects.filter(article=dakar):
        review.mention_decide(actor=owner, article_id=dakar.pk, mention_id=m.pk, status="accepted", version=None)
    assert dakar.pk not in ids(client_owner, "below=0.45")
    # A rejected event no longer makes its article match its type.
    event = Event.objects.get(article=copy)
    review.event_decide(actor=owner, article_id=copy.pk, event_id=event.pk, status="rejected", version=None)
    assert ids(client_owner, "event_type=MEETING") == [rabat.pk]


def test_it_filters_by_assignment(client, owner, teammate, three):
    rabat, copy, dakar = three
    client.force_login(owner)
    client.post(reverse("review:claim", args=[rabat.pk]))
    assert ids(client, "assigned=me") == [rabat.pk]
    assert rabat.pk not in ids(client, "assigned=none")
    client.force_login(teammate)
    assert ids(client, "assigned=me") == []
    Article.objects.filter(pk=rabat.pk).update(assigned_at=timezone.now() - dt.timedelta(days=1))
    assert rabat.pk in ids(client, "assigned=none")  # an expired claim is nobody's


def test_it_searches_title_and_text(client_owner, three):
    rabat, copy, dakar = three
    assert ids(client_owner, "q=Sahel") == [dakar.pk]
    assert set(ids(client_owner, "q=Rabat")) == {rabat.pk, copy.pk}


def test_it_sorts_by_a_column_and_keeps_filters_in_the_links(client_owner, three):
    rabat, copy, dakar = three
    assert ids(client_owner, "o=published_at") == [dakar.pk, rabat.pk, copy.pk]
    assert ids(client_owner, "o=-published_at") == [copy.pk, rabat.pk, dakar.pk]
    html = client_owner.get(f"{QUEUE}?label=PER&o=published_at").content.decode()
    assert "label=PER&amp;o=-published_at" in html


def test_undeclared_or_relational_parameters_change_nothing(client_owner, three):
    everything = ids(client_owner)
    for query in (
        "created_by__password__startswith=a",
        "created_by__username=nobody",
        "text__contains=zzz",
        "o=created_by__password",
        "status__in=reviewed",
    ):
        assert ids(client_owner, query) == everything, query


def test_counts_and_bookmarkable_filters(client_owner, three):
    html = client_owner.get(f"{QUEUE}?label=PER").content.decode()
    assert "2 articles avec ces filtres" in html
    assert 'name="queue" value="label=PER"' in html  # "review next" keeps the filters


def test_review_next_claims_the_oldest_matching_article(client, owner, teammate, three):
    rabat, copy, dakar = three
    client.force_login(owner)
    response = client.post(reverse("review:next"), {"queue": "label=PER"})
    assert response.url == reverse("review:page", args=[rabat.pk]) + "?label=PER"
    client.force_login(teammate)
    response = client.post(reverse("review:next"), {"queue": "label=PER"})
    assert response.url == reverse("review:page", args=[copy.pk]) + "?label=PER"
    response = client.post(reverse("review:next"), {"queue": "label=GPE&o=title"})
    assert response.url == reverse("review:page", args=[copy.pk]) + "?label=GPE&o=title"  # my own claim first
    client.force_login(owner)
    Article.objects.filter(pk=rabat.pk).update(status=Article.Status.REVIEWED, assigned_to=None)
    response = client.post(reverse("review:next"), {"queue": "label=PER"}, follow=True)
    assert "Plus aucun article à relire avec ces filtres." in response.content.decode()


def test_the_queue_caps_its_count(client_owner, three, settings):
    settings.VIGIE_QUEUE_COUNT_CAP = 2
    html = client_owner.get(QUEUE).content.decode()
    assert "Plus de 2 articles" in html


def test_the_entity_filter_gives_the_same_rows_for_a_rare_or_a_common_entity(client_owner, three, monkeypatch):
    from articles.filters import QueueFilter

    hassad = Entity.objects.get(name="Mohamed Hassad")
    rare = ids(client_owner, f"entity={hassad.pk}")
    monkeypatch.setattr(QueueFilter, "FEW", 1)  # more articles than "few": the EXISTS path
    assert ids(client_owner, f"entity={hassad.pk}") == rare and len(rare) == 2


def test_a_publication_range_reads_newest_published_first_unless_a_column_is_chosen(client_owner, three):
    rabat, copy, dakar = three
    assert ids(client_owner, "published_after=2020-01-01") == [copy.pk, rabat.pk, dakar.pk]
    assert ids(client_owner, "published_after=2020-01-01&o=title") == [rabat.pk, copy.pk, dakar.pk]
    html = client_owner.get(f"{QUEUE}?published_after=2020-01-01").content.decode()
    assert 'aria-sort="descending"><a href="?published_after=2020-01-01&amp;o=published_at">Publication' in html
