from tests.appointments.fixtures import appointment, published, set_policy  # noqa: F401
