"""Every error leaves as JSON `{"detail": ...}` with the status that fits; never a bare 500 page."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from mnemo.services.errors import Conflict, InvalidInput, NotFound, ServiceError, Unavailable

log = logging.getLogger("mnemo.api")

_STATUS: dict[type[ServiceError], int] = {NotFound: 404, InvalidInput: 400, Conflict: 409, Unavailable: 503}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, error: ServiceError) -> JSONResponse:
        status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": error.detail}, status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return JSONResponse({"detail": "internal server error"}, status_code=500)
