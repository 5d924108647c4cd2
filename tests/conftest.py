"""Shared fixtures: three users (owner, teammate, outsider) and article factories."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from articles import services


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # The production manifest storage needs collectstatic; tests render
    # templates without it. Uploaded originals go to a throwaway folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner(db):
    return get_user_model().objects.create_user("alice", "alice@example.org", "alice-password-1")


@pytest.fixture
def teammate(db):
    return get_user_model().objects.create_user("bob", "bob@example.org", "bob-password-1")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "root-password-1")


@pytest.fixture
def importer(db):
    """A staff member allowed to run imports, without being superuser."""
    user = get_user_model().objects.create_user("carol", "carol@example.org", "carol-password-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importjob", "view_importjob"], content_type__app_label="articles")
    )
    return user


@pytest.fixture
def client_owner(client, owner):
    client.force_login(owner)
    return client


SAMPLE = (
    "Rabat – Le ministre de l'Intérieur a reçu mardi son homologue espagnol pour une réunion "
    "consacrée à la lutte antiterroriste et à la coopération aux frontières.\n\n"
    "Les deux ministres ont convenu de créer un groupe de travail conjoint."
)


@pytest.fixture
def make_article(owner):
    def make(text: str = SAMPLE, **kwargs):
        outcome = services.article_create_from_paste(actor=owner, text=text, **kwargs)
        return outcome.article

    return make
