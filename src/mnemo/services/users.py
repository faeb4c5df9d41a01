"""Accounts and tokens: create users, authenticate bearer tokens, user settings."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable

from mnemo.models.user import User, is_valid_time_zone
from mnemo.storage.unit_of_work import Storage

from .errors import InvalidInput, NotFound

TOKEN_PREFIX = "mnemo_"
TOKEN_CACHE_SECONDS = 60.0
TOKEN_CACHE_SIZE = 10_000
LOCAL_USER_NAME = "local"


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class UserService:
    def __init__(self, storage: Storage, clock: Callable[[], float] = time.monotonic) -> None:
        self._storage = storage
        self._clock = clock
        # token hash -> (uid, time it was confirmed); saves a database round trip per request.
        self._known_tokens: dict[str, tuple[str, float]] = {}

    async def create_user(self, name: str) -> tuple[User, str]:
        """Make a user with one token; the token is returned once and stored only as a hash."""
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidInput("a user name must have 1 to 200 characters")
        user, token = User(name=name), new_token()
        async with self._storage.write() as uow:
            await uow.users.add(user)
            await uow.users.add_token(user.uid, hash_token(token))
        return user, token

    async def create_first_user(self) -> tuple[User, str] | None:
        """On an empty database, create the local user; otherwise do nothing and return None."""
        async with self._storage.write() as uow:
            if await uow.users.count() > 0:
                return None
            user, token = User(name=LOCAL_USER_NAME), new_token()
            await uow.users.add(user)
            await uow.users.add_token(user.uid, hash_token(token))
        return user, token

    async def authenticate(self, token: str) -> str | None:
        """The uid a token belongs to, or None. A confirmed token is trusted for TOKEN_CACHE_SECONDS."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = hash_token(token)
        known = self._known_tokens.get(digest)
        if known is not None and self._clock() - known[1] < TOKEN_CACHE_SECONDS:
            return known[0]
        async with self._storage.read() as uow:
            user = await uow.users.by_token(digest)
        if user is None:
            self._known_tokens.pop(digest, None)
            return None
        if len(self._known_tokens) >= TOKEN_CACHE_SIZE:
            self._known_tokens.clear()
        self._known_tokens[digest] = (user.uid, self._clock())
        return user.uid

    async def profile(self, uid: str) -> User:
        async with self._storage.read() as uow:
            user = await uow.users.get(uid)
        if user is None:
            raise NotFound("User")
        return user

    async def set_time_zone(self, uid: str, time_zone: str) -> User:
        if not is_valid_time_zone(time_zone):
            raise InvalidInput(f"{time_zone!r} is not an IANA time zone name such as 'Europe/Berlin'")
        async with self._storage.write() as uow:
            await uow.users.set_time_zone(uid, time_zone)
            user = await uow.users.get(uid)
        if user is None:
            raise NotFound("User")
        return user
