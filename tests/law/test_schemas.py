"""The JSON Schemas shipped with the package are current, and answers fit them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from jifang import law
from jifang.law.schemas import SCHEMA_NAMES, build_schemas, load_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_shipped_schema_is_what_the_models_generate(name: str) -> None:
    built = json.loads(json.dumps(build_schemas()[name]))
    assert load_schema(name) == built, "run `python -m jifang.law.schemas` and commit"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_and_answers_fit_the_schemas(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kind = "access" if "request" in data else "assess"
    as_json = json.loads(json.dumps(data, default=str))
    jsonschema.validate(as_json, load_schema(f"{kind}-input"))
    run = law.access_check if kind == "access" else law.assess
    jsonschema.validate(run(data, explain=True), load_schema(f"{kind}-output"))


def test_the_input_schema_rejects_what_the_engine_rejects() -> None:
    bad = {
        "regime": "fujian-2015",
        "as_of": "2024-06-01",
        "unit": {"places": [{"id": "p1", "categories": ["spaceport"]}]},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, load_schema("assess-input"))
    with pytest.raises(law.CaseError):
        law.assess(bad)
