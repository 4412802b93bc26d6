"""The worked examples of shared/spec/examples answer as their comments say.

The repository keeps a copy under examples/ (what `make run` shows); when the shared spec
folder is beside the repository, its examples are checked too, so the two cannot drift.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jifang import law

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "spec" / "examples"
OURS = ROOT / "examples"


def _load(name: str) -> dict:
    return yaml.safe_load((OURS / name).read_text(encoding="utf-8"))


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/spec/examples is not beside the repo")
def test_the_copies_match_the_shared_examples() -> None:
    shared = sorted(p.name for p in SHARED.glob("*.yaml"))
    assert shared == sorted(p.name for p in OURS.glob("*.yaml"))
    for name in shared:
        assert (SHARED / name).read_bytes() == (OURS / name).read_bytes(), name


def test_fujian_kindergarten_overdue() -> None:
    result = law.assess(_load("fujian-kindergarten-overdue.yaml"))
    assert [(f["code"], f["subject"]) for f in result["findings"]] == [
        ("INSTALL_REQUIRED_MISSING", "p1")
    ]
    finding = result["findings"][0]
    assert finding["basis"] == {"article": 9, "paragraph": 1, "item": 10}
    pen = finding["penalty"]
    assert pen["basis"]["article"] == 23
    assert pen["measures"] == ["order_correction"]
    fines = {(f["target"], f["min"], f["max"], f["condition"]) for f in pen["fines"]}
    assert fines == {
        ("unit", 10000, 100000, "overdue"),
        ("responsible_person", 5000, 5000, "overdue"),
    }
    assert pen["due_now"] is True


def test_guangdong_bank_compliant() -> None:
    result = law.assess(_load("guangdong-bank-compliant.yaml"))
    assert result["findings"] == []
    obligations = {(o["code"], o["subject"]): o for o in result["obligations"]}
    install = obligations[("INSTALL", "p1")]
    assert install["status"] == "met" and install["basis"]["article"] == 9
    retention = obligations[("RETENTION_MIN_DAYS", "s1")]
    assert retention["status"] == "met" and retention["value"] == 30
    assert retention["basis"]["article"] == 20


def test_guangdong_state_security_copy() -> None:
    result = law.access_check(_load("guangdong-state-security-copy.access.yaml"))
    assert result["decision"] == "allow"
    articles = {c["basis"]["article"] for c in result["conditions"]}
    assert {26, 27} <= articles
    codes = {c["code"]: c for c in result["conditions"]}
    assert codes["APPROVAL"]["basis"]["article"] == 26
    for code in ("MIN_TWO_STAFF", "WORK_ID", "REGISTRATION"):
        assert codes[code]["basis"]["article"] == 27 and codes[code]["met"] is True
    assert {"requester_identity", "access_time", "time_range", "purpose"} <= set(
        result["register_fields"]
    )


def test_qinhuangdao_dormitory_camera() -> None:
    result = law.assess(_load("qinhuangdao-dormitory-camera.yaml"))
    assert [(f["code"], f["subject"]) for f in result["findings"]] == [
        ("PRIVACY_AREA_CAPTURE", "c2")
    ]
    finding = result["findings"][0]
    assert finding["basis"] == {"article": 11, "paragraph": 2}
    pen = finding["penalty"]
    assert pen["basis"]["article"] == 24
    assert set(pen["measures"]) == {
        "order_removal",
        "forced_removal",
        "public_security_law",
        "criminal_referral",
    }
    assert pen["fines"] == []
    obligations = {(o["code"], o["subject"]): o["status"] for o in result["obligations"]}
    assert obligations[("NO_PRIVACY_CAPTURE", "c1")] == "met"
    assert obligations[("RETENTION_MIN_DAYS", "s1")] == "met"
