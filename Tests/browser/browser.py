"""Shared helpers for the browser checks: a headless Chromium driven by selenium, and the app's common steps."""

import os
import tempfile
import uuid

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

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


def sign_up(driver, name="Ada"):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    driver.get(BASE + "/")
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
