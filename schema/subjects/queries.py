"""Root fields of the subjects-and-classes domain."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import NotFound
from schema.subjects.types import Class, ClassificationScheme, Concept


@strawberry.type
class SubjectQuery:
    @strawberry.field
    async def concept(self, info: Info, id: str) -> Concept:
        """A subject concept by its URI."""
        props = await info.context.describe.load(id)
        if not props:
            raise NotFound(f"No concept {id!r} in the graph")
        return Concept(id=strawberry.ID(id), props=props)

    @strawberry.field(name="class")  # type: ignore[untyped-decorator]  # the named overload is untyped
    async def class_(self, info: Info, id: str, scheme: str = "clc") -> Class:
        """A class by its URI, or by its notation in a scheme (``F127``, scheme ``clc``)."""
        uri = id if "/" in id else info.context.ids.klass(scheme, id)
        props = await info.context.describe.load(uri)
        if not props:
            raise NotFound(f"No class {id!r} in scheme {scheme!r}")
        return Class(id=strawberry.ID(uri), props=props)

    @strawberry.field
    async def classification_scheme(self, info: Info, id: str = "clc") -> ClassificationScheme:
        """A classification scheme by its URI or key (``clc``)."""
        uri = id if "/" in id else info.context.ids.scheme(id)
        props = await info.context.describe.load(uri)
        if not props:
            raise NotFound(f"No classification scheme {id!r}: load it with `kg load vocab`")
        return ClassificationScheme(id=strawberry.ID(uri), props=props)
