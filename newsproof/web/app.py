"""`create_app(settings)`: the FastAPI app (API, pages, static files, security layer) and `serve()`."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newsproof import __version__
from newsproof.config import load_config
from newsproof.update.schedule import start_background
from newsproof.web import api, docs, pages
from newsproof.web.errors import install_handlers
from newsproof.web.jobs import JobRunner
from newsproof.web.retention import RetentionSweeper
from newsproof.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from newsproof.web.service import CheckService
from newsproof.web.settings import WebSettings

log = logging.getLogger("newsproof.web")
STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the app; the Checker is warmed and the batch worker started in the lifespan."""
    settings = settings or WebSettings()
    keep_days = settings.retention_days()  # a bad [web] keep_days stops `serve` before it listens

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = CheckService(settings)
        await anyio.to_thread.run_sync(service.start)
        runner = JobRunner(service)
        runner.start()
        sweeper = RetentionSweeper(service.state, keep_days)
        await anyio.to_thread.run_sync(sweeper.start)
        app.state.service, app.state.jobs = service, runner
        updater = start_background(load_config(settings.config_path), settings.config_path, service.store_uri)
        # Threads that wait for the check process; further checks wait here without holding a thread.
        app.state.check_limiter = anyio.CapacityLimiter(4)
        log.info("newsproof %s ready (store %s, state %s)", __version__, service.store_uri, settings.state_path())
        try:
            yield
        finally:
            sweeper.stop()
            if updater is not None:  # `[update] every`: background updates of the evidence base
                await anyio.to_thread.run_sync(updater.stop)
            await anyio.to_thread.run_sync(runner.stop)
            service.close()

    app = FastAPI(
        title="newsproof", version=__version__, lifespan=lifespan,
        description="Check news articles' claims against an evidence base and estimate machine generation. "
                    "Errors are `{\"error\": {\"code\": \"NPxyz\", \"message\": ...}}` (codes: `newsproof errors`).",
        openapi_url="/v1/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.settings = settings
    install_handlers(app)
    app.include_router(api.health_router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(docs.router)  # /docs: the API explorer, offline (bundled Swagger UI)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimitMiddleware, limit=settings.body_limit())
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: its headers reach every response, 413s too
    return app


def serve(settings: WebSettings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app under uvicorn (one process: the Checker and the batch worker live in it)."""
    import uvicorn

    if not settings.api_key and not _is_loopback(host):
        log.warning("serving on %s without an API key: anyone who can reach it can run checks", host)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False,
                server_header=False, timeout_graceful_shutdown=30)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
