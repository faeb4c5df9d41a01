"""A rule-based extractor that needs no network and no model weights."""
