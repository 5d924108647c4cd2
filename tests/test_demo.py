"""The one-command demo's setup: accounts and sample articles, idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_it_creates_the_demo_accounts_and_articles_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    assert "analyste / " in capsys.readouterr().out
    call_command("seed_demo")
    assert "0 loaded, 7 already present" in capsys.readouterr().out
    assert Article.objects.count() == 7
    assert set(Article.objects.values_list("origin", flat=True)) == {Article.Origin.UPLOAD}
    analyst = get_user_model().objects.get(username="analyste")
    assert analyst.check_password("vigie-demo-2026")
    assert analyst.has_perm("articles.review_article") and not analyst.has_perm("articles.reopen_article")
    assert get_user_model().objects.get(username="relecteur").has_perm("articles.reopen_article")


def test_it_shows_one_person_and_one_meeting_across_two_demo_outlets(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    first, second = (
        Article.objects.get(original_filename=name)
        for name in ("06-nouakchott-patrouilles.txt", "07-nouakchott-entretien.txt")
    )
    marlaska = {m.entity_id for a in (first, second) for m in a.mentions.all() if "Marlaska" in m.text}
    assert len(marlaska) == 1  # « Grande-Marlaska » and « Grande Marlaska »
    meetings = {e.cluster_id for a in (first, second) for e in a.events.all() if e.type == "MEETING"}
    assert len(meetings) == 1 and None not in meetings  # « mardi » and « le 13 mai »: one meeting


def test_it_refuses_to_create_known_passwords_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
