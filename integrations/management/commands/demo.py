"""Start a working demo on the embedded default: migrate, seed, replay, serve."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from integrations.demo.setup import demo_settings_install, late_appointment
from integrations.demo.summary import demo_summary_lines
from integrations.demo.traffic import demo_traffic_replay
from tenants.demo import demo_secrets, ensure_demo_admin, seed_demo_company

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "switchboard-demo"


class Command(BaseCommand):
    help = (
        "Migrate, seed the demo company, replay sample webhooks through the "
        "real URLs and serve the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Seed, replay and print the summary, then exit without serving.",
        )
        parser.add_argument("--port", default="8000", help="Port to serve on.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        company = seed_demo_company()
        demo_settings_install(company)
        ensure_demo_admin(company, DEMO_USERNAME, DEMO_PASSWORD)
        now = timezone.now()
        late = late_appointment(company, now)
        exchanges = demo_traffic_replay(company, now, late)
        for line in demo_summary_lines(company, exchanges):
            self.stdout.write(line)

        retell_key, calcom_secret = demo_secrets()
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"Demo company '{company.slug}' ready on {database}.")
        self.stdout.write(
            f"Webhook secrets (development defaults unless DEMO_RETELL_API_KEY / "
            f"DEMO_CALCOM_SECRET are set): Retell {retell_key}, Cal.com {calcom_secret}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: http://127.0.0.1:{options['port']}/admin/  "
                f"user {DEMO_USERNAME}  password {DEMO_PASSWORD}"
            )
        )
        # Python buffers output to a pipe or file until the buffer fills, and
        # runserver never returns, so the login would never reach the reader.
        self.stdout.flush()
        if not options["no_serve"]:
            call_command("runserver", options["port"], use_reloader=False)
