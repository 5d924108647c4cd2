"""Who may do what, on every URL the resolver knows.

The matrix below names every route (a new route without its line makes
``test_the_matrix_names_every_route`` fail), how to build its URL from real objects, which roles may
GET it and which may POST to it. Each route is then called by each role: an anonymous visitor is sent
to the login page, a user without the permission is refused and changes nothing, an allowed user gets
the page or the action (and the action changes something, so "changes nothing" above could fail).
Every route that accepts a POST is in the matrix's POST column, every POST is refused without a CSRF
token, and no GET writes anything. The Django admin is one group: every admin URL refuses anonymous
and non-staff users, and every admin POST needs the CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles import roles
from articles import services as article_services
from articles.models import Article
from entities import clustering, merging, review
from entities import services as entity_services
from entities.models import Entity, EntityCandidate, Event, EventArgument, Mention
from entities.nlp.types import ClaimSpan, EntitySpan, ExtractionResult
from tests.factories import TEXT, claimed_for_extraction, extracted

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "importer", "analyst", "reviewer", "admin")
ANONYMOUS, OUTSIDER, IMPORTER, ANALYST, REVIEWER, ADMIN = ROLES

# Who holds which permission (checked against roles.py by test_the_role_sets_match_the_permissions).
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
ADD = frozenset({ANALYST, REVIEWER, ADMIN})  # articles.add_article
REVIEW = frozenset({ANALYST, REVIEWER, ADMIN})  # articles.review_article
REOPEN = frozenset({REVIEWER, ADMIN})  # articles.reopen_article
MERGE = frozenset({REVIEWER, ADMIN})  # entities.merge_entity
IMPORTS = frozenset({IMPORTER, ADMIN})  # articles.view_importjob
PERMISSIONS = [
    (ADD, "articles.add_article"),
    (REVIEW, "articles.review_article"),
    (REOPEN, "articles.reopen_article"),
    (MERGE, "entities.merge_entity"),
    (IMPORTS, "articles.view_importjob"),
]

PASSWORDS = {role: f"{role}-password-1" for role in ROLES}

# ---------------------------------------------------------------------------
# The data: built once for the module, inside a transaction rolled back at its end; each test
# runs in a savepoint of its own, so an action one test takes is gone for the next.

SECOND = (
    "Le ministre Abdelouafi Laftit a reçu mardi à Madrid son homologue Nasser Bourita. "
    "Abdelouafi Laftit a salué la coopération avec le Maroc."
)
THIRD = (
    "Mohamed Hassad a reçu mardi à Rabat Fernando Grande-Marlaska pour des entretiens. "
    "La réunion a porté sur la coopération aux frontières."
)
FOURTH = (
    "Le ministre Mohamed Hassad a reçu mardi à Rabat le secrétaire général Jean Dupont. "
    "La rencontre a duré deux heures."
)
MEMBERSHIP = "Le Niger a quitté la CEDEAO, a annoncé la junte."
PASTED = (
    "Dakar – Les ministres de l'Intérieur du Sénégal et de la Mauritanie se sont réunis jeudi "
    "pour parler de la sécurité des frontières et du retour des migrants."
)


def _user(username: str, *groups: str, **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORDS[username], **extra)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def _membership_article(owner) -> Article:
    article = claimed_for_extraction(owner, MEMBERSHIP, title="Le Niger quitte la CEDEAO")
    niger, cedeao = MEMBERSHIP.index("Niger"), MEMBERSHIP.index("CEDEAO")
    spans = [
        EntitySpan(niger, niger + 5, "Niger", "GPE", 0.9, 0, "Niger"),
        EntitySpan(cedeao, cedeao + 6, "CEDEAO", "ORG", 0.9, 1, "CEDEAO"),
    ]
    claims = [ClaimSpan("membership", "left", 0, 1, 0, len(MEMBERSHIP), "2024-01-28", "day", 0.8)]
    entity_services.extraction_store(article_id=article.pk, result=ExtractionResult("test", spans, claims=claims))
    return article


def _build(import_dir) -> SimpleNamespace:
    roles.ensure_groups()
    users = {
        OUTSIDER: _user(OUTSIDER),
        IMPORTER: _user(IMPORTER, is_staff=True),
        ANALYST: _user(ANALYST, roles.ANALYST),
        REVIEWER: _user(REVIEWER, roles.REVIEWER),
        ADMIN: get_user_model().objects.create_superuser(ADMIN, "admin@example.org", PASSWORDS[ADMIN]),
    }
    users[IMPORTER].user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importjob", "view_importjob"], content_type__app_label="articles")
    )
    analyst, reviewer = users[ANALYST], users[REVIEWER]
    w = SimpleNamespace(users=users)

    # The article under review: mentions, an event with arguments, a date; the analyst took one
    # decision (so undo has something to undo) and so holds the article's claim.
    w.article = extracted(analyst)
    w.mention = Mention.objects.filter(article=w.article, text="Mohamed Hassad").order_by("start").first()
    w.rabat_mention = Mention.objects.get(article=w.article, text="Rabat")
    w.marlaska_mention = Mention.objects.get(article=w.article, text="Fernando Grande-Marlaska")
    w.event = Event.objects.get(article=w.article)
    w.argument = EventArgument.objects.filter(event=w.event).order_by("pk").first()
    review.mention_decide(
        actor=analyst,
        article_id=w.article.pk,
        mention_id=w.marlaska_mention.pk,
        status="accepted",
        version=w.article.version,
        same_text=False,
    )
    # Another outlet's report (another meeting), unclaimed; a third report of the first meeting.
    w.second = extracted(
        analyst,
        text=SECOND,
        title="Laftit reçoit Bourita",
        source="MAP",
        entities=[
            ("Abdelouafi Laftit", "PER", 0),
            ("Madrid", "GPE", 0),
            ("Nasser Bourita", "PER", 0),
            ("Abdelouafi Laftit", "PER", 1),
        ],
    )
    w.third = extracted(
        analyst,
        text=THIRD,
        title="Hassad et Marlaska à Rabat",
        entities=[("Mohamed Hassad", "PER", 0), ("Rabat", "GPE", 0), ("Fernando Grande-Marlaska", "PER", 0)],
    )
    w.second_event = Event.objects.get(article=w.second)
    w.third_event = Event.objects.get(article=w.third)
    if w.third_event.cluster_id != w.event.cluster_id:
        clustering.cluster_attach(actor=reviewer, event_id=w.third_event.pk, cluster_id=w.event.cluster_id)
    w.cluster = w.event.cluster_id
    w.other_cluster = Event.objects.get(pk=w.second_event.pk).cluster_id
    assert w.cluster and w.other_cluster and w.cluster != w.other_cluster

    # A reviewed article (to re-open), a failed one (to retry), a membership claim, an import job.
    w.reviewed = extracted(
        analyst,
        text=FOURTH,
        title="Hassad reçoit Dupont",
        entities=[("Mohamed Hassad", "PER", 0), ("Rabat", "GPE", 0), ("Jean Dupont", "PER", 0)],
    )
    review.review_mark_done(actor=analyst, article_id=w.reviewed.pk, version=w.reviewed.version)
    w.failed = claimed_for_extraction(analyst, PASTED + " Une phrase en plus.", title="En échec")
    assert article_services.article_mark_failed(w.failed.pk, "boom")
    w.membership = _membership_article(analyst)
    w.cedeao = Entity.objects.get(name="CEDEAO").pk
    w.job = article_services.import_job_create(actor=users[ADMIN], path=str(import_dir), format="dir", enqueue=False).pk

    # Entities: a merge to split, a merge suggestion to judge, two people to merge.
    def person(name: str) -> int:
        return Entity.objects.get(name=name, merged_into__isnull=True).pk

    w.hassad, w.marlaska = person("Mohamed Hassad"), person("Fernando Grande-Marlaska")
    w.laftit, w.bourita, w.dupont = person("Abdelouafi Laftit"), person("Nasser Bourita"), person("Jean Dupont")
    w.merge = merging.entity_merge(actor=reviewer, source_id=w.bourita, target_id=w.laftit).pk
    left, right = sorted((w.hassad, w.dupont))
    w.candidate = EntityCandidate.objects.update_or_create(
        left_id=left, right_id=right, defaults={"score": 0.7, "reason": "même article"}
    )[0].pk
    w.sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    # MD5: the module logs in a dozen times; the real hasher's 0.3 s a password would be most of its time.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock(), transaction.atomic():
        yield _build(tmp_path_factory.mktemp("imports"))
        transaction.set_rollback(True)


def version(pk: int) -> int:
    return Article.objects.values_list("version", flat=True).get(pk=pk)


# ---------------------------------------------------------------------------
# The matrix


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[SimpleNamespace], dict] = lambda w: {}
    get: frozenset | None = LOGGED_IN  # roles that may GET it; None: POST only (a GET is a 405)
    post: frozenset | None = None  # roles that may POST to it; None: not a POST route (a POST is a 405)
    data: Callable[[SimpleNamespace], dict] = lambda w: {}  # a valid POST, one that changes something
    actor: str = ""  # the role whose valid POST must change something (default: the first allowed)
    query: str = ""  # added to the URL of a GET
    post_status: tuple[int, ...] = (302,)  # what an allowed POST gets

    def doer(self) -> str:
        return self.actor or next(r for r in ROLES if r in self.post)


def _article(w):
    return {"pk": w.article.pk}


def _v(w):
    return {"version": version(w.article.pk)}


def _upload(w):
    return {"files": [SimpleUploadedFile("depeche.txt", PASTED.encode("utf-8"))]}


MATRIX: dict[str, Route] = {
    # Authentication
    "login": Route(
        get=EVERYONE,
        post=EVERYONE,
        actor=ANONYMOUS,
        data=lambda w: {"username": ANALYST, "password": PASSWORDS[ANALYST]},
    ),
    "logout": Route(get=None, post=LOGGED_IN, actor=ANALYST),
    # Articles
    "articles:list": Route(),
    "articles:new": Route(get=ADD, post=ADD, data=lambda w: {"text": PASTED, "title": "Réunion à Dakar"}),
    "articles:upload": Route(get=None, post=ADD, data=_upload, post_status=(200,)),
    "articles:detail": Route(kwargs=_article),
    "articles:status": Route(kwargs=_article),
    "articles:retry": Route(kwargs=lambda w: {"pk": w.failed.pk}, get=None, post=REVIEW),
    "articles:import_detail": Route(kwargs=lambda w: {"pk": w.job}, get=IMPORTS),
    # The review queue and page
    # The analyst's own live claim comes first (nothing to take); the reviewer takes the oldest free article.
    "review:next": Route(get=None, post=REVIEW, data=lambda w: {"queue": ""}, actor=REVIEWER),
    "review:page": Route(kwargs=_article),
    "review:history": Route(kwargs=_article),
    "review:entity_search": Route(query="q=hassad"),
    "review:mention_add": Route(
        kwargs=_article,
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "start": TEXT.index("Espagne"), "end": TEXT.index("Espagne") + 7, "label": "GPE"},
    ),
    "review:mention_decide": Route(
        kwargs=lambda w: {"pk": w.article.pk, "mention_id": w.mention.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "status": "rejected"},
    ),
    "review:mention_correct": Route(
        kwargs=lambda w: {"pk": w.article.pk, "mention_id": w.rabat_mention.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "start": w.rabat_mention.start, "end": w.rabat_mention.end, "label": "LOC"},
    ),
    "review:mention_link": Route(
        kwargs=lambda w: {"pk": w.article.pk, "mention_id": w.mention.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "new_name": "Mohamed Hassad (ministre)"},
    ),
    "review:event_decide": Route(
        kwargs=lambda w: {"pk": w.article.pk, "event_id": w.event.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "status": "rejected"},
    ),
    "review:event_update": Route(
        kwargs=lambda w: {"pk": w.article.pk, "event_id": w.event.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "type": "VISIT", "date_value": "2024-03-05", "date_precision": "day", "location": ""},
    ),
    "review:argument_add": Route(
        kwargs=lambda w: {"pk": w.article.pk, "event_id": w.event.pk},
        get=None,
        post=REVIEW,
        data=lambda w: {**_v(w), "role": "participant", "mention": w.rabat_mention.pk},
    ),
    "review:argument_remove": Route(
        kwargs=lambda w: {"pk": w.article.pk, "event_id": w.event.pk, "argument_id": w.argument.pk},
        get=None,
        post=REVIEW,
        data=_v,
    ),
    "review:accept_remaining": Route(kwargs=_article, get=None, post=REVIEW, data=_v),
    "review:undo": Route(kwargs=_article, get=None, post=REVIEW, data=_v),
    "review:done": Route(kwargs=_article, get=None, post=REVIEW, data=_v),
    "review:claim": Route(kwargs=lambda w: {"pk": w.second.pk}, get=None, post=REVIEW),
    "review:release": Route(kwargs=_article, get=None, post=REVIEW),
    "review:reopen": Route(
        kwargs=lambda w: {"pk": w.reviewed.pk},
        get=None,
        post=REOPEN,
        data=lambda w: {"version": version(w.reviewed.pk)},
    ),
    # Event clusters
    "clusters:list": Route(),
    "clusters:detail": Route(kwargs=lambda w: {"pk": w.cluster}),
    "clusters:confirm": Route(kwargs=lambda w: {"pk": w.cluster}, get=None, post=REVIEW),
    "clusters:merge": Route(
        kwargs=lambda w: {"pk": w.cluster}, get=None, post=REVIEW, data=lambda w: {"other": w.other_cluster}
    ),
    "clusters:attach": Route(
        kwargs=lambda w: {"pk": w.cluster}, get=None, post=REVIEW, data=lambda w: {"event": w.second_event.pk}
    ),
    "clusters:detach": Route(kwargs=lambda w: {"pk": w.cluster, "event_id": w.third_event.pk}, get=None, post=REVIEW),
    # Entities
    "entities:list": Route(),
    "entities:entity": Route(kwargs=lambda w: {"pk": w.hassad}),
    "entities:graph": Route(kwargs=lambda w: {"pk": w.hassad}),
    "entities:members": Route(kwargs=lambda w: {"pk": w.cedeao}),
    "entities:merge_queue": Route(),
    "entities:merge": Route(
        kwargs=lambda w: {"pk": w.hassad}, get=None, post=MERGE, data=lambda w: {"other": w.marlaska, "keep": "this"}
    ),
    "entities:split": Route(kwargs=lambda w: {"merge_id": w.merge}, get=None, post=MERGE),
    "entities:judge": Route(
        kwargs=lambda w: {"candidate_id": w.candidate}, get=None, post=MERGE, data=lambda w: {"verdict": "not_same"}
    ),
}

# The admin, as one group: every model it shows, with whether a superuser may add and delete there
# (the audit log is append-only; the cross-linking tables are changed on the app's pages only).
ADMIN_MODELS = {
    "auth.group": (True, True),
    "auth.user": (True, True),
    "articles.source": (True, True),
    "articles.article": (False, True),
    "articles.importjob": (True, True),
    "articles.auditentry": (False, False),
    "entities.entity": (False, False),
    "entities.entitycandidate": (False, False),
    "entities.judgement": (False, False),
    "entities.entitymerge": (False, False),
    "entities.eventcluster": (False, False),
    "entities.claim": (False, False),
}
IMPORTER_MODELS = {"articles.importjob"}  # the only model the importer's permissions open


@dataclass(frozen=True)
class AdminRoute:
    kwargs: Callable[[SimpleNamespace], dict]
    superuser: int  # what a superuser's GET gets
    importer: int  # what a staff member with only the import permissions gets


def _first(label: str) -> Callable[[SimpleNamespace], dict]:
    return lambda w: {"object_id": str(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True)[0])}


def _admin_routes() -> dict[str, AdminRoute]:
    def no_args(w):
        return {}

    routes = {
        "admin:index": AdminRoute(no_args, 200, 200),
        "admin:login": AdminRoute(no_args, 302, 302),  # a staff member is sent on to the index
        "admin:logout": AdminRoute(no_args, 405, 405),  # POST only
        "admin:password_change": AdminRoute(no_args, 200, 200),
        "admin:password_change_done": AdminRoute(no_args, 200, 200),
        "admin:autocomplete": AdminRoute(no_args, 403, 403),  # no field named
        "admin:jsi18n": AdminRoute(no_args, 200, 200),
        "admin:view_on_site": AdminRoute(
            lambda w: {"content_type_id": ContentType.objects.get_for_model(Article).pk, "object_id": w.article.pk},
            302,
            302,
        ),
        "admin:app_list": AdminRoute(lambda w: {"app_label": "articles"}, 200, 200),
        "admin:admin/(?P<url>.*)$": AdminRoute(lambda w: {"url": "nothing-here/"}, 404, 404),
        "admin:auth_user_password_change": AdminRoute(lambda w: {"id": w.users[ANALYST].pk}, 200, 403),
    }
    for label, (can_add, can_delete) in ADMIN_MODELS.items():
        app_label, model = label.split(".")
        opened = label in IMPORTER_MODELS

        def seen(status: int, opened: bool = opened) -> int:
            return status if opened else 403

        obj = _first(label)
        base = f"admin:{app_label}_{model}"
        routes[f"{base}_changelist"] = AdminRoute(no_args, 200, seen(200))
        routes[f"{base}_add"] = AdminRoute(no_args, 200 if can_add else 403, seen(200 if can_add else 403))
        routes[f"{base}_change"] = AdminRoute(obj, 200, seen(200))
        routes[f"{base}_history"] = AdminRoute(obj, 200, seen(200))
        routes[f"{base}_delete"] = AdminRoute(obj, 200 if can_delete else 403, 403)
        # The bare object URL redirects to its change page (which checks the permissions).
        routes[f"admin:admin/{app_label}/{model}/<path:object_id>/"] = AdminRoute(obj, 302, 302)
    return routes


ADMIN_ROUTES = _admin_routes()

# ---------------------------------------------------------------------------
# Helpers


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            # An unnamed route is known by its whole pattern.
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}{prefix}{pattern.pattern}"


def _tables() -> list:
    user = get_user_model()
    return [
        *apps.get_app_config("articles").get_models(),
        *apps.get_app_config("entities").get_models(),
        user,
        Group,
        user.groups.through,
        user.user_permissions.through,
        LogEntry,
        Session,
    ]


TABLES = _tables()


_q = connection.ops.quote_name
SELECTS = [(m._meta.label, f"SELECT * FROM {_q(m._meta.db_table)} ORDER BY {_q(m._meta.pk.column)}") for m in TABLES]


def snapshot() -> dict[str, list[tuple]]:
    """Every row the app, the admin and the sessions hold (a few hundred here), read raw: it runs twice a test."""
    with connection.cursor() as cursor:
        rows = {}
        for label, sql in SELECTS:
            cursor.execute(sql)
            rows[label] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()
            ]
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def client_for(w, role: str, **kwargs) -> Client:
    """A browser logged in as ``role``, on the session the module opened (a login per test cost more than
    the test)."""
    client = Client(**kwargs)
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return client


def url_of(w, name: str, route: Route | AdminRoute) -> str:
    if name.startswith("admin:admin/"):  # an unnamed admin route: its callback, reached by path
        pattern = name.removeprefix("admin:")
        kwargs = route.kwargs(w)
        if "url" in kwargs:
            return "/admin/" + kwargs["url"]
        return "/" + pattern.replace("<path:object_id>", kwargs["object_id"])
    url = reverse(name, kwargs=route.kwargs(w))
    query = getattr(route, "query", "")
    return f"{url}?{query}" if query else url


def assert_sent_to_login(response, url: str, *logins: str) -> None:
    """A 302 to the login page (``settings.LOGIN_URL`` unless others are named), coming back to ``url``."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path in {resolve_url(login) for login in logins or (settings.LOGIN_URL,)}, response["Location"]
    assert parse_qs(location.query).get("next") == [url], response["Location"]


