"""The GraphQL schema: one root composed from the domains (works, agents, subjects and
classes, themes, institutions, places, search), each in its own folder.

``schema/schema.graphql`` is the exported SDL; ``tests/test_api.py``
(``test_the_committed_sdl_is_the_schema_in_the_code``) fails when it differs from the code
(regenerate with ``kg schema > schema/schema.graphql``).
"""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types

from schema.cost import CostLimiter
from schema.institutions.queries import InstitutionQuery
from schema.places.queries import PlaceQuery
from schema.quality.queries import QualityQuery
from schema.search.types import SearchQuery
from schema.subjects.queries import SubjectQuery
from schema.themes.queries import ThemeQuery
from schema.works.queries import Entity, WorkQuery

MAX_DEPTH = 12
"""Deepest selection a query may nest (a class → works → holdings → institution page is 6)."""
MAX_TOKENS = 4000
MAX_ALIASES = 30

LIMITS = (
    QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules
    + MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules
)
"""The depth and alias rules, made once. ``QueryDepthLimiter`` and ``MaxAliasesLimiter``
make a new rule class per instance, so per request when given as factories; the
ValidationCache is keyed by the rules too, and missed on every request."""

Query = merge_types(
    "Query",
    (WorkQuery, SubjectQuery, ThemeQuery, InstitutionQuery, PlaceQuery, SearchQuery, QualityQuery),
)

schema = strawberry.Schema(
    query=Query,
    types=[Entity],
    extensions=[
        # portals send the same few documents: parse and validate each once (module-level
        # LRU caches; validation was a fifth of a small page's time)
        partial(ParserCache, maxsize=256),
        partial(ValidationCache, maxsize=256),
        CostLimiter,  # after the cached validation, with the request's variables
        partial(AddValidationRules, list(LIMITS)),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
    ],
)
