"""The cost limit of a query: how many fields it may resolve, every list at its page size.

Depth, alias and token limits do not bound the work of a query whose lists nest: themes
(100) → subthemes (100) → works (100) → holdings (50) is shallow and short, yet asks for
50 million holdings. Every list of the API is a connection with ``first`` (at most
:data:`~schema.relay.MAX_PAGE`), so the worst case of a document is known before it runs:
a field counts once for every row of every list above it, a connection's rows being its
``first`` (the literal or the variable's value; the field's default when absent). It is
checked after validation (which is cached per document) with the request's variables, so
``works(first: $n)`` costs what ``$n`` asks.

>>> from graphql import parse
>>> from schema import schema
>>> doc = parse('{ themes(first: 10) { nodes { subthemes { nodes { key } } } } }')
>>> query_cost(schema._schema, doc)
1021
>>> deep = parse('query($n: Int!) { themes(first: $n) { nodes { subthemes(first: $n) {'
...              ' nodes { subthemes(first: $n) { nodes { key } } } } } } }')
>>> query_cost(schema._schema, deep, {"n": 10})
2221
>>> print(too_costly(schema._schema, deep, {"n": 100}).message)  # doctest: +ELLIPSIS
The query may resolve 2,020,201 fields, more than 50,000: ask for smaller pages ...
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from schema.relay import MAX_PAGE

MAX_COST = 50_000
"""The most fields a query may resolve. The contract documents cost 15–15,443 (the theme
page: 20 works, each with up to 50 holdings, and every theme with up to 50 subthemes); a
class page of 100 works with their holdings 41,207; three lists of 100 nested, 2 million."""

Fields = GraphQLObjectType | GraphQLInterfaceType


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> int:
    """The worst-case number of fields the operation (named, or the document's first)
    resolves with ``variables``."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (
            o
            for o in operations
            if operation_name is None or (o.name and o.name.value == operation_name)
        ),
        None,
    )
    if operation is None:
        return 0  # no such operation: refused by execution
    return _Cost(schema, fragments, operation, variables or {}).total()


def too_costly(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> GraphQLError | None:
    """The error for an operation costing more than :data:`MAX_COST`, or None."""
    cost = query_cost(schema, document, variables, operation_name)
    if cost <= MAX_COST:
        return None
    return GraphQLError(
        f"The query may resolve {cost:,} fields, more than {MAX_COST:,}: ask for smaller "
        "pages (first:) or fewer nested lists",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": MAX_COST},
    )


class CostLimiter(SchemaExtension):
    """Refuses, before it runs, an operation that may resolve more than
    :data:`MAX_COST` fields (after the cached validation, with the request's variables)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors == [] and context.graphql_document is not None:
            error = too_costly(
                context.schema._schema,
                context.graphql_document,
                context.variables,
                context.operation_name,
            )
            if error is not None:
                context.pre_execution_errors = [error]  # a new list: the cached one is shared
        yield


class _Cost:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.operation = operation
        self.variables = variables
        self.defaults = {
            v.variable.name.value: v.default_value for v in operation.variable_definitions or ()
        }

    def total(self) -> int:
        root = self.schema.get_root_type(self.operation.operation)
        if root is None:
            return 0
        return self.selections(self.operation.selection_set, root, 1, frozenset())

    def selections(
        self, selection_set: SelectionSetNode, parent: Any, rows: int, seen: frozenset[str]
    ) -> int:
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += rows
                definition = (
                    parent.fields.get(sel.name.value) if hasattr(parent, "fields") else None
                )
                if definition is None or sel.selection_set is None:
                    continue  # __typename, or a field other rules refuse
                child = get_named_type(definition.type)
                each = rows * self.page(sel, definition) if _is_connection(child) else rows
                total += self.selections(sel.selection_set, child, each, seen)
            elif isinstance(sel, InlineFragmentNode):
                kind = (
                    self.schema.get_type(sel.type_condition.name.value)
                    if sel.type_condition
                    else parent
                )
                total += self.selections(sel.selection_set, kind, rows, seen)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = self.fragments.get(sel.name.value)
                if fragment is None or fragment.name.value in seen:
                    continue  # unknown or cyclic: refused by the standard rules
                kind = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(
                    fragment.selection_set, kind, rows, seen | {fragment.name.value}
                )
        return total

    def page(self, field: FieldNode, definition: Any) -> int:
        """The rows a connection field may return: its ``first``, capped."""
        arg = next((a for a in field.arguments or () if a.name.value == "first"), None)
        if arg is None:
            default = definition.args.get("first")
            value = default.default_value if default is not None else MAX_PAGE
            return _capped(value if isinstance(value, int) else MAX_PAGE)
        node = arg.value
        if isinstance(node, VariableNode):
            value = self.variables.get(node.name.value)
            if isinstance(value, int):
                return _capped(value)
            node = self.defaults.get(node.name.value) or node
        if isinstance(node, IntValueNode):
            return _capped(int(node.value))
        return MAX_PAGE


def _is_connection(kind: Any) -> bool:
    return isinstance(kind, Fields) and "pageInfo" in kind.fields


def _capped(first: int) -> int:
    return max(0, min(first, MAX_PAGE))
