"""graphql-core's executor, with a shorter way through the atlas's plain fields.

Nearly all of a large answer is fields read straight off a record: an account's ``handle``,
its ``platform``, a post's ``accounts`` (229,000 fields in the whole atlas at 30,000 accounts).
graphql-core resolves each through strawberry's basic resolver with a ``ResolveInfo`` of 14
fields built for it, then completes it through ``complete_value``'s chain of type checks and,
for an object, four more calls before its fields. For a *plain* field (strawberry resolves it
by attribute: no resolver, no arguments, no extension, no middleware) of a leaf, an object or a
list of non-null leaves or objects, this executor reads the attribute and completes the value
itself with graphql-core's own parts: the leaf type's ``coerce_output_value``, the object
type's ``is_type_of``, ``collect_subfields`` and ``handle_field_error``; an object's plain
leaves are read in one loop. The answer and its errors (their messages, paths and the nulls
they leave) are graphql-core's: anything else, including a null for a non-null field, a value
that does not coerce, ``@defer`` and ``@stream``, goes through graphql-core unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_object_type,
)
from graphql.pyutils import AwaitableOrValue, Path, Undefined, UndefinedType
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from graphql_api.graphql_core_private import invalid_return_type_error, to_nodes

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo
    from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet


@dataclass(frozen=True, slots=True)
class PlainField:
    field: StrawberryField
    type: GraphQLOutputType  # as declared, for graphql-core's error handling
    non_null: bool
    is_list: bool
    list_item_type: GraphQLNonNull | None  # a list's items are non-null
    item_type: GraphQLOutputType  # a leaf or an object type
    leaf: bool


#: An object selection's fields: response key, field details and, for a plain single leaf, how
#: to read it.
Selection: TypeAlias = "list[tuple[str, FieldDetailsList, PlainField | None]]"


@cache
def plain_field(parent_type: GraphQLObjectType, field_name: str) -> PlainField | None:
    """How to read a field by attribute, or None when graphql-core has to execute it."""
    field_def = parent_type.fields.get(field_name)
    if field_def is None or field_def.args or not is_default_resolver(field_def.resolve):
        return None
    strawberry_field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(strawberry_field, StrawberryField) or not strawberry_field.is_basic_field:
        return None
    item_type = field_def.type
    non_null = isinstance(item_type, GraphQLNonNull)
    if non_null:
        item_type = item_type.of_type
    is_list = isinstance(item_type, GraphQLList)
    list_item_type = item_type.of_type if is_list else None
    if is_list:
        if not isinstance(list_item_type, GraphQLNonNull):
            return None  # a null item would be graphql-core's to report
        item_type = list_item_type.of_type
    if not (is_leaf_type(item_type) or is_object_type(item_type)):
        return None  # an interface or a union: graphql-core resolves the runtime type
    return PlainField(
        strawberry_field,
        field_def.type,
        non_null,
        is_list,
        list_item_type,
        item_type,
        is_leaf_type(item_type),
    )


#: What ``read_leaf`` answers when graphql-core has to complete the field (and report its error).
GRAPHQL_CORE = object()


def read_leaf(plain: PlainField, source: object) -> object:
    """A plain leaf's value, coerced as graphql-core coerces it; or GRAPHQL_CORE."""
    try:
        value = plain.field.default_resolver(source, plain.field.python_name)
        if value is None:
            return GRAPHQL_CORE if plain.non_null else None
        if not isinstance(value, Exception):
            coerced = plain.item_type.coerce_output_value(value)
            if coerced is not None and coerced is not Undefined:
                return coerced
    except Exception:  # noqa: BLE001, S110 - graphql-core executes it again and reports it
        pass
    return GRAPHQL_CORE


class AtlasExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A middleware (an extension's ``resolve``) must see every field: then none is plain.
        self.plain_fields = not (self.middleware_manager and self.middleware_manager.middlewares)
        #: The fields of each object selection, by its id (kept alive with it).
        self.selections: dict[int, tuple[GroupedFieldSet, Selection]] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: object,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: object | None,
    ) -> AwaitableOrValue[Any] | UndefinedType:
        node = field_details_list[0].node  # the field's name (the path has its alias)
        plain = None
        if self.plain_fields and position_context is None and not node.directives:
            plain = plain_field(parent_type, node.name.value)
        if plain is None:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        if plain.leaf and not plain.is_list:
            value = read_leaf(plain, source)
            if value is not GRAPHQL_CORE:
                return value
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        subfields = info = None
        if not plain.leaf:
            subfields, defer_usages, _ = self.collect_subfields(plain.item_type, field_details_list)
            if defer_usages:
                return super().execute_field(
                    parent_type, source, field_details_list, path, position_context
                )
            if plain.item_type.is_type_of:  # one info for the field, as graphql-core gives it
                field_def = parent_type.fields[node.name.value]
                info = self.build_resolve_info(
                    field_def, to_nodes(field_details_list), parent_type, path
                )
        try:
            value = plain.field.default_resolver(source, plain.field.python_name)
            if (value is None and plain.non_null) or isinstance(value, Exception):
                return super().execute_field(
                    parent_type, source, field_details_list, path, position_context
                )
            if value is None:
                return None
            if not plain.is_list:
                return self.complete_plain(plain, subfields, info, field_details_list, path, value)
            if not isinstance(value, list | tuple):
                return super().execute_field(
                    parent_type, source, field_details_list, path, position_context
                )
            items = []
            for index, item in enumerate(value):
                item_path = Path(path, index, None)
                try:
                    if item is None:
                        message = "Cannot return null for non-nullable field"
                        raise TypeError(f"{message} {parent_type}.{node.name.value}.")
                    items.append(
                        self.complete_plain(
                            plain, subfields, info, field_details_list, item_path, item
                        )
                    )
                except Exception as raw_error:  # as graphql-core's complete_list_item_value
                    self.handle_field_error(
                        raw_error, plain.list_item_type, field_details_list, item_path
                    )
            return items
        except Exception as raw_error:  # as graphql-core's execute_field
            self.handle_field_error(raw_error, plain.type, field_details_list, path)
            return None

    def complete_plain(
        self,
        plain: PlainField,
        subfields: GroupedFieldSet | None,
        info: GraphQLResolveInfo | None,
        field_details_list: FieldDetailsList,
        path: Path,
        value: object,
    ) -> object:
        """A leaf or an object of a plain field, as graphql-core's ``complete_value``."""
        if isinstance(value, Exception):
            raise value
        if plain.leaf:
            return self.complete_leaf_value(plain.item_type, value)
        object_type = plain.item_type
        if object_type.is_type_of and not object_type.is_type_of(value, info):
            raise invalid_return_type_error(object_type, value, field_details_list)
        return self.execute_plain_fields(object_type, value, path, subfields)

    def execute_plain_fields(
        self, object_type: GraphQLObjectType, source: object, path: Path, subfields: GroupedFieldSet
    ) -> dict[str, object]:
        """An object's fields, as graphql-core's ``execute_fields``; its plain leaves read here
        (their paths are only made when graphql-core has to report an error)."""
        completed = {}
        for key, details, leaf in self.selection(object_type, subfields):
            if leaf is not None:
                value = read_leaf(leaf, source)
                if value is not GRAPHQL_CORE:
                    completed[key] = value
                    continue
            value = self.execute_field(
                object_type, source, details, Path(path, key, object_type.name), None
            )
            if value is Undefined:
                continue
            if self.is_awaitable(value):
                message = (
                    "An asynchronous resolver under a plain field: the atlas's are synchronous."
                )
                raise TypeError(message)
            completed[key] = value
        return completed

    def selection(self, object_type: GraphQLObjectType, subfields: GroupedFieldSet) -> Selection:
        found = self.selections.get(id(subfields))
        if found is None:
            fields = []
            for key, details in subfields.items():
                node = details[0].node
                leaf = None if node.directives else plain_field(object_type, node.name.value)
                fields.append(
                    (key, details, leaf if leaf and leaf.leaf and not leaf.is_list else None)
                )
            found = self.selections[id(subfields)] = (subfields, fields)
        return found[1]
