"""Helpers of the form fuzz tests (tests/security/test_fuzz_*.py).

- ``browser_payload``: what a browser would submit for a rendered form (inputs, checked boxes and
  radios, selected options, textareas), so that every fuzzed submission starts from the real form.
- ``HOSTILE``: the hypothesis strategy of hostile values (long strings, control characters with NUL,
  markup, SQL, dates far away or impossible, huge and negative numbers, RTL marks, emoji, combining
  characters) and ``PROBES``, the markup that must never come back unescaped.
- ``snapshot``: row counts of every model of the project (with the audit history), to show that a
  refused submission wrote nothing.
"""

import datetime as dt
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from hypothesis import strategies as st

# --- reading a rendered form ---------------------------------------------------------------------


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on"), kind))
                else:
                    fields.append((name, None, kind))  # known, not sent
                return
            fields.append((name, a.get("value", ""), kind))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "options": [], "selected": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["selected"].append(value)
            self._option_value_pending = value is None
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._select is not None and getattr(self, "_option_value_pending", False):
            self._select["options"][-1] = data.strip()
            self._option_value_pending = False

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s = self._select
            values = s["selected"] or ([] if s["multiple"] else s["options"][:1])
            for value in values:
                self._form["fields"].append((s["name"], value, "select"))
            if not values:
                self._form["fields"].append((s["name"], None, "select"))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self._form["fields"].append(
                (self._textarea["name"], text[1:] if text.startswith("\n") else text, "textarea")
            )
            self._textarea = None


def rendered_forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def browser_payload(html: str, page_url: str, action: str | None = None) -> tuple[dict, dict]:
    """(payload, kinds) of the POST form of a page whose action is ``action`` (default: the page itself).

    The payload maps names to a value or a list of values (multiple selects, checkbox groups);
    ``kinds`` maps every field name of the form (sent or not) to its input type.
    """
    target = urlsplit(action or page_url).path
    for form in rendered_forms(html):
        if form["method"] != "post":
            continue
        form_path = urlsplit(form["action"]).path if form["action"] else urlsplit(page_url).path
        if form_path != target:
            continue
        payload, kinds = {}, {}
        for name, value, kind in form["fields"]:
            kinds.setdefault(name, kind)
            if value is None:
                continue
            if name in payload:
                existing = payload[name]
                payload[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                payload[name] = value
        payload.pop("csrfmiddlewaretoken", None)
        return payload, kinds
    raise AssertionError(f"no POST form with action {target!r} on {page_url}")


# --- hostile values --------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "\"'><img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(1)>"
PROBES = (SCRIPT, IMG, SVG)
LONG = "A" * 10_000

FIXED = [
    "",
    " ",
    LONG,
    "x" * 201,
    "\x00",
    "nul\x00byte",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x7f",
    "tab\tand\r\nnewline",
    SCRIPT,
    IMG,
    SVG,
    "'; DROP TABLE clients_client; --",
    "1 OR 1=1",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "0001-01-01",
    "9999-12-31",
    "31-02-2023",
    "2023-02-31",
    "2023-13-01",
    "00-00-0000",
    "garbage-date",
    "-1",
    "-999999999999",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "-0",
    "1.5",
    "1,5",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u200b",  # RTL/LTR marks, zero-width space
    "😀🙈👩‍👩‍👧",
    "Z\u0351\u0363\u036b\u0350\u0352a\u0344\u0346l\u0315go",  # combining characters
    "ﷺ",
    "\ufeffBOM",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "../../etc/passwd",
    "javascript:alert(1)",
]

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@st.composite
def _embedded(draw):
    """A probe inside random text, so that escaping is checked in context."""
    return draw(_text) + draw(st.sampled_from(PROBES)) + draw(_text)


HOSTILE = st.one_of(
    st.sampled_from(FIXED),
    _text,
    _embedded(),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d-%m-%Y")),
)


def raw_probes_in(body: str, values) -> list[str]:
    """The probes of the submitted values that come back unescaped (none may)."""
    found = []
    for value in values:
        if not isinstance(value, str):
            continue
        for probe in PROBES:
            if probe in value and probe in body:
                found.append(probe)
    return found


def escaped(value: str) -> str:
    return escape(value)


# --- database state --------------------------------------------------------------------------------

APPS = ("bapas", "clients", "pokmaslipas", "trainings", "reports", "workbook")
NOT_WRITES = {"bapas.AccessLog"}  # reading a page logs the read; not a write of the form


def snapshot() -> dict:
    """Row counts of every model (history included) of the project's apps."""
    counts = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in APPS and label not in NOT_WRITES:
            counts[label] = model._base_manager.count()
    return counts


def fuzz_world(settings, tmp_path):
    """The permission matrix's world (people, objects), with a cheap password hash and uploads in tmp_path."""
    from tests.security.test_permission_matrix import build_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return build_world()
