// class_children computed by counting over the graph (the benchmark's reference).
// Parameters: parent (IRI of a class).
MATCH (class)-[:skos_broader]->(:Resource {uri: $parent})
MATCH (class)-[:skos_notation]->(n:Literal)
WITH class, n {.value, .lang, .datatype} AS notation
OPTIONAL MATCH (descendant)-[:skos_broader*0..]->(class),
               (node)-[:kg_classConcept]->(descendant),
               (work)-[:bf_classification]->(node),
               (instance)-[:bf_instanceOf]->(work)
RETURN class, notation, count(DISTINCT work) AS works
ORDER BY notation.value
