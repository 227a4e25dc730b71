"""Screenshots of the main screens from the real running app, light and dark, desktop and phone width.

Usage: BASE_URL=http://127.0.0.1:3000 python screenshots.py OUTPUT_DIR
"""

import datetime
import os
import sys
import time

from selenium.webdriver.common.by import By

from browser import BASE, api, chromium, choose, dark, say, sign_up, visible, wait


def main(output):
    os.makedirs(output, exist_ok=True)
    driver = chromium(1280, 820)
    try:
        for theme in ("light", "dark"):
            dark(driver, theme == "dark")
            driver.get(BASE + "/")
            visible(driver, "#auth-view")
            driver.save_screenshot(os.path.join(output, f"sign-in-{theme}.png"))
        dark(driver, False)
        sign_up(driver, "Ada")
        for message in ("add buy milk tomorrow #home", "add call mom next friday at 6pm #family high priority",
                        "add file taxes in 3 days", "mark buy milk as done", "what's pending?"):
            count = len(driver.find_elements(By.CSS_SELECTOR, ".message.assistant"))
            say(driver, message)
            wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".message.assistant:not(.streaming)")) == count + 1)
        # A task with notes, a repeat and a reminder, made the way another device would, so the panel shows them.
        due = (datetime.datetime.now().astimezone() + datetime.timedelta(days=2)).replace(hour=18, minute=0, second=0, microsecond=0)
        api(driver, "POST", "/api/tasks", {"title": "book the dentist", "description": "Ask for a Saturday morning slot",
                                           "priority": "low", "tags": ["health"], "due_at": due.isoformat(),
                                           "recurrence": "monthly", "remind_before_minutes": 60})
        driver.refresh()
        visible(driver, "#main-view")
        wait(driver).until(lambda d: "book the dentist" in [e.text for e in d.find_elements(By.CSS_SELECTOR, "#task-list .task-title")])
        time.sleep(0.5)
        for theme in ("light", "dark"):
            dark(driver, theme == "dark")
            driver.set_window_size(1280, 820)
            time.sleep(0.3)
            driver.save_screenshot(os.path.join(output, f"chat-desktop-{theme}.png"))
            driver.set_window_size(390, 844)
            time.sleep(0.3)
            driver.save_screenshot(os.path.join(output, f"chat-phone-{theme}.png"))
            driver.find_element(By.ID, "toggle-tasks").click()
            time.sleep(0.3)
            driver.save_screenshot(os.path.join(output, f"tasks-phone-{theme}.png"))
            driver.find_element(By.ID, "toggle-tasks").click()
        # The task panel with a task open in its editor, and the list sorted by due date.
        driver.set_window_size(1280, 820)
        choose(driver, driver.find_element(By.ID, "task-sort"), "due")
        time.sleep(0.5)
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#task-list .task") if "book the dentist" in r.text)
        row.find_element(By.CSS_SELECTOR, "button[aria-label^=Edit]").click()
        visible(driver, "#task-list .task-editor")
        driver.execute_script("document.querySelector('#task-list .task-editor').scrollIntoView({block: 'center'})")
        for theme in ("light", "dark"):
            dark(driver, theme == "dark")
            time.sleep(0.3)
            driver.save_screenshot(os.path.join(output, f"task-editor-desktop-{theme}.png"))
    finally:
        driver.quit()
    print(f"screenshots written to {output}")


if __name__ == "__main__":
    main(sys.argv[1])
