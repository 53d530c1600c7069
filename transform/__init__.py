"""Transform: normalisation, role and industry assignment, skill extraction, aggregation."""
