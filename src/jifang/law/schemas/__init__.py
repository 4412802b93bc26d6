"""JSON Schemas of the case-file inputs and the engine's outputs, generated from the models
and shipped as files beside this module (`python -m jifang.law.schemas` rewrites them)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_NAMES = ("assess-input", "assess-output", "access-input", "access-output")


def build_schemas() -> dict[str, dict[str, Any]]:
    from ..case import AccessCase, AssessCase
    from ..results import AccessDecision, Assessment

    models = {
        "assess-input": AssessCase,
        "assess-output": Assessment,
        "access-input": AccessCase,
        "access-output": AccessDecision,
    }
    out = {}
    for name, model in models.items():
        schema = model.model_json_schema(mode="validation" if "input" in name else "serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"urn:jifang:schema:{name}:v1"
        out[name] = schema
    return out


def load_schema(name: str) -> dict[str, Any]:
    path = resources.files(__name__) / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def write_schemas() -> None:
    from pathlib import Path

    here = Path(__file__).parent
    for name, schema in build_schemas().items():
        text = json.dumps(schema, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        (here / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_schemas()
