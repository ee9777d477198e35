"""Security headers on pages, error pages and downloads; no inline script or style in any page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_security_headers(response):
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, "no Content-Security-Policy header"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin"
    assert_privacy_headers(response)


def assert_privacy_headers(response):
    assert response.headers.get("Permissions-Policy") == "camera=(), microphone=(), geolocation=(), payment=()"
    assert response.headers.get("Cross-Origin-Resource-Policy") == "same-origin"


def parameterless_get_urls():
    """Every URL of the project that needs no argument (discovered, not a hand-kept list)."""
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return sorted(set(names))


def test_login_page_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("role_fixture", ["alice", "kasi_a", "admin_a", "kasubsi_a", "kabapas_a", "rita"])
def test_every_page_has_headers_and_no_inline_script_or_style(request, login, role_fixture):
    client = login(request.getfixturevalue(role_fixture))
    checked = 0
    for name in parameterless_get_urls():
        url = reverse(name)
        response = client.get(url)
        if response.status_code >= 500:
            pytest.fail(f"{name} answered {response.status_code}")
        assert_security_headers(response)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            body = response.content.decode()
            assert not INLINE_SCRIPT.search(body), f"inline <script> in {name}"
            assert not INLINE_STYLE.search(body), f"inline style attribute in {name}"
            assert not INLINE_HANDLER.search(body), f"inline event handler in {name}"
            checked += 1
    assert checked >= 3


def test_error_pages_have_headers(login, alice, admin_b, admin_a):
    forbidden = login(alice).get(reverse("bapas:staff_list"))
    assert forbidden.status_code == 403
    assert_security_headers(forbidden)
    missing = login(admin_b).get(reverse("bapas:staff_edit", args=[admin_a.pk]))
    assert missing.status_code == 404
    assert_security_headers(missing)


def test_static_files_are_nosniff(client):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert_privacy_headers(response)
    assert "no-store" not in response.get("Cache-Control", "")  # static files stay cacheable


DOWNLOADS = [
    # (url name, args, query, signed-in fixture)
    ("workbook:import_template", [], {}, "admin_a"),
    ("reports:download", ["participation", "csv"], {"period": "year", "year": "2023"}, "kasi_a"),
    ("reports:download", ["participation", "xlsx"], {"period": "year", "year": "2023"}, "kasi_a"),
]


@pytest.mark.parametrize(("name", "args", "query", "user_fixture"), DOWNLOADS)
def test_downloads_are_attachments_with_safe_headers(request, login, name, args, query, user_fixture):
    url = reverse(name, args=args)
    response = login(request.getfixturevalue(user_fixture)).get(url, query)
    if response.status_code == 302 and "/berkas/" in response.get("Location", ""):
        pytest.skip(f"{name} is generated in the background")
    assert response.status_code == 200, f"{name} answered {response.status_code}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Content-Disposition", "").startswith("attachment")
    assert not response["Content-Type"].startswith("text/html")
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert "no-store" in response.headers.get("Cache-Control", "")
    assert_privacy_headers(response)
