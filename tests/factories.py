import factory
from django.contrib.auth import get_user_model

from tenants.models import (
    Branch,
    Company,
    Customer,
    Membership,
    PhoneLine,
    Role,
    Service,
    Staff,
    StaffService,
)

WEEKDAYS_9_TO_17 = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}
ALWAYS = {
    day: [["00:00", "24:00"]]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    time_zone = "America/New_York"
    retell_api_key = factory.Sequence(lambda n: f"retell-key-{n}")
    calcom_secret = factory.Sequence(lambda n: f"calcom-secret-{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")
    time_zone = "America/New_York"
    opening_hours = factory.LazyFunction(lambda: dict(WEEKDAYS_9_TO_17))


class PhoneLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneLine

    branch = factory.SubFactory(BranchFactory)
    company = factory.SelfAttribute("branch.company")
    number = factory.Sequence(lambda n: f"+1555555{n % 10000:04d}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    price = "50.00"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    branch = factory.SubFactory(BranchFactory)
    company = factory.SelfAttribute("branch.company")
    name = factory.Sequence(lambda n: f"Staff {n}")
    email = factory.Sequence(lambda n: f"staff{n}@example.com")
    working_hours = factory.LazyFunction(lambda: dict(ALWAYS))


class StaffServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffService

    staff = factory.SubFactory(StaffFactory)
    service = factory.SubFactory(
        ServiceFactory, company=factory.SelfAttribute("..staff.company")
    )


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    phone = factory.Sequence(lambda n: f"+1555010{n % 10000:04d}")
    phone_raw = factory.SelfAttribute("phone")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.MANAGER
