"""The published tables: skills per role and sector, transfer between roles and industries,
and the atomic publish of a validated release."""
