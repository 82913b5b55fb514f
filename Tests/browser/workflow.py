#!/usr/bin/env python3
"""The staff workflow in a real browser (Debian chromium + chromedriver via selenium), with
texts and files of the length a city's staff really write.

Usage: python3 Tests/browser/workflow.py HYOKA_BINARY OUTPUT_DIR

Makes its own SQLite database with the fictional さくら町 (Tests/browser/fixture-town, one
program with one KPI and a published FY2024), creates three accounts with `hyoka user add`,
serves it, and walks:

1. the planner opens FY2025 and moves it to 入力;
2. the editor signs in, types a KPI actual (the rate appears as typed, computed by the
   server), types the target and actual of a KPI that `hyoka import` added after the year was
   opened (it has no value for the year yet), chooses 評価 and 今後の方向性, types a
   3,000-character self-evaluation and a
   300-character improvement (realistic Japanese, with `"><script>alert(1)</script>`,
   an `onerror` image and `=HYPERLINK("x")` inside), saves — the page after saving must
   give back both texts exactly, and no script of theirs may run — and submits;
3. the approver sees the whole text and returns the sheet with a 300-character reason;
   the editor sees the whole reason;
4. while the sheet is returned, the planner downloads the department's workbook (the
   download button, and the same URL fetched with the browser's session cookie), checks it
   with openpyxl (the saved texts come back as text, never as a formula), changes the KPI
   actual and the self-evaluation (another 1,000 characters), pads it past 5 MB with a
   sheet of 14,000 rows as real workbooks are, uploads it through the form, checks
   the preview (exactly the two changed cells, no error) and applies it; the sheet then
   shows the new actual, its rate and the new text, and its history the workbook;
5. the editor sees the workbook's values and resubmits → the approver approves → the planner
   moves the cycle to 審査 and 確定, and the public page still shows nothing of FY2025 → the
   planner publishes → the public page shows the new actual, its rate and the whole text.

Every staff page is screenshotted and checked with axe (no serious or critical violation
allowed). Last, each staff page (/admin, /admin/sheets, the sheet, its history,
/admin/cycles, /admin/workbook) is loaded in a phone-sized browser (390 px, mobile
emulation), while the sheet is open for editing and again after publishing: the page must
not scroll sideways (a table inside its own scrolling box is fine); a failure names the
elements that stick out, and each page is screenshotted at that width. The phone check runs
even when the walk failed, on the pages it reached.

Every refused form (an error page, a form that came back with errors) ends the walk with the
server's own message and the size of what was sent.
"""
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import openpyxl
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from axe_selenium_python import Axe

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "workflow-test-password-1"
TOWN = "139971"
PROGRAM = "子育て広場事業（架空）"
DEPARTMENT = "子育て支援課（架空）"
ACTUAL = "231"
KPI_NAME = "広場の利用者数"
ADDED_KPI = "相談件数（追加）"
ADDED_ACTUAL = "312"                # typed by the editor: 231 / 200
WORKBOOK_ACTUAL = "243"       # written in the department's workbook: 243 / 200
WORKBOOK_RATE = "121.5%"

# Hostile-looking text a self-evaluation may well contain (pasted from elsewhere): it must be
# stored and shown as text, never run as a script nor read as a spreadsheet formula.
SCRIPT = '"><script>alert(1)</script>'
IMAGE = "<img src=x onerror=alert(2)>"
FORMULA = '=HYPERLINK("x")'


def japanese_text(sentences, length, lead="", inserts=None, paragraph_every=0, end="（以上）"):
    """Exactly `length` characters of realistic Japanese: `lead`, then the sentences over and
    over (with `inserts[i]` after the i-th sentence written and a line break every
    `paragraph_every` sentences), cut to length and closed by `end`, so that a text cut
    short by the server is seen at once. The same every run."""
    inserts = inserts or {}
    text, i = lead, 0
    while len(text) < length:
        text += sentences[i % len(sentences)]
        if i in inserts:
            text += inserts[i]
        i += 1
        if paragraph_every and i % paragraph_every == 0:
            text += "\n"
    text = text[:length - len(end)]
    if text.endswith("\n"):  # cut right after a line break: close the sentence instead
        text = text[:-1] + "。"
    return text + end


