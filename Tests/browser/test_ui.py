"""The chat web app in a real browser, against serve-web and serve-api running as two processes.

Usage: BASE_URL=http://127.0.0.1:3000 python test_ui.py
"""

import sys

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import BASE, chromium, say, sign_up, visible, wait

XSS = "<img src=x onerror=alert(1)>"


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"  ok  {what}")


def texts(driver, css):
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, css)]


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def main():
    driver = chromium()
    try:
        run(driver)
    except Exception:
        driver.save_screenshot("browser-failure.png")
        print("page at failure saved to browser-failure.png; browser log:", file=sys.stderr)
        for entry in driver.get_log("browser"):
            print("  ", entry, file=sys.stderr)
        raise
    finally:
        driver.quit()
    print("browser checks passed")


def run(driver):
    driver.get(BASE + "/")
    visible(driver, "#auth-view")
    driver.find_element(By.NAME, "email").send_keys("nobody@example.com")
    driver.find_element(By.NAME, "password").send_keys("wrong password", Keys.ENTER)
    error = visible(driver, "#auth-error")
    check("Invalid email or password" in error.text, "a wrong password shows an inline error")

    email = sign_up(driver, "Ada")
    check(driver.find_element(By.ID, "user-email").text == email, "signing up opens the app")
    wait(driver).until(lambda d: d.find_element(By.ID, "agent-badge").text == "Offline agent")
    check(True, "the active agent is shown (offline)")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".suggestion")) >= 3, "a new chat offers suggestions")

    say(driver, "add buy milk tomorrow")
    card = visible(driver, ".card.added")
    check(card.text.startswith("Added: buy milk, due tomorrow"), f"the tool card says what changed ({card.text!r})")
    wait(driver).until(lambda d: "buy milk" in texts(d, "#task-list .task-title"))
    due = driver.find_element(By.CSS_SELECTOR, "#task-list .task .due").text
    check(due.startswith("Due tomorrow"), f"the task panel shows the task and its due date ({due!r})")
    check(driver.find_element(By.ID, "live").text.startswith("Added “buy milk”"), "the reply reaches the live region")

    say(driver, "mark it done")
    visible(driver, ".card.completed")
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, "#task-list .task").get_attribute("class") == "task done")
    check(driver.find_element(By.CSS_SELECTOR, "#task-list .task input[type=checkbox]").is_selected(), "“mark it done” ticks the task")

    driver.find_element(By.ID, "task-add-input").send_keys(XSS, Keys.ENTER)
    wait(driver).until(lambda d: XSS in texts(d, "#task-list .task-title"))
    say(driver, "add " + XSS + " again")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".card.added")) == 2)
    wait(driver).until(lambda d: any(XSS in t for t in texts(d, ".message.assistant .text")))
    check(not driver.find_elements(By.CSS_SELECTOR, "#task-list img, #messages img"), "a title with HTML shows as text, not as an element")
    check(no_alert(driver), "no script from a title ran")

    rows = driver.find_elements(By.CSS_SELECTOR, "#task-list .task")
    target = rows[1]
    target.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#task-list .task")[1].get_attribute("class") == "task done")
    check(True, "ticking a task in the panel completes it")
    driver.find_elements(By.CSS_SELECTOR, "#task-list .task")[1].find_element(By.CSS_SELECTOR, "button[aria-label^=Edit]").click()
    editor = visible(driver, "#task-list .task-edit")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("Renamed inline", Keys.ENTER)
    wait(driver).until(lambda d: "Renamed inline" in texts(d, "#task-list .task-title"))
    check(True, "a task is renamed in place")
    driver.find_element(By.CSS_SELECTOR, "[data-filter=pending]").click()
    wait(driver).until(lambda d: texts(d, "#task-list .task-title") == [XSS + " again"])
    check(True, "the pending filter hides completed tasks")
    driver.find_element(By.CSS_SELECTOR, "[data-filter=all]").click()
    wait(driver).until(lambda d: len(texts(d, "#task-list .task-title")) == 3)
    driver.find_elements(By.CSS_SELECTOR, "#task-list .task")[2].find_element(By.CSS_SELECTOR, "button[aria-label^=Delete]").click()
    wait(driver).until(lambda d: len(texts(d, "#task-list .task-title")) == 2)
    check(True, "a task is deleted from the panel")

    driver.refresh()
    visible(driver, "#main-view")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".message.user")) == 3)
    check(texts(driver, ".message.user")[:2] == ["add buy milk tomorrow", "mark it done"], "a reload keeps the conversation")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".message.assistant .card")) >= 3, "a reload keeps the tool cards")
    wait(driver).until(lambda d: "buy milk" in texts(d, "#task-list .task-title"))
    check(driver.find_element(By.CSS_SELECTOR, "#task-list .task").get_attribute("class") == "task done", "a reload keeps the tasks")

    driver.find_element(By.ID, "new-chat").click()
    visible(driver, "#start")
    say(driver, "show my tasks")
    visible(driver, ".card.listed")
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".conversation")) == 2)
    check(True, "a new chat appears in the conversation list")
    first = driver.find_elements(By.CSS_SELECTOR, ".conversation")[0]
    first.find_element(By.CSS_SELECTOR, "button[aria-label^=Delete]").click()
    driver.find_element(By.CSS_SELECTOR, ".conversation button.danger").click()
    wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".conversation")) == 1)
    check(True, "a chat is deleted")

    driver.find_element(By.ID, "sign-out").click()
    visible(driver, "#auth-view")
    driver.refresh()
    visible(driver, "#auth-view")
    check(True, "signing out returns to the sign-in screen, also after a reload")

    sign_up(driver, "Eve")
    wait(driver).until(lambda d: d.find_element(By.ID, "task-empty").is_displayed())
    check(not driver.find_elements(By.CSS_SELECTOR, ".conversation"), "a second user sees no conversation of the first")
    check(not driver.find_elements(By.CSS_SELECTOR, "#task-list .task"), "a second user sees no task of the first")

    # A turn whose request fails (the network drops it) shows an inline error with Retry, and Retry sends it again.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/chat*"]})
    say(driver, "add call the bank")
    note = visible(driver, ".message-error")
    retry = note.find_element(By.TAG_NAME, "button")
    check(retry.text == "Retry", f"a failed turn shows an inline error with Retry ({note.text!r})")
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    retry.click()
    wait(driver).until(lambda d: "call the bank" in texts(d, "#task-list .task-title"))
    check(not driver.find_elements(By.CSS_SELECTOR, ".message-error"), "Retry sends the message again and clears the error")

    # The offline agent reads everyday words in the browser's time zone: "tomorrow at 9pm" is 9pm where the user is.
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Pacific/Auckland"})
    say(driver, "please add call the plumber tomorrow at 9pm, high priority")
    wait(driver).until(lambda d: "call the plumber" in texts(d, "#task-list .task-title"))
    row = next(t for t in driver.find_elements(By.CSS_SELECTOR, "#task-list .task") if "call the plumber" in t.text)
    due = row.find_element(By.CSS_SELECTOR, ".due").text
    check("09:00 PM" in due or "21:00" in due, f"“tomorrow at 9pm” is 9pm in the browser's time zone ({due!r})")
    say(driver, "the plumber one is done")
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".card.completed"))
    wait(driver).until(lambda d: any("call the plumber" in t.text and t.get_attribute("class") == "task done"
                                     for t in d.find_elements(By.CSS_SELECTOR, "#task-list .task")))
    check(True, "“the plumber one is done” completes the task in the panel")

    driver.set_window_size(390, 844)
    say(driver, "add water plants")
    visible(driver, ".card.added")
    check(driver.find_element(By.ID, "composer-input").is_displayed(), "a phone-sized window still chats")
    driver.find_element(By.ID, "toggle-tasks").click()
    wait(driver).until(lambda d: "water plants" in texts(d, "#task-list .task-title"))
    check(driver.find_element(By.ID, "tasks").is_displayed(), "on a phone the task panel opens as a drawer")

    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
              and "401" not in entry["message"] and "ERR_BLOCKED_BY_CLIENT" not in entry["message"]]
    check(not severe, f"no console errors or CSP violations ({severe})")


if __name__ == "__main__":
    main()
