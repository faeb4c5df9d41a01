"""mnemo: a self-hostable backend for AI wearables that speaks the Omi API."""

__version__ = "0.1.0"
