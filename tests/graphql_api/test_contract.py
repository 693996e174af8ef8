"""The project's schema keeps the front ends' contract and its own printed snapshot."""

import importlib
import os
import sys
from pathlib import Path

from graphql import build_schema, find_breaking_changes, parse, validate

from graphql_api.schema import schema
from tests.graphql_api.conftest import CONTRACT

SNAPSHOT = Path(__file__).with_name("schema.graphql")
#: The schema as clients see it: built from its printed SDL.
PUBLISHED = build_schema(schema.as_str())


def test_the_contract_is_not_broken():
    contract = build_schema((CONTRACT / "atlas.graphql").read_text())
    assert find_breaking_changes(contract, PUBLISHED) == []


def test_the_front_ends_queries_are_valid():
    queries = sorted((CONTRACT / "queries").glob("*.graphql"))
    assert len(queries) == 4
    for path in queries:
        assert validate(PUBLISHED, parse(path.read_text())) == [], path.name


def test_printed_schema_matches_the_snapshot():
    """Regenerate with UPDATE_SCHEMA_SNAPSHOT=1 (or `manage.py export_schema
    graphql_api.schema --path tests/graphql_api/schema.graphql`)."""
    printed = schema.as_str() + "\n"
    if os.environ.get("UPDATE_SCHEMA_SNAPSHOT"):
        SNAPSHOT.write_text(printed)
    assert printed == SNAPSHOT.read_text()


def test_production_turns_graphiql_and_introspection_off_by_default(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only")
    monkeypatch.delenv("ATLAS_GRAPHIQL", raising=False)
    monkeypatch.delenv("ATLAS_GRAPHQL_INTROSPECTION", raising=False)
    for name in ("cms.settings.base", "cms.settings.dev", "cms.settings.production"):
        monkeypatch.delitem(sys.modules, name, raising=False)  # fresh, restored afterwards
    production = importlib.import_module("cms.settings.production")
    dev = importlib.import_module("cms.settings.dev")
    assert production.ATLAS_GRAPHIQL is False
    assert production.ATLAS_GRAPHQL_INTROSPECTION is False
    assert production.STRAWBERRY_DJANGO["PAGINATION_MAX_LIMIT"] == 200
    assert (dev.ATLAS_GRAPHIQL, dev.ATLAS_GRAPHQL_INTROSPECTION) == (True, True)
