"""Two analysts pressing "review next" at the same moment never get the same article (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from articles import services
from articles.models import Article
from tests.factories import TEXT, extracted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only (SQLite serialises writes)")
def test_simultaneous_review_next_claims_distinct_articles(owner, teammate):
    made = [extracted(owner, text=f"{TEXT} Dépêche {n}.") for n in range(2)]
    barrier = threading.Barrier(2)
    got: dict[str, int | None] = {}

    def claim(user):
        try:
            barrier.wait()
            article = services.article_claim_next(actor=user, queryset=Article.objects.all())
            got[user.username] = article.pk if article else None
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in (owner, teammate)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(got.values()) == sorted(a.pk for a in made)
    holders = dict(Article.objects.values_list("pk", "assigned_to__username"))
    assert {holders[got["alice"]], holders[got["bob"]]} == {"alice", "bob"}
