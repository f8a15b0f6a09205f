# Replace the given counts (their new values follow as INSERT DATA in the same
# transaction, see Store.update) and drop the marker graphs of the writes they account
# for (kg.counting: a marker left behind means the counts missed a write).
# Parameters: graph (IRI of the counts graph), keys (IRIs of the counts),
#             pending (IRIs of marker graphs).
DELETE { GRAPH {{graph}} { ?key ?p ?o } }
WHERE { VALUES ?key { {{keys}} } GRAPH {{graph}} { ?key ?p ?o } } ;
DELETE { GRAPH ?marker { ?s ?p ?o } }
WHERE { VALUES ?marker { {{pending}} } GRAPH ?marker { ?s ?p ?o } }
