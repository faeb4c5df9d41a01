"""Adapters to outside capabilities, each behind a small Protocol."""
