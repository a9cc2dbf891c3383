"""JSON report and its committed, versioned JSON Schema (`report.schema.json`)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsproof.models import REPORT_SCHEMA_VERSION, Report

REPORT_SCHEMA_PATH = Path(str(resources.files("newsproof.report").joinpath("report.schema.json")))


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report, generated from the pydantic models."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsproof.dev/schema/report-{REPORT_SCHEMA_VERSION}.json"
    schema["description"] = (f"newsproof report, schema version {REPORT_SCHEMA_VERSION}. Fields are only ever "
                             "added within a major version; removals or renames bump it.")
    return schema


def to_json(report: Report, indent: int | None = 2) -> str:
    """Serialise a report as JSON text."""
    return report.model_dump_json(indent=indent)


@lru_cache(maxsize=1)
def _committed_schema() -> dict[str, Any]:
    return json.loads(REPORT_SCHEMA_PATH.read_text("utf-8"))


def validate_report_json(data: dict[str, Any]) -> None:
    """Validate a parsed JSON report against the committed schema (raises jsonschema.ValidationError)."""
    import jsonschema

    jsonschema.validate(data, _committed_schema())
