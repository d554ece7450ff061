"""Build resolver contexts from domain objects."""

from tenants.configuration.resolver import ConfigContext
from tenants.models import Branch, Company, Service, Staff


def context_for(
    company: Company | int,
    branch: Branch | int | None = None,
    service: Service | int | None = None,
    staff: Staff | int | None = None,
) -> ConfigContext:
    def pk(value):
        return value.pk if hasattr(value, "pk") else value

    return ConfigContext(
        company_id=pk(company),
        branch_id=pk(branch),
        service_id=pk(service),
        staff_id=pk(staff),
    )


def context_for_entity(entity: Company | Branch | Service | Staff) -> ConfigContext:
    """Return the context whose most specific level is `entity`."""
    if isinstance(entity, Company):
        return ConfigContext(company_id=entity.pk)
    if isinstance(entity, Branch):
        return ConfigContext(company_id=entity.company_id, branch_id=entity.pk)
    if isinstance(entity, Service):
        return ConfigContext(company_id=entity.company_id, service_id=entity.pk)
    return ConfigContext(
        company_id=entity.company_id, branch_id=entity.branch_id, staff_id=entity.pk
    )
