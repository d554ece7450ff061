"""The callback queue in the admin, with 10,000 requests in the tenant."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from integrations.benchmark.callback_requests import pending_requests
from integrations.benchmark.dataset import Dataset
from integrations.benchmark.measure import Result, percentile, summarise, time_calls

CALLBACKS_IN_TENANT = 10_000


def admin_callback_changelist_10k(data: Dataset, iterations: int) -> Result:
    pending_requests(data, CALLBACKS_IN_TENANT)
    client = Client()
    client.force_login(get_user_model().objects.get(username=data.member_username))
    url = reverse("admin:callbacks_callbackrequest_changelist")
    pages = [url, f"{url}?p=20", f"{url}?status__exact=pending&p=5"]

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        counts = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page, secure=True)
            if response.status_code != 200:
                raise RuntimeError(
                    f"GET {page} returned {response.status_code}; expected 200."
                )
            counts.append(len(captured))
        samples = time_calls(lambda: client.get(url, secure=True), iterations)

    result = summarise("admin_callback_changelist_10k", samples, max(counts))
    constant = "constant" if len(set(counts)) == 1 else "varying"
    result.note = (
        f"p95_ms={percentile(samples, 0.95) / 1000:.1f} "
        f"queries per page {'/'.join(map(str, counts))} ({constant})"
    )
    return result
