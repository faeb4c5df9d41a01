"""Background jobs: claimed with a lease, so a worker that dies leaves work another can take.

A claim is one UPDATE: PostgreSQL locks the chosen row with FOR UPDATE SKIP LOCKED so workers
never wait on each other; SQLite writers are serialized by BEGIN IMMEDIATE.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.job import Job, JobStatus

from ..tables import jobs
from ..types import column_values


def _job(row: Mapping[str, Any]) -> Job:
    return Job.model_validate(dict(row))


class JobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def put(self, job: Job) -> None:
        """Queue a job; a conversation has at most one, so an older one is replaced."""
        await self._db.execute(delete(jobs).where(jobs.c.conversation_id == job.conversation_id))
        await self._db.execute(insert(jobs).values(**column_values(job)))

    async def get(self, job_id: str) -> Job | None:
        row = (await self._db.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()
        return _job(row) if row else None

    async def claim(self, worker: str, now: datetime, lease_until: datetime, job_id: str | None = None) -> Job | None:
        """Take the next due job (or the named one): queued and due, or running with an expired lease."""
        claimable = or_(
            and_(jobs.c.status == JobStatus.queued.value, jobs.c.run_after <= now),
            and_(
                jobs.c.status == JobStatus.running.value,
                jobs.c.lease_until < now,
                jobs.c.attempts < jobs.c.max_attempts,
            ),
        )
        pick = select(jobs.c.id).where(claimable)
        if job_id is not None:
            pick = pick.where(jobs.c.id == job_id)
        pick = pick.order_by(jobs.c.run_after).limit(1)
        if self._db.dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        chosen = (await self._db.execute(pick)).scalar_one_or_none()
        if chosen is None:
            return None
        query = (
            update(jobs)
            .where(jobs.c.id == chosen, claimable)
            .values(
                status=JobStatus.running.value,
                lease_until=lease_until,
                worker=worker,
                attempts=jobs.c.attempts + 1,
                updated_at=now,
            )
            .returning(*jobs.c)
        )
        row = (await self._db.execute(query)).mappings().first()
        return _job(row) if row else None

    async def finish(self, job_id: str, worker: str, values: dict[str, Any]) -> bool:
        """Record the outcome, but only while this worker still holds the lease."""
        query = update(jobs).where(
            jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.status == JobStatus.running.value
        )
        return (await self._db.execute(query.values(**values))).rowcount == 1

    async def expired_beyond_attempts(self, now: datetime) -> list[Job]:
        """Running jobs whose lease ran out after their last allowed attempt: nobody may retry them."""
        query = select(jobs).where(
            jobs.c.status == JobStatus.running.value,
            jobs.c.lease_until < now,
            jobs.c.attempts >= jobs.c.max_attempts,
        )
        return [_job(row) for row in (await self._db.execute(query)).mappings()]

    async def mark(self, job_id: str, values: dict[str, Any]) -> None:
        await self._db.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
