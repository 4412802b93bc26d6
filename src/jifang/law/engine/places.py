"""Installation (应当安装), the public-area monopoly and the privacy prohibition."""

from __future__ import annotations

from ..text import cite_zh
from ..vocabulary import PLACE_FLAGS, PRIVACY_LOCATIONS
from .facts import Facts
from .outcome import Outcome

# The note on a public area's INSTALL obligation (the batch engine gives the same).
PUBLIC_AREA_NOTE = "社会公共区域由政府统一建设 / public areas are built by government"


def check_installation(facts: Facts, out: Outcome) -> None:
    inst = facts.regime.provisions.installation
    general = inst.rules[0].basis.model_copy(update={"item": None})
    for place in facts.case.unit.places:
        req = facts.requirements[place.id]
        covered = any(place.id in s.places for s in facts.case.unit.systems)
        base = {"categories": list(place.categories), "covered_by_system": covered}
        if req.status == "public_area":
            basis = inst.public_area or general
            out.obligation(
                "INSTALL",
                place.id,
                "not_applicable",
                basis,
                base,
                note=PUBLIC_AREA_NOTE,
            )
            continue
        if req.status == "none":
            out.obligation("INSTALL", place.id, "not_applicable", general, base)
            continue
        if req.lost_list:
            out.obligation(
                "INSTALL", place.id, "insufficient_facts", general, base, text_incomplete=True
            )
            out.note(inst.list_incomplete_note)
            continue
        rule = req.rule
        assert rule is not None
        out.note(rule.note or (inst.list_incomplete_note if rule.text_incomplete else None))
        for name in req.derived_flags:
            out.note(
                f"{place.id}：按行政区划代码 {facts.case.division} 认定为{PLACE_FLAGS[name]}"
                f"（{cite_zh((inst.central_urban_basis or rule.basis).as_dict())}）/ "
                f"{place.id}: {name} derived from division {facts.case.division}"
            )
        if req.status == "advisory":
            status = "met" if covered else "insufficient_facts"
            out.obligation("TAKE_MEASURES", place.id, status, rule.basis, base, strength="advisory")
            continue
        if rule.condition and not covered:
            out.obligation(
                "INSTALL",
                place.id,
                "insufficient_facts",
                rule.basis,
                {**base, "condition": rule.condition},
            )
            continue
        status = "met" if covered else "violated"
        out.obligation("INSTALL", place.id, status, rule.basis, base)
        if not covered:
            out.finding(
                "INSTALL_REQUIRED_MISSING",
                place.id,
                rule.basis,
                f"no system covers place {place.id} ({', '.join(place.categories)})",
                rule.penalty,
                actor=facts.case.unit.kind,
                text_incomplete=rule.text_incomplete or None,
            )


def check_public_area(facts: Facts, out: Outcome) -> None:
    rule = facts.regime.provisions.public_area
    if rule is None:
        if any(
            s.built_by_government is False and any(p.public_area for p in facts.system_places(s))
            for s in facts.case.unit.systems
        ):
            out.note(facts.regime.provisions.absent.get("public_area"))
        return
    for system in facts.case.unit.systems:
        public = [p.id for p in facts.system_places(system) if p.public_area]
        if not public:
            continue
        gov = system.built_by_government
        status = {True: "met", False: "violated", None: "insufficient_facts"}[gov]
        out.obligation(
            "NO_PRIVATE_PUBLIC_AREA_INSTALL",
            system.id,
            status,
            rule.basis,
            {"public_area_places": public, "built_by_government": gov},
        )
        if gov is False:
            out.finding(
                "PUBLIC_AREA_PRIVATE_INSTALL",
                system.id,
                rule.basis,
                f"built_by_government false in public area {', '.join(public)}",
                rule.penalty,
                actor=facts.case.unit.kind,
            )


def check_privacy(facts: Facts, out: Outcome) -> None:
    rule = facts.regime.provisions.privacy
    absent = facts.regime.provisions.absent.get("privacy")
    for system in facts.case.unit.systems:
        for device in system.devices:
            video = (
                device.video
                if device.video is not None
                else (True if "video" in system.subsystems else None)
            )
            audio = (
                device.audio
                if device.audio is not None
                else (True if "audio" in system.subsystems else None)
            )
            if rule is None:
                if device.location in PRIVACY_LOCATIONS and (video or audio):
                    out.note(absent)
                continue
            captures = [v for k, v in (("video", video), ("audio", audio)) if k in rule.capture]
            if not any(c is not False for c in captures):
                continue  # captures nothing the rule forbids
            facts_ = {"location": device.location, "video": video, "audio": audio}
            if device.location is None:
                out.obligation(
                    "NO_PRIVACY_CAPTURE", device.id, "insufficient_facts", rule.basis, facts_
                )
                continue
            if device.location not in rule.locations:
                out.obligation("NO_PRIVACY_CAPTURE", device.id, "met", rule.basis, facts_)
                if device.location in PRIVACY_LOCATIONS:
                    out.note(absent)
                continue
            if not any(captures):
                out.obligation(
                    "NO_PRIVACY_CAPTURE", device.id, "insufficient_facts", rule.basis, facts_
                )
                continue
            out.obligation("NO_PRIVACY_CAPTURE", device.id, "violated", rule.basis, facts_)
            kinds = "/".join(k for k, v in (("video", video), ("audio", audio)) if v)
            out.finding(
                "PRIVACY_AREA_CAPTURE",
                device.id,
                rule.basis,
                f"{kinds} capture at {device.location}",
                rule.penalty,
                actor=facts.case.unit.kind,
                system=system.id,
            )
