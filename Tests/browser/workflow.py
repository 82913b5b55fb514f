#!/usr/bin/env python3
"""The staff workflow in a real browser (Debian chromium + chromedriver via selenium).

Usage: python3 Tests/browser/workflow.py HYOKA_BINARY OUTPUT_DIR

Makes its own SQLite database with the fictional さくら町 (Tests/browser/fixture-town, one
program with one KPI and a published FY2024), creates three accounts with `hyoka user add`,
serves it, and walks: the planner opens FY2025 and moves it to 入力 → the editor signs in,
types a KPI actual (the rate appears as typed, computed by the server), saves and submits →
the approver returns it with a comment → the editor sees the comment and resubmits → the
approver approves → the planner moves the cycle to 審査 and 確定, and the public page still
shows nothing of FY2025 → the planner publishes → the public page shows the new actual and
its rate. Every staff page is screenshotted and checked with axe (no serious or critical
violation allowed).
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from axe_selenium_python import Axe

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "workflow-test-password-1"
TOWN = "139971"
PROGRAM = "子育て広場事業（架空）"
ACTUAL = "231"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(binary, *args, stdin=None):
    result = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    database = os.path.join(out, "workflow.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    run(binary, "import", os.path.join(HERE, "fixture-town"), "--database", database)
    for login, role, department in [("sakura-editor", "editor", "子育て支援課（架空）"), ("sakura-approver", "approver", "こども局（架空）"),
                                    ("sakura-planner", "planner", None)]:
        args = ["user", "add", login, "--role", role, "--municipality", TOWN, "--password-stdin", "--database", database]
        if department:
            args += ["--department", department]
        run(binary, *args, stdin=PASSWORD + "\n")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port)],
                              stdout=open(os.path.join(out, "workflow-server.log"), "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        else:
            sys.exit("the server did not answer /healthz")
        walk(base, out)
    finally:
        server.terminate()
        server.wait(timeout=30)


def walk(base, out):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--lang=ja"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    # Pages reload after each form: an element read during the switch is retried. Chromium
    # reports a node of the page being replaced as a generic "unknown error" ("Node with given
    # id does not belong to the document"), so that is retried too; a real failure still ends
    # in the wait's timeout with the last condition unmet.
    wait = WebDriverWait(driver, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException))
    failures = []
    shots = [0]

    def check(name):
        """Screenshot and axe for the page now open."""
        shots[0] += 1
        driver.save_screenshot(os.path.join(out, f"workflow-{shots[0]:02d}-{name}.png"))
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for v in serious:
            failures.append(f"{name}: axe {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")

    def expect(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL:", message)

    def submit(element):
        """Click a button that posts a form, and wait until the page it was on has been replaced."""
        page = driver.find_element(By.TAG_NAME, "html")
        element.click()
        wait.until(expected_conditions.staleness_of(page))

    def sign_in(login):
        driver.get(base + "/login")
        driver.find_element(By.ID, "login").send_keys(login)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        submit(driver.find_element(By.CSS_SELECTOR, "form.staff button[type=submit]"))
        wait.until(lambda d: d.current_url.rstrip("/").endswith("/admin"))

    def sign_out():
        submit(driver.find_element(By.CSS_SELECTOR, "form.signout button"))
        wait.until(lambda d: "/login" in d.current_url)

    def open_sheet():
        driver.get(base + "/admin/sheets")
        submit(driver.find_element(By.LINK_TEXT, PROGRAM))
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == PROGRAM)

    def advance(expected_phase):
        driver.get(base + "/admin/cycles")
        submit(driver.find_element(By.ID, "advance-2025"))
        wait.until(lambda d: d.find_element(By.ID, "phase-2025").text == expected_phase)

    def public_text():
        driver.get(base + f"/programs?m={TOWN}&year=2025")
        links = driver.find_elements(By.LINK_TEXT, PROGRAM)
        if links:
            submit(links[0])
        return driver.find_element(By.TAG_NAME, "main").text

    try:
        # The planner opens FY2025 (carrying FY2024 forward) and starts the input phase.
        sign_in("sakura-planner")
        check("planner-dashboard")
        driver.get(base + "/admin/cycles")
        year = driver.find_element(By.ID, "fiscalYear")
        expect(year.get_attribute("value") == "2025", f"the next year is offered: {year.get_attribute('value')}")
        driver.find_element(By.ID, "inputDeadline").send_keys("2025-06-30")
        submit(driver.find_element(By.ID, "open-cycle"))
        wait.until(lambda d: d.find_element(By.ID, "phase-2025").text == "準備")
        check("cycles")
        advance("入力")
        sign_out()

        # The editor enters the actual: the rate appears while typing, from the server.
        sign_in("sakura-editor")
        open_sheet()
        target = driver.find_element(By.CSS_SELECTOR, "input[name^='target.']")
        expect(target.get_attribute("value") == "200", "the FY2024 target is carried forward")
        actual = driver.find_element(By.CSS_SELECTOR, "input[name^='actual.']")
        actual.clear()
        actual.send_keys(ACTUAL)
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "output[id^='rate-']").text == "115.5%")
        expect(driver.find_element(By.ID, "suggested-grade").text == "順調", "suggested grade while typing")
        Select(driver.find_element(By.NAME, "grade")).select_by_value("順調")
        Select(driver.find_element(By.NAME, "direction")).select_by_value("継続")
        driver.find_element(By.NAME, "comment").send_keys("利用者が目標を上回った（架空）")
        check("sheet-edit")
        submit(driver.find_element(By.ID, "save-sheet"))
        wait.until(lambda d: "保存しました" in d.find_element(By.TAG_NAME, "main").text)
        submit(driver.find_element(By.ID, "submit-sheet"))
        wait.until(lambda d: d.find_element(By.ID, "sheet-state").text == "提出")
        sign_out()

        # The approver returns it with a comment.
        sign_in("sakura-approver")
        open_sheet()
        check("sheet-review")
        driver.find_element(By.ID, "return-reason").send_keys("利用者数の集計方法を追記してください")
        submit(driver.find_element(By.ID, "return-sheet"))
        wait.until(lambda d: d.find_element(By.ID, "sheet-state").text == "差戻し")
        sign_out()

        # The editor sees why, and resubmits.
        sign_in("sakura-editor")
        open_sheet()
        expect("利用者数の集計方法を追記してください" in driver.find_element(By.ID, "return-reason-shown").text, "the return reason is shown")
        check("sheet-returned")
        submit(driver.find_element(By.ID, "submit-sheet"))
        wait.until(lambda d: d.find_element(By.ID, "sheet-state").text == "提出")
        sign_out()

        # The approver approves.
        sign_in("sakura-approver")
        open_sheet()
        submit(driver.find_element(By.ID, "approve-sheet"))
        wait.until(lambda d: d.find_element(By.ID, "sheet-state").text == "承認")
        submit(driver.find_element(By.LINK_TEXT, "変更履歴を見る"))
        check("history")
        sign_out()

        # The planner finalizes; nothing of FY2025 is public yet.
        sign_in("sakura-planner")
        advance("審査")
        advance("確定")
        before = public_text()
        expect(ACTUAL not in before and "115.5%" not in before, "FY2025 is not public before publishing")
        driver.get(base + "/admin")
        advance("公表")
        sign_out()

        # Published: the public page shows the new actual and its rate.
        after = public_text()
        check("public-sheet")
        expect(ACTUAL in after and "115.5%" in after, "the published sheet shows the new actual and rate")
        expect("利用者が目標を上回った（架空）" in after, "the published sheet shows the self-evaluation")
    except Exception as error:  # a missing element or a timeout: say where
        driver.save_screenshot(os.path.join(out, "workflow-failure.png"))
        failures.append(f"{type(error).__name__}: {error} at {driver.current_url}")
    finally:
        driver.quit()

    with open(os.path.join(out, "workflow.json"), "w") as f:
        json.dump({"failures": failures, "screenshots": shots[0]}, f, ensure_ascii=False, indent=2)
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"workflow: planner → editor → approver (return) → editor → approver → planner → public, {shots[0]} pages checked with axe: ok")


if __name__ == "__main__":
    main()
