"""Linking text to the taxonomies: job titles -> O*NET-SOC roles, postings -> NAICS sectors,
text -> ESCO skills, courses -> the skills they teach; the shared word embeddings and the one
tokeniser live here too."""
