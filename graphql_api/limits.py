"""What the public endpoint refuses to run, and what its errors may say.

A document is measured before validation, in one pass over its AST in which every fragment is
measured once (memoised), so that a document of nested, fanned-out fragment spreads costs time
in proportion to its length, not to its expansion. Over a limit, it is rejected with a clear
error and never validated or executed.

Its cost, the work it causes, is then estimated during validation (before execution): the
number of values the answer will hold, with every list multiplied by the number of rows it is
expected to have (the atlas's current counts, cached, or the page size asked for). The budget
grows with the atlas, since reading the whole atlas once (the map's WholeAtlas query) is
legitimate while reading it fifteen times over in aliases is not. The answer is held to the
same budget after execution, for data skewed away from the estimate.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VisitorAction,
    get_named_type,
    get_nullable_type,
    value_from_ast_untyped,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from atlas_pages.publication import public_atlas
from atlas_pages.publication.outage import DATABASE_DOWN
from atlas_pages.rules.regions import REGIONS
from graphql_api.queries import SEARCH_MAX_LIMIT
from graphql_api.types import FOLLOWER_HISTORY_MAX_DAYS, RECENT_POSTS_MAX_LIMIT, EvidenceKind

logger = logging.getLogger("graphql_api")

#: The limits, stated here only; a setting of the same name overrides one (per environment, or
#: in a test). Documents over the first four are rejected before validation and execution. The
#: cost is the work a query may cause, in values of its answer (each list multiplied by its
#: expected rows: the atlas's counts or the page size): a base, plus an allowance per public
#: object, so that the whole atlas can be read in one request however large it grows, but not
#: many times over; estimated before execution, the answer is held to it too.
DEFAULTS = {
    "ATLAS_GRAPHQL_MAX_TOKENS": 2000,
    "ATLAS_GRAPHQL_MAX_DEPTH": 10,
    "ATLAS_GRAPHQL_MAX_ALIASES": 20,
    "ATLAS_GRAPHQL_MAX_FIELDS": 300,  # field selections after expanding fragments
    "ATLAS_GRAPHQL_COST_BASE": 20_000,
    "ATLAS_GRAPHQL_COST_PER_OBJECT": 15,
}
#: A post's coverage has a cell for every platform, also those without a public account (not
#: in AtlasSizes.platforms): the estimate allows this many more.
COVERAGE_SPARE_PLATFORMS = 5
#: Counting stops here: a crafted document's expansion is never computed in full.
CAP = 10**6
#: The same for the estimated cost, which multiplies list sizes.
COST_CAP = 10**15
UNEXPECTED = "Unexpected error."
UNAVAILABLE = "The atlas is temporarily unavailable; please try again in a minute."
#: The code (errors[].extensions.code) of an outage: the client is to retry.
UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
_HINT = re.compile(r"\s*Did you mean [^?]*\?")
_QUOTED = re.compile(r"'([^'\s]+)'")
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
#: Names every client knows without introspection (the spec's scalars, the root type).
_KNOWN_NAMES = frozenset({"String", "Int", "Float", "Boolean", "ID", "Query"})


def setting(name: str) -> int:
    """A limit: its setting, else its default."""
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
    def __init__(self, document: DocumentNode) -> None:
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
                # Introspection (__schema, __type, __typename) adds no depth, nor does anything
                # inside it: its nesting (the ofType chains of every client's standard query)
                # follows the schema's fixed shape and is bounded by the field count.
                introspection = selection.name.value.startswith("__")
                total += Cost(
                    fields=inner.fields + 1,
                    depth=0 if introspection else inner.depth + 1,
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


def is_outage(error: GraphQLError) -> bool:
    """The database could not answer: the client should retry, not read an empty answer."""
    if isinstance(error.original_error, DATABASE_DOWN):
        return True
    return (error.extensions or {}).get("code") == UNAVAILABLE_CODE


def is_unexpected(error: GraphQLError) -> bool:
    """An exception from our code rather than a GraphQL error meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _without_hidden_names(message: str, known: set[str]) -> str:
    """The message with every quoted schema name that the client did not send replaced, so that
    without introspection an error reveals no type, field or enum value (e.g. "Value 'X' does
    not exist in 'PostKind' enum.")."""

    def replace(match: re.Match[str]) -> str:
        names = _NAME.findall(match.group(1))
        hidden = any(name not in known and name not in _KNOWN_NAMES for name in names)
        return "'(hidden)'" if hidden else match.group(0)

    return _QUOTED.sub(replace, _HINT.sub("", message))


