import os
import random
import sys
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from articles import services
from articles.importers import FORMATS, ImportRejected, detect_format
from articles.models import ImportJob


class Command(BaseCommand):
    help = "Import articles from a JSONL, CSV or ZIP file or a directory (same code path as the admin import)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file extension")
        parser.add_argument("--sync", action="store_true", help="run extraction in this process before returning")

    def handle(self, path, format=None, sync=False, **options):
        path = os.path.abspath(path)
        if not os.path.exists(path):
            raise CommandError(f"{path}: no such file or directory")
        try:
            fmt = format or detect_format(path)
        except ImportRejected as exc:
            raise CommandError(str(exc)) from None
        job = services.import_job_create(actor=None, path=path, format=fmt, enqueue=False)

        bar = tqdm(total=None, unit="rec", disable=not sys.stderr.isatty(), file=sys.stderr)

        def on_progress(current: ImportJob) -> None:
            if bar.total is None and current.total is not None:
                bar.total = current.total
            bar.n = current.processed
            bar.set_postfix(created=current.created_count, dup=current.duplicate_count, rejected=current.rejected_count)
            bar.refresh()

        job = self._run(job, sync, on_progress)
        bar.close()
        summary = (
            f"import #{job.pk} {job.get_status_display()}: {job.processed} records, "
            f"{job.created_count} created, {job.duplicate_count} duplicates, "
            f"{job.rejected_count} rejected, {job.flagged_count} flagged"
        )
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(f"{summary}. {job.error}")
        self.stdout.write(summary)
        for problem in job.problems.filter(kind="rejected")[:20]:
            self.stderr.write(f"  rejected {problem.location}: {problem.reason}")

    def _run(self, job: ImportJob, sync: bool, on_progress) -> ImportJob:
        """Run the job; when the database goes away (a restart), wait and resume where the last batch committed."""
        token = f"import-command-{uuid.uuid4().hex}"
        retries = settings.VIGIE_TASK_MAX_RETRIES
        for attempt in range(retries + 1):
            try:
                ran = services.import_job_run(job.pk, token=token, sync_extraction=sync, on_progress=on_progress)
            except services.TRANSIENT_DB_ERRORS as exc:
                if attempt == retries:
                    raise CommandError(
                        f"import #{job.pk}: the database is unavailable ({exc}); "
                        f"run the same command again later: already imported rows are reported as duplicates"
                    ) from exc
                ceiling = min(settings.VIGIE_TASK_RETRY_BACKOFF_MAX, 2 ** (attempt + 1))
                delay = ceiling / 2 + random.uniform(0, ceiling / 2)  # at least 31 s over five waits
                self.stderr.write(f"import #{job.pk}: database error ({str(exc).strip()}); resuming in {delay:.1f} s")
                connections.close_all()
                time.sleep(delay)
                continue
            if ran is None:
                raise CommandError(f"import #{job.pk} is being run by someone else")
            return ran
        raise AssertionError("unreachable")
