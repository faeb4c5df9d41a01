"""Dependencies every route shares: the services and the authenticated user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mnemo.services.container import Services

_bearer = HTTPBearer(auto_error=False, description="the token `mnemo user create` printed")


def get_services(request: Request) -> Services:
    return request.app.state.services


async def current_uid(
    services: Annotated[Services, Depends(get_services)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    uid = await services.users.authenticate(credentials.credentials) if credentials else None
    if uid is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="missing or invalid bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return uid


ServicesDep = Annotated[Services, Depends(get_services)]
UidDep = Annotated[str, Depends(current_uid)]
