// The stored first works of each given order (kg.orders), as the JSON kg:firstWorks value.
// Parameters: orders (IRIs of the orders).
UNWIND $orders AS uri
MATCH (order:Resource {uri: uri})-[:kg_firstWorks]->(works)
RETURN order, works
