// Load runs that ended after a time, oldest first: the change feed (kg.web.changes) lists
// a run's changes once its run graph says it ended. Parameters: since (xsd:dateTime).
MATCH (run)-[:rdf_type]->(:Resource {uri: "http://www.w3.org/ns/prov#Activity"})
MATCH (run)-[:prov_endedAtTime]->(ended:Literal)
WHERE datetime(ended.value) >= datetime($since.value)
RETURN run, ended
ORDER BY datetime(ended.value), run.uri
