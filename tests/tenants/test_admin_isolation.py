"""A member of company A never lists, counts or changes company B's rows."""

import pytest

from tenants.models import Branch, Customer, Membership, Role, Staff
from tests.factories import BranchFactory, MembershipFactory, UserFactory
from tests.tenants.conftest import make_tenant

pytestmark = pytest.mark.django_db

MODELS = ["company", "branch", "service", "staff", "customer", "membership"]
ALL_MODELS = [*MODELS, "hierarchyconfig"]
# Models a manager may delete. Only owners manage companies and memberships.
MANAGER_DELETES = ["branch", "service", "staff", "customer", "hierarchyconfig"]


def changelist_url(model_name: str) -> str:
    return f"/admin/tenants/{model_name}/"


def object_url(model_name: str, pk: int, view: str) -> str:
    return f"/admin/tenants/{model_name}/{pk}/{view}/"


def listed_pks(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("model_name", ALL_MODELS)
def test_changelist_lists_only_own_company(
    manager_client, tenant_a, tenant_b, model_name
):
    response = manager_client.get(changelist_url(model_name))

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert listed_pks(response) == {tenant_a.object_of(model_name).pk}
    assert changelist.result_count == 1
    assert changelist.full_result_count == 1


@pytest.mark.parametrize("model_name", ALL_MODELS)
def test_changelist_superuser_lists_every_company(
    superuser_client, tenant_a, tenant_b, model_name
):
    response = superuser_client.get(changelist_url(model_name))

    assert response.status_code == 200
    assert listed_pks(response) == {
        tenant_a.object_of(model_name).pk,
        tenant_b.object_of(model_name).pk,
    }


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("model_name", ALL_MODELS)
def test_object_views_of_other_company_404(
    manager_client, tenant_a, tenant_b, model_name, view
):
    other = tenant_b.object_of(model_name)

    response = manager_client.get(object_url(model_name, other.pk, view))

    assert response.status_code == 404


@pytest.mark.parametrize("model_name", ALL_MODELS)
def test_delete_post_of_other_company_404(manager_client, tenant_b, model_name):
    other = tenant_b.object_of(model_name)

    response = manager_client.post(
        object_url(model_name, other.pk, "delete"), {"post": "yes"}
    )

    assert response.status_code == 404
    assert type(other).objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("view", ["change", "history"])
@pytest.mark.parametrize("model_name", MODELS)
def test_object_views_of_own_company_open(manager_client, tenant_a, model_name, view):
    own = tenant_a.object_of(model_name)

    response = manager_client.get(object_url(model_name, own.pk, view))

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", MANAGER_DELETES)
def test_delete_action_skips_other_company(
    manager_client, tenant_a, tenant_b, model_name
):
    own = tenant_a.object_of(model_name)
    other = tenant_b.object_of(model_name)
    model = type(other)

    response = manager_client.post(
        changelist_url(model_name),
        {
            "action": "delete_selected",
            "_selected_action": [str(own.pk), str(other.pk)],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not model.objects.filter(pk=own.pk).exists()
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model_name", ["company", "membership"])
def test_delete_action_not_offered_to_manager(manager_client, tenant_a, model_name):
    own = tenant_a.object_of(model_name)

    response = manager_client.post(
        changelist_url(model_name),
        {
            "action": "delete_selected",
            "_selected_action": [str(own.pk)],
            "post": "yes",
        },
    )

    assert response.status_code == 200
    assert response.context["action_form"] is None
    assert type(own).objects.filter(pk=own.pk).exists()


def test_owner_delete_action_skips_other_membership(client, tenant_b):
    owner = make_tenant(role=Role.OWNER)
    colleague = MembershipFactory(company=owner.company, role=Role.AGENT)
    client.force_login(owner.membership.user)

    response = client.post(
        changelist_url("membership"),
        {
            "action": "delete_selected",
            "_selected_action": [str(colleague.pk), str(tenant_b.membership.pk)],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert Membership.objects.filter(pk=tenant_b.membership.pk).exists()


# Choices in forms, filters and autocomplete widgets.


def autocomplete_ids(client, model_name: str, field_name: str) -> list[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "tenants", "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    return [result["id"] for result in response.json()["results"]]


def test_autocomplete_staff_branch_only_own(manager_client, tenant_a, tenant_b):
    assert autocomplete_ids(manager_client, "staff", "branch") == [
        str(tenant_a.branch.pk)
    ]


def test_autocomplete_staff_service_only_own(manager_client, tenant_a, tenant_b):
    assert autocomplete_ids(manager_client, "staffservice", "service") == [
        str(tenant_a.service.pk)
    ]


def test_autocomplete_superuser_sees_every_branch(superuser_client, tenant_a, tenant_b):
    assert sorted(autocomplete_ids(superuser_client, "staff", "branch")) == sorted(
        [str(tenant_a.branch.pk), str(tenant_b.branch.pk)]
    )


def form_field(response, name: str):
    return response.context["adminform"].form.fields[name]


def test_staff_add_form_branch_choices_only_own(manager_client, tenant_a, tenant_b):
    response = manager_client.get("/admin/tenants/staff/add/")

    assert list(form_field(response, "branch").queryset) == [tenant_a.branch]


def test_staff_change_inline_service_choices_only_own(
    manager_client, tenant_a, tenant_b
):
    response = manager_client.get(object_url("staff", tenant_a.staff.pk, "change"))

    inline = response.context["inline_admin_formsets"][0].formset
    assert list(inline.empty_form.fields["service"].queryset) == [tenant_a.service]


def test_service_add_form_branch_choices_only_own(manager_client, tenant_a, tenant_b):
    response = manager_client.get("/admin/tenants/service/add/")

    assert list(form_field(response, "branches").queryset) == [tenant_a.branch]
    assert list(form_field(response, "company").queryset) == [tenant_a.company]


@pytest.mark.parametrize("model_name", ["branch", "customer"])
def test_add_form_company_fixed_to_own(manager_client, tenant_a, tenant_b, model_name):
    response = manager_client.get(f"/admin/tenants/{model_name}/add/")

    company = form_field(response, "company")
    assert list(company.queryset) == [tenant_a.company]
    assert company.initial == tenant_a.company.pk
    assert company.disabled is True


def test_membership_add_form_choices_only_own(client, tenant_b):
    owner = make_tenant(role=Role.OWNER)
    free_user = UserFactory()
    client.force_login(owner.membership.user)

    response = client.get("/admin/tenants/membership/add/")

    assert response.status_code == 200
    assert list(form_field(response, "company").queryset) == [owner.company]
    users = set(form_field(response, "user").queryset)
    assert owner.membership.user in users
    assert free_user in users
    assert tenant_b.membership.user not in users


def filter_choices(response, parameter: str) -> set[str]:
    for spec in response.context["cl"].filter_specs:
        if parameter in spec.expected_parameters():
            return {str(pk) for pk, _label in spec.lookup_choices}
    raise AssertionError(f"no list filter for {parameter}")


@pytest.fixture
def second_branch(tenant_a):
    """Give company A two branches, because Django hides a one-choice filter."""
    branch = BranchFactory(company=tenant_a.company)
    tenant_a.service.branches.add(branch)
    return branch


def test_staff_branch_filter_only_own(
    manager_client, tenant_a, tenant_b, second_branch
):
    response = manager_client.get(changelist_url("staff"))

    assert filter_choices(response, "branch__id__exact") == {
        str(tenant_a.branch.pk),
        str(second_branch.pk),
    }


def test_service_branch_filter_only_own(
    manager_client, tenant_a, tenant_b, second_branch
):
    response = manager_client.get(changelist_url("service"))

    assert filter_choices(response, "branches__id__exact") == {
        str(tenant_a.branch.pk),
        str(second_branch.pk),
    }


@pytest.mark.parametrize("model_name", ["branch", "service"])
def test_company_filter_hidden_from_member(
    manager_client, tenant_a, tenant_b, model_name
):
    response = manager_client.get(changelist_url(model_name))

    parameters = {
        parameter
        for spec in response.context["cl"].filter_specs
        for parameter in spec.expected_parameters()
    }
    assert "company__id__exact" not in parameters


@pytest.mark.parametrize("model_name", ["branch", "service"])
def test_company_filter_superuser_sees_every_company(
    superuser_client, tenant_a, tenant_b, model_name
):
    response = superuser_client.get(changelist_url(model_name))

    assert filter_choices(response, "company__id__exact") == {
        str(tenant_a.company.pk),
        str(tenant_b.company.pk),
    }


def test_filter_by_other_branch_lists_nothing(
    manager_client, tenant_a, tenant_b, second_branch
):
    response = manager_client.get(
        changelist_url("staff"), {"branch__id__exact": tenant_b.branch.pk}
    )

    assert response.status_code == 200
    assert listed_pks(response) == set()


def test_configurations_of_other_entity_hidden(manager_client, tenant_a, tenant_b):
    own = manager_client.get(
        changelist_url("hierarchyconfig"),
        {"level": "branch", "object_id": tenant_a.branch.pk},
    )
    other = manager_client.get(
        changelist_url("hierarchyconfig"),
        {"level": "branch", "object_id": tenant_b.branch.pk},
    )

    assert listed_pks(own) == {tenant_a.config.pk}
    assert listed_pks(other) == set()


# Writes that name another company.


def test_branch_add_other_company_ignored(manager_client, tenant_a, tenant_b):
    response = manager_client.post(
        "/admin/tenants/branch/add/",
        {
            "company": tenant_b.company.pk,
            "name": "Harbour",
            "time_zone": "Europe/Berlin",
            "opening_hours": "{}",
            "holiday_country": "",
            "holiday_region": "",
            "phone_lines-TOTAL_FORMS": "0",
            "phone_lines-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    created = Branch.objects.get(name="Harbour")
    assert created.company == tenant_a.company
    assert not tenant_b.company.branches.filter(name="Harbour").exists()


def test_customer_add_other_company_ignored(manager_client, tenant_a, tenant_b):
    response = manager_client.post(
        "/admin/tenants/customer/add/",
        {
            "company": tenant_b.company.pk,
            "name": "Grace",
            "phone_raw": "(650) 253-0000",
            "email": "",
            "preferred_channel": "sms",
            "language": "en",
        },
    )

    assert response.status_code == 302
    created = Customer.objects.get(name="Grace")
    assert created.company == tenant_a.company
    assert created.phone == "+16502530000"
    assert not Customer.objects.filter(company=tenant_b.company, name="Grace").exists()


def test_customer_add_garbage_phone_shows_form_error(manager_client, tenant_a):
    response = manager_client.post(
        "/admin/tenants/customer/add/",
        {
            "name": "Grace",
            "phone_raw": "not-a-phone",
            "preferred_channel": "sms",
            "language": "en",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "not-a-phone" in errors["phone_raw"][0]
    assert not Customer.objects.filter(name="Grace").exists()


def test_staff_add_other_company_branch_rejected(manager_client, tenant_a, tenant_b):
    response = manager_client.post(
        "/admin/tenants/staff/add/",
        {
            "branch": tenant_b.branch.pk,
            "name": "Mallory",
            "email": "",
            "phone": "",
            "is_active": "on",
            "working_hours": "{}",
            "staffservice_set-TOTAL_FORMS": "0",
            "staffservice_set-INITIAL_FORMS": "0",
            "absences-TOTAL_FORMS": "0",
            "absences-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "branch" in response.context["adminform"].form.errors
    assert not Staff.objects.filter(name="Mallory").exists()


def test_change_post_of_other_company_404(manager_client, tenant_b):
    response = manager_client.post(
        object_url("customer", tenant_b.customer.pk, "change"),
        {"name": "Renamed", "preferred_channel": "sms", "language": "en"},
    )

    tenant_b.customer.refresh_from_db()
    assert response.status_code == 404
    assert tenant_b.customer.name != "Renamed"


# Users without a membership.


@pytest.fixture
def outsider_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_admin_index_outsider_sees_no_apps(outsider_client, tenant_a):
    response = outsider_client.get("/admin/")

    assert response.status_code == 200
    assert response.context["app_list"] == []


@pytest.mark.parametrize("model_name", ALL_MODELS)
def test_changelist_outsider_forbidden(outsider_client, tenant_a, model_name):
    response = outsider_client.get(changelist_url(model_name))

    assert response.status_code == 403


@pytest.mark.parametrize("model_name", MODELS)
def test_change_view_outsider_cannot_open(outsider_client, tenant_a, model_name):
    own = tenant_a.object_of(model_name)

    response = outsider_client.get(object_url(model_name, own.pk, "change"))

    assert response.status_code in (403, 404)


def test_autocomplete_outsider_forbidden(outsider_client, tenant_a):
    response = outsider_client.get(
        "/admin/autocomplete/",
        {"app_label": "tenants", "model_name": "staff", "field_name": "branch"},
    )

    assert response.status_code == 403


def test_membership_add_other_company_ignored(client, tenant_b):
    owner = make_tenant(role=Role.OWNER)
    free_user = UserFactory()
    client.force_login(owner.membership.user)

    response = client.post(
        "/admin/tenants/membership/add/",
        {"user": free_user.pk, "company": tenant_b.company.pk, "role": "owner"},
    )

    assert response.status_code == 302
    created = Membership.objects.get(user=free_user)
    assert created.company == owner.company
    assert tenant_b.company.memberships.count() == 1
