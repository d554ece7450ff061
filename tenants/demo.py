"""Demo tenant: two branches on both sides of the Atlantic, services and staff."""

import os

from django.contrib.auth import get_user_model
from django.db import transaction

from tenants.models import Branch, Company, Membership, PhoneLine, Role, Service, Staff

DEMO_SLUG = "demo"
DEVELOPMENT_RETELL_KEY = "demo-retell-api-key"
DEVELOPMENT_CALCOM_SECRET = "demo-calcom-secret"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SHOP_HOURS = {day: [["09:00", "18:00"]] for day in WEEKDAYS} | {
    "sat": [["10:00", "14:00"]]
}
EARLY_SHIFT = {day: [["08:00", "14:00"]] for day in WEEKDAYS}
LATE_SHIFT = {day: [["12:00", "20:00"]] for day in WEEKDAYS}
ALL_DAY = {day: [["00:00", "24:00"]] for day in (*WEEKDAYS, "sat", "sun")}

BRANCHES = [
    ("Downtown", "America/New_York", "US", "NY", "+15555550100"),
    ("Berlin Mitte", "Europe/Berlin", "DE", "BE", "+15555550101"),
]
SERVICES = [
    ("Haircut", "45.00", 45, "haircut-45"),
    ("Colouring", "90.00", 90, "colouring-90"),
    ("Consultation", None, 20, "consultation-20"),
]
STAFF = [
    # name, branch index, services (expert ones marked with *), schedule, manager
    ("Alex Organizer", 0, ["Haircut*", "Consultation"], ALL_DAY, True),
    ("Blair Stone", 0, ["Haircut", "Colouring*"], EARLY_SHIFT, False),
    ("Casey Lane", 0, ["Colouring"], LATE_SHIFT, False),
    ("Devon Reed", 0, ["Consultation*"], ALL_DAY, False),
    ("Emery Fox", 0, ["Haircut"], LATE_SHIFT, False),
    ("Finley Moss", 0, [], ALL_DAY, False),
    ("Greta Hahn", 1, ["Haircut*", "Colouring"], ALL_DAY, True),
    ("Hannes Weber", 1, ["Haircut"], EARLY_SHIFT, False),
    ("Ida Krause", 1, ["Colouring*"], LATE_SHIFT, False),
    ("Jonas Berg", 1, ["Consultation"], ALL_DAY, False),
    ("Kira Vogel", 1, ["Haircut", "Consultation*"], EARLY_SHIFT, False),
    ("Lena Schulz", 1, [], ALL_DAY, False),
]


def demo_secrets() -> tuple[str, str]:
    return (
        os.environ.get("DEMO_RETELL_API_KEY", DEVELOPMENT_RETELL_KEY),
        os.environ.get("DEMO_CALCOM_SECRET", DEVELOPMENT_CALCOM_SECRET),
    )


@transaction.atomic
def seed_demo_company() -> Company:
    """Create the demo company and its organisation, or return it if present."""
    existing = Company.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    retell_key, calcom_secret = demo_secrets()
    company = Company.objects.create(
        name="Demo Studio",
        slug=DEMO_SLUG,
        time_zone="America/New_York",
        retell_api_key=retell_key,
        calcom_secret=calcom_secret,
    )
    branches = []
    for name, time_zone, country, region, number in BRANCHES:
        branch = Branch.objects.create(
            company=company,
            name=name,
            time_zone=time_zone,
            opening_hours=SHOP_HOURS,
            holiday_country=country,
            holiday_region=region,
        )
        PhoneLine.objects.create(company=company, branch=branch, number=number)
        branches.append(branch)
    services = {}
    for name, price, minutes, event_type in SERVICES:
        service = Service.objects.create(
            company=company,
            name=name,
            price=price,
            duration_minutes=minutes,
            external_event_type=event_type,
        )
        service.branches.set(branches)
        services[name] = service
    for index, (name, branch_index, offered, hours, manager) in enumerate(STAFF):
        email = name.lower().replace(" ", ".") + "@example.com"
        staff = Staff.objects.create(
            company=company,
            branch=branches[branch_index],
            name=name,
            email=email,
            phone=f"+1555555{200 + index:04d}",
            working_hours=hours,
            is_manager=manager,
        )
        for entry in offered:
            service = services[entry.rstrip("*")]
            staff.staffservice_set.create(
                service=service, is_expert=entry.endswith("*")
            )
    return company


def ensure_demo_admin(company: Company, username: str, password: str):
    """Create or reset the printed demo login: an owner of the demo company."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"company": company, "role": Role.OWNER}
    )
    return user
