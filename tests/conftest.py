"""Shared fixtures: three users (owner, teammate, outsider) and article factories."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from articles import roles, services


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # The production manifest storage needs collectstatic; tests render
    # templates without it. Uploaded originals go to a throwaway folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


def _user(username: str, *groups: str, **extra):
    roles.ensure_groups()  # a transactional test's flush removed the ones the migrations made
    user = get_user_model().objects.create_user(username, f"{username}@example.org", f"{username}-password-1", **extra)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def owner(db):
    """An analyst (the "Analystes" group the migrations create)."""
    return _user("alice", roles.ANALYST)


@pytest.fixture
def teammate(db):
    return _user("bob", roles.ANALYST)


@pytest.fixture
def outsider(db):
    """Logged in, but in no group: may look, may not act."""
    return _user("eve")


@pytest.fixture
def reviewer(db):
    return _user("rita", roles.REVIEWER)


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
