"""The caller's own settings: time zone and profile."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from .deps import ServicesDep, UidDep

router = APIRouter(prefix="/v1/users", tags=["users"])


class TimeZoneUpdate(BaseModel):
    time_zone: str = Field(min_length=1, max_length=64, examples=["Europe/Berlin"])


class Profile(BaseModel):
    uid: str
    name: str
    time_zone: str
    created_at: datetime


@router.put("/time-zone")
async def set_time_zone(body: TimeZoneUpdate, uid: UidDep, services: ServicesDep) -> dict[str, str]:
    updated = await services.users.set_time_zone(uid, body.time_zone)
    return {"status": "ok", "time_zone": updated.time_zone}


@router.get("/profile", response_model=Profile)
async def profile(uid: UidDep, services: ServicesDep) -> Profile:
    found = await services.users.profile(uid)
    return Profile(uid=found.uid, name=found.name, time_zone=found.time_zone, created_at=found.created_at)
