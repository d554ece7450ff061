"""The queue in headless Chromium against a live server."""

import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from callbacks.models import Status
from tenants.models import Role
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, MembershipFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def browser():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found; install them with "
            "`apt-get install -y chromium chromium-driver`."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_browser_dashboard_queue_and_action(browser, live_server):
    branch = BranchFactory(name="Downtown")
    staff = StaffFactory(branch=branch, name="Robin")
    callback = CallbackRequestFactory(
        branch=branch, name="Ada Caller", status=Status.ASSIGNED, assignee=staff
    )
    user = MembershipFactory(company=branch.company, role=Role.MANAGER).user

    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys("pw")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()

    dashboard = browser.find_element(By.ID, "cb-dashboard")
    assert "Open callbacks per staff member" in dashboard.text
    assert "Robin" in browser.find_element(By.ID, "cb-loads").text
    assert browser.find_elements(By.CSS_SELECTOR, "#cb-compliance svg rect")

    browser.get(f"{live_server.url}/admin/callbacks/callbackrequest/")
    row = browser.find_element(By.ID, "result_list")
    assert "Ada Caller" in row.text
    browser.find_element(By.CSS_SELECTOR, "input.action-select").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("mark_contacted")
    browser.find_element(By.NAME, "index").click()

    message = browser.find_element(By.CSS_SELECTOR, ".messagelist li").text
    assert message == "Mark contacted: 1 callback updated."
    callback.refresh_from_db()
    assert callback.status == Status.CONTACTED
