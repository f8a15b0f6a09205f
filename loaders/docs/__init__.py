"""Local documents (PDF, DOCX, HTML, text) into the graph, linked to the graph's own entities.

The flow, one module per step: :mod:`~loaders.docs.extract` reads a file into text and
metadata; :mod:`~loaders.docs.clean` repairs extraction damage; :mod:`~loaders.docs.describe`
finds title, date and language; :mod:`~loaders.docs.lexicon` reads the names the graph
knows; :mod:`~loaders.docs.nlp` builds the spaCy pipelines that find them;
:mod:`~loaders.docs.analysis` turns matches into mentions, ``about`` scores, key terms and
candidate names; :mod:`~loaders.docs.mapping` states it all in BIBFRAME, SKOS and PROV-O;
:class:`~loaders.docs.loader.DocumentLoader` writes one named graph per document.
"""
