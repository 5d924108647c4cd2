import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Min
from django.utils import timezone

from articles.models import Article, ImportJob
from articles.relay import broker_queue_length


class Command(BaseCommand):
    help = (
        "What to monitor, in one place: articles by status, work the relay or the reaper should have picked "
        "up, stalled imports, the broker's queue. Exits with status 1 when something is stuck (for cron or a probe)."
    )

    def handle(self, **options):
        now = timezone.now()
        counts = dict(Article.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        self.stdout.write("articles: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in Article.Status.values))
        queued = Article.objects.filter(status=Article.Status.QUEUED)
        oldest = queued.aggregate(at=Min("status_changed_at"))["at"]
        self.stdout.write(f"oldest queued article: {self._age(now, oldest)}")
        grace = now - dt.timedelta(seconds=settings.VIGIE_RELAY_GRACE_SECONDS + 2 * settings.VIGIE_RELAY_INTERVAL)
        unpublished = queued.filter(enqueued_at__isnull=True, status_changed_at__lt=grace).count()
        stale = now - dt.timedelta(seconds=settings.VIGIE_EXTRACTION_CLAIM_SECONDS + 2 * settings.VIGIE_RELAY_INTERVAL)
        stuck = Article.objects.filter(status=Article.Status.EXTRACTING, status_changed_at__lt=stale).count()
        lease = now - dt.timedelta(seconds=settings.VIGIE_IMPORT_LEASE_SECONDS + 2 * settings.VIGIE_RELAY_INTERVAL)
        stalled = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, heartbeat_at__lt=lease).count()
        pending = ImportJob.objects.filter(status=ImportJob.Status.PENDING, created_at__lt=grace).count()
        length = broker_queue_length()
        self.stdout.write(f"queued but never published (the relay should have sent them): {unpublished}")
        self.stdout.write(f"extracting past the claim timeout (the reaper should have put them back): {stuck}")
        self.stdout.write(f"imports running without a heartbeat: {stalled}; pending imports not started: {pending}")
        self.stdout.write(f"messages waiting in the broker's queue: {'unknown' if length is None else length}")
        failed = Article.objects.filter(status=Article.Status.FAILED, status_changed_at__gte=now - dt.timedelta(days=1))
        self.stdout.write(f"articles failed in the last 24 h: {failed.count()}")
        if unpublished or stuck or stalled:
            raise CommandError("work is stuck: is `celery beat` (the relay) running, and are workers up?")

    @staticmethod
    def _age(now: dt.datetime, moment: dt.datetime | None) -> str:
        if moment is None:
            return "none"
        return f"{int((now - moment).total_seconds())} s ago"
