#!/usr/bin/env python3
"""Hostile-string sweep: every free text of a whole city, rewritten with markup, script,
URL and spreadsheet-formula payloads, must come out of every page, feed and download as
inert text.

Usage: python3 Tests/browser/hostile.py HYOKA_BINARY OUTPUT_DIR

1. Builds the demo data (`hyoka demo --no-serve`: the fictional はなみ市 and, when
   ../shared/seeds exists, the seed documents as 北九州市), exports it as the CSV workbook,
   rewrites every free-text cell (names, summaries, comments, KPI value texts, units,
   department, plan, region, project and municipality names, partners, notes …; never
   codes, years, keys, enums or amounts) by putting payloads before and after it — the
   same original string always becomes the same hostile string, so the names that tables
   use to refer to each other still match — and imports that into a fresh SQLite database
   (published cycles stay published, the FY2025 cycle stays open for the staff pages).
2. Serves it and fetches every public page type (overview, search with hostile queries and
   every facet link, program sheets, 施策 tree, collaboration, manifestos, reviews, open
   data, the Atom feed, sign-in with hostile `next`, error pages with hostile paths),
   Japanese and English, and a sheet's PDF (when Chromium prints it) through pdftotext.
3. Signs in as a planner, an approver and an editor (accounts whose department names are
   hostile too) and crawls every staff page under /admin (board, cycles, publication
   check, sheet list with hostile searches, each sheet form, history, record forms,
   workbook page), and posts one sheet form and each kind of record form back twice: with
   hostile values typed into every text field (amounts too: the refusal must give them
   back as text), then with only the texts hostile (saved: the saved page and the sheet's
   history must show them as text).
4. Checks each HTML answer with html.parser: no <script> other than /assets/…, no on*
   attribute, no iframe/object/embed/frame/base, no image that is not the app's, no
   javascript:/vbscript:/data:text/html address, no <meta http-equiv=refresh>, no
   attribute a payload could have added to <meta>; <title>, og:title, twitter:title and
   description hold whole payloads (never a piece of one, i.e. no breakout); no text
   decoded twice (`&lt;b&gt;` must stay `&lt;b&gt;`); no unescaped payload in the bytes;
   Content-Security-Policy (without unsafe-inline/unsafe-eval for scripts),
   X-Content-Type-Options: nosniff and X-Frame-Options on every HTML answer; no 5xx ever;
   every link found answers (no 4xx from a hostile name in a URL), and a filter link built
   from a hostile name finds what the name finds (a '+' left unencoded in a query is read
   back as a space). The payloads must be seen, escaped, on the pages that show data (else
   the sweep proved nothing). The import must keep every row and give every hostile text
   back unchanged on export. The JSON API answers JSON with nosniff, and its Link rel=next
   keeps a hostile query.
5. CSV downloads (/programs.csv for each municipality, every open-data bundle's
   utf8/*.csv and cp932/*.csv): no cell starts with = + - @ TAB or CR unless it is a plain
   number. XLSX downloads (/programs.xlsx, the staff workbook): no formula cell.
   The Atom feed must be well-formed XML, and its HTML-typed texts pass the HTML checks.
6. Prints a summary; failed pages are saved in OUTPUT_DIR/failed-pages with an index.

Only the standard library (and pdftotext from poppler-utils, when present) is used.
"""
import atexit
import csv
import html
import html.parser
import http.cookiejar
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "seeds"))
PASSWORD = "hostile-sweep-password-1"
DEMO = "139998"
DEADLINE = time.monotonic() + 170  # keep the whole run near three minutes

