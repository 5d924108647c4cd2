"""The review page and its actions over HTTP: login, permissions, CSRF, escaping, htmx, query counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, AuditEntry
from entities.models import Event, Mention, Status
from tests.factories import TEXT, extracted

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def article(owner):
    return extracted(owner)


def url(name: str, *args) -> str:
    return reverse(f"review:{name}", args=args)


def test_it_shows_the_text_highlighted_and_every_suggestion(client_owner, article):
    response = client_owner.get(url("page", article.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for m in Mention.objects.filter(article=article):
        assert f'data-kind="mention" data-id="{m.pk}"' in html
        assert f'id="s-mention-{m.pk}"' in html
    assert 'data-kind="event"' in html and 'data-kind="date"' in html
    # The highlighted text's content is exactly the stored text (the browser maps selections by it).
    box = re.search(r'<div id="review-text"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", box).replace("&#x27;", "'") == TEXT
    assert "4 suggestions en attente" not in html  # 4 mentions + 1 event
    assert "5</strong> suggestions en attente" in html


def test_a_first_decision_claims_the_article_but_never_takes_someone_elses(client, owner, teammate, article):
    client.force_login(owner)
    client.get(url("page", article.pk))
    assert Article.objects.get(pk=article.pk).assigned_to is None  # looking writes nothing
    rabat = Mention.objects.get(article=article, text="Rabat")
    client.post(url("mention_decide", article.pk, rabat.pk), {"version": 1, "status": "accepted"})
    assert Article.objects.get(pk=article.pk).assigned_to == owner
    client.force_login(teammate)
    html = client.get(url("page", article.pk)).content.decode()
    assert "en relecture par alice" in html and "Prendre en relecture" not in html
    client.post(url("mention_decide", article.pk, rabat.pk), {"version": 2, "status": "rejected"})
    assert Article.objects.get(pk=article.pk).assigned_to == owner
    assert client.post(url("claim", article.pk), {"version": 3}).status_code == 302
    assert Article.objects.get(pk=article.pk).assigned_to == owner


def test_take_an_unclaimed_article(client_owner, owner, article):
    assert "Prendre en relecture" in client_owner.get(url("page", article.pk)).content.decode()
    client_owner.post(url("claim", article.pk), {"version": 1})
    assert Article.objects.get(pk=article.pk).assigned_to == owner


def test_a_decision_by_htmx_returns_the_refreshed_workspace(client_owner, article):
    rabat = Mention.objects.get(article=article, text="Rabat")
    response = client_owner.post(
        url("mention_decide", article.pk, rabat.pk), {"version": article.version, "status": "rejected"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="review"') and 'data-version="2"' in html
    assert Mention.objects.get(pk=rabat.pk).status == Status.REJECTED


def test_a_plain_post_redirects_back_keeping_the_queue_filters(client_owner, article):
    rabat = Mention.objects.get(article=article, text="Rabat")
    response = client_owner.post(
        url("mention_decide", article.pk, rabat.pk),
        {"version": article.version, "status": "accepted", "queue": "status=extracted&label=PER"},
    )
    assert response.status_code == 302
    assert response.url == url("page", article.pk) + "?status=extracted&label=PER"


def test_a_stale_save_is_refused_with_what_changed(client, owner, teammate, article):
    rabat = Mention.objects.get(article=article, text="Rabat")
    hassad = Mention.objects.filter(article=article, text="Mohamed Hassad").first()
    client.force_login(teammate)
    client.post(url("mention_decide", article.pk, rabat.pk), {"version": 1, "status": "rejected"}, **HTMX)
    client.force_login(owner)
    response = client.post(url("mention_decide", article.pk, hassad.pk), {"version": 1, "status": "accepted"}, **HTMX)
    html = response.content.decode()
    assert "a changé depuis" in html and "bob a rejeté la mention « Rabat » (GPE)" in html
    assert Mention.objects.get(pk=hassad.pk).status == Status.SUGGESTED


def test_it_edits_an_events_date_from_the_page(client_owner, article):
    event = Event.objects.get(article=article)
    client_owner.post(
        url("event_update", article.pk, event.pk),
        {"version": article.version, "type": "MEETING", "date_value": "2024-03-06", "date_precision": "day"},
    )
    event.refresh_from_db()
    assert (event.date_value, event.status) == ("2024-03-06", Status.CORRECTED)
    response = client_owner.post(
        url("event_update", article.pk, event.pk),
        {"version": article.version + 1, "type": "MEETING", "date_value": "06/03/2024"},
        **HTMX,
    )
    assert "Date attendue au format" in response.content.decode()


def test_history_lists_every_decision_and_undo_reverts_the_last(client_owner, article):
    rabat = Mention.objects.get(article=article, text="Rabat")
    client_owner.post(url("mention_decide", article.pk, rabat.pk), {"version": 1, "status": "rejected"})
    history = client_owner.get(url("history", article.pk)).content.decode()
    assert "a rejeté la mention « Rabat » (GPE)" in history and "alice" in history
    client_owner.post(url("undo", article.pk), {"version": 2})
    assert Mention.objects.get(pk=rabat.pk).status == Status.SUGGESTED
    history = client_owner.get(url("history", article.pk)).content.decode()
    assert "a annulé : rejeté la mention « Rabat »" in history


def test_mark_reviewed_goes_to_the_next_article_of_the_same_filters(client_owner, owner, article):
    other = extracted(owner, text=TEXT + " Suite.", title="Deuxième")
    extracted(owner, text=TEXT + " Sans rapport.", title="Hors filtre", entities=[("Rabat", "GPE", 0)])
    response = client_owner.post(url("done", article.pk), {"version": 1, "queue": "label=PER"})
    assert response.status_code == 302 and response.url == url("page", other.pk) + "?label=PER"
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEWED
    assert Article.objects.get(pk=other.pk).assigned_to == owner
    response = client_owner.post(url("done", other.pk), {"version": 1, "queue": "label=PER"}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("articles:list") + "?label=PER"


def test_every_review_url_needs_a_login(client, article):
    mention = Mention.objects.filter(article=article).first()
    for target in (url("page", article.pk), url("history", article.pk), url("entity_search") + "?q=ra"):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(url("mention_decide", article.pk, mention.pk), {"version": 1, "status": "accepted"})
    assert response.status_code == 302 and Mention.objects.get(pk=mention.pk).status == Status.SUGGESTED


def test_a_user_without_the_review_permission_may_look_but_not_act(client, outsider, article):
    client.force_login(outsider)
    html = client.get(url("page", article.pk)).content.decode()
    assert "Accepter" not in html and "Tout accepter" not in html
    assert Article.objects.get(pk=article.pk).assigned_to is None
    mention = Mention.objects.filter(article=article).first()
    for target, data in (
        (url("mention_decide", article.pk, mention.pk), {"version": 1, "status": "accepted"}),
        (url("accept_remaining", article.pk), {"version": 1}),
        (url("done", article.pk), {"version": 1}),
        (reverse("review:next"), {}),
    ):
        assert client.post(target, data).status_code == 403
    assert not AuditEntry.objects.filter(actor=outsider).exists()


def test_only_a_reviewer_may_reopen(client, owner, reviewer, article):
    client.force_login(owner)
    client.post(url("done", article.pk), {"version": 1})
    assert client.post(url("reopen", article.pk), {"version": 2}).status_code == 403
    assert "Rouvrir" not in client.get(url("page", article.pk)).content.decode()
    client.force_login(reviewer)
    assert "Rouvrir" in client.get(url("page", article.pk)).content.decode()
    client.post(url("reopen", article.pk), {"version": 2})
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_writes_need_post_and_a_csrf_token(owner, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    mention = Mention.objects.filter(article=article).first()
    target = url("mention_decide", article.pk, mention.pk)
    assert client.get(target).status_code == 405
    assert client.post(target, {"version": 1, "status": "accepted"}).status_code == 403
    assert Mention.objects.get(pk=mention.pk).status == Status.SUGGESTED


HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> '
HOSTILE_TEXT = (
    "Le ministre Mohamed Hassad a reçu mardi à Rabat son homologue Fernando Grande-Marlaska. " + HOSTILE * 2 + "Fin."
)


class _Tags(HTMLParser):
    """Every element the browser would build from the page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def live_markup(html: str) -> list:
    """Elements or attributes that would run or load something the page did not write itself."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            found.append((tag, attrs))
        if tag in ("img", "iframe", "object", "embed", "b"):
            found.append((tag, attrs))
        found += [(tag, name) for name in attrs if name.startswith("on")]
    return found


def test_hostile_text_titles_and_entity_names_are_never_live_markup(client_owner, owner):
    article = extracted(
        owner,
        text=HOSTILE_TEXT,
        title='<b onmouseover="alert(2)">Titre</b><script>alert(3)</script>',
        entities=[("Mohamed Hassad", "PER", 0), ("Rabat", "GPE", 0), ("Fernando Grande-Marlaska", "PER", 0)],
    )
    start = HOSTILE_TEXT.index("<img")
    Mention.objects.filter(article=article, text="Rabat").first().entity.__class__.objects.filter(
        mentions__article=article, mentions__text="Rabat"
    ).update(name='<img src=x onerror=alert("entity")>')
    from entities import review

    review.mention_add(actor=owner, article_id=article.pk, start=start, end=start + 30, label="MISC", version=None)
    pages = [
        url("page", article.pk),
        url("history", article.pk),
        reverse("articles:detail", args=[article.pk]),
        reverse("articles:list"),
        reverse("articles:list") + "?q=%3Cscript%3E",
    ]
    for target in pages:
        html = client_owner.get(target).content.decode()
        assert live_markup(html) == [], target
    html = client_owner.get(url("page", article.pk)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(&quot;entity&quot;)&gt;" in html


def queries(client, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def test_the_review_page_runs_the_same_queries_whatever_the_article_holds(
    client_owner, owner, django_assert_num_queries
):
    small = extracted(owner, entities=[("Rabat", "GPE", 0)])
    text = " ".join(f"Le ministre Mohamed Hassad{n} a reçu mardi à Rabat son homologue." for n in range(30))
    big = extracted(owner, text=text, entities=[("Rabat", "GPE", n) for n in range(30)])
    with django_assert_num_queries(queries(client_owner, url("page", small.pk))):
        client_owner.get(url("page", big.pk))


def test_the_queue_runs_the_same_queries_whatever_the_page_size(client_owner, owner, django_assert_num_queries):
    extracted(owner)
    few = queries(client_owner, reverse("articles:list") + "?label=PER")
    for n in range(12):
        extracted(owner, text=f"{TEXT} Dépêche {n}.")
    with django_assert_num_queries(few):
        client_owner.get(reverse("articles:list") + "?label=PER")


def test_entity_search_finds_by_normalised_name(client_owner, article):
    results = client_owner.get(url("entity_search"), {"q": "hassad", "label": "PER"}).json()["results"]
    assert [r["name"] for r in results] == ["Mohamed Hassad"]
    results = client_owner.get(url("entity_search"), {"q": "MOHAMED"}).json()["results"]
    assert [r["name"] for r in results] == ["Mohamed Hassad"]
