from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import Article

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
ANALYST = ("analyste", "vigie-demo-2026")
ADMIN = ("admin", "vigie-admin-2026")


class Command(BaseCommand):
    help = "Create the demo accounts and load the sample articles (idempotent; demo machines only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with known passwords; run it with DEBUG=1 (or --force).")
        User = get_user_model()
        analyst, _ = User.objects.get_or_create(username=ANALYST[0], defaults={"first_name": "Analyste"})
        analyst.set_password(ANALYST[1])
        analyst.save()
        admin, _ = User.objects.get_or_create(username=ADMIN[0], defaults={"is_staff": True, "is_superuser": True})
        admin.set_password(ADMIN[1])
        admin.save()

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
        self.stdout.write(self.style.SUCCESS(f"Admin login (imports): {ADMIN[0]} / {ADMIN[1]}"))
