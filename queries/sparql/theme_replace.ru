# Replace the theme definitions and every theme membership (in every record graph).
# The new definitions and memberships follow as INSERT DATA in the same transaction
# (Store.update). Parameters: graph (IRI of the themes graph).
DROP SILENT GRAPH {{graph}} ;
DELETE { GRAPH ?g { ?work kg:inTheme ?theme } }
WHERE { GRAPH ?g { ?work kg:inTheme ?theme } } ;
DELETE { GRAPH ?g { ?m ?p ?o } }
WHERE { GRAPH ?g { ?m a kg:ThemeMembership ; ?p ?o } }
