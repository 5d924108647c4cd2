import json
import sys

from django.core.management.base import BaseCommand

from articles.models import Article
from entities.selectors import iter_facts


class Command(BaseCommand):
    help = "Write every article's facts (entities, mentions, roles, events) as JSON Lines, one article a line."

    def add_arguments(self, parser):
        parser.add_argument("output", help="file to write, or - for standard output")
        parser.add_argument("--status", action="append", help="only articles with this status (repeatable)")

    def handle(self, output, status=None, **options):
        queryset = Article.objects.filter(status__in=status) if status else Article.objects.all()
        handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            for facts in iter_facts(queryset):
                handle.write(json.dumps(facts, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if handle is not sys.stdout:
                handle.close()
        if output != "-":
            self.stdout.write(f"{count} articles written to {output}")
