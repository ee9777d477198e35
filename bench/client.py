"""A small keep-alive HTTP client for the benchmarks: cookies, CSRF, form parsing, timings.

Standard library only. It talks to gunicorn on loopback as if through an HTTPS proxy
(``X-Forwarded-Proto: https``), which is how production runs (DEBUG off, secure cookies).
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

from bench.querycount import QUERY_HEADER, TIME_HEADER


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    elapsed_ms: float
    location: str = ""

    @property
    def queries(self) -> int | None:
        value = self.headers.get(QUERY_HEADER.lower())
        return int(value) if value else None

    @property
    def server_ms(self) -> float | None:
        value = self.headers.get(TIME_HEADER.lower())
        return float(value) if value else None


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    textareas: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)

    def data(self, **overrides) -> list[tuple[str, str]]:
        data = [(k, v) for k, v in self.fields if k not in overrides]
        return data + list(overrides.items())


class FormParser(HTMLParser):
    """Collects every form with what a browser would submit by default, and every link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
            self._form.selects[name] = []
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option_value = value
            if value is not None:
                self._form.selects[self._select].append(value)
                if self._select_first is None:
                    self._select_first = value
                if "selected" in a:
                    self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self._form is not None:
            value = self._select_value if self._select_value is not None else self._select_first
            if value is not None:
                self._form.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).strip("\n")))
            self._form.textareas.append(self._textarea)
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


class Browser:
    """One signed-in person: one keep-alive connection and one cookie jar."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, data: list[tuple[str, str]] | None = None, referer: str = "") -> Response:
        origin = f"https://{self.host}:{self.port}"
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": "id",
            "Referer": origin + (referer or path),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
        for attempt in (1, 2):
            conn = self._connection()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                payload = raw.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            break
        for header in raw.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                if morsel["max-age"] == "0" or (morsel.value == "" and morsel["expires"]):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if raw.getheader("Connection", "").lower() == "close":
            self.close()
        headers_out = {k.lower(): v for k, v in raw.getheaders()}
        location = headers_out.get("location", "")
        if location.startswith(origin):
            location = location[len(origin) :]
        return Response(raw.status, headers_out, payload.decode("utf-8", "replace"), elapsed, location)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: list[tuple[str, str]], referer: str = "") -> Response:
        return self.request("POST", path, data, referer=referer)

    def sign_in(self, login_path: str, username: str, password: str) -> bool:
        page = self.get(login_path)
        forms = [f for f in parse(page.body).forms if f.method == "post" and "password" in dict(f.fields)]
        self.last_sign_in = page
        if not forms:
            return False
        form = forms[0]
        response = self.post(
            form.action or login_path, form.data(username=username, password=password), referer=login_path
        )
        self.last_sign_in = response
        return response.status in (302, 303) and "sessionid" in self.cookies
