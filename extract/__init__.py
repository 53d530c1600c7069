"""Extract: source configuration, the shared HTTP layer, connectors and the raw landing zone."""