def public_error(
    error: GraphQLError, *, hints: bool, known: set[str] | None = None
) -> GraphQLError:
    """The error as the client may see it: an outage said as such, unexpected ones masked; with
    ``hints`` off, no suggestion and no name the client did not send (``known``: the names in
    its document and variables)."""
    extensions = error.extensions
    if is_outage(error):
        message, extensions = UNAVAILABLE, {"code": UNAVAILABLE_CODE}
    elif is_unexpected(error):
        message, extensions = UNEXPECTED, None
    elif hints:
        return error
    else:
        message = _without_hidden_names(error.message, known or set())
        if message == error.message:
            return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def names_sent(query: str | None, variables: dict | None) -> set[str]:
    """The names a client wrote itself: in its document and in its variables' values."""
    names = set(_NAME.findall(query or ""))
    names.update(_NAME.findall(str(variables or "")))
    return names


# Cost ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtlasSizes:
    """How many public objects of each kind the atlas holds: the rows a list may return."""

    countries: int = 0
    posts: int = 0
    people: int = 0
    accounts: int = 0
    platforms: int = 0

    @property
    def objects(self) -> int:
        return self.countries + self.posts + self.people + self.accounts

    def of(self, type_name: str) -> int | None:
        """The count of the type's objects; None for a type that is not an atlas object."""
        if type_name == "Change":  # changes(since:) lists each object once at most
            return max(self.objects, 1)
        attribute = {
            "Country": "countries",
            "Post": "posts",
            "Person": "people",
            "Account": "accounts",
            "Platform": "platforms",
            # Confirmed one by one by the press desk, each pretending to be an account: far
            # fewer than the accounts (and not counted, so that no estimate reads them).
            "Impersonator": "accounts",
        }.get(type_name)
        return max(getattr(self, attribute), 1) if attribute else None


def atlas_sizes() -> AtlasSizes:
    """The public atlas's current counts, from its default language (translations of its
    pages are the rest; people and accounts are language-neutral)."""
    atlas = public_atlas.public_atlas()
    return AtlasSizes(
        countries=len(atlas.countries),
        posts=len(atlas.posts),
        people=len(atlas.people),
        accounts=len(atlas.accounts),
        platforms=len(atlas.platforms),
    )


def budget(sizes: AtlasSizes) -> int:
    """The most values one answer may hold: a base, plus an allowance per public object that
    admits the map's whole atlas about twice (it costs 6 to 15 values per object), not five
    copies of the country tree."""
    return setting("ATLAS_GRAPHQL_COST_BASE") + setting("ATLAS_GRAPHQL_COST_PER_OBJECT") * (
        sizes.objects
    )


