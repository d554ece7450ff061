from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"

    def ready(self) -> None:
        from policies import schemas  # noqa: F401 - registers the policy kinds
