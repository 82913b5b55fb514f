"""Browser test of the public portal: Chromium through selenium, axe for accessibility.

Every page type is also loaded as a 390 px phone and at 1366 px (Japanese and English):
the page must not scroll sideways (a wide table scrolls in its own box), a label must not
wrap one character per line, the menu folds behind 「メニュー」 on the phone, and axe finds
no serious or critical violation at either width. Screenshots `layout-WIDTH-NAME.png`.

Runs against a running Hyoka server that holds the demo city and the imported seeds
(`hyoka demo` does both). Loads every page type in Japanese and English, saves a
screenshot of each into the output folder, fails on any serious or critical axe
violation, checks the 防犯 search and its facet counts in the browser, and prints one
seed sheet to PDF and checks it with pdfinfo and pdftotext.

    python3 Tests/browser/portal.py http://127.0.0.1:8080 test-output/browser
"""
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from workflow import OVERFLOW_SCRIPT

SEED_CITY = "401005"  # 北九州市, as the seeds are imported
DEMO_CITY = "139998"  # はなみ市（架空のデモ都市）
SERIOUS = {"serious", "critical"}


class Failures(list):
    def check(self, condition, message):
        if not condition:
            self.append(message)
            print(f"  FAIL {message}")
        return condition


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ja"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


# Labels laid out one character per line: an element whose text has three or more
# characters, narrower than two of them, and more than two lines tall (令/和/2/年/度).
PER_CHARACTER_SCRIPT = """
var found = [];
document.querySelectorAll('main th, main td, caption, dt, nav a, summary, .card .label, .card .value, button, label, h1, h2, h3, [role=status], .lang, .brand').forEach(function (el) {
  var text = (el.innerText || '').trim();
  if (text.length < 3) return;
  var s = getComputedStyle(el);
  if (s.display === 'none' || el.getClientRects().length === 0) return;
  var size = parseFloat(s.fontSize);
  var width = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  var line = parseFloat(s.lineHeight) || size * 1.6;
  var height = el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
  if (width > 0 && width < size * 2.1 && height > line * 2.5) {
    found.push(el.tagName.toLowerCase() + ' "' + text.replace(/\\s+/g, ' ').slice(0, 30) + '" (' + Math.round(width) + ' px wide, ' + Math.round(height / line) + ' lines)');
  }
});
return found.slice(0, 8);
"""


# How many of the menu's links are shown (selenium's is_displayed counts anything inside a
# closed <details> as hidden, even where the stylesheet shows it open; checkVisibility
# follows the stylesheet, and sizes would not: they force the hidden subtree's layout).
SHOWN_LINKS = """
return Array.prototype.filter.call(document.querySelectorAll('details.menu nav a'), function (a) { return a.checkVisibility(); }).length;
"""


