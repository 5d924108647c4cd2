from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles import roles, services
from articles.models import Article

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
ANALYST = ("analyste", "vigie-demo-2026")
REVIEWER = ("relecteur", "vigie-relecture-2026")
ADMIN = ("admin", "vigie-admin-2026")


class Command(BaseCommand):
    help = "Create the demo accounts and load the sample articles (idempotent; demo machines only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with known passwords; run it with DEBUG=1 (or --force).")
        User = get_user_model()
        roles.ensure_groups()
        accounts = {}
        for (username, password), group, extra in (
            (ANALYST, roles.ANALYST, {"first_name": "Analyste"}),
            (REVIEWER, roles.REVIEWER, {"first_name": "Relecteur"}),
            (ADMIN, roles.ADMIN, {"is_staff": True, "is_superuser": True}),
        ):
            user, _ = User.objects.get_or_create(username=username, defaults=extra)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            accounts[username] = user
        analyst = accounts[ANALYST[0]]

        inputs = [
            services.ArticleInput(
                text=p.read_text(encoding="utf-8"),
                source="Démo Vigie",
                location=f"file {p.name}",
                filename=p.name,
                origin=Article.Origin.UPLOAD,
            )
            for p in sorted(DEMO_DIR.glob("*.txt"))
        ]
        outcomes = services.articles_ingest(actor=analyst, inputs=inputs)
        created = sum(o.created for o in outcomes)
        self.stdout.write(f"Sample articles: {created} loaded, {len(outcomes) - created} already present.")
        self.stdout.write(self.style.SUCCESS(f"Analyst login: {ANALYST[0]} / {ANALYST[1]}"))
        self.stdout.write(self.style.SUCCESS(f"Reviewer login (re-open, merge): {REVIEWER[0]} / {REVIEWER[1]}"))
        self.stdout.write(self.style.SUCCESS(f"Admin login (imports, users): {ADMIN[0]} / {ADMIN[1]}"))
