"""What the public endpoint refuses to run, and what its errors may say.

A document is measured before validation, in one pass over its AST in which every fragment is
measured once (memoised), so that a document of nested, fanned-out fragment spreads costs time
in proportion to its length, not to its expansion. Over a limit, it is rejected with a clear
error and never validated or executed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

logger = logging.getLogger("graphql_api")

#: Defaults of the ATLAS_GRAPHQL_* settings (cms/settings/base.py states them too).
DEFAULTS = {
    "ATLAS_GRAPHQL_INTROSPECTION": False,
    "ATLAS_GRAPHQL_MAX_DEPTH": 10,
    "ATLAS_GRAPHQL_MAX_ALIASES": 20,
    "ATLAS_GRAPHQL_MAX_TOKENS": 2000,
    "ATLAS_GRAPHQL_MAX_FIELDS": 300,
}
#: Counting stops here: a crafted document's expansion is never computed in full.
CAP = 10**6
UNEXPECTED = "Unexpected error."
_HINT = re.compile(r"\s*Did you mean [^?]*\?")


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Cost:
    """A selection's size once its fragment spreads are expanded."""

    fields: int = 0
    depth: int = 0
    aliases: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            min(self.fields + other.fields, CAP),
            max(self.depth, other.depth),
            min(self.aliases + other.aliases, CAP),
        )


class _Measure:
    def __init__(self, document: DocumentNode):
        self.fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        self.memo: dict[str, Cost] = {}
        self.in_progress: set[str] = set()

    def fragment(self, name: str) -> Cost:
        if name in self.memo:
            return self.memo[name]
        node = self.fragments.get(name)
        if node is None or name in self.in_progress:
            return Cost()  # unknown or cyclic: validation reports it
        self.in_progress.add(name)
        cost = self.selection_set(node.selection_set)
        self.in_progress.discard(name)
        self.memo[name] = cost
        return cost

    def selection_set(self, selection_set: SelectionSetNode | None) -> Cost:
        total = Cost()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self.selection_set(selection.selection_set)
                introspection = selection.name.value.startswith("__")
                total += Cost(
                    fields=inner.fields + 1,
                    # Introspection's nesting (ofType chains) is bounded by the field count.
                    depth=inner.depth + (0 if introspection else 1),
                    aliases=inner.aliases + (1 if selection.alias else 0),
                )
            elif isinstance(selection, InlineFragmentNode):
                total += self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total


def measure(document: DocumentNode) -> Cost:
    """The expanded cost of all operations of a document, linear in the document's length."""
    measuring = _Measure(document)
    total = Cost()
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode):
            total += measuring.selection_set(node.selection_set)
    return total


def limit_errors(document: DocumentNode) -> list[GraphQLError]:
    cost = measure(document)
    checks = [
        ("depth", cost.depth, setting("ATLAS_GRAPHQL_MAX_DEPTH")),
        ("aliases", cost.aliases, setting("ATLAS_GRAPHQL_MAX_ALIASES")),
        ("fields", cost.fields, setting("ATLAS_GRAPHQL_MAX_FIELDS")),
    ]
    return [
        GraphQLError(
            f"The query is too complex: {label} {value if value < CAP else f'>= {CAP}'} "
            f"exceeds the limit of {limit}."
            if label != "depth"
            else f"The query is too deep: depth {value} exceeds the limit of {limit}."
        )
        for label, value, limit in checks
        if value > limit
    ]


def is_unexpected(error: GraphQLError) -> bool:
    """An exception from our code rather than a GraphQL error meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def public_error(error: GraphQLError, *, hints: bool) -> GraphQLError:
    """The error as the client may see it: unexpected ones masked, hints stripped if asked."""
    if is_unexpected(error):
        message = UNEXPECTED
    elif hints:
        return error
    else:
        message = _HINT.sub("", error.message)
        if message == error.message:
            return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=error.extensions if not is_unexpected(error) else None,
    )


class AtlasGuard(SchemaExtension):
    """Token, depth, alias and work limits; introspection by setting; safe error messages.

    Settings are read per operation, so that they can differ per environment and in tests.
    """

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = setting("ATLAS_GRAPHQL_MAX_TOKENS")
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            hints = setting("ATLAS_GRAPHQL_INTROSPECTION")
            result.errors = [public_error(error, hints=hints) for error in result.errors]

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not setting("ATLAS_GRAPHQL_INTROSPECTION"):
            context.validation_rules = (
                *context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        if context.graphql_document is not None:
            errors = limit_errors(context.graphql_document)
            if errors:
                context.pre_execution_errors = errors  # validation and execution are skipped
        yield


def log_errors(errors: list[GraphQLError]) -> None:
    """Unexpected errors are logged with their traceback; the client gets UNEXPECTED."""
    for error in errors:
        if is_unexpected(error):
            logger.error("GraphQL resolver error: %s", error.message, exc_info=error.original_error)
        else:
            logger.debug("GraphQL client error: %s", error.message)
