"""Web app and REST API: `create_app(settings)` in `newsproof.web.app`, started by `newsproof serve`."""