APP_GET = [(name, role) for name in MATRIX for role in ROLES]
APP_POST = [(name, role) for name, route in MATRIX.items() if route.post for role in ROLES]
NOT_POST = [name for name, route in MATRIX.items() if not route.post]
POST_ROUTES = [name for name, route in MATRIX.items() if route.post]


def _ids(cases):
    return ["-".join(c) if isinstance(c, tuple) else c for c in cases]


# ---------------------------------------------------------------------------
# The matrix is complete and agrees with roles.py


def test_the_matrix_names_every_route():
    found = list(_walk(get_resolver()))
    assert len(found) == len(set(found)), "two routes share a name"
    assert set(found) == set(MATRIX) | set(ADMIN_ROUTES)


def test_the_admin_group_names_every_model_the_admin_shows():
    assert {m._meta.label_lower for m in admin.site._registry} == set(ADMIN_MODELS)


def test_the_role_sets_match_the_permissions(world):
    for holders, permission in PERMISSIONS:
        assert {r for r, u in world.users.items() if u.has_perm(permission)} == set(holders), permission
    assert not any(u.is_staff for r, u in world.users.items() if r not in (IMPORTER, ADMIN))


# ---------------------------------------------------------------------------
# The app's routes


@pytest.mark.parametrize("name, role", APP_GET, ids=_ids(APP_GET))
def test_get(world, name, role):
    route = MATRIX[name]
    url = url_of(world, name, route)
    client = client_for(world, role)
    before = snapshot()
    response = client.get(url)
    if route.get is not None and role in route.get:
        assert response.status_code == 200
    elif role == ANONYMOUS:
        assert_sent_to_login(response, url)
    elif route.get is None:
        assert response.status_code == 405  # POST only
    else:
        assert response.status_code in (403, 404)
    assert changed_tables(before, snapshot()) == [], "a GET wrote"


