from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.configuration.warmup import config_cache_warm
from tenants.models import Company

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Fill the configuration cache for every entity of one or all companies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--company",
            metavar="SLUG",
            help="Slug of the company to warm. Without it, every company is warmed.",
        )

    def handle(self, *args, **options) -> None:
        slug = options["company"]
        companies = Company.objects.order_by("slug")
        if slug is not None:
            companies = companies.filter(slug=slug)
            if not companies.exists():
                raise CommandError(
                    f"No company with slug {slug!r} was found. Check the slug in "
                    "the admin, or omit --company to warm every company."
                )
        total = 0
        for company in companies:
            self.stdout.write(f"{company.slug}:")
            total += config_cache_warm(company, on_progress=self._draw_bar)
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Warmed {total} entities."))

    def _draw_bar(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} entities", ending="")
        self.stdout.flush()
