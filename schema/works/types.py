"""Works, instances and items (BIBFRAME 2: bf:Work, bf:Instance, bf:Item) and holdings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.terms import text_of
from kg.vocab import BF, KG, LANGUAGES, RDFS
from schema.common import LangString, Node, described, iris, label, labelled, literal, texts
from schema.context import Info, Props
from schema.relay import Connection, as_is, paged

if TYPE_CHECKING:
    from schema.agents.types import Agent
    from schema.institutions.types import Institution
    from schema.subjects.types import Class, Concept
    from schema.themes.types import Theme

AgentT = Annotated["Agent", strawberry.lazy("schema.agents.types")]
InstitutionT = Annotated["Institution", strawberry.lazy("schema.institutions.types")]
ClassT = Annotated["Class", strawberry.lazy("schema.subjects.types")]
ConceptT = Annotated["Concept", strawberry.lazy("schema.subjects.types")]
ThemeT = Annotated["Theme", strawberry.lazy("schema.themes.types")]


@strawberry.type
class Contribution:
    """bf:Contribution: an agent and the role(s) it had (MARC 1XX/7XX, UNIMARC 7XX)."""

    agent: AgentT
    roles: list[str]


@strawberry.type
class ThemeMembership:
    """Why a work is in a theme: the rules that matched, per record (kg:ThemeMembership)."""

    theme: ThemeT
    rules: list[str]


@strawberry.type
class Work(Node):
    """bf:Work: what the union catalogue merged from every member's records."""

    id: strawberry.ID
    props: strawberry.Private[Props | None] = None
    """What the graph says about the work; ``None`` until a field needs it (a list of
    works asks for none of it when a page shows only titles and holdings)."""

    async def _props(self, info: Info) -> Props:
        if self.props is None:
            self.props = await info.context.describe.load(str(self.id))
        return self.props

    @strawberry.field
    async def label(self, info: Info) -> str | None:
        """The work's title as a portal shows it (its own, or its first instance's)."""
        if self.props is not None and (own := label(self.props, RDFS.label)):
            return own
        titled = await info.context.titles.load(str(self.id))  # the work's, then instances'
        return next((t for _, props in titled if (t := label(props, RDFS.label))), None)

    @strawberry.field
    async def titles(self, info: Info) -> list[LangString]:
        """Uniform and main titles (bf:title), in every script catalogued."""
        return texts(await self._props(info), RDFS.label)

    @strawberry.field
    async def languages(self, info: Info) -> list[str]:
        """MARC language codes (bf:language, id.loc.gov languages)."""
        props = await self._props(info)
        return [u.removeprefix(LANGUAGES.term("")) for u in iris(props, BF.language)]

    @strawberry.field
    async def instances(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Instance]:
        """The instances (editions, manifestations: bf:instanceOf) of the work in the
        union catalogue, by IRI."""
        ids = await info.context.incoming(BF.instanceOf).load(str(self.id))
        return await paged(ids, first, after, str, lambda page: described(info, Instance, page))

    @strawberry.field
    async def contributors(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Contribution]:
        """Agents with their roles (bf:contribution → bf:agent, bf:role)."""
        from schema.agents.types import Agent  # noqa: PLC0415

        nodes = iris(await self._props(info), BF.contribution)
        described = await info.context.describe_many(nodes)
        agents = [iris(p, BF.agent) for p in described]
        agent_props = await info.context.describe_many([a for group in agents for a in group])
        by_id = dict(zip([a for g in agents for a in g], agent_props, strict=True))
        out: list[Contribution] = []
        for node_props, group in zip(described, agents, strict=True):
            roles = [r.rsplit("/", 1)[-1] for r in iris(node_props, BF.role)]
            out.extend(
                Contribution(agent=Agent(id=strawberry.ID(a), props=by_id[a]), roles=roles)
                for a in group
            )
        return await paged(out, first, after, _contribution_key, as_is)

    @strawberry.field
    async def subjects(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ConceptT]:
        """Subject concepts (bf:subject: MARC 6XX, CNMARC 60X), by IRI."""
        from schema.subjects.types import Concept  # noqa: PLC0415

        ids = iris(await self._props(info), BF.subject)
        return await paged(ids, first, after, str, lambda page: labelled(info, Concept, page))

    @strawberry.field
    async def classes(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ClassT]:
        """Classes the work is classed under (bf:classification → kg:classConcept), by IRI."""
        from schema.subjects.types import Class  # noqa: PLC0415

        props = await self._props(info)
        nodes = await info.context.describe_many(iris(props, BF.classification))
        ids = sorted({c for p in nodes for c in iris(p, KG.classConcept)})
        return await paged(ids, first, after, str, lambda page: labelled(info, Class, page))

    @strawberry.field
    async def themes(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[ThemeMembership]:
        """The topic knowledge bases the work is in, and which rules put it there."""
        from schema.themes.types import Theme  # noqa: PLC0415

        rows = info.context.select("work_themes", work=str(self.id))
        rules: dict[str, set[str]] = {}
        for row in rows:
            rules.setdefault(str(row["theme"]), set()).add(text_of(row["rule"]))

        async def build(page: list[str]) -> list[ThemeMembership]:
            props = await info.context.describe_many(page)
            return [
                ThemeMembership(theme=Theme(id=strawberry.ID(t), props=p), rules=sorted(rules[t]))
                for t, p in zip(page, props, strict=True)
            ]

        return await paged(list(rules), first, after, str, build)

    @strawberry.field
    async def holdings(
        self, info: Info, near: str | None = None, first: int = 50, after: str | None = None
    ) -> Connection[Holding]:
        """Every member holding an instance of the work, in interlibrary-loan order:
        core before close before service members, then those in the city of ``near``
        (a roster code), then by code."""
        from schema.works.holdings import holdings_of  # noqa: PLC0415

        found = await holdings_of(info, await info.context.work_holdings.load(str(self.id)), near)
        return await paged(found, first, after, _holding_key, as_is)

    @strawberry.field
    async def related(
        self, info: Info, first: int = 10, after: str | None = None
    ) -> Connection[RelatedWork]:
        """Works sharing its subjects, classes, themes or agents, most shared first
        (the first :data:`MAX_RELATED`)."""
        found = await related_works(info, str(self.id), MAX_RELATED)
        return await paged(found, first, after, lambda r: str(r.work.id), as_is)


@strawberry.type
class Instance(Node):
    """bf:Instance: one edition as catalogued by one or more members (merged)."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    def label(self) -> str | None:
        """The main title."""
        return label(self.props, RDFS.label)

    @strawberry.field
    def titles(self) -> list[LangString]:
        """Main titles in every script catalogued (245/880, 200)."""
        return texts(self.props, RDFS.label)

    @strawberry.field
    def year(self) -> str | None:
        """Year of publication (008/07-10, 260/264 $c, 100/09-12, 210 $d)."""
        return literal(self.props, KG.year)

    @strawberry.field
    def responsibility(self) -> list[LangString]:
        """Statement of responsibility (245 $c, 200 $f)."""
        return texts(self.props, BF.responsibilityStatement)

    @strawberry.field
    async def isbns(self, info: Info) -> list[str]:
        """Valid ISBNs (bf:identifiedBy bf:Isbn)."""
        nodes = iris(self.props, BF.identifiedBy)
        props = await info.context.describe_many(nodes)
        return sorted(
            {
                literal(p, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value") or ""
                for p in props
                if BF.Isbn in iris(p, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
            }
            - {""}
        )

    @strawberry.field
    async def work(self, info: Info) -> Work | None:
        """The work this instance is an instance of (bf:instanceOf)."""
        ids = iris(self.props, BF.instanceOf)
        if not ids:
            return None
        return Work(id=strawberry.ID(ids[0]), props=await info.context.describe.load(ids[0]))

    @strawberry.field
    async def items(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Item]:
        """Items (copies) members hold of this instance (bf:itemOf), by IRI."""
        ids = await info.context.incoming(BF.itemOf).load(str(self.id))
        return await paged(ids, first, after, str, lambda page: described(info, Item, page))

    @strawberry.field
    async def holdings(
        self, info: Info, near: str | None = None, first: int = 50, after: str | None = None
    ) -> Connection[Holding]:
        """Every member holding this instance, in interlibrary-loan order (see Work)."""
        from schema.works.holdings import holdings_of  # noqa: PLC0415

        found = await holdings_of(info, await info.context.holdings.load(str(self.id)), near)
        return await paged(found, first, after, _holding_key, as_is)


@strawberry.type
class Item(Node):
    """bf:Item: a copy held by a member (MARC 852/949/905, CNMARC 905)."""

    id: strawberry.ID
    props: strawberry.Private[Props]

    @strawberry.field
    async def institution(self, info: Info) -> InstitutionT | None:
        """The member that holds it (bf:heldBy)."""
        from schema.institutions.types import Institution  # noqa: PLC0415

        ids = iris(self.props, BF.heldBy)
        if not ids:
            return None
        return Institution(id=strawberry.ID(ids[0]), props=await info.context.describe.load(ids[0]))

    @strawberry.field
    async def instance(self, info: Info) -> Instance | None:
        """The instance it is a copy of (bf:itemOf)."""
        ids = iris(self.props, BF.itemOf)
        if not ids:
            return None
        return Instance(id=strawberry.ID(ids[0]), props=await info.context.describe.load(ids[0]))


@strawberry.type
class Holding:
    """One member's holdings of a work or instance, for interlibrary loan."""

    institution: InstitutionT
    tier: str | None
    items: int
    instances: list[str]


@strawberry.type
class RelatedWork:
    """A work sharing subjects, classes, themes or agents with another."""

    work: Work
    score: int
    via: list[str]


MAX_RELATED = 200
"""How many related works ``Work.related`` lists (the query ranks them all anyway)."""


async def related_works(info: Info, work: str, limit: int) -> list[RelatedWork]:
    """Works most related to ``work`` (one round-trip; the works described when asked)."""
    rows = info.context.select("related_works", work=work, limit=limit)
    return [
        RelatedWork(
            work=Work(id=strawberry.ID(str(r["other"]))),
            score=int(text_of(r["score"])),
            via=sorted(set(text_of(r["via"]).split())),
        )
        for r in rows
    ]


def _holding_key(h: Holding) -> str:
    return str(h.institution.id)


def _contribution_key(c: Contribution) -> str:
    return " ".join((str(c.agent.id), *c.roles))
