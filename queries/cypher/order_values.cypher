// The stored entries of each given order (kg.orders), one row per kg:firstWork (a JSON
// [key, work] pair), in no order.
// Parameters: orders (IRIs of the orders).
UNWIND $orders AS uri
MATCH (o:Resource {uri: uri})-[:kg_firstWork]->(entry)
RETURN o AS `order`, entry
