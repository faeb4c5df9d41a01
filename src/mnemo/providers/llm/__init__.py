"""Extraction and chat models: the offline rule-based extractor and LLM adapters."""
