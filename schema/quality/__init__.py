"""The curator's quality review: per-member reports of the load-time MARC checks."""
