"""Reports: rich terminal output, JSON (versioned schema), a self-contained HTML page and ClaimReview JSON-LD."""

from newsproof.report.claimreview import ClaimReviewSettings, to_claimreview_json
from newsproof.report.html import render_html, report_context
from newsproof.report.json_report import REPORT_SCHEMA_PATH, report_schema, to_json, validate_report_json
from newsproof.report.terminal import render_text

__all__ = ["REPORT_SCHEMA_PATH", "ClaimReviewSettings", "render_html", "render_text", "report_context",
           "report_schema", "to_claimreview_json", "to_json", "validate_report_json"]
