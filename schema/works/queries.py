"""Root fields of the works domain, and ``node``: any entity by its URI."""

from __future__ import annotations

import strawberry

from kg.vocab import BF, ORG, RDFS, SCHEMA, SKOS
from schema.agents.types import Agent
from schema.common import LangString, Node, label, texts, types
from schema.context import Info, Props
from schema.errors import NotFound
from schema.works.types import Instance, Item, Work


@strawberry.type
class Entity(Node):
    """Any other entity of the graph (a record, a load run, a title node…)."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """A label, if it has one."""
        return label(self.props, SKOS.prefLabel, RDFS.label)

    @strawberry.field
    def labels(self) -> list[LangString]:
        """Every label."""
        return texts(self.props, SKOS.prefLabel, RDFS.label)

    @strawberry.field
    def rdf_types(self) -> list[str]:
        """Its rdf:type IRIs."""
        return sorted(types(self.props))


def as_node(uri: str, props: Props, base: str) -> Node:
    """The GraphQL type for an entity, chosen by its rdf:type (and where it was minted)."""
    from schema.institutions.types import Institution  # noqa: PLC0415
    from schema.places.types import Place  # noqa: PLC0415
    from schema.subjects.types import Class, ClassificationScheme, Concept  # noqa: PLC0415
    from schema.themes.types import Theme  # noqa: PLC0415

    kinds = types(props)
    i = strawberry.ID(uri)
    if BF.Work in kinds:
        return Work(id=i, props=props)
    if BF.Instance in kinds:
        return Instance(id=i, props=props)
    if BF.Item in kinds:
        return Item(id=i, props=props)
    if kinds & {BF.Agent, BF.Person, BF.Organization, BF.Meeting, BF.Family}:
        return Agent(id=i, props=props)
    if kinds & {ORG.Organization, ORG.FormalOrganization}:
        return Institution(id=i, props=props)
    if SCHEMA.Place in kinds:
        return Place(id=i, props=props)
    if uri.startswith(f"{base}theme/"):
        return Theme(id=i, props=props)
    if SKOS.ConceptScheme in kinds:
        return ClassificationScheme(id=i, props=props)
    if uri.startswith(f"{base}class/"):
        return Class(id=i, props=props)
    if SKOS.Concept in kinds:
        return Concept(id=i, props=props)
    return Entity(id=i, props=props)


@strawberry.type
class WorkQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node:
        """Any entity by its URI."""
        props = await info.context.describe.load(str(id))
        if not props:
            raise NotFound(f"No entity {id!r} in the graph: ids are the URIs the service mints")
        return as_node(str(id), props, info.context.ids.base)

    @strawberry.field
    async def work(self, info: Info, id: strawberry.ID) -> Work:
        """A work by its URI."""
        return await _typed(info, str(id), BF.Work, Work, "work")  # type: ignore[return-value]

    @strawberry.field
    async def document(self, info: Info, id: strawberry.ID) -> Work:
        """A local document loaded by `kg load docs` (a work) by its URI."""
        return await _typed(info, str(id), BF.Work, Work, "document")  # type: ignore[return-value]

    @strawberry.field
    async def instance(self, info: Info, id: strawberry.ID) -> Instance:
        """An instance by its URI."""
        return await _typed(info, str(id), BF.Instance, Instance, "instance")  # type: ignore[return-value]

    @strawberry.field
    async def item(self, info: Info, id: strawberry.ID) -> Item:
        """An item by its URI."""
        return await _typed(info, str(id), BF.Item, Item, "item")  # type: ignore[return-value]

    @strawberry.field
    async def agent(self, info: Info, id: strawberry.ID) -> Agent:
        """An agent by its URI."""
        props = await info.context.describe.load(str(id))
        if not props:
            raise NotFound(f"No agent {id!r} in the graph")
        return Agent(id=id, props=props)


async def _typed(info: Info, uri: str, kind: str, cls: type, name: str) -> object:
    props = await info.context.describe.load(uri)
    if not props:
        raise NotFound(f"No {name} {uri!r} in the graph")
    if kind not in types(props):
        raise NotFound(f"{uri!r} is not a {name}: ask node(id:) for any entity")
    return cls(id=strawberry.ID(uri), props=props)