# The payloads. Each free text gets one before and one after it (chosen from the text's
# own hash, so the same text is always rewritten the same way).
EXECUTED_MARKER = "HYOKA-XSS-RAN"  # only ever appears if the script below runs
PAYLOADS = [
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<iframe src="file:///etc/passwd"></iframe>',
    "&lt;b&gt;",
    '=HYPERLINK("http://evil.example","x")',
    "</textarea></title></style><svg onload=alert(1)>",
    "<script>document.write('HYOKA'+'-XSS-RAN')</script>",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
FORMULAS = [p for p in PAYLOADS if p[0] in "=+-@"]
# Markers that only an unescaped payload puts into the bytes of an HTML page.
RAW_MARKERS = ["<script>alert", "<img src=x", '<iframe src="file:', "<svg onload", "</textarea></title>",
               "<script>document.write"]
# Pieces of payloads: in <title> and the meta tags, each must be part of a whole payload.
PIECES = ["alert(1)", "onerror", "<script", "<iframe", "<svg", "HYPERLINK", "cmd|"]

# Which columns of each workbook table are free text, and how to rewrite them:
# name   — a name other tables refer to (rewritten the same everywhere; empty stays empty)
# names  — a list of names, one per line
# text   — free text (an empty cell gets a payload of its own)
# lines  — free text, one item per line (each line rewritten)
# value  — a value text that is also parsed (`1,130人`): a payload after it, or a formula before it
COLUMNS = {
    "municipalities": {"name": "name", "name_en": "name", "prefecture": "name", "evaluation_viewpoints": "names"},
    "departments": {"name": "name", "parent": "name"},
    "plans": {"name": "name"},
    "plan_nodes": {"plan": "name", "title": "text", "level": "name"},
    "programs": {"name": "name", "department": "name", "summary": "text", "legal_basis": "text", "category": "name",
                 "period_kind": "name", "budget_accounts": "names", "purpose_target": "text", "purpose_intent": "text",
                 "purpose_result": "text", "means_previous_year": "text", "means_this_year": "text"},
    "plan_links": {"plan": "name", "program": "name", "summary": "text"},
    "indicators": {"program": "name", "plan": "name", "region": "name", "agreement_category": "name", "project": "name",
                   "department": "name", "name": "name", "unit": "name", "baseline_raw": "value", "final_target_raw": "value"},
    "indicator_values": {"indicator_name": "name", "target_raw": "value", "actual_raw": "value", "published_rate_raw": "value"},
    "budgets": {"program": "name"},
    "evaluations": {"program": "name", "plan": "name", "comment": "text", "improvement": "text", "author": "name",
                    "expected_outcome": "name", "expected_cost": "name"},
    "evaluation_viewpoints": {"program": "name", "viewpoint": "name", "judgement": "text", "reason": "text"},
    "cycles": {},
    "sheets": {"program": "name", "return_reason": "text"},
    "regions": {"name": "name", "central_city": "name", "members": "names"},
    "collaboration_projects": {"region": "name", "policy_field": "name", "agreement_category": "name", "name": "name",
                               "content": "text", "effects": "lines", "partners_text": "text", "partners": "names",
                               "cost_sharing": "lines"},
    "collaboration_costs": {"region": "name", "agreement_category": "name", "project": "name", "amount_raw": "value", "note": "text"},
    "collaboration_roles": {"region": "name", "agreement_category": "name", "project": "name", "party": "name", "role": "lines"},
    "manifestos": {"department": "name", "head_title": "text", "head_name": "text", "contact": "text", "mission": "text"},
    "manifesto_goals": {"department": "name", "heading": "text", "title": "text", "related_policy": "text", "background": "text",
                        "current_analysis": "text", "issues": "text", "target_figures": "text", "achieved_state": "text",
                        "means_and_process": "text", "self_reason": "text"},
    "inventory_reviews": {"program": "name", "note": "text"},
    "headline_figures": {"name": "name", "value_raw": "value", "note": "text"},
}
SKIPPED_TABLES = {"lint_findings"}  # computed on export, skipped on import


def h32(text):
    return zlib.crc32(text.encode("utf-8"))


def hostile(text, kind, salt=""):
    """The hostile version of a cell. Deterministic: the same text always gives the same result."""
    if kind in ("names", "lines"):
        return "\n".join(hostile(line, "name" if kind == "names" else "text") if line.strip() else line for line in text.split("\n"))
    if text == "":
        if kind != "text":
            return ""  # an empty reference stays empty
        return PAYLOADS[h32(salt) % len(PAYLOADS)]
    h = h32(text)
    if kind == "value":
        if h % 4 == 0:
            return FORMULAS[h // 4 % len(FORMULAS)] + text
        return text + " " + PAYLOADS[h // 4 % len(PAYLOADS)]
    return PAYLOADS[h % len(PAYLOADS)] + text + PAYLOADS[h // len(PAYLOADS) % len(PAYLOADS)]


# ---------------------------------------------------------------------------------------
# Running things

PROCESSES = []


def stop_processes():
    for process in PROCESSES:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


atexit.register(stop_processes)
for _signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_signal, lambda number, frame: sys.exit(128 + number))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(binary, *args, stdin=None, timeout=300):
    result = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"hostile: `hyoka {' '.join(args)}` failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr


# ---------------------------------------------------------------------------------------
# 1. The hostile database

def build_database(binary, out):
    work = os.path.join(out, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    demo = os.path.join(work, "demo.sqlite")
    args = ["demo", "--database", demo, "--no-serve"]
    if os.path.isdir(SEEDS):
        args += ["--seeds", SEEDS]
    run(binary, *args)
    original = os.path.join(work, "workbook-original")
    run(binary, "export", "--database", demo, "--out", original)
    rewritten = os.path.join(work, "workbook-hostile")
    os.makedirs(rewritten)
    cells = 0
    for file in sorted(os.listdir(original)):
        table = file[:-4]
        if not file.endswith(".csv") or table in SKIPPED_TABLES:
            continue
        if table not in COLUMNS:
            sys.exit(f"hostile: the export has a table this sweep does not know: {table} (add its free-text columns to COLUMNS)")
        with open(os.path.join(original, file), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        missing = set(COLUMNS[table]) - set(header)
        if missing:
            sys.exit(f"hostile: {file} has no column {sorted(missing)} (the workbook changed: update COLUMNS)")
        for r, row in enumerate(rows[1:], start=1):
            for c, name in enumerate(header):
                kind = COLUMNS[table].get(name)
                if kind:
                    new = hostile(row[c], kind, salt=f"{table}.{name}.{r}")
                    cells += new != row[c]
                    row[c] = new
        with open(os.path.join(rewritten, file), "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    database = os.path.join(work, "hostile.sqlite")
    report = run(binary, "import", rewritten, "--database", database)
    with open(os.path.join(out, "import.log"), "w") as f:
        f.write(report)
    problems = []
    # Every row was imported (no two hostile names fell together) ...
    imported = {m.group(1): sum(map(int, m.group(2, 3, 4))) for m in
                re.finditer(r"^\s+(\w+)\s+新規 created (\d+)\s+更新 updated (\d+)\s+変更なし unchanged (\d+)", report, re.M)}
    for file in sorted(os.listdir(rewritten)):
        with open(os.path.join(rewritten, file), encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        if imported.get(file[:-4]) != rows:
            problems.append(f"hyoka import: {file} has {rows} rows but the import reports {imported.get(file[:-4])}")
    warnings = re.search(r"警告 (\d+) 件", report)
    print(f"hostile: import: {len(imported)} tables, {warnings.group(1) if warnings else '?'} warnings (see import.log)", flush=True)
    # ... and every hostile text comes back out of the database exactly as it went in.
    again = os.path.join(work, "workbook-reexport")
    run(binary, "export", "--database", database, "--out", again)
    for file in sorted(os.listdir(rewritten)):
        table = file[:-4]
        columns = sorted(COLUMNS.get(table, {}))
        if not columns:
            continue
        def texts_of(folder):
            with open(os.path.join(folder, file), encoding="utf-8", newline="") as f:
                return sorted(tuple(row[c] for c in columns) for row in csv.DictReader(f))
        sent, back = texts_of(rewritten), texts_of(again)
        if sent != back:
            lost = sorted(set(sent) - set(back))[:2]
            came = sorted(set(back) - set(sent))[:2]
            problems.append(f"export after import: {table} texts changed in the database: sent {lost!r}, got back {came!r}")
    # The names the pages will be checked against.
    names = {}
    with open(os.path.join(rewritten, "programs.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names.setdefault("programs", []).append(row)
    with open(os.path.join(rewritten, "sheets.csv"), encoding="utf-8", newline="") as f:
        names["sheets"] = list(csv.DictReader(f))
    with open(os.path.join(rewritten, "departments.csv"), encoding="utf-8", newline="") as f:
        names["departments"] = list(csv.DictReader(f))
    with open(os.path.join(rewritten, "municipalities.csv"), encoding="utf-8", newline="") as f:
        names["municipalities"] = list(csv.DictReader(f))
    with open(os.path.join(rewritten, "cycles.csv"), encoding="utf-8", newline="") as f:
        names["cycles"] = list(csv.DictReader(f))
    return database, cells, names, problems


# ---------------------------------------------------------------------------------------
# HTTP

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None


def iri_to_uri(url):
    """Percent-encode what a browser would (non-ASCII, spaces, quotes, angle brackets)."""
    return "".join(c if 0x21 <= ord(c) <= 0x7E and c not in '"<>`{}|\\^' else urllib.parse.quote(c, safe="") for c in url)


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, data=None, timeout=30, headers=None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if isinstance(data, (dict, list)) else data
        request = urllib.request.Request(iri_to_uri(url), data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read(), url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read(), url)
        except (urllib.error.URLError, OSError) as error:
            return Response(0, None, f"{type(error).__name__}: {error}".encode(), url)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, data, **kw):
        return self.request("POST", path, data=data, **kw)

    def follow(self, response, limit=5):
        while limit and response.status in (301, 302, 303, 307, 308):
            location = response.header("Location") or ""
            response = self.get(urllib.parse.urljoin(response.url, location))
            limit -= 1
        return response


# ---------------------------------------------------------------------------------------
# 4. The HTML checks

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite", "codebase",
                  "longdesc", "manifest", "ping", "srcset", "icon"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "param"}
META_ATTRIBUTES = {"charset", "name", "property", "content", "http-equiv", "itemprop", "lang"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html|data:application|data:image/svg)", re.I)


class Audit(html.parser.HTMLParser):
    """One HTML document: the problems found, the texts and attribute values (decoded), the
    title and meta tags, links and forms."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.lines = source.split("\n")
        self.problems = []
        self.texts = []          # decoded text nodes (not inside script/style)
        self.values = []         # decoded attribute values
        self.links = []
        self.title = None
        self.metas = []          # dicts of the meta tags' attributes
        self.forms = []
        self.stack = []
        self._in_title = False
        self._raw = None         # inside script/style
        self._textarea = None
        self._select = None
        self._svg = 0
        self.tags, self.classes = {}, {}

    def snippet(self, length=160):
        line, col = self.getpos()
        text = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        start = max(0, col - 40)
        return f"line {line}: …{text[start:start + length]}…"

    def problem(self, message):
        self.problems.append(f"{message} — {self.snippet()}")

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name == "class":
                for c in (value or "").split():
                    self.classes[c] = self.classes.get(c, 0) + 1
        if tag == "svg":
            self._svg += 1
        self.start(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs)

    def start(self, tag, attrs):
        names = [n for n, _ in attrs]
        a = {n: (v or "") for n, v in attrs}
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on"):
                self.problem(f"<{tag}> has an event-handler attribute {name}={value!r}")
            if name in URL_ATTRIBUTES:
                stripped = re.sub(r"[\x00-\x20]", "", value)
                if DANGEROUS_SCHEME.match(stripped):
                    self.problem(f"<{tag} {name}> is a script address: {value!r}")
            if name == "srcdoc":
                self.problem(f"<{tag}> has srcdoc")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", value, re.I):
                self.problem(f"<{tag}> has a style attribute with {value!r}")
        if len(set(names)) != len(names):
            self.problem(f"<{tag}> has an attribute twice: {names}")
        if tag == "script":
            src = a.get("src", "")
            if not src.startswith("/assets/"):
                self.problem(f"<script> element" + (f" with src={src!r}" if src else " (inline)"))
            self._raw = "script"
        elif tag == "style":
            self.problem("<style> element (inline styles are not the app's)")
            self._raw = "style"
        elif tag in FORBIDDEN_ELEMENTS:
            self.problem(f"<{tag}> element")
        elif tag == "img":
            src = a.get("src", "")
            if not (src.startswith("/assets/") or src.startswith("data:image/png") or src.startswith("data:image/jpeg")):
                self.problem(f"<img> that is not the app's: src={src!r}")
        elif tag == "meta":
            extra = set(names) - META_ATTRIBUTES
            if extra:
                self.problem(f"<meta> with attributes a payload may have added: {sorted(extra)}")
            if a.get("http-equiv", "").lower() == "refresh":
                self.problem("<meta http-equiv=refresh>")
            self.metas.append((a, self.snippet()))
        elif tag == "title" and self._svg == 0 and self.title is None:  # the document's, not a chart's
            self._in_title = True
            self.title = ""
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "link" and "href" in a:
            if a.get("rel", "") == "stylesheet" and not a["href"].startswith("/assets/"):
                self.problem(f"a stylesheet that is not the app's: {a['href']!r}")
        elif tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": [], "attrs": a})
        if tag in ("input", "textarea", "select", "button") and self.forms:
            field = {"tag": tag, "name": a.get("name"), "type": a.get("type", "text" if tag == "input" else tag).lower(),
                     "value": a.get("value", ""), "checked": "checked" in a, "options": [], "id": a.get("id")}
            self.forms[-1]["fields"].append(field)
            if tag == "textarea":
                self._textarea = field
            elif tag == "select":
                self._select = field
        if tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value"), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = max(0, self._svg - 1)
        if tag == "title":
            self._in_title = False
        if tag in ("script", "style"):
            self._raw = None
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._raw:
            if self._raw == "script" and data.strip():
                self.problem(f"script content {data.strip()[:80]!r}")
            return
        self.texts.append(data)
        if self._in_title:
            self.title += data
        if self._textarea is not None:
            self._textarea["value"] += data


def payload_count(strings):
    return sum(s.count(p) for s in strings for p in PAYLOADS)


def broken_pieces(value):
    """Pieces of payloads in `value` that are not inside a whole payload (a cut, or a breakout
    that moved the rest elsewhere). A value cut short at its end (…) may end in a piece."""
    rest = value
    for p in sorted(PAYLOADS, key=len, reverse=True):
        rest = rest.replace(p, "\x00")
    tail = len(rest) - 60 if rest.rstrip().endswith(("…", "...")) else len(rest)
    return [piece for piece in PIECES if 0 <= rest.find(piece) < tail]


class Sweep:
    def __init__(self, base, out):
        self.base = base
        self.out = out
        self.failures = []
        self.pages = 0
        self.kinds = {}          # page kind -> [pages, payloads]
        self.payloads = 0
        self.saved = 0
        self.seen = set()
        os.makedirs(os.path.join(out, "failed-pages"), exist_ok=True)

    def fail(self, where, message, body=None):
        line = f"{where}: {message}"
        if len(line) > 1200:
            line = line[:1200] + "…"
        self.failures.append(line)
        print("FAIL:", line, flush=True)
        if body is not None:
            key = where.split(" ")[0]
            if key not in self.seen:
                self.seen.add(key)
                self.saved += 1
                name = f"{self.saved:03d}.html"
                with open(os.path.join(self.out, "failed-pages", name), "wb") as f:
                    f.write(body)
                with open(os.path.join(self.out, "failed-pages", "index.txt"), "a") as f:
                    f.write(f"{name}\t{where}\n")

    def check_headers(self, where, response):
        csp = response.header("Content-Security-Policy")
        if not csp:
            self.fail(where, "no Content-Security-Policy header")
        else:
            directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
            scripts = directives.get("script-src") or directives.get("default-src") or ""
            if not scripts:
                self.fail(where, f"Content-Security-Policy limits no scripts: {csp}")
            elif "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or " *" in scripts + " " or "data:" in scripts:
                self.fail(where, f"Content-Security-Policy lets scripts in: {scripts}")
        if (response.header("X-Content-Type-Options") or "").strip().lower() != "nosniff":
            self.fail(where, f"X-Content-Type-Options is {response.header('X-Content-Type-Options')!r}, not nosniff")
        if (response.header("X-Frame-Options") or "").strip().upper() not in ("DENY", "SAMEORIGIN"):
            self.fail(where, f"X-Frame-Options is {response.header('X-Frame-Options')!r}")

    def check_html(self, where, kind, response, expect_status=(200,), expect_payload=False, expect_texts=(), title_texts=()):
        """Every check on one HTML answer; returns its Audit (links, forms) or None."""
        self.pages += 1
        stats = self.kinds.setdefault(kind, [0, 0])
        stats[0] += 1
        if response.status == 0:
            self.fail(where, f"no answer: {response.text}")
            return None
        if response.status >= 500:
            self.fail(where, f"server error {response.status}: {response.text[:300]}", response.body)
        elif response.status not in expect_status:
            self.fail(where, f"answered {response.status}, expected {expect_status}", response.body)
        kind_header = response.header("Content-Type") or ""
        if "text/html" not in kind_header:
            self.fail(where, f"Content-Type {kind_header!r} for an HTML page")
            return None
        if "charset=utf-8" not in kind_header.lower().replace(" ", ""):
            self.fail(where, f"Content-Type without charset=utf-8: {kind_header!r}")
        self.check_headers(where, response)
        source = response.text
        audit = Audit(source)
        try:
            audit.feed(source)
            audit.close()
        except Exception as error:  # html.parser is lenient; anything here is worth seeing
            self.fail(where, f"html.parser failed: {error}", response.body)
        for p in audit.problems:
            self.fail(where, p, response.body)
        for marker in RAW_MARKERS:
            at = source.find(marker)
            if at >= 0:
                self.fail(where, f"unescaped payload in the bytes: …{source[max(0, at - 80):at + 80]}…", response.body)
        if EXECUTED_MARKER in source:
            self.fail(where, f"{EXECUTED_MARKER} in the page (a payload script wrote it?)", response.body)
        decoded = audit.texts + audit.values
        for s in decoded:
            if "<b>" in s:
                at = s.find("<b>")
                self.fail(where, f"text decoded twice: '&lt;b&gt;' shows as '<b>': …{s[max(0, at - 60):at + 60]}…", response.body)
                break
        # The title and the meta tags: whole payloads only, and the same title everywhere.
        titled = [(f"<title>", audit.title or "")] + [
            (f"<meta {m.get('name') or m.get('property')}>", m.get("content", "")) for m, _ in audit.metas
            if (m.get("name") or m.get("property") or "") in ("og:title", "twitter:title", "description", "og:description",
                                                                "twitter:description", "og:site_name")]
        for label, value in titled:
            pieces = broken_pieces(value)
            if pieces:
                self.fail(where, f"{label} holds pieces of a payload outside a whole one ({pieces}): {value[:300]!r}", response.body)
        titles = {m.get("content", "") for m, _ in audit.metas if (m.get("name") or m.get("property")) in ("og:title", "twitter:title")}
        if audit.title is not None and titles and titles != {audit.title}:
            self.fail(where, f"og:title/twitter:title {sorted(titles)!r} differ from <title> {audit.title!r}", response.body)
        for text in title_texts:
            for label, value in titled:
                if label in ("<title>", "<meta og:title>", "<meta twitter:title>") and text not in value:
                    self.fail(where, f"{label} {value[:200]!r} does not hold the hostile name {text[:120]!r} intact", response.body)
        for text in expect_texts:
            if not any(text in s for s in decoded):
                self.fail(where, f"the hostile text {text[:120]!r} is not on the page intact (escaped once)", response.body)
        count = payload_count(decoded)
        stats[1] += count
        self.payloads += count
        if expect_payload and count == 0:
            self.fail(where, "no payload on a page that shows the data: the hostile data did not reach it", response.body)
        return audit


# ---------------------------------------------------------------------------------------
# 5. Downloads

PLAIN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")


def formula_cells(rows):
    """(row, column, cell) of each cell a spreadsheet would read as a formula."""
    found = []
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell in ("-", "+"):
                continue  # a dash for "none" is not a formula
            if cell and cell[0] in "=+-@\t\r" and not (PLAIN_NUMBER.match(cell) and any(ch.isdigit() for ch in cell)):
                found.append((r, c, cell))
    return found


def xlsx_formulas(data):
    """Formula cells of an .xlsx, as (sheet file, snippet)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                for m in re.finditer(r"<(\w+:)?f[ >/]", xml):
                    found.append((name, xml[max(0, m.start() - 80):m.start() + 120]))
    return found


# ---------------------------------------------------------------------------------------

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def route_key(url):
    """A link's route: the path with ids replaced, and its query's keys."""
    parts = urllib.parse.urlsplit(url)
    path = re.sub(UUID, "{id}", parts.path)
    keys = sorted(set(k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)) - {"lang"})
    return path + ("?" + "&".join(keys) if keys else "")


def with_lang(path, lang="en"):
    return path + ("&" if "?" in path else "?") + "lang=" + lang


def q(**params):
    return urllib.parse.urlencode(params)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    binary, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    started = time.monotonic()
    os.makedirs(out, exist_ok=True)
    shutil.rmtree(os.path.join(out, "failed-pages"), ignore_errors=True)

    print("hostile: building the demo data, rewriting every free text, importing …", flush=True)
    database, cells, data, early = build_database(binary, out)
    print(f"hostile: {cells:,} cells rewritten and imported ({time.monotonic() - started:.0f} s)", flush=True)

    # Accounts: a planner, the approver of a bureau and the editor of one of its sections
    # that has sheets in the open year (their department names are hostile too).
    departments = {d["name"]: d for d in data["departments"] if d["municipality_code"] == DEMO}
    open_programs = {s["program"] for s in data["sheets"] if s["municipality_code"] == DEMO and s["status"] != "published"}
    section = next((p["department"] for p in data["programs"] if p["municipality_code"] == DEMO and p["name"] in open_programs
                    and p["department"] in departments), None)
    bureau = departments.get(section, {}).get("parent") if section else None
    accounts = [("hostile-planner", "planner", None)]
    if bureau:
        accounts.append(("hostile-approver", "approver", bureau))
    if section:
        accounts.append(("hostile-editor", "editor", section))
    for login, role, department in accounts:
        args = ["user", "add", login, "--role", role, "--municipality", DEMO, "--name", hostile(login, "name"),
                "--password-stdin", "--database", database]
        if department:
            args += ["--department", department]
        run(binary, *args, stdin=PASSWORD + "\n")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(out, "server.log"), "w")
    server = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "LOG_LEVEL": "notice"})
    PROCESSES.append(server)
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"hostile: the server ended at once (exit {server.returncode}); see {out}/server.log")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except Exception:
            time.sleep(0.25)
    else:
        sys.exit("hostile: the server did not answer /healthz in 30 s")

    sweep = Sweep(base, out)
    for problem in early:
        sweep.fail("workbook", problem)
    steps = [("public pages", lambda: public_pages(sweep, Client(base), data)), ("downloads", lambda: downloads(sweep, Client(base)))]
    steps += [(f"staff pages as {login}", lambda login=login, role=role: staff_pages(sweep, base, login, role)) for login, role, _ in accounts]
    try:
        for name, step in steps:
            try:
                step()
            except Exception:  # a bug here, or an answer nothing expected: say so and go on
                sweep.fail(name, "the sweep stopped: " + traceback.format_exc()[-1000:])
        if server.poll() is not None:
            sweep.fail("server", f"the server ended during the sweep (exit {server.returncode}); see {out}/server.log")
    finally:
        stop_processes()
        log.close()

    elapsed = time.monotonic() - started
    if sweep.payloads == 0:
        sweep.fail("all pages", "no page showed any payload: the sweep proved nothing")
    summary = {
        "seconds": round(elapsed, 1), "cells_rewritten": cells, "html_pages": sweep.pages, "payload_occurrences": sweep.payloads,
        "by_kind": {k: {"pages": v[0], "payloads": v[1]} for k, v in sorted(sweep.kinds.items())},
        "failures": sweep.failures,
    }
    with open(os.path.join(out, "hostile.json"), "w") as f:
        json.dump(summary, f, ensure_ascii=False, indent=2)
    print()
    print(f"hostile: {sweep.pages} HTML pages checked in {elapsed:.0f} s, {sweep.payloads:,} payload occurrences seen (escaped)")
    for kind, (pages, payloads) in sorted(sweep.kinds.items()):
        print(f"  {kind:28} {pages:4} pages {payloads:7,} payloads")
    if sweep.failures:
        print(f"\nhostile: {len(sweep.failures)} failures (pages saved in {out}/failed-pages):")
        for failure in sweep.failures:
            print("  -", failure)
        sys.exit(1)
    print("hostile: ok")


# ---------------------------------------------------------------------------------------
# 2. Public pages

def public_pages(sweep, client, data):
    api = client.get("/api/v1/municipalities")
    municipalities = [m["code"] for m in json.loads(api.body)["items"]] if api.status == 200 else [DEMO]
    if api.status != 200:
        sweep.fail("/api/v1/municipalities", f"answered {api.status}")
    published = {m["code"]: m["published_fiscal_years"] for m in json.loads(api.body)["items"]} if api.status == 200 else {}
    for cycle in data["cycles"]:
        if cycle["phase"] == "published" and int(cycle["fiscal_year"]) not in published.get(cycle["municipality_code"], []):
            sweep.fail("/api/v1/municipalities", f"{cycle['municipality_code']} FY{cycle['fiscal_year']} was imported as published "
                                                 f"but is not public: {api.text[:300]}")
    names = {m["code"]: m["name"] for m in data["municipalities"]}
    names_en = {m["code"]: m["name_en"] or m["name"] for m in data["municipalities"]}

    # Program ids from the API, with the names they must show intact.
    programs = []  # (code, year, id, name)
    for code in municipalities:
        for year in published.get(code, [])[:2]:
            r = client.get(f"/api/v1/municipalities/{code}/programs?" + q(fiscal_year=year, limit=100))
            if r.status != 200:
                sweep.fail(r.url, f"answered {r.status}")
                continue
            items = json.loads(r.body)["items"]
            programs += [(code, year, p["id"], p["name"]) for p in items[:: max(1, len(items) // 12)][:12]]

    hostile_queries = PAYLOADS + ["\"'><>&amp;%00%0d%0a", "\u0000", "x" * 3000]
    pages = [("/", "home", True)]
    for code in municipalities:
        for path, kind in [("/", "home"), ("/programs", "programs"), ("/plans", "plans"), ("/collaboration", "collaboration"),
                           ("/manifestos", "manifestos"), ("/reviews", "reviews")]:
            pages.append((f"{path}?m={code}", kind, kind in ("home", "programs", "plans")))
        for year in published.get(code, []):
            pages.append((f"/programs?m={code}&year={year}", "programs", True))
    pages += [("/open-data", "open-data", True), ("/collaboration", "collaboration", True), ("/manifestos", "manifestos", True),
              ("/reviews", "reviews", True), ("/plans", "plans", True), ("/programs", "programs", True)]
    for payload in hostile_queries:
        pages.append(("/programs?" + q(q=payload), "programs?q=hostile", False))
    pages += [
        ("/programs?" + q(q=PAYLOADS[0][:12]), "programs?q=hostile", True),
        ("/?" + q(m=PAYLOADS[0], year=PAYLOADS[1], lang=PAYLOADS[2]), "hostile-query", False),
        ("/programs?" + q(m=DEMO, department=PAYLOADS[0], node=PAYLOADS[1], grade=PAYLOADS[3], direction=PAYLOADS[6],
                          trend=PAYLOADS[7], sort=PAYLOADS[0], sdg="<1>", page="-1"), "hostile-query", False),
        ("/collaboration?" + q(partner=PAYLOADS[0]), "hostile-query", False),
        ("/plans?" + q(m=DEMO, year="<script>"), "hostile-query", False),
        ("/manifestos?" + q(year=PAYLOADS[1]), "hostile-query", False),
        ("/reviews?" + q(m=PAYLOADS[6]), "hostile-query", False),
    ]
    for code, year, pid, name in programs:
        pages.append((f"/programs/{pid}?m={code}&year={year}", "program", True))
    status_ok = (200, 400, 404)
    checked = {}

    def visit(path, kind, expect_payload, expect_status=(200,), expect_texts=()):
        if path in checked:
            return checked[path]
        response = client.get(path)
        # The sheet's and the overview's titles name the program and the municipality.
        in_title = expect_texts if kind.split(" ")[0] in ("program", "home") else ()
        audit = sweep.check_html(path, kind, response, expect_status=expect_status, expect_payload=expect_payload, expect_texts=expect_texts,
                                 title_texts=in_title)
        checked[path] = audit
        return audit

    def visit_both(path, kind, expect_payload, expect_texts=(), expect_texts_en=None, **kw):
        audit = visit(path, kind, expect_payload, expect_texts=expect_texts, **kw)
        visit(with_lang(path), kind + " (en)", expect_payload, expect_texts=expect_texts if expect_texts_en is None else expect_texts_en, **kw)
        return audit

    for path, kind, expect_payload in pages:
        expect_status = (200,) if kind not in ("hostile-query", "programs?q=hostile") else status_ok
        texts, texts_en = (), None
        if kind == "program":
            texts = [n for c, y, i, n in programs if path.startswith(f"/programs/{i}")]
        elif kind in ("home", "programs") and "?m=" in path:
            code = path.split("?m=")[1].split("&")[0]
            texts = [names[code]] if code in names else ()
            texts_en = [names_en[code]] if code in names_en else ()
        visit_both(path, kind, expect_payload, expect_status=expect_status, expect_texts=texts, expect_texts_en=texts_en)

    # Reflected queries: the search box gives the query back intact.
    for payload in PAYLOADS:
        audit = checked.get("/programs?" + q(q=payload))
        if audit and not any(payload == v for v in audit.values):
            sweep.fail("/programs?" + q(q=payload), f"the search box does not give back the query {payload!r} intact")

    # Crawl: every link on the pages seen, a few per route, and what facet links must find.
    frontier = [p for p, a in checked.items() if a]
    per_route, per_path = {}, {}
    limits = {"/programs/{id}": 12}
    while frontier and time.monotonic() < DEADLINE - 100:
        path = frontier.pop(0)
        audit = checked.get(path)
        if not audit:
            continue
        for href in audit.links:
            absolute = urllib.parse.urljoin(sweep.base + path, href)
            if not absolute.startswith(sweep.base + "/") or "#" in href and href.startswith("#"):
                continue
            link = absolute[len(sweep.base):].split("#")[0]
            route = urllib.parse.urlsplit(link).path
            if link in checked or route.startswith(("/api/", "/open-data/", "/assets/")) or route.endswith((".csv", ".xlsx", ".pdf", ".atom", ".zip")):
                continue
            key = route_key(link)
            path_key = key.split("?")[0]
            if per_route.get(key, 0) >= limits.get(path_key, 3) or per_path.get(path_key, 0) >= 30:
                continue
            per_route[key] = per_route.get(key, 0) + 1
            per_path[path_key] = per_path.get(path_key, 0) + 1
            kind = "crawl " + key.split("?")[0]
            linked = visit(link, kind, False)
            if linked is not None:
                frontier.append(link)
                check_link_meaning(sweep, client, link, linked)

    # Sign-in and error pages with hostile input.
    for nxt in ["javascript:alert(1)", '/"><script>alert(1)</script>', "//evil.example/", "/\\evil.example", "/admin?x=</title><svg onload=alert(1)>",
                "https://evil.example/", "/%0d%0aSet-Cookie:x=1", PAYLOADS[1]]:
        path = "/login?" + q(next=nxt)
        visit_both(path, "login?next=hostile", False)
    for path in ["/" + urllib.parse.quote(PAYLOADS[0]), "/programs/" + urllib.parse.quote(PAYLOADS[1]),
                 "/programs/" + urllib.parse.quote(PAYLOADS[3]) + ".pdf", "/no-such-page/<script>alert(1)</script>",
                 "/programs/00000000-0000-0000-0000-000000000000?" + q(m=PAYLOADS[0]),
                 "/open-data/" + urllib.parse.quote(PAYLOADS[6]), "/admin/" + urllib.parse.quote(PAYLOADS[0])]:
        expect = (404, 400, 303, 302, 401, 403)
        response = client.get(path)
        if response.status in (302, 303):
            location = response.header("Location") or ""
            if not location.startswith("/") or location.startswith("//"):
                sweep.fail(path, f"redirects off the site: {location!r}")
            continue
        sweep.check_html(path, "error page", response, expect_status=expect)
        sweep.check_html(with_lang(path), "error page (en)", client.get(with_lang(path)), expect_status=expect)

    # The JSON API: never served as something a browser would render.
    api_paths = ["/api/v1/municipalities", f"/api/v1/municipalities/{DEMO}/programs?" + q(q=PAYLOADS[0]),
                 f"/api/v1/municipalities/{DEMO}/data/programs", "/api/v1/municipalities/" + urllib.parse.quote(PAYLOADS[0], safe=""),
                 "/api/v1/programs/" + urllib.parse.quote(PAYLOADS[3], safe=""), "/api/openapi.json"]
    api_paths += [f"/api/v1/programs/{pid}" for code, year, pid, name in programs[:2]]
    for path in api_paths:
        response = client.get(path)
        kind_header = (response.header("Content-Type") or "").lower()
        if response.status >= 500 or response.status == 0:
            sweep.fail(path, f"answered {response.status}: {response.text[:200]}")
        elif "json" not in kind_header:
            sweep.fail(path, f"the API answered {response.status} as {kind_header!r}, not JSON", response.body)
        elif (response.header("X-Content-Type-Options") or "").lower() != "nosniff":
            sweep.fail(path, "the API answer has no X-Content-Type-Options: nosniff")
        elif response.status == 200:
            try:
                json.loads(response.body)
            except ValueError as error:
                sweep.fail(path, f"the API answer is not JSON: {error}", response.body)

    # The API's next-page link keeps a hostile query as it was sent ('+' included).
    first = f"/api/v1/municipalities/{DEMO}/programs?" + q(limit=2, q=FORMULAS[1][:9])
    response = client.get(first)
    link = re.search(r"<([^>]+)>;\s*rel=\"?next", response.header("Link") or "") if response.status == 200 else None
    if response.status != 200:
        sweep.fail(first, f"answered {response.status}")
    elif link is None:
        sweep.fail(first, f"no Link rel=next though {json.loads(response.body).get('total')} programs match")
    else:
        following = client.get(urllib.parse.urljoin(first, link.group(1)))
        totals = (json.loads(response.body).get("total"), json.loads(following.body).get("total") if following.status == 200 else following.status)
        if totals[0] != totals[1]:
            sweep.fail(first, f"the Link rel=next header {link.group(1)[:80]}… does not keep the query {FORMULAS[1][:9]!r} "
                              f"('+' left unencoded reads as a space): page 1 says {totals[0]} matches, the next page {totals[1]}",
                       following.body)

    # The Atom feed: well-formed XML, HTML-typed texts pass the HTML checks, no script links.
    feed = client.get("/feed.atom")
    if feed.status != 200:
        sweep.fail("/feed.atom", f"answered {feed.status}", feed.body)
    else:
        if "html" in (feed.header("Content-Type") or "").lower():
            sweep.fail("/feed.atom", f"served as {feed.header('Content-Type')!r}")
        if (feed.header("X-Content-Type-Options") or "").lower() != "nosniff":
            sweep.fail("/feed.atom", "no X-Content-Type-Options: nosniff")
        try:
            root = ET.fromstring(feed.body)
            count = 0
            for element in root.iter():
                count += payload_count([element.text or ""] + list(element.attrib.values()))
                href = re.sub(r"[\x00-\x20]", "", element.attrib.get("href", ""))
                if DANGEROUS_SCHEME.match(href):
                    sweep.fail("/feed.atom", f"a script address in the feed: {href!r}", feed.body)
                if element.attrib.get("type") in ("html", "xhtml") and element.text:
                    inner = Audit(element.text)
                    inner.feed(element.text)
                    for p in inner.problems:
                        sweep.fail("/feed.atom", f"{element.tag} type=html: {p}", feed.body)
            sweep.payloads += count
            stats = sweep.kinds.setdefault("feed.atom", [0, 0])
            stats[0] += 1
            stats[1] += count
            if count == 0:
                sweep.fail("/feed.atom", "no payload in the feed (municipality names are hostile)", feed.body)
        except ET.ParseError as error:
            sweep.fail("/feed.atom", f"not well-formed XML: {error}", feed.body)

    # The sheet as a PDF (when the server has Chromium): rendered text, nothing run or loaded.
    if programs:
        code, year, pid, name = programs[0]
        path = f"/programs/{pid}.pdf?m={code}&year={year}"
        response = client.get(path, timeout=130)
        if response.status == 503:
            print(f"hostile: {path} answered 503 (no Chromium on the server): PDF not checked", flush=True)
        elif response.status != 200 or not response.body.startswith(b"%PDF"):
            sweep.fail(path, f"answered {response.status} {response.header('Content-Type')}: {response.text[:200]!r}")
        elif not shutil.which("pdftotext"):
            print("hostile: no pdftotext (poppler-utils): PDF text not checked", flush=True)
        else:
            with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
                f.write(response.body)
            text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, timeout=60).stdout
            joined = re.sub(r"\s+", "", text)
            sweep.kinds.setdefault("program.pdf", [0, 0])[0] += 1
            if "root:x:0:0" in text or "/bin/bash" in text or "nologin" in text:
                sweep.fail(path, "the PDF shows /etc/passwd: an iframe payload was rendered")
                shutil.copy(f.name, os.path.join(sweep.out, "failed-pages", "sheet.pdf"))
            if EXECUTED_MARKER in joined:
                sweep.fail(path, f"the PDF shows {EXECUTED_MARKER}: a payload script ran while printing")
                shutil.copy(f.name, os.path.join(sweep.out, "failed-pages", "sheet.pdf"))
            shown = sum(joined.count(re.sub(r"\s+", "", p)) for p in PAYLOADS)
            sweep.kinds["program.pdf"][1] += shown
            if shown == 0:
                sweep.fail(path, f"the PDF shows no payload as text (name {name[:80]!r}): {text[:300]!r}")
            os.unlink(f.name)
            print(f"hostile: {path}: PDF of {len(response.body):,} bytes, {shown} payloads shown as text, nothing ran or loaded", flush=True)


def results(audit):
    """What a list page found: its links to sheets, and how many cards and table rows."""
    return (sorted(l.split("?")[0] for l in audit.links if re.match(r"^/programs/" + UUID + "$", l.split("?")[0])),
            audit.tags.get("tr", 0), audit.classes.get("card", 0))


def check_link_meaning(sweep, client, link, linked):
    """A filter link the app built from a hostile name must find what the name finds. A '+'
    left unencoded in a query is read back as a space, so the filter would name nothing:
    the link is compared with the same query encoded strictly (the app's '+' as %2B)."""
    query = urllib.parse.urlsplit(link).query
    if "+" not in query:
        return
    intended = urllib.parse.parse_qsl(query.replace("+", "%2B"), keep_blank_values=True)
    strict = urllib.parse.urlsplit(link).path + "?" + urllib.parse.urlencode(intended)
    response = client.get(strict)
    if response.status != 200:
        sweep.fail(link, f"the strictly encoded link {strict} answered {response.status}")
        return
    audit = Audit(response.text)
    audit.feed(response.text)
    got, meant = results(linked), results(audit)
    if got != meant:
        names = [f"{k}={v!r}" for k, v in intended if "+" in v]
        sweep.fail(link, f"the link's query has '+' unencoded, which the server reads as a space, so its filter "
                         f"{'; '.join(names)[:300]} finds {len(got[0])} sheets/{got[1]} rows/{got[2]} cards where the name "
                         f"(sent as %2B) finds {len(meant[0])}/{meant[1]}/{meant[2]}", linked.source.encode())


def downloads(sweep, client):
    """/programs.csv and .xlsx, and each open-data bundle's CSV files."""
    api = json.loads(client.get("/api/v1/municipalities").body)["items"]
    for m in api:
        for year in m["published_fiscal_years"][:1]:
            for params in [q(m=m["code"], year=year), q(m=m["code"], year=year, q=PAYLOADS[0][:3], lang="en")]:
                path = "/programs.csv?" + params
                r = client.get(path)
                if r.status != 200:
                    sweep.fail(path, f"answered {r.status}")
                    continue
                check_csv(sweep, path, r.body.decode("utf-8-sig"))
                r = client.get("/programs.xlsx?" + params)
                if r.status != 200:
                    sweep.fail("/programs.xlsx?" + params, f"answered {r.status}")
                else:
                    sweep.kinds.setdefault("xlsx files (not HTML)", [0, 0])[0] += 1
                    for sheet, snippet in xlsx_formulas(r.body)[:5]:
                        sweep.fail("/programs.xlsx?" + params, f"a formula cell in {sheet}: {snippet!r}")
    page = client.get("/open-data")
    bundles = sorted(set(re.findall(r'href="(/open-data/[^"]+\.zip)"', page.text)))
    if not bundles:
        sweep.fail("/open-data", "no bundle links")
    for path in bundles:
        if time.monotonic() > DEADLINE - 60 and not path.endswith("-all.zip"):
            continue  # short of time: the all-years bundles hold every year anyway
        r = client.get(path, timeout=60)
        if r.status != 200:
            sweep.fail(path, f"answered {r.status}")
            continue
        with zipfile.ZipFile(io.BytesIO(r.body)) as z:
            files = [n for n in z.namelist() if n.endswith(".csv")]
            if not any("utf8/" in n or "utf-8/" in n for n in files):
                sweep.fail(path, f"no utf8/*.csv in the bundle: {z.namelist()[:20]}")
            for name in files:
                raw = z.read(name)
                encoding = "cp932" if "cp932" in name.lower() or "sjis" in name.lower() else "utf-8-sig"
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as error:
                    sweep.fail(f"{path}!{name}", f"not {encoding}: {error}")
                    continue
                check_csv(sweep, f"{path}!{name}", text)


def check_csv(sweep, where, text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    found = formula_cells(rows[1:])
    stats = sweep.kinds.setdefault("csv files (not HTML)", [0, 0])
    stats[0] += 1
    stats[1] += payload_count(c for row in rows for c in row)
    for r, c, cell in found[:5]:
        sweep.fail(where, f"row {r + 1} column {c} ({rows[0][c - 1] if c - 1 < len(rows[0]) else '?'}) starts as a formula: {cell[:100]!r}")
    if len(found) > 5:
        sweep.fail(where, f"… and {len(found) - 5} more cells that start as a formula")


# ---------------------------------------------------------------------------------------
# 3. Staff pages

def sign_in(sweep, client, login, next_path=None):
    page = client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text)
    if not token:
        sweep.fail("/login", "no _csrf field", page.body)
        return False
    form = {"_csrf": token.group(1), "login": login, "password": PASSWORD}
    if next_path is not None:
        form["next"] = next_path
    r = client.post("/login", form)
    if r.status not in (302, 303):
        sweep.fail("/login", f"signing in as {login} answered {r.status}", r.body)
        return False
    location = r.header("Location") or ""
    if next_path is not None and (not location.startswith("/") or location.startswith("//") or "\\" in location or "\n" in location):
        sweep.fail("/login (POST)", f"next={next_path!r} redirects to {location!r}: off the site")
    return True


def staff_pages(sweep, base, login, role):
    client = Client(base)
    # Where sign-in sends a hostile `next` (an open redirect would be a finding).
    for nxt in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example"]:
        if not sign_in(sweep, client, login, nxt):
            return
        client = Client(base)
    if not sign_in(sweep, client, login):
        return
    kind = role
    checked = {}

    def visit(path, label, expect_payload=False, expect_status=(200,)):
        if path in checked:
            return checked[path]
        response = client.get(path)
        if response.status in (302, 303) and "/login" in (response.header("Location") or ""):
            sweep.fail(path, f"{login}: sent to sign in again")
        audit = sweep.check_html(f"{path} [{login}]", f"{kind} {label}", response, expect_status=expect_status, expect_payload=expect_payload)
        checked[path] = audit
        return audit

    start = ["/admin", "/admin/sheets", "/admin/cycles", "/admin/workbook", "/admin?lang=en", "/admin/sheets?lang=en"]
    for payload in PAYLOADS + ["%", "\\", "'--"]:
        visit("/admin/sheets?" + q(q=payload), "sheets?q=hostile", expect_status=(200, 400))
    for path in ["/admin/sheets?" + q(q=payload, state=payload, department=payload, year=payload, checks=payload, page=payload) for payload in PAYLOADS[:2]]:
        visit(path, "sheets?hostile", expect_status=(200, 400))
    visit("/admin/cycles?" + q(notice=PAYLOADS[0], year=PAYLOADS[1], sheets=PAYLOADS[2]), "cycles?hostile", expect_status=(200, 400))
    for path in start:
        visit(path, route_key(path).split("?")[0].replace("/admin", "admin") or "admin", expect_payload=path.startswith(("/admin/sheets", "/admin?", "/admin/workbook")) or path == "/admin")

    limits = {"/admin/sheets/{id}": 14, "/admin/sheets/{id}/history": 5, "/admin/plan-nodes/{id}": 6, "/admin/manifesto-goals/{id}": 6,
              "/admin/collaboration/{id}": 6, "/admin/reviews/{id}": 6, "/admin/cycles/{id}/publish": 3}
    per_route = {}
    frontier = list(checked)
    forms = {}  # route -> (path, audit) of the first form page of each kind
    while frontier and time.monotonic() < DEADLINE - 30:
        path = frontier.pop(0)
        audit = checked.get(path)
        if not audit:
            continue
        for href in audit.links:
            absolute = urllib.parse.urljoin(base + path, href)
            if not absolute.startswith(base + "/admin"):
                continue
            link = absolute[len(base):].split("#")[0]
            if link in checked or urllib.parse.urlsplit(link).path.endswith((".xlsx", ".csv", ".pdf")) or "/rates" in link:
                continue
            key = route_key(link)
            if per_route.get(key, 0) >= limits.get(key.split("?")[0], 3):
                continue
            per_route[key] = per_route.get(key, 0) + 1
            route = key.split("?")[0]
            linked = visit(link, route.replace("/admin", "admin"), expect_payload=route in limits and "publish" not in route)
            if linked is not None:
                frontier.append(link)
                check_link_meaning(sweep, client, link, linked)
                if route in limits and route != "/admin/cycles/{id}/publish" and route not in forms and any(f["method"] == "post" for f in linked.forms):
                    forms[route] = (link, linked)
    # Each staff page in English once per route.
    for key in sorted({route_key(p).split("?")[0]: p for p in checked}.values()):
        visit(with_lang(key), "(en) " + route_key(key).split("?")[0].replace("/admin", "admin"))

    # The department workbook download: texts, never formulas.
    workbook = checked.get("/admin/workbook")
    downloaded = False
    if workbook:
        for form in workbook.forms:
            if form["method"] == "get" and "workbook.xlsx" in form["action"]:
                department = next((f for f in form["fields"] if f["name"] == "department"), None)
                if department and department["options"]:
                    value = next((v for v, selected in department["options"] if v), None)
                    path = form["action"] + "?" + q(department=value)
                    r = client.get(path, timeout=60)
                    if r.status != 200:
                        sweep.fail(f"{path} [{login}]", f"answered {r.status}", r.body)
                    else:
                        downloaded = True
                        sweep.kinds.setdefault("xlsx files (not HTML)", [0, 0])[0] += 1
                        for sheet, snippet in xlsx_formulas(r.body)[:5]:
                            sweep.fail(f"{path} [{login}]", f"a formula cell in {sheet}: {snippet!r}")
    if role == "planner" and not downloaded:
        sweep.fail(f"/admin/workbook [{login}]", "no department workbook to download was found on the page: the .xlsx was not checked")

    # Each kind of form posted back with hostile values typed into every text field (amounts
    # too: the refusal gives them back), then again with only the texts hostile, which saves;
    # the saved page and the sheet's history then hold the new texts.
    for route, (path, audit) in sorted(forms.items()):
        post_back(sweep, client, login, kind, route, path, audit, amounts=True)
        fresh = client.get(path)
        if fresh.status == 200:
            audit = Audit(fresh.text)
            audit.feed(fresh.text)
            post_back(sweep, client, login, kind, route, path, audit, amounts=False)
            if route == "/admin/sheets/{id}":
                history = path.split("?")[0] + "/history"
                checked.pop(history, None)
                visit(history, "history after a hostile save", expect_payload=True)


AMOUNT = re.compile(r"budget|settlement|personnel|saving|amount|yen|cost|viewpoints", re.I)  # parsed fields, kept as they were


def post_back(sweep, client, login, kind, route, path, audit, amounts):
    form = next((f for f in audit.forms if f["method"] == "post" and f["action"] in ("", path.split("?")[0])), None)
    if form is None:
        form = next((f for f in audit.forms if f["method"] == "post" and urllib.parse.urlsplit(f["action"]).path == path.split("?")[0]), None)
    if form is None:
        return
    data, typed = [], []
    for i, field in enumerate(form["fields"]):
        name = field["name"]
        if not name or field["tag"] == "button" or field["type"] in ("submit", "button", "file", "reset", "image"):
            continue
        if field["type"] in ("checkbox", "radio"):
            if field["checked"]:
                data.append((name, field["value"] or "on"))
            continue
        if field["tag"] == "select":
            chosen = next((v for v, selected in field["options"] if selected), field["options"][0][0] if field["options"] else "")
            data.append((name, chosen or ""))
            continue
        if field["type"] in ("hidden", "number", "date", "email", "url", "month", "week", "time", "datetime-local", "color", "range"):
            data.append((name, field["value"]))
            continue
        if not amounts and AMOUNT.search(name):
            data.append((name, field["value"]))
            continue
        payload = PAYLOADS[i % len(PAYLOADS)]
        value = (field["value"] + payload) if field["tag"] == "textarea" else payload + (field["value"] or "")[:20]
        data.append((name, value))
        typed.append(value)
    if not typed:
        return
    action = urllib.parse.urljoin(path, form["action"] or path)
    response = client.post(action, data)
    where = f"POST {action} [{login}]"
    if response.status >= 500:
        sweep.fail(where, f"server error {response.status} for hostile form values", response.body)
        return
    if response.status in (302, 303):
        response = client.follow(response)
    answer = sweep.check_html(where, f"{kind} form posted back", response, expect_status=(200, 400, 409, 422))
    if answer is None:
        return
    decoded = answer.texts + answer.values
    lost = [v for v in typed if not any(v.replace("\r\n", "\n") in s.replace("\r\n", "\n") for s in decoded)]
    print(f"hostile: posted {route} as {login} with {len(typed)} hostile values{'' if amounts else ' (amounts kept)'}: answered {response.status} "
          f"({response.url.replace(client.base, '')}), {len(typed) - len(lost)} given back intact", flush=True)
    if lost and response.status == 200 and len(lost) == len(typed):
        sweep.fail(where, f"none of the {len(typed)} hostile values typed came back intact, e.g. {lost[0][:100]!r}", response.body)


if __name__ == "__main__":
    main()
