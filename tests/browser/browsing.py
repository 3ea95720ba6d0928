"""Pages at reader widths, with every console error, failed request and missing favicon recorded."""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

WIDTHS = {"phone": 390, "desktop": 1280}
PHONE_MAX_WIDTH = 600

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _status(url: str) -> tuple[int, bytes]:
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


class _IconFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.icons: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and "icon" in (values.get("rel") or "").lower().split() and values.get("href"):
            self.icons.append(values["href"])


def _icon_links(html: str) -> list[str]:
    finder = _IconFinder()
    finder.feed(html)
    return finder.icons


def favicon_problems(page_url: str) -> list[str]:
    """A browser asks every page for its icon (``<link rel=icon>``, else ``/favicon.ico``): it must exist.

    Checked over HTTP with urllib because Chromium asks only once per origin and then caches the
    failure, which would make a console-based check depend on test order.
    """
    if not page_url.startswith(("http://", "https://")):
        return []
    status, body = _status(page_url)
    if status != 200:
        return []  # reported by the page's own checks
    icons = _icon_links(body.decode("utf-8", errors="replace"))
    if icons:
        urls = [urljoin(page_url, href) for href in icons]
        why = "linked by <link rel=icon>"
    else:
        parts = urlsplit(page_url)
        urls = [f"{parts.scheme}://{parts.netloc}/favicon.ico"]
        why = "no <link rel=icon>, so browsers ask the server root"
    problems = []
    for url in urls:
        status = _status(url)[0]
        if status != 200:
            problems.append(f"{page_url}: favicon {url} answered HTTP {status} ({why}); "
                            f"every page then logs a 404")
    return problems


def _same_origin(url: str, page_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(page_url)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


class PageFactory:
    """``page_factory(width, javascript_enabled=True)`` -> a Playwright page in a fresh context.

    Widths below 600 px emulate a phone (``is_mobile``, ``has_touch``; ``phone=False`` turns that off).
    Everything that goes wrong
    while pages load is recorded; :meth:`take_problems` returns (and forgets) it.
    """

    def __init__(self, browser) -> None:
        self.browser = browser
        self.contexts = []
        self.pages = []
        self._problems: list[str] = []
        self._visited: list[str] = []

    def __call__(self, width: int, javascript_enabled: bool = True, *, height: int | None = None,
                 phone: bool | None = None, **context_args):
        phone = width < PHONE_MAX_WIDTH if phone is None else phone
        context = self.browser.new_context(
            viewport={"width": width, "height": height or (844 if phone else 900)},
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
            java_script_enabled=javascript_enabled,
            locale="en-GB",
            color_scheme="light",
            reduced_motion="reduce",
            **context_args,
        )
        self.contexts.append(context)
        page = context.new_page()
        self._watch(page)
        self.pages.append(page)
        return page

    def _record(self, text: str) -> None:
        if text not in self._problems:
            self._problems.append(text)

    def _watch(self, page) -> None:
        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                where = location.get("url") or ""
                if location.get("lineNumber"):
                    where += f":{location['lineNumber'] + 1}"
                self._record(f"{page.url}: console error: {message.text}" + (f" (at {where})" if where else ""))

        def on_response(response):
            if response.status >= 400:
                self._record(f"{page.url}: {response.request.resource_type} {response.url} answered HTTP "
                             f"{response.status}")

        def on_failed(request):
            if request.failure == "net::ERR_ABORTED" and _same_origin(request.url, page.url):
                # Chromium asks for the favicon after the load event and cancels that request when the
                # test navigates on (seen in CI: a favicon "failed" on the way to the next page). A
                # cancel is not a failure of the site; whether the favicon answers 200 is checked by
                # ``favicon_problems`` for every page visited, and HTTP errors by ``on_response``.
                return
            self._record(f"{page.url}: request for {request.url} failed ({request.failure}); "
                         f"pages must not load anything from outside the site")

        def on_navigated(frame):
            if frame == page.main_frame and frame.url not in self._visited:
                self._visited.append(frame.url)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self._record(f"{page.url}: uncaught JavaScript error: {exc}"))
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("framenavigated", on_navigated)

    def take_problems(self) -> list[str]:
        """Console errors, HTTP errors, failed requests and missing favicons so far; then forget them."""
        problems = list(self._problems)
        for url in self._visited:
            for problem in favicon_problems(url):
                if problem not in problems:
                    problems.append(problem)
        self._problems.clear()
        self._visited.clear()
        return problems

    def close(self) -> None:
        for context in self.contexts:
            try:
                context.close()
            except Exception:  # noqa: BLE001 - the browser may already be gone
                pass
        self.contexts.clear()
        self.pages.clear()


def goto(page, url: str) -> None:
    """Open ``url`` and wait until it and its subresources have loaded; fail on a non-200 answer."""
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise AssertionError(f"{url} answered HTTP {response.status if response else '(no response)'}")
