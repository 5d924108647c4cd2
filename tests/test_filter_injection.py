"""Crafted query strings on the filtered lists change nothing.

The review queue (home page), the entity list and the event cluster list are explicit FilterSets:
a parameter they do not declare (``created_by__password__startswith``, ``text__regex``, ``ordering``,
``status__in``...) must not filter, sort or count anything, and the queue's sort parameter (``o``)
takes its declared columns only. Every case first checks that the data would tell: the parameter,
were it honoured, would give other rows or another order than the page shows without it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from django.test import Client, override_settings
from django.urls import reverse

from articles import roles
from articles import services as article_services
from articles.models import Article
from entities import clustering, merging, review
from entities.cluster_selectors import cluster_list
from entities.entity_selectors import entity_list
from entities.models import Entity, Event, EventCluster
from tests.factories import TEXT, claimed_for_extraction, extracted

pytestmark = pytest.mark.django_db

QUEUE, ENTITIES, CLUSTERS = reverse("articles:list"), reverse("entities:list"), reverse("clusters:list")

LAFTIT = (
    "Le ministre Abdelouafi Laftit a reçu mardi à Madrid son homologue Nasser Bourita. "
    "Abdelouafi Laftit a salué la coopération avec le Maroc."
)
MEETING = "Le ministre {actor} a reçu mardi à {place} son homologue {partner}. {actor} a salué la coopération."
SAHEL = "La CEDEAO a tenu une session extraordinaire consacrée à la sécurité au Sahel."
BAMAKO = "Bamako – Les ministres de la Défense du Mali et du Niger se sont réunis pour parler des frontières."


def meeting(owner, actor: str, place: str, partner: str) -> int:
    """An article reporting a meeting of its own; returns its event's cluster."""
    text = MEETING.format(actor=actor, place=place, partner=partner)
    names = [(actor, "PER", 0), (place, "GPE", 0), (partner, "PER", 0), (actor, "PER", 1)]
    article = extracted(owner, text=text, title=f"{actor} à {place}", entities=names)
    cluster = Event.objects.get(article=article).cluster_id
    assert cluster is not None
    return cluster


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two analysts whose articles interleave, whose password hashes start differently (alice's with
    « md5$ », bob's unusable one with « ! »), in every status; entities, one merged; two clusters."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        roles.ensure_groups()
        users = get_user_model().objects
        alice = users.create_user("alice", "alice@example.org", "alice-password-1")
        bob = users.create_user("bob", "bob@example.org", None)
        for user in (alice, bob):
            user.groups.add(Group.objects.get(name=roles.ANALYST))
        w = SimpleNamespace(alice=alice, bob=bob)
        w.rabat = extracted(alice, title="Réunion à Rabat", source="Agence A", published_at="2024-03-05")
        w.madrid = extracted(
            bob,
            text=LAFTIT,
            title="Laftit à Madrid",
            source="Agence B",
            published_at="2023-06-01",
            entities=[
                ("Abdelouafi Laftit", "PER", 0),
                ("Madrid", "GPE", 0),
                ("Nasser Bourita", "PER", 0),
                ("Abdelouafi Laftit", "PER", 1),
            ],
        )
        w.sahel = extracted(
            alice, text=SAHEL, title="Session à Dakar", entities=[("CEDEAO", "ORG", 0)], published_at="2022-01-10"
        )
        w.bamako = claimed_for_extraction(bob, BAMAKO, title="Bamako", published_at="2025-02-02")
        assert article_services.article_mark_failed(w.bamako.pk, "boom")
        review.review_mark_done(actor=alice, article_id=w.sahel.pk, version=w.sahel.version)
        w.queued = article_services.article_create_from_paste(
            actor=alice, text=TEXT + " Une mise à jour.", title="Accord", source="Agence C", published_at="2024-01-01"
        ).article
        bourita = Entity.objects.get(name="Nasser Bourita")
        merging.entity_merge(
            actor=alice, source_id=bourita.pk, target_id=Entity.objects.get(name="Abdelouafi Laftit").pk
        )
        confirmed = Event.objects.get(article=w.madrid).cluster_id
        clustering.cluster_confirm(actor=alice, cluster_id=confirmed)
        # Two more meetings, the second's cluster merged into the first's (a merged cluster is not listed).
        nouakchott, lyon = (
            meeting(bob, "Ali Ould Ahmed", "Nouakchott", "Jean Martin"),
            meeting(alice, "Paul Durand", "Lyon", "Karim Benali"),
        )
        clustering.cluster_merge(actor=alice, source_id=lyon, target_id=nouakchott)
        w.sessions = {}
        for user in (alice, bob):
            client = Client()
            client.force_login(user)
            w.sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield w
        transaction.set_rollback(True)


def client_for(w, username: str = "alice") -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[username]
    return client


def shown(w, url: str, query: str = "") -> tuple[list[int], int]:
    """The ids of the rows the list shows, in order, and the count it announces."""
    response = client_for(w).get(f"{url}?{query}" if query else url)
    assert response.status_code == 200
    page = response.context["page"]
    return [row.pk for row in page], page.paginator.count


def ids(queryset: QuerySet) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def articles() -> QuerySet[Article]:
    return Article.objects.all()


def entities() -> QuerySet[Entity]:
    return entity_list()


def clusters() -> QuerySet[EventCluster]:
    return cluster_list(get_user_model().objects.get(username="alice"))


# (query, what the rows would be were the parameter honoured: None when it could not tell)
Case = tuple[str, Callable[[], list[int]] | None]

QUEUE_CASES: list[Case] = [
    ("created_by__password__startswith=!", lambda: ids(articles().filter(created_by__password__startswith="!"))),
    ("created_by__password__startswith=md5", lambda: ids(articles().filter(created_by__password__startswith="md5"))),
    ("created_by__username=alice", lambda: ids(articles().filter(created_by__username="alice"))),
    ("created_by={bob}", lambda: ids(articles().filter(created_by__username="bob"))),
    ("assigned_to__password__startswith=md5", lambda: ids(articles().filter(assigned_to__password__startswith="md5"))),
    ("reviewed_by__username=alice", lambda: ids(articles().filter(reviewed_by__username="alice"))),
    ("text__regex=.*", None),
    ("text__regex=Sahel", lambda: ids(articles().filter(text__regex="Sahel"))),
    ("title__startswith=R", lambda: ids(articles().filter(title__startswith="R"))),
    ("source__name=Agence A", lambda: ids(articles().filter(source__name="Agence A"))),
    ("status__in=failed", lambda: ids(articles().filter(status__in=["failed"]))),
    ("status__in=failed,reviewed", lambda: ids(articles().filter(status__in=["failed", "reviewed"]))),
    ("pk={rabat}", lambda: ids(articles().filter(title="Réunion à Rabat"))),
    ("id__in={rabat},{madrid}", lambda: ids(articles().filter(title__in=["Réunion à Rabat", "Laftit à Madrid"]))),
    ("o=created_by__password", lambda: ids(articles().order_by("created_by__password", "-created_at"))),
    ("o=-created_by__password", lambda: ids(articles().order_by("-created_by__password", "-created_at"))),
    ("o=created_by", lambda: ids(articles().order_by("created_by", "-created_at"))),
    ("o=text", lambda: ids(articles().order_by("text"))),
    ("o=id", lambda: ids(articles().order_by("id"))),
    ("o=source__name", lambda: ids(articles().order_by("source__name", "-created_at"))),
    ("ordering=title", lambda: ids(articles().order_by("title"))),
    ("ordering=created_by__password", lambda: ids(articles().order_by("created_by__password", "-created_at"))),
    ("sort=title", lambda: ids(articles().order_by("title"))),
    ("sort=-created_by__password", lambda: ids(articles().order_by("-created_by__password", "-created_at"))),
    ("order_by=published_at", lambda: ids(articles().order_by("published_at"))),
    # A declared filter with a value it does not offer is no filter either.
    ("status=failed' OR '1'='1", lambda: []),
    ("o=title;DROP TABLE articles_article", lambda: []),
    ("entity=1 OR 1=1", lambda: []),
]

ENTITY_CASES: list[Case] = [
    ("name__startswith=M", lambda: ids(entities().filter(name__startswith="M"))),
    ("label__in=GPE", lambda: ids(entities().filter(label__in=["GPE"]))),
    ("key__regex=^a", lambda: ids(entities().filter(key__regex="^a"))),
    ("merged_into__isnull=False", lambda: ids(Entity.objects.filter(merged_into__isnull=False))),
    (
        "mentions__article__created_by__password__startswith=!",
        lambda: ids(
            entities().filter(pk__in=Entity.objects.filter(mentions__article__created_by__password__startswith="!"))
        ),
    ),
    ("o=name", lambda: ids(entities().order_by("name"))),
    ("o=-pk", lambda: ids(entities().order_by("-pk"))),
    ("ordering=name", lambda: ids(entities().order_by("name"))),
    ("sort=-name", lambda: ids(entities().order_by("-name"))),
]

CLUSTER_CASES: list[Case] = [
    ("status__in=confirmed", lambda: ids(clusters().filter(status__in=["confirmed"]))),
    ("type__in=VISIT", lambda: []),
    ("merged_into__isnull=False", lambda: []),
    (
        "events__article__created_by__password__startswith=!",
        lambda: ids(
            clusters().filter(pk__in=EventCluster.objects.filter(events__article__created_by__password__startswith="!"))
        ),
    ),
    ("location__name=Rabat", lambda: ids(clusters().filter(location__name="Rabat"))),
    ("o=pk", lambda: ids(clusters().order_by("pk"))),
    ("ordering=pk", lambda: ids(clusters().order_by("pk"))),
    ("sort=pk", lambda: ids(clusters().order_by("pk"))),
    ("status=confirmed' OR '1'='1", lambda: []),
]

CASES = [
    *[(QUEUE, q, h) for q, h in QUEUE_CASES],
    *[(ENTITIES, q, h) for q, h in ENTITY_CASES],
    *[(CLUSTERS, q, h) for q, h in CLUSTER_CASES],
]


@pytest.mark.parametrize("url, query, honoured", CASES, ids=[f"{u}?{q}" for u, q, _ in CASES])
def test_an_undeclared_parameter_changes_nothing(world, url, query, honoured):
    query = query.format(bob=world.bob.pk, rabat=world.rabat.pk, madrid=world.madrid.pk)
    rows, count = shown(world, url)
    assert len(rows) >= 3, "too little data to tell"
    if honoured is not None:
        assert honoured() != rows, "the data cannot tell whether the parameter is ignored"
    assert shown(world, url, query) == (rows, count)


@pytest.mark.parametrize("query", ["created_by__username=alice", "o=created_by__password", "status__in=failed"])
def test_an_undeclared_parameter_beside_a_declared_filter_changes_nothing(world, query):
    assert shown(world, QUEUE, f"status=extracted&{query}") == shown(world, QUEUE, "status=extracted")
    assert shown(world, QUEUE, f"{query}&label=PER") == shown(world, QUEUE, "label=PER")


# ---------------------------------------------------------------------------
# The queue's sort parameter


DECLARED = {"created_at", "published_at", "title", "status", "source"}


def test_the_sort_parameter_takes_its_declared_columns(world):
    default, _ = shown(world, QUEUE)
    by_title, _ = shown(world, QUEUE, "o=title")
    assert by_title != default
    rows = {a.pk: a for a in Article.objects.select_related("source")}
    key = {
        "created_at": lambda a: a.created_at,
        "published_at": lambda a: a.published_at,
        "title": lambda a: a.title,
        "status": lambda a: a.status,
        "source": lambda a: a.source.name if a.source else None,
    }
    for column in DECLARED:
        for descending in (False, True):
            order, _ = shown(world, QUEUE, f"o={'-' if descending else ''}{column}")
            # Empty values (no publication date, no source) sort first or last as the database likes.
            values = [v for v in (key[column](rows[pk]) for pk in order) if v]
            assert values == sorted(values, reverse=descending), column
            assert sorted(order) == sorted(default), column


def test_the_sort_parameter_refuses_every_other_column(world):
    """Every field of an article, and paths through its relations, leave the default order."""
    default = shown(world, QUEUE)
    fields = [f.name for f in Article._meta.get_fields() if f.concrete] + [
        "created_by__password",
        "created_by__username",
        "assigned_to__email",
        "source__name",
        "import_job__created_by__password",
        "mentions__text",
    ]
    refused = [name for name in fields if name not in DECLARED]
    assert len(refused) > 15
    for name in refused:
        for value in (name, f"-{name}"):
            assert shown(world, QUEUE, f"o={value}") == default, value


def test_the_column_headers_offer_declared_columns_only(world):
    response = client_for(world).get(f"{QUEUE}?o=created_by__password&sort=text")
    links = response.context["sort_links"]
    offered = {link["url"].split("o=")[1].split("&")[0].lstrip("-") for link in links}
    assert offered == DECLARED


# ---------------------------------------------------------------------------
# "Review next" reads the same filters from its form


@pytest.mark.parametrize(
    "queue",
    ["created_by__username=bob", "created_by__password__startswith=!", "ordering=-created_at", "status__in=failed"],
)
def test_review_next_ignores_an_undeclared_parameter(world, queue):
    def claimed(query: str) -> str:
        with transaction.atomic():
            response = client_for(world, "alice").post(reverse("review:next"), {"queue": query})
            transaction.set_rollback(True)
        assert response.status_code == 302
        return response["Location"].split("?")[0]

    plain = claimed("")
    assert plain == reverse("review:page", args=[world.rabat.pk])  # the oldest reviewable article
    assert claimed(queue) == plain