class _Estimate:
    """The expected number of values in the answer to a document: each field counts once per
    object it is resolved on, each list multiplies its selection by its expected rows.

    A root list returns every public object of its type (``countries``, ``platforms``), a page
    (``pagination.limit``, default and cap from STRAWBERRY_DJANGO) or the search limit; a nested
    list of T under P returns count(T) / count(P) on average (a country's posts; a post's or a
    person's accounts: accounts / (posts + people)). Introspection counts one per field.
    Fragments are estimated once per type.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any] | None,
        sizes: AtlasSizes,
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.sizes = sizes
        self.fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, str, int], int] = {}
        self.in_progress: set[str] = set()

    def _arguments(self, field: FieldNode) -> dict:
        arguments = {}
        for argument in field.arguments or ():
            try:
                arguments[argument.name.value] = value_from_ast_untyped(
                    argument.value, self.variables
                )
            except Exception:  # noqa: BLE001 - a malformed value: validation reports it
                arguments[argument.name.value] = None
        return arguments

    def _rows(
        self,
        parent: GraphQLNamedType,
        field: FieldNode,
        item_type: GraphQLNamedType,
        page: int | None,
    ) -> int:
        """How many items a list field is expected to return."""
        arguments = self._arguments(field)
        if field.name.value == "results" and page is not None:
            return page
        if field.name.value == "search":
            limit = arguments.get("limit")
            return max(0, min(limit, SEARCH_MAX_LIMIT)) if isinstance(limit, int) else 20
        if item_type.name == "PlatformCount":  # one per platform at most
            return max(self.sizes.platforms, 1)
        if item_type.name == "FormCount":  # one per platform and form: rarely two a platform
            return max(self.sizes.platforms, 1)
        if item_type.name == "CoverageCell":  # one per platform (a few have no public account)
            return max(self.sizes.platforms, 1) + COVERAGE_SPARE_PLATFORMS
        if item_type.name == "RegionCompleteness":  # one per continent at most
            return len(REGIONS)
        if item_type.name == "Evidence":  # one per kind of confirmation at most
            return len(EvidenceKind)
        if item_type.name == "FollowerPoint":  # one a day over the days asked for
            days = arguments.get("days")
            days = days if isinstance(days, int) else 365
            return max(0, min(days, FOLLOWER_HISTORY_MAX_DAYS))
        if item_type.name == "RecentPost":
            limit = arguments.get("limit")
            return max(0, min(limit, RECENT_POSTS_MAX_LIMIT)) if isinstance(limit, int) else 3
        count = self.sizes.of(item_type.name)
        if count is None:  # introspection's lists count as written; any other, at its worst
            return 1 if item_type.name.startswith("__") else max(self.sizes.objects, 1)
        if parent is self.schema.query_type:
            return count
        parents = self.sizes.of(parent.name) or 1
        if item_type.name == "Account" and parent.name in ("Post", "Person"):
            parents = self.sizes.posts + self.sizes.people  # an account has one owner of both
        return max(1, -(-count // max(parents, 1)))  # the average, rounded up

    def _page(self, field: FieldNode, field_type: GraphQLNamedType) -> int | None:
        """The page size a paginated field (an object with ``results``) asks for."""
        if not isinstance(field_type, GraphQLObjectType) or "results" not in field_type.fields:
            return None
        options = getattr(settings, "STRAWBERRY_DJANGO", {})
        default = options.get("PAGINATION_DEFAULT_LIMIT", 50)
        most = options.get("PAGINATION_MAX_LIMIT", 200)
        pagination = self._arguments(field).get("pagination")
        limit = pagination.get("limit") if isinstance(pagination, dict) else None
        limit = limit if isinstance(limit, int) and limit >= 0 else default
        results = get_named_type(field_type.fields["results"].type)
        return min(limit, most if most else limit, self.sizes.of(results.name) or limit)

    def selection_set(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode | None,
        page: int | None = None,
    ) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(inner or parent, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
            total = min(total, COST_CAP)
        return total

    def fragment(self, name: str, page: int | None) -> int:
        node = self.fragments.get(name)
        if node is None or name in self.in_progress:
            return 0  # unknown or cyclic: validation reports it
        key = (name, node.type_condition.name.value, page or 0)
        if key not in self.memo:
            self.in_progress.add(name)
            parent = self.schema.get_type(node.type_condition.name.value)
            self.memo[key] = self.selection_set(parent, node.selection_set, page)
            self.in_progress.discard(name)
        return self.memo[key]

    def field(self, parent: GraphQLNamedType, field: FieldNode, page: int | None) -> int:
        fields = getattr(parent, "fields", None) or {}
        definition = fields.get(field.name.value)
        if definition is None or not field.selection_set:
            return 1  # a leaf, __typename, or an unknown field that validation reports
        field_type = get_nullable_type(definition.type)
        rows = 1
        if isinstance(field_type, GraphQLList):
            rows = self._rows(parent, field, get_named_type(field_type), page)
        named = get_named_type(field_type)
        inner = self.selection_set(named, field.selection_set, self._page(field, named))
        return min(COST_CAP, 1 + rows * inner)


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None,
    sizes: AtlasSizes,
) -> int:
    """The expected number of values in the answer to the document's operations."""
    estimate = _Estimate(schema, document, variables, sizes)
    return min(
        COST_CAP,
        sum(
            estimate.selection_set(schema.query_type, node.selection_set)
            for node in document.definitions
            if isinstance(node, OperationDefinitionNode)
        ),
    )


