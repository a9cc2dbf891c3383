"""Reports: rich terminal output, JSON (versioned schema) and a self-contained HTML page."""

from newsproof.report.html import render_html
from newsproof.report.json_report import REPORT_SCHEMA_PATH, report_schema, to_json, validate_report_json
from newsproof.report.terminal import render_text

__all__ = ["REPORT_SCHEMA_PATH", "render_html", "render_text", "report_schema", "to_json", "validate_report_json"]
