// Places of the loaded gazetteer, one row per label, with kind and parent.
// Parameters: scheme (IRI of the gazetteer's skos:ConceptScheme).
MATCH (scheme:Resource {uri: $scheme})-[t:rdf_type]->
      (:Resource {uri: "http://www.w3.org/2004/02/skos/core#ConceptScheme"})
WITH scheme, t.g AS g
MATCH (place)-[:skos_inScheme {g: g}]->(scheme)
MATCH (place)-[:skos_notation {g: g}]->(id:Literal)
MATCH (place)-[:skos_prefLabel {g: g}]->(label:Literal)
OPTIONAL MATCH (place)-[:kg_placeKind {g: g}]->(kind)
OPTIONAL MATCH (place)-[:skos_broader {g: g}]->(parent)
RETURN place, id, kind, parent, label
