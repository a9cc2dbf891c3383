"""`newsproof serve`: the web app and REST API under uvicorn."""

from __future__ import annotations

from pathlib import Path

import typer

from newsproof.cli.groups import examples


def register(app: typer.Typer) -> None:
    """Add the `serve` command."""
    app.command("serve", epilog=examples(
        "newsproof serve", "NEWSPROOF_API_KEY=change-me newsproof serve --host 0.0.0.0 --port 8080",
        "newsproof serve --store postgresql://newsproof@db/newsproof"))(serve_cli)


def serve_cli(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    store: str | None = typer.Option(None, "--store", help="Evidence store URI (default: the bundled evidence base)."),
    api_key: str | None = typer.Option(None, "--api-key", envvar="NEWSPROOF_API_KEY",
                                       help="Require this key in the X-API-Key header (and the web form)."),
    allow_private_urls: bool = typer.Option(False, "--allow-private-urls", help="Allow fetching private/loopback URLs."),
    state_dir: Path | None = typer.Option(None, "--state-dir",
                                          help="Folder for the reports/jobs database (default: $NEWSPROOF_HOME/web)."),
    config: str | None = typer.Option(None, "--config", help="TOML file overriding the packaged defaults."),
    max_body_bytes: int | None = typer.Option(None, "--max-body-bytes", help="Largest request body accepted."),
) -> None:
    """Serve the web page and the /v1 REST API (API explorer at /docs, OpenAPI at /v1/openapi.json)."""
    from newsproof.web.app import serve
    from newsproof.web.settings import WebSettings

    settings = WebSettings(store_uri=store, config_path=config, api_key=api_key or None,
                           allow_private_urls=allow_private_urls, state_dir=state_dir, max_body_bytes=max_body_bytes)
    serve(settings, host=host, port=port)
