"""Sentence embeddings: the bundled all-MiniLM-L6-v2, or an OpenAI-compatible endpoint."""
