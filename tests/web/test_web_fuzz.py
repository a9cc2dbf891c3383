"""Schema-driven fuzzing of the live API (schemathesis): no generated request, valid or not, gets a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from .conftest import API_KEY, LiveServer

schemathesis = pytest.importorskip("schemathesis")

# The synchronous endpoints (/v1/batch is left out: fuzzed batches would queue real work), with valid
# ("positive") and schema-violating ("negative") inputs; /healthz takes no input to violate.
OPERATIONS = [(path, method, mode) for path, method in [("/v1/check", "POST"), ("/v1/reports/{report_id}", "GET"),
                                                        ("/v1/reports/{report_id}", "DELETE"),
                                                        ("/v1/jobs/{job_id}", "GET")]
              for mode in ("positive", "negative")] + [("/healthz", "GET", "positive")]


@pytest.mark.parametrize(("path", "method", "mode"), OPERATIONS)
def test_no_server_errors(live_server: LiveServer, path: str, method: str, mode: str) -> None:
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(live_server.base_url + "/v1/openapi.json")
    operation = schema[path][method]

    @given(case=operation.as_strategy(GenerationMode(mode)))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case) -> None:
        case.call_and_validate(base_url=live_server.base_url, headers={"X-API-Key": API_KEY},
                               checks=[not_a_server_error], timeout=120)

    run()
