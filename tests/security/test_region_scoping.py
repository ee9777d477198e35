"""Every page a regional viewer may open, asked by the viewer of the other region for office A
(``office=TNG``, ``region=BANTEN``): 404, or a page with nothing of office A in it.

The URL names come from the resolver and the outcomes from tests/security/matrix.py, so a new page
open to regional viewers is checked here without being listed.
"""

import pytest
from django.urls import reverse

from tests.security import matrix
from tests.security.test_permission_matrix import (  # noqa: F401 (fixture)
    build_world,
    discover,
    private_storage,
    signed_in_clients,
    url_kwargs,
)

RANGE = {"period": "range", "date_from": "2026-01-01", "date_to": "2026-12-31"}
# The pages that take an office or region filter: these must answer 404, not just show nothing.
FILTERED = {"reports:report", "reports:download", "reports:dashboard_regional"}


def _viewer_pages():
    urls = discover()
    return sorted(
        name
        for name in urls
        if "GET" in matrix.EXPECTED[name]
        and matrix.EXPECTED[name]["GET"]["regional_b"] == matrix.OK
        and name not in matrix.PUBLIC_BY_DESIGN  # a certificate's page shows its office to anyone
    )


@pytest.mark.django_db
def test_another_regions_office_is_404_or_absent_everywhere(private_storage):  # noqa: F811
    people, objects = build_world()
    clients = signed_in_clients(people)
    urls = discover()
    pages = _viewer_pages()
    assert set(pages) >= FILTERED
    refused = set()
    for name in pages:
        _route, converters, _callback = urls[name]
        variants = [None] + [variant for variant, _entry in matrix.VARIANTS.get(name, [])]
        for variant in variants:
            url = reverse(name, kwargs=url_kwargs(name, converters, objects, variant))
            for params in ({**RANGE, "office": "TNG"}, {**RANGE, "office": "tng"}, {**RANGE, "region": "BANTEN"}):
                response = clients["regional_b"].get(url, params)
                if response.status_code == 404:
                    refused.add(name)
                    continue
                assert response.status_code in (200, 302), (name, params, response.status_code)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert b"Tangerang" not in body and b'"TNG"' not in body, (name, params)
            # the viewer of office A's own region reads the same address
            own = clients["regional"].get(url, {**RANGE, "office": "TNG"})
            assert own.status_code in (200, 302), (name, own.status_code)
    assert refused >= FILTERED


@pytest.mark.django_db
def test_the_national_viewer_reads_either_region(private_storage):  # noqa: F811
    people, _objects = build_world()
    client = signed_in_clients(people)["national"]
    for office, region in (("TNG", "BANTEN"), ("BPN", "KALTIM")):
        response = client.get(reverse("reports:download", args=["participation", "json"]), {**RANGE, "office": office})
        assert response.status_code == 200 and response.json()["office"] == office
        response = client.get(reverse("reports:dashboard_regional"), {"region": region})
        assert [row["office"].code for row in response.context["rows"]] == [office]
    mixed = {**RANGE, "office": "TNG", "region": "KALTIM"}
    assert client.get(reverse("reports:download", args=["participation", "json"]), mixed).status_code == 404
