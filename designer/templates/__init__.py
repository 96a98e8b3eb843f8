"""Industry templates: ready-made ticket types with their teams and roles, installed in one step."""
