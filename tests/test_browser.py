"""The two HTML reports in a real browser: headless Chromium (Debian's `chromium`).

`results/report/rapport.html` and Snakemake's `--report` HTML of a finished run are
opened in headless Chromium, driven over the DevTools protocol through a pipe
(`--remote-debugging-pipe`: JSON messages on file descriptors 3 and 4, no websocket
library). For each page the test checks that

- every image loaded (``complete`` and a natural width) and no request failed;
- every link resolves: ``#anchors`` to an element of the page, local files to a
  file that exists; web links (the references) are only checked to be https URLs,
  since the tests do not go on the internet;
- the console shows no error or warning, and no script threw;

and keeps a screenshot under the test's tmp dir (its path is printed with ``-s``).

The finished run is one `snakemake results/report/rapport.html` in a copy of the
project (the report rule), then `snakemake --report` on it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import shipped_report_run
from test_workflow import _snakemake

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium")
WIDTH, HEIGHT = 1280, 1600
# Snakemake's report inlines Tailwind's "Play CDN" script, which always warns so; it is
# the only message allowed, and it does not go on the network (checked below).
KNOWN_WARNINGS = ("cdn.tailwindcss.com should not be used in production",)


class Chromium:
    """Headless Chromium and one page, over the DevTools protocol on a pipe."""

    def __init__(self, profile: Path):
        # Chromium reads its commands on fd 3 and writes answers and events on fd 4.
        commands_r, self._commands_w = os.pipe()
        self._events_r, events_w = os.pipe()

        def child_fds():
            high_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(events_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",  # as root (CI); the pages are our own files
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--hide-scrollbars",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(3, 4),
            preexec_fn=child_fds,
        )
        os.close(commands_r)
        os.close(events_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", targetId=page["targetId"], flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._events_r, 1 << 20)
            if not chunk:
                stderr = self.process.stderr.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"Chromium closed the DevTools pipe: {stderr}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: bool = False, timeout: float = 30, **params):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._commands_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._id:
                assert "error" not in answer, f"{method}: {answer['error']}"
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        while True:
            message = self._read_message(deadline)
            self.events.append(message)
            if message.get("method") == event:
                return message

    def evaluate(self, expression: str):
        result = self.send(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, path: Path) -> None:
        self.events.clear()
        self.send("Page.navigate", session=True, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        # Let scripts that render after load (Snakemake's report) settle.
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")

    def screenshot(self, target: Path) -> Path:
        data = self.send("Page.captureScreenshot", session=True, format="png")["data"]
        target.write_bytes(base64.b64decode(data))
        return target

    def close(self) -> None:
        try:
            os.close(self._commands_w)
        finally:
            os.close(self._events_r)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# Every link and image of the page, as the browser resolved them.
PAGE_REFERENCES = """
(() => ({
  images: [...document.images].map(i => ({
    src: i.currentSrc || i.src, loaded: i.complete && i.naturalWidth > 0,
  })),
  links: [...document.querySelectorAll('a[href]')].map(a => ({
    href: a.href, raw: a.getAttribute('href'),
  })),
  ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.name),
  title: document.title,
  text: document.body ? document.body.innerText.length : 0,
}))()
"""


def _problems(browser: Chromium, page: Path) -> list[str]:
    """Everything that did not resolve or complained, one line each."""
    found = browser.evaluate(PAGE_REFERENCES)
    ids = set(found["ids"])
    problems = [f"image not loaded: {i['src'][:120]}" for i in found["images"] if not i["loaded"]]
    for link in found["links"]:
        url = urlsplit(link["href"])
        if url.scheme == "file":
            target = Path(unquote(url.path))
            if url.fragment and target == page.resolve():
                if unquote(url.fragment) not in ids:
                    problems.append(f"anchor without a target: {link['raw']}")
            elif not target.exists():
                problems.append(f"link to a missing file: {link['raw']}")
        elif url.scheme in ("http", "https"):
            if url.scheme != "https" or not url.netloc:
                problems.append(f"web link not https: {link['raw']}")
        elif url.scheme not in ("data", "blob", "mailto", "javascript"):
            problems.append(f"link of unknown kind: {link['raw'][:120]}")
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"request failed: {params.get('errorText')}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            problems.append(
                f"script error: {details.get('exception', {}).get('description') or details}"
            )
        elif method == "Network.requestWillBeSent":
            scheme = urlsplit(params["request"]["url"]).scheme
            if scheme not in ("file", "data", "blob"):
                problems.append(f"goes on the network: {params['request']['url'][:120]}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
            text = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            if not text.startswith(KNOWN_WARNINGS):
                problems.append(f"console {params['type']}: {text[:200]}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            entry = params["entry"]
            if not entry["text"].startswith(KNOWN_WARNINGS):
                problems.append(f"console {entry['level']}: {entry['text'][:200]}")
    return problems


def _click(browser: Chromium, selector: str, text: str | None = None) -> None:
    """Click the first element matching ``selector`` (with that text), let React render."""
    match = "e => true" if text is None else f"e => e.innerText.trim() === {json.dumps(text)}"
    found = browser.evaluate(
        f"(() => {{ const e = [...document.querySelectorAll({json.dumps(selector)})]"
        f".find({match}); if (e) e.click(); return !!e; }})()"
    )
    assert found, f"nothing to click: {selector} {text or ''}"
    browser.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: `make system` installs Debian's chromium")
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """The report rule's run in a copy, and Snakemake's own report of it."""
    workdir = shipped_report_run(tmp_path_factory)
    result = _snakemake(workdir, "--report", "results/snakemake-report.html")
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir


@pytest.mark.parametrize(
    "page",
    ["results/report/rapport.html", "results/snakemake-report.html"],
    ids=["rapport", "snakemake"],
)
def test_page_opens_cleanly_in_chromium(browser, finished_run, page, tmp_path):
    path = finished_run / page
    browser.open(path)
    found = browser.evaluate(PAGE_REFERENCES)
    if page.endswith("rapport.html"):
        assert found["text"] > 50_000, "the report's text"
        assert len(found["images"]) >= 4 and len(found["links"]) >= 20, "its figures and links"
    else:  # Snakemake's report renders its home page (the workflow graph) with React
        assert "Workflow" in browser.evaluate("document.body.innerText"), "an empty page"
    assert _problems(browser, path) == []
    shot = browser.screenshot(tmp_path / f"{path.stem}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000, "a blank screenshot"
    print(f"screenshot: {shot}")


BROKEN = """<!doctype html><html><head><title>broken</title></head><body>
<p id="here">text</p>
<a href="#here">ok</a> <a href="#nowhere">dead anchor</a> <a href="missing.html">dead file</a>
<a href="https://doi.org/10.1/x">web</a> <img src="missing.svg" alt="x">
<script>console.error("boom")</script>
</body></html>"""


def test_the_check_finds_what_is_broken(browser, tmp_path):
    """No vacuous pass: a page with each fault is reported for each of them."""
    page = tmp_path / "broken.html"
    page.write_text(BROKEN, encoding="utf-8")
    browser.open(page)
    problems = "\n".join(_problems(browser, page))
    for expected in (
        "image not loaded",
        "anchor without a target: #nowhere",
        "link to a missing file: missing.html",
        "request failed",
        "console error: boom",
    ):
        assert expected in problems, problems
    assert "#here" not in problems and "doi.org" not in problems


def test_snakemake_report_results_open_cleanly(browser, finished_run):
    """Each result category of Snakemake's report, and the first result of each shown."""
    path = finished_run / "results/snakemake-report.html"
    browser.open(path)
    categories = browser.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.innerText.trim())"
        ".filter(t => /^[0-9]+ /.test(t))"
    )
    assert len(categories) >= 5, categories
    for category in categories:
        _click(browser, "a", category)
        assert _problems(browser, path) == [], category
        _click(browser, "a[iconname=eye]")  # the first result's preview
        assert _problems(browser, path) == [], category
        _click(browser, "a", "Results")  # the breadcrumb back to the categories