EVALUATION_SENTENCES = [
    "子育て広場の利用者は前年度から増加し、",
    "特に平日午前の親子の利用が定着した。",
    "土曜開館を月2回に拡大したことで、父親の参加が前年度の1.4倍になった。",
    "保健センターの乳幼児健診の会場で広場を案内したことが、初めての利用につながっている。",
    "相談件数は年間312件で、そのうち発達に関する相談が約3割を占めた。",
    "専門職（保育士・保健師）による個別相談の枠を週1回から週2回に増やし、待ち日数を短縮した。",
    "一方、北部地区からの利用は少なく、移動手段のない家庭への対応が課題である。",
    "出張ひろばを公民館で4回試行し、延べ86組の親子が参加した。",
    "利用者アンケートでは「気軽に相談できる」との回答が87%に達した。",
    "ボランティアの高齢化が進んでおり、担い手の確保が今後の課題となる。",
]
WORKBOOK_SENTENCES = [
    "課内で実績を再集計した結果、広場の延べ利用者数を修正した。",
    "集計漏れのあった出張ひろばの参加者を含めると、目標を大きく上回っている。",
    "地域子育て支援拠点としての役割は定着しつつあり、関係機関からの紹介による利用も増えた。",
    "今後は北部地区での出張ひろばを定例化し、移動が難しい家庭にも支援が届くようにする。",
    "あわせて、オンライン相談の試行について令和8年度の予算要求を検討する。",
    "事業の成果指標については、利用者数に加えて相談後の満足度も把握していく。",
]
IMPROVEMENT_SENTENCES = [
    "北部地区の公民館で出張ひろばを毎月1回開催する。",
    "ボランティア養成講座を年2回開き、新たな担い手を確保する。",
    "相談記録の様式を見直し、保健センターとの情報共有を円滑にする。",
    "利用者アンケートを年1回から半期ごとに改め、改善につなげる。",
]
RETURN_SENTENCES = [
    "利用者数の集計方法を追記してください。",
    "出張ひろばの参加者を延べ人数に含めているかどうかが分かりません。",
    "相談件数312件の内訳（発達・育児・その他）も記載をお願いします。",
    "課題として挙げた北部地区について、次年度の具体的な取組を改善欄に書いてください。",
    "成果指標の目標値を据え置く理由も一言添えてください。",
]

COMMENT = japanese_text(EVALUATION_SENTENCES, 3000, inserts={1: SCRIPT, 4: IMAGE, 6: FORMULA}, paragraph_every=4)
IMPROVEMENT = japanese_text(IMPROVEMENT_SENTENCES, 300, lead=FORMULA)  # a cell starting with "=" in the workbook
RETURN_REASON = japanese_text(RETURN_SENTENCES, 300)
WORKBOOK_COMMENT = japanese_text(WORKBOOK_SENTENCES, 1000, inserts={2: SCRIPT, 3: FORMULA}, paragraph_every=3)

# Installed in every page before its own scripts: a dialog opened by any script is recorded
# instead of shown, so that a script smuggled in through a text is caught wherever it runs.
DIALOG_TRAP = """
window.__hyokaDialogs = [];
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function (message) { window.__hyokaDialogs.push(name + '(' + message + ')'); };
});
"""

# Whether the page scrolls sideways; if so, the outermost elements that stick out on the
# right and are not inside a box that scrolls (or clips) on its own. The screen's width is
# the layout viewport's (documentElement.clientWidth): an emulated phone widens
# window.innerWidth to the content when the content is too wide, so comparing with it would
# never find anything.
OVERFLOW_SCRIPT = """
var width = document.documentElement.clientWidth, total = document.documentElement.scrollWidth;
if (total <= width + 1) return {width: width, scrollWidth: total, culprits: []};
function inScroller(el) {
  for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
  }
  return false;
}
var out = Array.prototype.filter.call(document.body.querySelectorAll('*'), function (el) {
  var r = el.getBoundingClientRect();
  return r.width > 0 && r.right > width + 1 && !inScroller(el);  // off to the left (a skip link) scrolls nothing
});
var outermost = out.filter(function (el) { return out.indexOf(el.parentElement) < 0; });
return {width: width, scrollWidth: total, culprits: outermost.slice(0, 6).map(function (el) {
  var r = el.getBoundingClientRect();
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' (' + Math.round(r.left) + '–' + Math.round(r.right) + ' px, "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '")';
})};
"""


class Refused(Exception):
    """A step the server refused or answered wrongly; the message says which and why."""


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