def cost_error(cost: int, allowed: int, *, estimated: bool = True) -> GraphQLError:
    what = "an estimated cost" if estimated else "an answer"
    return GraphQLError(
        f"The query is too costly: {what} of {min(cost, COST_CAP)} values "
        f"exceeds the budget of {allowed}. Ask for fewer lists, or page through them.",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": allowed},
    )


def answer_size(data: object) -> int:
    """The number of fields in an answer, counted as the estimate counts them: once per object
    that each is answered on. (Only dicts and lists are walked: the answer of 30,000 accounts
    has 230,000 leaves.)"""
    size, pending = 0, [data] if type(data) is dict or type(data) is list else []
    pop, push = pending.pop, pending.append
    while pending:
        value = pop()
        if type(value) is dict:
            size += len(value)
            value = value.values()
        for item in value:
            if type(item) is dict or type(item) is list:
                push(item)
    return size


class AtlasGuard(SchemaExtension):
    """Token, depth, alias and cost limits; introspection by setting; safe error messages.

    Settings are read per operation, so that they can differ per environment and in tests.
    """

    #: The operation's cost budget, once its document was estimated (one instance per operation).
    budget: int | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = setting("ATLAS_GRAPHQL_MAX_TOKENS")
        yield
        result = context.result
        if result is not None and result.errors:
            hints = settings.ATLAS_GRAPHQL_INTROSPECTION
            known = names_sent(context.query, context.variables)
            result.errors = [
                public_error(error, hints=hints, known=known) for error in result.errors
            ]

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not settings.ATLAS_GRAPHQL_INTROSPECTION:
            context.validation_rules = (
                *context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        if context.graphql_document is not None:
            errors = limit_errors(context.graphql_document)
            if errors:
                context.pre_execution_errors = errors  # validation and execution are skipped
            else:
                context.validation_rules = (*context.validation_rules, self.cost_rule())
        yield

    def cost_rule(self) -> type[ValidationRule]:
        """A validation rule refusing a document whose estimated cost is over the budget."""
        guard, variables = self, self.execution_context.variables

        class CostRule(ValidationRule):
            def enter_document(self, node: DocumentNode, *_args: object) -> VisitorAction:
                sizes = atlas_sizes()
                guard.budget = budget(sizes)
                cost = estimate_cost(self.context.schema, node, variables, sizes)
                if cost > guard.budget:
                    self.report_error(cost_error(cost, guard.budget))
                return self.BREAK

        return CostRule

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or result.data is None or self.budget is None:
            return
        size = answer_size(result.data)
        if size > self.budget:  # the data was skewed away from the estimate
            result.data = None
            result.errors = [cost_error(size, self.budget, estimated=False)]


def log_errors(errors: list[GraphQLError]) -> None:
    """Unexpected errors are logged with their traceback; the client gets UNEXPECTED."""
    for error in errors:
        if is_unexpected(error):
            logger.error("GraphQL resolver error: %s", error.message, exc_info=error.original_error)
        else:
            logger.debug("GraphQL client error: %s", error.message)
