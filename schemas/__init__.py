"""Schemas: published table definitions (the data contract), expectation suites, validation."""
