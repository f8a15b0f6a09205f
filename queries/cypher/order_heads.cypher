// The head of each given order (kg.orders): how many entries it keeps and its last one (a
// kg:firstWork value); an order stored before heads were kept has a row without them; an
// order never stored has no row.
// Parameters: orders (IRIs of the orders).
UNWIND $orders AS uri
MATCH (o:Resource {uri: uri})-[:kg_orderOf]->()
OPTIONAL MATCH (o)-[:kg_entries]->(entries)
OPTIONAL MATCH (o)-[:kg_lastEntry]->(last)
RETURN o AS `order`, entries, last