@pytest.mark.parametrize("name, role", APP_POST, ids=_ids(APP_POST))
def test_post(world, name, role):
    route = MATRIX[name]
    url = url_of(world, name, route)
    client = client_for(world, role)
    before = snapshot()
    response = client.post(url, route.data(world))
    changed = changed_tables(before, snapshot())
    if role in route.post:
        assert response.status_code in route.post_status
        if role == route.doer():
            assert changed, "the allowed action changed nothing: the matrix's POST is not a real action"
        return
    if role == ANONYMOUS:
        assert_sent_to_login(response, url)
    else:
        assert response.status_code in (403, 404)
    assert changed == []


@pytest.mark.parametrize("name", NOT_POST)
def test_a_route_outside_the_post_column_refuses_a_post(world, name):
    """A superuser (every permission) posts to every read-only route: each refuses the method."""
    route = MATRIX[name]
    client = client_for(world, ADMIN)
    before = snapshot()
    response = client.post(url_of(world, name, route), {"q": "x"})
    assert response.status_code == 405
    assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("name", POST_ROUTES)
def test_every_post_needs_the_csrf_token(world, name):
    route = MATRIX[name]
    client = client_for(world, route.doer(), enforce_csrf_checks=True)
    before = snapshot()
    response = client.post(url_of(world, name, route), route.data(world))
    assert response.status_code == 403
    assert changed_tables(before, snapshot()) == []