def sized_browser(width):
    """Headless Chromium as a phone (390 px, mobile emulation) or at a desktop width."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=ja"]:
        options.add_argument(argument)
    if width < 800:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 2}})
    else:
        options.add_argument(f"--window-size={width},1000")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def layout_check(driver, width, name, url, out, failures):
    """One page at one width: no sideways scrolling, no label one character per line, axe."""
    driver.get(url)
    where = f"{width} px {name}"
    found = driver.execute_script(OVERFLOW_SCRIPT)
    if width < 800 and found["width"] > width + 10:
        failures.check(False, f"{where}: laid out {found['width']} px wide (no viewport meta?)")
    failures.check(found["scrollWidth"] <= found["width"] + 1,
                   f"{where}: the page scrolls sideways ({found['scrollWidth']} px on {found['width']} px); sticking out: "
                   f"{'; '.join(found['culprits']) or 'nothing found'}")
    broken = driver.execute_script(PER_CHARACTER_SCRIPT)
    failures.check(not broken, f"{where}: one character per line: {'; '.join(broken)}")
    if width < 800:
        # The menu is folded: its links take no room until 「メニュー」 is opened.
        failures.check(driver.execute_script(SHOWN_LINKS) == 0, f"{where}: the menu is not folded")
        header = driver.execute_script("return document.querySelector('header.site').getBoundingClientRect().height")
        failures.check(header <= 120, f"{where}: the header is {header:.0f} px tall")
    else:
        failures.check(driver.execute_script(SHOWN_LINKS) == 7, f"{where}: the menu is not shown open")
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 12000)")
    if width >= 800:
        driver.set_window_size(width, max(height, 800))
    driver.save_screenshot(str(out / f"layout-{width}-{name}.png"))
    if width >= 800:
        driver.set_window_size(width, 1000)
    axe = Axe(driver)
    axe.inject()
    for violation in axe.run()["violations"]:
        if violation["impact"] in SERIOUS:
            failures.check(False, f"{where}: axe {violation['impact']} {violation['id']}: {violation['help']} — "
                                  + "; ".join(n["target"][0] for n in violation["nodes"][:3]))
    return found


def first_sheet_link(driver, base, query):
    driver.get(f"{base}/programs?{query}")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main table a[href*='/programs/']")]
    return links[0] if links else None


def first_measure_link(driver, base, query):
    """The measure on the 施策体系 page with the most measures or programs under it."""
    driver.get(f"{base}/plans?{query}")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main ul.tree a[href*='/plans/']")]
    return links[0] if links else None


def visit(driver, name, url, out, failures, expect_text=None, expect_status_page=False):
    driver.get(url)
    title = driver.title
    print(f"{name}: {url} — {title}")
    failures.check(title and "|" in title, f"{name}: no real <title> ({title!r})")
    failures.check(driver.find_elements(By.TAG_NAME, "h1"), f"{name}: no <h1>")
    body = driver.find_element(By.TAG_NAME, "body").text
    if expect_text:
        for text in expect_text:
            failures.check(text in body, f"{name}: page lacks {text!r}")
    if not expect_status_page:
        failures.check("ページが見つかりません" not in body and "Page not found" not in body, f"{name}: shows the not-found page")
    # Full-height screenshot: the window grows to the page's height first.
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 12000)")
    driver.set_window_size(1280, max(height, 800))
    driver.save_screenshot(str(out / f"{name}.png"))
    driver.set_window_size(1280, 1000)
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    (out / f"{name}.axe.json").write_text(json.dumps(results["violations"], ensure_ascii=False, indent=1))
    for violation in results["violations"]:
        nodes = len(violation["nodes"])
        line = f"{name}: axe {violation['impact']} {violation['id']} on {nodes} element(s): {violation['help']}"
        if violation["impact"] in SERIOUS:
            failures.check(False, line + " — " + "; ".join(n["target"][0] for n in violation["nodes"][:3]))
        else:
            print(f"  note {line}")


def facet_counts_add_up(driver, failures, name):
    status = driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    total = int(re.search(r"(\d+)", status).group(1))
    for heading in driver.find_elements(By.CSS_SELECTOR, "aside.facets h2"):
        label = heading.get_attribute("textContent").strip()
        if label in ("SDGs", "施策", "Policy measure"):
            continue  # a program may serve several goals and 施策: these need not add up
        items = heading.find_elements(By.XPATH, "following-sibling::ul[1]/li")
        # textContent: selenium counts what is inside a closed <details> as hidden, though a
        # wide screen shows the filters open (the stylesheet's ::details-content rule).
        counts = [int(re.search(r"\((\d+)\)\s*$", item.get_attribute("textContent")).group(1)) for item in items]
        failures.check(sum(counts) == total, f"{name}: facet {label} counts {counts} add up to {sum(counts)}, not {total}")
    return total


def check_pdf(base, sheet_url, out, failures, expected):
    parsed = urllib.parse.urlparse(sheet_url)
    pdf_url = f"{base}{parsed.path}.pdf?{parsed.query}"
    with urllib.request.urlopen(pdf_url, timeout=120) as response:
        failures.check(response.headers.get_content_type() == "application/pdf", f"PDF: content type {response.headers.get_content_type()}")
        data = response.read()
    path = out / "sheet.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    print(f"PDF: {pdf_url} — {pages} page(s), {width:.0f} x {height:.0f} pt")
    failures.check(pages == 1, f"PDF: {pages} pages, not one")
    # A3 is 297 x 420 mm = 841.9 x 1190.6 pt; landscape puts the long side across.
    failures.check(abs(width - 1190.6) < 2 and abs(height - 841.9) < 2, f"PDF: page {width} x {height} pt is not A3 landscape")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    (out / "sheet.txt").write_text(text)
    flat = re.sub(r"\s+", "", text)
    for field in expected:
        failures.check(re.sub(r"\s+", "", field) in flat, f"PDF: text lacks {field!r}")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(out / "sheet-pdf")], check=True)
    # The sheet fills its page: its text reaches well down the A3 sheet, not a band at the top.
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', bbox)]
    lowest = max(bottoms) if bottoms else 0
    print(f"PDF: text reaches {lowest / height:.0%} of the page height")
    failures.check(lowest / height > 0.6, f"PDF: the text ends {lowest / height:.0%} down the page; the sheet does not fill its A3 page")


def main():
    base = sys.argv[1].rstrip("/")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "test-output/browser")
    out.mkdir(parents=True, exist_ok=True)
    failures = Failures()
    driver = browser()
    try:
        for city, year, label in [(DEMO_CITY, None, "demo"), (SEED_CITY, "2024", "seeds-2024"), (SEED_CITY, "2021", "seeds-2021")]:
            query = f"m={city}" + (f"&year={year}" if year else "")
            for lang, suffix in [("ja", ""), ("en", "&lang=en")]:
                tag = f"{label}-{lang}"
                visit(driver, f"{tag}-overview", f"{base}/?{query}{suffix}", out, failures)
                visit(driver, f"{tag}-programs", f"{base}/programs?{query}{suffix}", out, failures)
                visit(driver, f"{tag}-plans", f"{base}/plans?{query}{suffix}", out, failures)
                visit(driver, f"{tag}-collaboration", f"{base}/collaboration?{query}{suffix}", out, failures)
                visit(driver, f"{tag}-manifestos", f"{base}/manifestos?{query}{suffix}", out, failures)
                visit(driver, f"{tag}-reviews", f"{base}/reviews?{query}{suffix}", out, failures)
                sheet = first_sheet_link(driver, base, query + suffix)
                if failures.check(sheet, f"{tag}: no sheet linked from /programs"):
                    visit(driver, f"{tag}-sheet", sheet, out, failures)
                measure = first_measure_link(driver, base, query + suffix)
                if measure:
                    visit(driver, f"{tag}-measure", measure, out, failures)
        visit(driver, "not-found", f"{base}/programs/00000000-0000-0000-0000-000000000000", out, failures,
              expect_text=["ページが見つかりません"], expect_status_page=True)

        # 防犯 finds both seed programs; the facet counts add up to the result.
        visit(driver, "search-bouhan", f"{base}/programs?m={SEED_CITY}&year=2024&q=" + urllib.parse.quote("防犯"), out, failures,
              expect_text=["防犯カメラ運用事業", "防犯灯設置事業"])
        total = facet_counts_add_up(driver, failures, "search-bouhan")
        failures.check(total >= 2, f"search 防犯: {total} results")
        # Typed into the form as a person would, on the demo city.
        driver.get(f"{base}/programs?m={DEMO_CITY}")
        box = driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys("子育て")
        page = driver.find_element(By.TAG_NAME, "html")
        box.submit()
        # Read the results only once the form's page has replaced this one.
        WebDriverWait(driver, 20).until(expected_conditions.staleness_of(page))
        total = facet_counts_add_up(driver, failures, "search-kosodate")
        failures.check(total > 0 and "子育て" in driver.current_url or "%E5%AD%90" in driver.current_url, "search 子育て from the form")
        print(f"search 子育て on the demo city: {total} programs")

        # Every page type as a 390 px phone and at 1366 px, in Japanese and English.
        pages = []
        for city, year, label in [(DEMO_CITY, None, "demo"), (SEED_CITY, "2024", "seeds-2024"), (SEED_CITY, "2021", "seeds-2021")]:
            query = f"m={city}" + (f"&year={year}" if year else "")
            for lang, suffix in [("ja", ""), ("en", "&lang=en")]:
                tag = f"{label}-{lang}"
                for page in ["", "programs", "plans", "collaboration", "manifestos", "reviews", "open-data", "guide"]:
                    pages.append((f"{tag}-{page or 'overview'}", f"{base}/{page}?{query}{suffix}"))
                sheet = first_sheet_link(driver, base, query + suffix)
                if sheet:
                    pages.append((f"{tag}-sheet", sheet))
                measure = first_measure_link(driver, base, query + suffix)
                if measure:
                    pages.append((f"{tag}-measure", measure))
                pages.append((f"{tag}-search", f"{base}/programs?{query}{suffix}&q=" + urllib.parse.quote("事業")))
        for width in (390, 1366):
            sized = sized_browser(width)
            try:
                for name, url in pages:
                    layout_check(sized, width, name, url, out, failures)
                # On the phone the first result is near the top: the filters are folded.
                if width < 800:
                    sized.get(f"{base}/programs?m={DEMO_CITY}")
                    top = sized.execute_script("var a = document.querySelector('#results table a'); return a ? a.getBoundingClientRect().top + window.scrollY : -1")
                    failures.check(0 < top < 900, f"390 px programs: the first result starts {top:.0f} px down")
            finally:
                sized.quit()
        print(f"layout: {len(pages)} pages at 390 px and 1366 px")

        # A seed sheet printed: one A3-landscape page with all of its sheet's fields.
        driver.get(f"{base}/programs?m={SEED_CITY}&year=2021&q=" + urllib.parse.quote("魅力発信"))
        link = driver.find_element(By.LINK_TEXT, "北九州市魅力発信事業").get_attribute("href")
        check_pdf(base, link, out, failures, [
            "北九州市魅力発信事業", "企画課", "事業概要", "IV-4-(1)-① 北九州の魅力づくり", "ゴール8",
            "本市への愛着があると答えた（肯定的な回答をした）市民の割合", "79.3% (H25年度)", "90.0% (R6年度)", "83.1%", "92.3%",
            "市外からの来訪者に対し", "令和4年度", "4,221", "令和5年度", "3,799", "8,700", "12,499", "減額",
            "令和3年度 自己評価", "順調", "継続", "改善内容", "データの点検結果",
            # The city, and where the figures come from, on the printed page too.
            "北九州市 令和3年度", "元資料「policy-pdca-sheet.txt」から取り込み",
        ])
    finally:
        driver.quit()
    print(f"screenshots and axe results in {out}")
    if failures:
        print(f"{len(failures)} failure(s):")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)
    print("browser test passed")


if __name__ == "__main__":
    main()
