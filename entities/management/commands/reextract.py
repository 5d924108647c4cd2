from django.core.management.base import BaseCommand, CommandError
from django.db.models import OuterRef, Q, Subquery

from articles.models import Article
from articles.services import REEXTRACTABLE, articles_reextract
from entities.models import ExtractionRun
from entities.nlp import PIPELINE_VERSION


class Command(BaseCommand):
    help = (
        "Queue articles for a new extraction run. Analysts' decisions survive it: only unreviewed "
        "suggestions are replaced, and rejected ones do not come back."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids")
        parser.add_argument("--all", action="store_true", help="every extracted, reviewed or failed article")
        parser.add_argument(
            "--outdated",
            action="store_true",
            help=f"articles last extracted by a pipeline other than {PIPELINE_VERSION}",
        )

    def handle(self, ids, all=False, outdated=False, **options):
        queryset = Article.objects.filter(status__in=REEXTRACTABLE)
        if outdated:
            latest = ExtractionRun.objects.filter(article=OuterRef("pk")).order_by("-finished_at", "-id")
            queryset = queryset.annotate(last_pipeline=Subquery(latest.values("pipeline_version")[:1])).filter(
                Q(last_pipeline__isnull=True) | ~Q(last_pipeline=PIPELINE_VERSION)
            )
        elif not all:
            if not ids:
                raise CommandError("give article ids, --all or --outdated")
            queryset = queryset.filter(pk__in=ids)
        article_ids = list(queryset.values_list("pk", flat=True))
        queued = 0
        for start in range(0, len(article_ids), 1000):
            queued += articles_reextract(actor=None, article_ids=article_ids[start : start + 1000])
        self.stdout.write(f"{queued} articles queued for extraction ({PIPELINE_VERSION})")
