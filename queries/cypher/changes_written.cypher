// The entities the graphs written by one run describe (typed subjects minted under the
// base, fragment nodes left out), and whether each existed before the run: described in
// a graph no later run wrote, or named by a tombstone (kg.web.changes).
// Parameters: run (IRI), ended (xsd:dateTime, the run's end), base (the URIs' prefix).
MATCH (written:Resource)-[:prov_wasGeneratedBy]->(:Resource {uri: $run})
WITH written.uri AS graph
MATCH (entity:Resource)-[:rdf_type {g: graph}]->()
WHERE entity.uri STARTS WITH $base.value AND NOT entity.uri CONTAINS "#"
WITH DISTINCT entity, graph
WITH entity, graph,
     EXISTS {
       MATCH (entity)-[other:rdf_type]->()
       WHERE other.g <> graph AND (
         NOT EXISTS {
           MATCH (:Resource {uri: other.g})-[:prov_wasGeneratedBy]->()-[:prov_endedAtTime]->()
         }
         OR EXISTS {
           MATCH (:Resource {uri: other.g})-[:prov_wasGeneratedBy]->()-[:prov_endedAtTime]->(e2)
           WHERE datetime(e2.value) < datetime($ended.value)
         })
     }
     OR EXISTS {
       MATCH (tomb)-[:kg_formerRecord|kg_formerInstance|kg_formerWork]->(entity)
       WHERE EXISTS {
         (tomb)-[:rdf_type]->(:Resource {uri: "https://w3id.org/regional-kg/vocab#Tombstone"})
       }
     } AS older
RETURN entity, {iri: graph} AS g, CASE WHEN older THEN true ELSE null END AS existed