# ---------------------------------------------------------------------------
# The admin


@pytest.mark.parametrize("name", list(ADMIN_ROUTES))
def test_admin(world, name):
    """Each role in turn on one admin URL: a GET, and a POST (a staff member's without the CSRF token)."""
    route = ADMIN_ROUTES[name]
    url = url_of(world, name, route)
    before = snapshot()
    for role in ROLES:
        client = client_for(world, role)
        if role in (IMPORTER, ADMIN):
            assert client.get(url).status_code == (route.superuser if role == ADMIN else route.importer), role
            strict = client_for(world, role, enforce_csrf_checks=True)
            assert strict.post(url, {}).status_code == 403, f"{role}: an admin POST without the CSRF token"
        else:
            for response in (client.get(url), client.post(url, {})):
                if name == "admin:login":
                    assert response.status_code == 200, role  # the form, which will not let them in
                elif name == "admin:logout" and role != ANONYMOUS:
                    assert response.status_code == 302 and response["Location"] == reverse("admin:index"), role
                elif role == ANONYMOUS:
                    # LoginRequiredMiddleware: the site's own pages name the admin's login page, a model's
                    # pages leave it to the site's.
                    assert_sent_to_login(response, url, "admin:login", settings.LOGIN_URL)
                else:
                    assert_sent_to_login(response, url, "admin:login")
        assert changed_tables(before, snapshot()) == [], role


def test_the_admin_action_that_re_extracts_articles_needs_the_change_permission(world):
    """A staff member who may only look at articles cannot re-queue them from the changelist's actions."""
    importer = world.users[IMPORTER]
    importer.user_permissions.add(Permission.objects.get(codename="view_article", content_type__app_label="articles"))
    url = reverse("admin:articles_article_changelist")
    action = {"action": "reextract", "index": "0", "select_across": "0", "_selected_action": [world.article.pk]}
    assert client_for(world, IMPORTER).get(url).status_code == 200
    before = snapshot()
    client_for(world, IMPORTER).post(url, action)
    assert changed_tables(before, snapshot()) == []
    assert client_for(world, ADMIN).post(url, action).status_code == 302
    assert Article.objects.get(pk=world.article.pk).status == Article.Status.QUEUED
