"""Loaders of controlled vocabularies (classification schemes, thesauri) as SKOS.

Each vocabulary goes into a named graph of its own (``<base>graph/vocab/<name>``), which
a reload replaces as a whole; its concepts carry the URIs the record mapping already
links to (``Minter.klass`` for classes), so records and vocabulary meet without a join.
"""
