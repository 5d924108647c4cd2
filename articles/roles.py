"""The team's roles, as Django groups: analysts review, reviewers also re-open and merge,
admins also run imports and manage users.

Views check permissions, never group names, so an installation may regroup them.
"""

ANALYST = "Analystes"
REVIEWER = "Relecteurs"
ADMIN = "Administrateurs"

_ANALYST = [
    "articles.view_article",
    "articles.add_article",
    "articles.review_article",
    "entities.view_entity",
    "entities.add_entity",
]
_REVIEWER = [*_ANALYST, "articles.reopen_article", "entities.merge_entity", "entities.change_entity"]
_ADMIN = [
    *_REVIEWER,
    "articles.change_article",
    "articles.add_importjob",
    "articles.view_importjob",
    "articles.view_auditentry",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
]

GROUPS: dict[str, list[str]] = {ANALYST: _ANALYST, REVIEWER: _REVIEWER, ADMIN: _ADMIN}


def ensure_groups(apps=None) -> None:
    """Create the groups with their permissions if missing (idempotent).

    ``apps`` is a migration's historical registry; the default is the live one.
    """
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = [c.split(".") for c in codenames]
        group.permissions.add(
            *[Permission.objects.get(content_type__app_label=app, codename=code) for app, code in perms]
        )