def chrome(phone=False, downloads=None):
    """Headless Chromium at desktop size, or as a 390 px wide phone."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=ja"):
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}})
    else:
        options.add_argument("--window-size=1280,1600")
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_TRAP})
    return driver


def flat(text):
    """Text with every run of whitespace as one space, as a page shows it."""
    return " ".join(text.split())


def same_text(a, b):
    """Equal apart from how line breaks are written (a browser posts CR LF)."""
    return (a or "").replace("\r\n", "\n") == (b or "").replace("\r\n", "\n")


def differs(label, got, expected):
    """Where two texts part, for a failure message."""
    got = (got or "").replace("\r\n", "\n")
    at = next((i for i, (x, y) in enumerate(zip(got, expected)) if x != y), min(len(got), len(expected)))
    return f"{label}: {len(got)} characters instead of {len(expected)}, first difference at {at}: {got[at:at + 30]!r} instead of {expected[at:at + 30]!r}"


def padding_rows(count):
    """A few thousand rows of a usage log, as departments keep beside the sheets they fill
    in: varied enough that the workbook stays large after compression. The same every run."""
    rng = random.Random(2025)
    pool = "".join(sorted(set("".join(EVALUATION_SENTENCES + WORKBOOK_SENTENCES + IMPROVEMENT_SENTENCES))))
    for i in range(count):
        yield [f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}", ("中央", "北部", "南部")[i % 3] + "ひろば", rng.randint(1, 40),
               "".join(rng.choice(pool) for _ in range(220))]


def main():
    binary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    database = os.path.join(out, "workflow.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    run(binary, "import", os.path.join(HERE, "fixture-town"), "--database", database)
    for login, role, department in [("sakura-editor", "editor", DEPARTMENT), ("sakura-approver", "approver", "こども局（架空）"),
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
        walk(base, out, binary, database)
    finally:
        server.terminate()
        server.wait(timeout=30)


def walk(base, out, binary, database):
    scratch = tempfile.mkdtemp(prefix="hyoka-workflow-")  # downloads and the edited workbook
    driver = chrome(downloads=scratch)
    # Pages reload after each form: an element read during the switch is retried. Chromium
    # reports a node of the page being replaced as a generic "unknown error" ("Node with given
    # id does not belong to the document"), so that is retried too; a real failure still ends
    # in the wait's timeout with the last condition unmet.
    wait = WebDriverWait(driver, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException))
    failures = []
    shots = [0]
    pages = {}  # the sheet's and its history's addresses, once the walk has reached them

    def check(name):
        """Screenshot and axe for the page now open."""
        shots[0] += 1
        driver.save_screenshot(os.path.join(out, f"workflow-{shots[0]:02d}-{name}.png"))
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for v in serious:
            where = ", ".join(" ".join(map(str, n.get("target", []))) for n in v["nodes"][:4])
            failures.append(f"{name}: axe {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes: {where})")

    def expect(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL:", message)

    def submit(element):
        """Click a button that posts a form, and wait until the page it was on has been replaced."""
        page = driver.find_element(By.TAG_NAME, "html")
        element.click()
        wait.until(expected_conditions.staleness_of(page))

    def refusal():
        """The server's message when the page now open refuses what was sent, else None: its
        error page, a form sent back with errors, or a save refused as a conflict."""
        main = driver.find_element(By.TAG_NAME, "main")
        if driver.find_element(By.TAG_NAME, "h1").text == "エラーが発生しました":
            reasons = main.find_elements(By.CSS_SELECTOR, "p.muted")
            return "error page: " + (reasons[0].text if reasons else flat(main.text)[:300])
        alerts = main.find_elements(By.CSS_SELECTOR, ".error[role=alert], .notice.conflict")
        if alerts:
            details = [flat(e.text) for e in main.find_elements(By.CSS_SELECTOR, ".field.invalid, table.problems tr")][:8]
            return " / ".join([flat(alerts[0].text)[:200]] + details)
        return None

    def after_post(what, condition, sent=None):
        """Wait until `condition` holds on the page that answered a form; when that page is a
        refusal instead, stop the walk with the server's message (and what was sent)."""
        wait.until(lambda d: refusal() is not None or condition(d))
        message = refusal()
        if message is not None:
            size = f" ({sent})" if sent else ""
            raise Refused(f"{what}{size} was refused at {urllib.parse.urlparse(driver.current_url).path}: {message}")

    def body_size(form):
        """How large the form's body is when posted, URL-encoded, as 'N bytes'."""
        size = driver.execute_script("return new URLSearchParams(new FormData(arguments[0])).toString().length;", form)
        return f"form body {size:,} bytes"

    def no_script_ran(where):
        """No dialog opened by a script, no smuggled script element and no handler attribute."""
        dialogs = driver.execute_script("return window.__hyokaDialogs || [];")
        try:
            dialogs.append("a real dialog: " + driver.switch_to.alert.text)
            driver.switch_to.alert.dismiss()
        except NoAlertPresentException:
            pass
        expect(not dialogs, f"{where}: a script from the text ran: {dialogs}")
        smuggled = driver.execute_script(
            "return Array.prototype.some.call(document.scripts, function (s) { return s.textContent.indexOf('alert(') >= 0; })"
            " || document.querySelector('[onerror]') !== null;")
        expect(not smuggled, f"{where}: the text became markup (a script element or an onerror attribute)")

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
        pages["sheet"] = urllib.parse.urlparse(driver.current_url).path
        pages["history"] = urllib.parse.urlparse(driver.find_element(By.LINK_TEXT, "変更履歴を見る").get_attribute("href")).path

    def advance(expected_phase):
        driver.get(base + "/admin/cycles")
        submit(driver.find_element(By.ID, "advance-2025"))
        if expected_phase == "公表":
            # Publication is confirmed on its own page, after the checks are shown.
            wait.until(lambda d: d.find_element(By.ID, "publish-summary"))
            check("publish-confirm")
            driver.find_element(By.ID, "confirm").click()
            submit(driver.find_element(By.ID, "confirm-publish"))
        after_post(f"moving FY2025 to {expected_phase}", lambda d: d.find_element(By.ID, "phase-2025").text == expected_phase)

    def public_text():
        driver.get(base + f"/programs?m={TOWN}&year=2025")
        links = driver.find_elements(By.LINK_TEXT, PROGRAM)
        if links:
            submit(links[0])
        return driver.find_element(By.TAG_NAME, "main").text

    def kpi_row(d=None):
        """The town's own KPI's row on the sheet form (the import adds a second one)."""
        return (d or driver).find_element(By.XPATH, f"//tr[th[contains(., '{KPI_NAME}')]]")

    def textarea(name):
        return driver.find_element(By.ID, f"f-{name}").get_attribute("value")

    def workbook_round_trip():
        """The planner exchanges the department's workbook: download, edit with openpyxl as
        the department would in Excel, upload, check the preview, apply."""
        driver.get(base + "/admin/workbook")
        check("workbook")
        download_form = driver.find_element(By.ID, "download-workbook").find_element(By.XPATH, "./ancestor::form")
        choice = Select(download_form.find_element(By.NAME, "department"))
        labels = [o.text for o in choice.options if o.text.startswith(DEPARTMENT)]
        if not labels:
            raise Refused(f"/admin/workbook offers no {DEPARTMENT} to download: {[o.text for o in choice.options]}")
        choice.select_by_visible_text(labels[0])
        department = choice.first_selected_option.get_attribute("value")

        # The button downloads the file (Chromium saves it into the scratch folder) ...
        download_form.find_element(By.ID, "download-workbook").click()
        # ... and the same address is fetched here with the browser's session, to read it.
        url = download_form.get_attribute("action") + "?" + urllib.parse.urlencode({"department": department})
        request = urllib.request.Request(url, headers={"Cookie": "hyoka-session=" + driver.get_cookie("hyoka-session")["value"]})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                data, kind = response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raise Refused(f"downloading the workbook ({url}) answered {error.code}: {flat(error.read().decode('utf-8', 'replace'))[:300]}")
        expect("spreadsheetml" in kind, f"the workbook download is an .xlsx: {kind}")
        for _ in range(40):  # the button's download, finished
            if any(n.endswith(".xlsx") for n in os.listdir(scratch)):
                break
            time.sleep(0.25)
        expect(any(n.endswith(".xlsx") for n in os.listdir(scratch)), f"the download button saves an .xlsx: {os.listdir(scratch)}")

        workbook = openpyxl.load_workbook(io.BytesIO(data))
        expect({"指標", "事業費", "自己評価"} <= set(workbook.sheetnames), f"the workbook's sheets: {workbook.sheetnames}")

        def row_of(sheet_name, columns, kpi_name=None):
            """The program's row of a sheet (of one KPI on 指標) as {heading: cell}, after
            checking the headings."""
            sheet = workbook[sheet_name]
            headings = [c.value for c in sheet[1]]
            if headings[:len(columns)] != columns:
                raise Refused(f"the workbook's sheet {sheet_name} has the headings {headings}, not {columns}")
            rows = [dict(zip(headings, r)) for r in sheet.iter_rows(min_row=2)
                    if r[1].value == PROGRAM and (kpi_name is None or r[2].value == kpi_name)]
            if len(rows) != 1:
                raise Refused(f"the workbook's sheet {sheet_name} has {len(rows)} rows for {PROGRAM} {kpi_name or ''}")
            return rows[0]

        # Two KPIs: the town's own and the one the import added (typed by the section).
        added_kpi = row_of("指標", ["指標ID", "事業名", "指標名", "単位", "年度", "目標値", "実績値"], ADDED_KPI)
        expect((str(added_kpi["目標値"].value), str(added_kpi["実績値"].value)) == ("300", ADDED_ACTUAL),
               f"the workbook's added KPI: target {added_kpi['目標値'].value}, actual {added_kpi['実績値'].value}")
        kpi = row_of("指標", ["指標ID", "事業名", "指標名", "単位", "年度", "目標値", "実績値"], KPI_NAME)
        expect((str(kpi["年度"].value), str(kpi["目標値"].value), str(kpi["実績値"].value)) == ("2025", "200", ACTUAL),
               f"the workbook's KPI row: year {kpi['年度'].value}, target {kpi['目標値'].value}, actual {kpi['実績値'].value}")
        evaluation = row_of("自己評価", ["シートID", "事業名", "年度", "評価", "今後の方向性", "主な取組と成果に対する評価", "課題に対する改善"])
        expect((evaluation["評価"].value, evaluation["今後の方向性"].value) == ("順調", "継続"),
               f"the workbook's grade and direction: {evaluation['評価'].value}, {evaluation['今後の方向性'].value}")
        for heading, text in [("主な取組と成果に対する評価", COMMENT), ("課題に対する改善", IMPROVEMENT)]:
            cell = evaluation[heading]
            expect(same_text(cell.value, text), differs(f"the workbook's {heading} ({cell.coordinate})", cell.value, text))
            # A text starting with "=" must reach Excel as text: as a formula it would run.
            expect(cell.data_type == "s", f"the workbook's {heading} ({cell.coordinate}) is written as text, not as {cell.data_type!r}")

        # The department's edits: a corrected actual, typed as a number as in Excel, and a
        # rewritten self-evaluation with line breaks inside the cell.
        kpi["実績値"].value = int(WORKBOOK_ACTUAL)
        evaluation["主な取組と成果に対する評価"].value = WORKBOOK_COMMENT
        changed = {f"指標!{kpi['実績値'].coordinate}", f"自己評価!{evaluation['主な取組と成果に対する評価'].coordinate}"}
        # Real workbooks are large: departments keep their own records beside the sheets.
        log = workbook.create_sheet("利用記録（課の控え）")
        log.append(["日付", "会場", "組数", "記録"])
        for row in padding_rows(14000):
            log.append(row)
        upload = os.path.join(scratch, f"{DEPARTMENT}-2025-記入済み.xlsx")
        workbook.save(upload)
        size = os.path.getsize(upload)
        expect(size > 5_000_000, f"the edited workbook is over 5 MB, as real ones are: {size:,} bytes")

        # Upload it through the form and check the preview before anything is written.
        driver.get(base + "/admin/workbook")
        upload_form = driver.find_element(By.ID, "preview-workbook").find_element(By.XPATH, "./ancestor::form")
        Select(upload_form.find_element(By.NAME, "department")).select_by_value(department)
        driver.find_element(By.ID, "workbook-file").send_keys(upload)
        submit(driver.find_element(By.ID, "preview-workbook"))
        after_post("uploading the edited workbook for a preview", lambda d: d.find_element(By.ID, "workbook-summary"),
                   sent=f"{size:,}-byte .xlsx")
        check("workbook-preview")
        no_script_ran("the workbook preview (the texts before and after)")
        summary = driver.find_element(By.ID, "workbook-summary").text
        counts = re.search(r"変更されるセル\s*(\d+)\s*件、エラー\s*(\d+)\s*件", summary)
        listed = {td.text for td in driver.find_elements(By.CSS_SELECTOR, "table.changes tr td:first-child")}
        expect(counts is not None and counts.groups() == ("2", "0") and listed == changed,
               f"the preview lists exactly the two changed cells {sorted(changed)} and no error: {summary!r}, cells {sorted(listed)}")
        submit(driver.find_element(By.ID, "apply-workbook"))
        after_post("applying the previewed workbook", lambda d: d.find_element(By.ID, "workbook-applied"))
        check("workbook-applied")

        # The sheet now has what the department wrote, and its history says where it came from.
        open_sheet()
        expect(kpi_row().find_element(By.CSS_SELECTOR, "input[name^='actual.']").get_attribute("value") == WORKBOOK_ACTUAL,
               "the workbook's actual is on the sheet")
        expect(kpi_row().find_element(By.CSS_SELECTOR, "output[id^='rate-']").text == WORKBOOK_RATE,
               f"the rate of the workbook's actual: {driver.find_element(By.CSS_SELECTOR, 'output[id^=rate-]').text}")
        expect(same_text(textarea("comment"), WORKBOOK_COMMENT), differs("the workbook's self-evaluation on the sheet", textarea("comment"), WORKBOOK_COMMENT))
        expect(same_text(textarea("improvement"), IMPROVEMENT), differs("the untouched improvement on the sheet", textarea("improvement"), IMPROVEMENT))
        no_script_ran("the sheet after the workbook")
        driver.get(base + pages["history"])
        expect("（Excel）" in driver.find_element(By.TAG_NAME, "main").text, "the history records the change as coming from the workbook")

    try:
        # The planner opens FY2025 (carrying FY2024 forward) and starts the input phase.
        sign_in("sakura-planner")
        check("planner-dashboard")
        driver.get(base + "/admin/cycles")
        year = driver.find_element(By.ID, "fiscalYear")
        expect(year.get_attribute("value") == "2025", f"the next year is offered: {year.get_attribute('value')}")
        # A date field's keyboard entry depends on the browser's locale (typing 2025-06-30
        # into Chromium's yyyy/mm/dd field gave the year 50630): set the value as a date
        # picker does, then check the server stored that day.
        driver.execute_script("arguments[0].value = '2025-06-30'; arguments[0].dispatchEvent(new Event('change'))",
                              driver.find_element(By.ID, "inputDeadline"))
        submit(driver.find_element(By.ID, "open-cycle"))
        after_post("opening FY2025", lambda d: d.find_element(By.ID, "phase-2025").text == "準備")
        expect(driver.find_element(By.ID, "input-2025").get_attribute("value") == "2025-06-30", "the input deadline is stored as typed")
        check("cycles")
        advance("入力")
        sign_out()

        # A KPI added by `hyoka import` after the year was opened (another process writing
        # while the server runs): it has no value for FY2025 until the section types one.
        added = os.path.join(out, "added-kpi")
        os.makedirs(added, exist_ok=True)
        with open(os.path.join(HERE, "fixture-town", "municipalities.csv"), encoding="utf-8") as f:
            municipalities = f.read()
        with open(os.path.join(added, "municipalities.csv"), "w", encoding="utf-8") as f:
            f.write(municipalities)
        with open(os.path.join(HERE, "fixture-town", "indicators.csv"), encoding="utf-8") as f:
            header = f.readline()
        with open(os.path.join(added, "indicators.csv"), "w", encoding="utf-8") as f:
            f.write(header + f"{TOWN},K2,program,{PROGRAM},,,,,,,,,{ADDED_KPI},activity,件,higherIsBetter,stated,,,,,,,\n")
        run(binary, "import", added, "--database", database)

        # The editor enters the actual: the rate appears while typing, from the server. Then
        # the self-evaluation as sections really write it: 3,000 characters, and 300 more on
        # what will be improved.
        sign_in("sakura-editor")
        open_sheet()
        target = kpi_row().find_element(By.CSS_SELECTOR, "input[name^='target.']")
        expect(target.get_attribute("value") == "200", "the FY2024 target is carried forward")
        actual = kpi_row().find_element(By.CSS_SELECTOR, "input[name^='actual.']")
        actual.clear()
        actual.send_keys(ACTUAL)
        wait.until(lambda d: kpi_row(d).find_element(By.CSS_SELECTOR, "output[id^='rate-']").text == "115.5%")
        expect(driver.find_element(By.ID, "suggested-grade").text == "順調", "suggested grade while typing")
        # The KPI the import added after the year was opened: typed like the others (the
        # first save of a KPI without a value for the year once ended the server).
        added_row = driver.find_element(By.XPATH, f"//tr[th[contains(., '{ADDED_KPI}')]]")
        added_row.find_element(By.CSS_SELECTOR, "input[name^='target.']").send_keys("300")
        added_row.find_element(By.CSS_SELECTOR, "input[name^='actual.']").send_keys(ADDED_ACTUAL)
        Select(driver.find_element(By.NAME, "grade")).select_by_value("順調")
        Select(driver.find_element(By.NAME, "direction")).select_by_value("継続")
        driver.find_element(By.ID, "f-comment").send_keys(COMMENT)
        driver.find_element(By.ID, "f-improvement").send_keys(IMPROVEMENT)
        expect(same_text(textarea("comment"), COMMENT), differs("the self-evaluation as typed", textarea("comment"), COMMENT))
        check("sheet-edit")
        sent = body_size(driver.find_element(By.ID, "sheet-form"))
        submit(driver.find_element(By.ID, "save-sheet"))
        after_post(f"saving a {len(COMMENT):,}-character self-evaluation and a {len(IMPROVEMENT)}-character improvement",
                   lambda d: "保存しました" in d.find_element(By.TAG_NAME, "main").text, sent=sent)
        # The page after saving gives back every character, the hostile ones as text.
        expect(same_text(textarea("comment"), COMMENT), differs("the saved self-evaluation", textarea("comment"), COMMENT))
        expect(same_text(textarea("improvement"), IMPROVEMENT), differs("the saved improvement", textarea("improvement"), IMPROVEMENT))
        expect(Select(driver.find_element(By.NAME, "grade")).first_selected_option.get_attribute("value") == "順調", "the saved grade")
        expect(Select(driver.find_element(By.NAME, "direction")).first_selected_option.get_attribute("value") == "継続", "the saved direction")
        no_script_ran("the sheet after saving")
        added_actual = driver.find_element(By.XPATH, f"//tr[th[contains(., '{ADDED_KPI}')]]").find_element(By.CSS_SELECTOR, "input[name^='actual.']")
        expect(added_actual.get_attribute("value") == ADDED_ACTUAL, "the imported KPI's actual is saved")
        check("sheet-saved")
        submit(driver.find_element(By.ID, "submit-sheet"))
        after_post("submitting the sheet", lambda d: d.find_element(By.ID, "sheet-state").text == "提出")
        sign_out()

        # The approver reads the whole text and returns the sheet with a reason as long as
        # real ones are.
        sign_in("sakura-approver")
        open_sheet()
        expect(flat(COMMENT) in flat(driver.find_element(By.TAG_NAME, "main").text), "the approver sees the whole self-evaluation")
        no_script_ran("the approver's sheet")
        check("sheet-review")
        driver.find_element(By.ID, "return-reason").send_keys(RETURN_REASON)
        sent = body_size(driver.find_element(By.ID, "return-reason").find_element(By.XPATH, "./ancestor::form"))
        submit(driver.find_element(By.ID, "return-sheet"))
        after_post(f"returning the sheet with a {len(RETURN_REASON)}-character reason",
                   lambda d: d.find_element(By.ID, "sheet-state").text == "差戻し", sent=sent)
        sign_out()

        # The editor sees why, all of it.
        sign_in("sakura-editor")
        open_sheet()
        shown = driver.find_element(By.ID, "return-reason-shown").get_attribute("textContent").strip()
        expect(shown == RETURN_REASON, differs("the return reason shown to the editor", shown, RETURN_REASON))
        check("sheet-returned")
        sign_out()

        # While the sheet is returned, the department answers through the Excel exchange
        # (only the planner runs it); then the pages as a phone shows them, mid-cycle.
        sign_in("sakura-planner")
        workbook_round_trip()
        sign_out()
        phone_check(base, out, "open", pages, failures)

        # The editor sees the department's figures and text, and resubmits.
        sign_in("sakura-editor")
        open_sheet()
        expect(kpi_row().find_element(By.CSS_SELECTOR, "input[name^='actual.']").get_attribute("value") == WORKBOOK_ACTUAL,
               "the editor sees the workbook's actual")
        expect(same_text(textarea("comment"), WORKBOOK_COMMENT), differs("the workbook's text seen by the editor", textarea("comment"), WORKBOOK_COMMENT))
        submit(driver.find_element(By.ID, "submit-sheet"))
        after_post("resubmitting the sheet", lambda d: d.find_element(By.ID, "sheet-state").text == "提出")
        sign_out()

        # The approver approves.
        sign_in("sakura-approver")
        open_sheet()
        submit(driver.find_element(By.ID, "approve-sheet"))
        after_post("approving the sheet", lambda d: d.find_element(By.ID, "sheet-state").text == "承認")
        submit(driver.find_element(By.LINK_TEXT, "変更履歴を見る"))
        no_script_ran("the history (the texts before and after)")
        check("history")
        sign_out()

        # The planner finalizes; nothing of FY2025 is public yet.
        sign_in("sakura-planner")
        advance("審査")
        advance("確定")
        before = public_text()
        expect(WORKBOOK_ACTUAL not in before and WORKBOOK_RATE not in before, "FY2025 is not public before publishing")
        driver.get(base + "/admin")
        advance("公表")
        sign_out()

        # Published: the public page shows the new actual, its rate and the whole text.
        after = public_text()
        check("public-sheet")
        expect(WORKBOOK_ACTUAL in after and WORKBOOK_RATE in after, "the published sheet shows the new actual and rate")
        expect(flat(WORKBOOK_COMMENT) in flat(after), "the published sheet shows the whole self-evaluation, as text")
        no_script_ran("the public sheet")
    except Exception as error:  # a refused form, a missing element or a timeout: say where
        driver.save_screenshot(os.path.join(out, "workflow-failure.png"))
        if isinstance(error, Refused):
            failures.append(str(error))
        else:
            failures.append(f"{type(error).__name__}: {error} at {driver.current_url}")
        print("FAIL:", failures[-1])
    finally:
        driver.quit()
        shutil.rmtree(scratch, ignore_errors=True)

    # At phone width, whatever the walk reached (the cycle published, when it went through).
    try:
        phone_check(base, out, "end", pages, failures)
    except Exception as error:
        failures.append(f"phone width: {type(error).__name__}: {error}")

    with open(os.path.join(out, "workflow.json"), "w") as f:
        json.dump({"failures": failures, "screenshots": shots[0]}, f, ensure_ascii=False, indent=2)
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"workflow: planner → editor (3,000 characters) → approver (return, 300 characters) → planner (workbook over 5 MB) "
          f"→ editor → approver → planner → public, {shots[0]} pages checked with axe, each staff page at 390 px: ok")


