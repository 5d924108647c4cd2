from django.core.management.base import BaseCommand, CommandError

from articles.relay import relay_run


class Command(BaseCommand):
    help = (
        "Publish the extraction and import work the broker never received (it was down), and put back "
        "the articles a dead worker held. Safe to run at any time, from cron or by hand; the periodic task "
        "articles.tasks.relay does the same every VIGIE_RELAY_INTERVAL seconds under celery beat."
    )

    def handle(self, **options):
        report = relay_run()
        self.stdout.write(f"relay: {report}")
        if report.broker_down:
            raise CommandError("the broker is unreachable; run the relay again once it is back")
