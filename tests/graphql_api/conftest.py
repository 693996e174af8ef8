import json
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

CONTRACT = Path(settings.BASE_DIR).parent / "shared" / "contract"


def contract_query(name):
    """A front end's query, exactly as the contract keeps it."""
    return (CONTRACT / "queries" / f"{name}.graphql").read_text()


@pytest.fixture
def gql(client):
    """POST a query as JSON; return the decoded response body (asserting HTTP 200)."""

    def run(query, variables=None, status=200, **headers):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        response = client.post(
            "/graphql/", json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == status, response.content
        return response.json()

    return run


@pytest.fixture
def data(gql):
    """gql returning `data`, asserting there are no errors."""

    def run(query, variables=None):
        result = gql(query, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]

    return run


@pytest.fixture
def vancouver(atlas):
    canada = factories.make_country(atlas, "CA", title="Canada", lat=56.1, lng=-106.3)
    return factories.make_post(
        canada,
        title="Consulate-General in Vancouver",
        city="Vancouver",
        kind="consulate_general",
        lat=49.28,
        lng=-123.12,
    )


@pytest.fixture
def ambassador(tokyo):
    return factories.make_person(
        name="Jane Example", role="ambassador", job_title="Ambassador to Japan", post=tokyo
    )
