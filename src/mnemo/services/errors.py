"""The errors services raise; the API turns each into one HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a caller is expected to handle."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    """The thing does not exist, or belongs to someone else (the two look the same)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")


class InvalidInput(ServiceError):
    """The request is well-formed but its values cannot be used."""


class Conflict(ServiceError):
    """The request clashes with the current state of the thing."""


class Unavailable(ServiceError):
    """A capability the request needs (the embedder, the index) is down; trying later may work."""
