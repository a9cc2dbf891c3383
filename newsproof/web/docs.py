"""`/docs`: the interactive API explorer (Swagger UI), served offline from the bundled swagger-ui files.

The page holds no data: it loads the OpenAPI document and calls the API from the browser, so with an API key
set every call it makes still needs the key (the explorer's Authorize button sends it as X-API-Key).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from newsproof.web.errors import NOT_FOUND, ApiError

ASSETS_PREFIX = "/docs/assets"
# The only files of the bundle the page uses; nothing else of the package is served.
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "favicon-32x32.png": "image/png"}

router = APIRouter(include_in_schema=False)


def assets_dir() -> Path:
    """The Swagger UI distribution folder of the installed `swagger-ui-bundle-v2` package."""
    from swagger_ui_bundle import swagger_ui_path

    return Path(str(swagger_ui_path))


def docs_page(openapi_url: str, title: str, nonce: str) -> str:
    """The explorer page: local style sheet and script, and an inline start-up script carrying the CSP nonce."""
    config = {"url": openapi_url, "dom_id": "#swagger-ui", "deepLinking": True, "validatorUrl": None,
              "persistAuthorization": False, "tryItOutEnabled": False}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - API explorer</title>
<link rel="icon" type="image/png" href="{ASSETS_PREFIX}/favicon-32x32.png">
<link rel="stylesheet" href="{ASSETS_PREFIX}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PREFIX}/swagger-ui-bundle.js"></script>
<script nonce="{escape(nonce)}">
window.ui = SwaggerUIBundle(Object.assign({json.dumps(config)}, {{
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"}}));
</script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    """The interactive API explorer."""
    app = request.app
    nonce = getattr(request.state, "csp_nonce", "")
    return HTMLResponse(docs_page(app.openapi_url or "/v1/openapi.json", app.title, nonce),
                        headers={"Cache-Control": "no-store"})


@router.get(ASSETS_PREFIX + "/{name}")
async def docs_asset(name: str) -> FileResponse:
    """One file of the bundled Swagger UI."""
    if name not in ASSETS:
        raise ApiError(404, NOT_FOUND, f"no such file {name!r}")
    return FileResponse(assets_dir() / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})
