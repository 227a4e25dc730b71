"""Shared helpers for the browser checks: a headless Chromium driven by selenium, and the app's common steps."""

import json
import os
import tempfile
import urllib.error
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BASE_URL"]


def chromium(width=1280, height=860):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_window_size(width, height)
    return driver


def wait(driver, seconds=10):
    # Lists re-render as tools change tasks, so an element read mid-render is simply read again.
    return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException])


def visible(driver, css, seconds=10):
    return wait(driver, seconds).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def sign_up(driver, name="Ada", base=BASE):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    driver.get(base + "/")
    visible(driver, "#auth-view")
    driver.find_element(By.ID, "tab-sign-up").click()
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys("correct horse battery", Keys.ENTER)
    visible(driver, "#main-view")
    return email


def say(driver, text):
    box = visible(driver, "#composer-input")
    box.send_keys(text, Keys.ENTER)


def dark(driver, on=True):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]})


def api(driver, method, path, body=None, base=BASE):
    """Calls the API through serve-web as the signed-in page would: the driver's session cookie and our Origin."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    headers = {"Cookie": cookie, "Origin": base, "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text else None


def choose(driver, element, value):
    """Picks an option of a <select> by its value."""
    Select(element).select_by_value(value)


def set_value(driver, element, value):
    """Sets an input's value the way typing would end, for inputs whose typed form depends on the locale (dates)."""
    driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)
