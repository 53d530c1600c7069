"""Canonical postings and courses: the normalise stage, duplicate linking across sources and
nights, and the dedupe state it keeps."""
