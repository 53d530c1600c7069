"""Schemas: published table definitions (the data contract), their expectation suites, validation."""