def phone_check(base, out, moment, pages, failures):
    """Each staff page in a 390 px wide phone browser, signed in as the planner (who sees
    them all): the page must not scroll sideways. Screenshots `workflow-phone-MOMENT-NAME.png`."""
    phone = chrome(phone=True)
    try:
        wait = WebDriverWait(phone, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException))
        phone.get(base + "/login")
        phone.find_element(By.ID, "login").send_keys("sakura-planner")
        phone.find_element(By.ID, "password").send_keys(PASSWORD)
        phone.find_element(By.CSS_SELECTOR, "form.staff button[type=submit]").click()
        wait.until(lambda d: d.current_url.rstrip("/").endswith("/admin"))
        for name, path in [("dashboard", "/admin"), ("sheets", "/admin/sheets"), ("sheet", pages.get("sheet")),
                           ("history", pages.get("history")), ("cycles", "/admin/cycles"), ("workbook", "/admin/workbook")]:
            if path is None:
                continue  # the walk stopped before it reached this page
            phone.get(base + path)
            wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
            phone.save_screenshot(os.path.join(out, f"workflow-phone-{moment}-{name}.png"))
            found = phone.execute_script(OVERFLOW_SCRIPT)
            where = f"phone width ({moment}): {path}"
            if found["width"] > 400:
                failures.append(f"{where}: the page is laid out {found['width']} px wide on a 390 px phone (no viewport meta?)")
            elif found["scrollWidth"] > found["width"] + 1:
                failures.append(f"{where}: the page scrolls sideways ({found['scrollWidth']} px on a {found['width']} px screen); "
                                f"sticking out: {'; '.join(found['culprits']) or 'nothing found (a pseudo-element or a margin?)'}")
    finally:
        phone.quit()


if __name__ == "__main__":
    main()
