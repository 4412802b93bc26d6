"""Installation, the public-area monopoly and the privacy prohibition over columns: the
counterpart of engine/places.py, read from the same provisions."""

from __future__ import annotations

import polars as pl

from ..engine.places import PUBLIC_AREA_NOTE
from .facts import (
    REQ_ADVISORY,
    REQ_NONE,
    REQ_PUBLIC_AREA,
    REQ_UNKNOWN,
    RegimeFacts,
    lookup,
    recorded,
)
from .outcome import (
    CHECK_INSTALLATION,
    CHECK_PRIVACY,
    CHECK_PUBLIC_AREA,
    INSUFFICIENT,
    MET,
    NOT_APPLICABLE,
    VIOLATED,
    Part,
    basis_by_index,
    by_index,
    code,
    fmt,
    lit_basis,
)


def installation(rf: RegimeFacts) -> list[Part]:
    inst = rf.regime.provisions.installation
    rules = rf.install_rules
    general = rules[0].basis.model_copy(update={"item": None})
    req, rule, covered = pl.col("req"), pl.col("rule").cast(pl.Int32), pl.col("covered")
    with_condition = [i for i, r in enumerate(rules) if r.condition]
    has_condition = rule.is_in(with_condition) if with_condition else pl.lit(False)
    status = (
        pl.when(req.is_in([REQ_PUBLIC_AREA, REQ_NONE]))
        .then(code(NOT_APPLICABLE))
        .when(req == REQ_UNKNOWN)
        .then(code(INSUFFICIENT))
        .when(req == REQ_ADVISORY)
        .then(pl.when(covered).then(code(MET)).otherwise(code(INSUFFICIENT)))
        .when(covered)
        .then(code(MET))
        .when(has_condition)
        .then(code(INSUFFICIENT))
        .otherwise(code(VIOLATED))
    )
    by_rule = basis_by_index(rule, [r.basis for r in rules])
    basis = {
        k: pl.when(req == REQ_PUBLIC_AREA)
        .then(v_pa)
        .when(req.is_in([REQ_NONE, REQ_UNKNOWN]))
        .then(v_general)
        .otherwise(by_rule[k])
        for (k, v_pa), v_general in zip(
            lit_basis(inst.public_area or general).items(),
            lit_basis(general).values(),
            strict=True,
        )
    }
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_INSTALLATION),
        "pos": pl.col("place"),
        "pos2": pl.lit(0),
        "code": pl.when(req == REQ_ADVISORY)
        .then(pl.lit("TAKE_MEASURES"))
        .otherwise(pl.lit("INSTALL")),
        "subject": pl.col("id"),
        **basis,
        "strength": pl.when(req == REQ_ADVISORY).then(pl.lit("advisory")),
        "note": pl.when(req == REQ_PUBLIC_AREA).then(pl.lit(PUBLIC_AREA_NOTE)),
        "text_incomplete": pl.when(req == REQ_UNKNOWN).then(pl.lit(True)),
    }
    finding = {
        "code": pl.lit("INSTALL_REQUIRED_MISSING"),
        **by_rule,
        "evidence": fmt(
            "no system covers place {} ({})", "id", pl.col("categories").list.join(", ")
        ),
        "text_incomplete": by_index(rule, [r.text_incomplete or None for r in rules], pl.Boolean),
        **basis_by_index(rule, [r.penalty for r in rules], "penalty_"),
    }
    can_violate = any(r.strength == "required" for r in rules)
    return [Part(rf.place_facts.lazy(), status, obligation, finding, can_violate)]


def public_area(rf: RegimeFacts) -> list[Part]:
    rule = rf.regime.provisions.public_area
    if rule is None:
        return []
    in_public = rf.own_places.filter("pa")
    public = (
        in_public.with_columns(place_id=rf.place_facts["id"].gather(in_public["at"]))
        .group_by("skey", maintain_order=True)
        .agg(public=pl.col("place_id").sort_by("k"))
    )
    base = (
        rf.systems.lazy()
        .select("unit", "system", "id", "built_by_government", "skey")
        .join(public.lazy(), on="skey", how="inner")
    )
    gov = pl.col("built_by_government")
    status = (
        pl.when(gov.is_null())
        .then(code(INSUFFICIENT))
        .when(gov)
        .then(code(MET))
        .otherwise(code(VIOLATED))
    )
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_PUBLIC_AREA),
        "pos": pl.col("system"),
        "pos2": pl.lit(0),
        "code": pl.lit("NO_PRIVATE_PUBLIC_AREA_INSTALL"),
        "subject": pl.col("id"),
        **lit_basis(rule.basis),
    }
    finding = {
        "code": pl.lit("PUBLIC_AREA_PRIVATE_INSTALL"),
        "evidence": fmt(
            "built_by_government false in public area {}", pl.col("public").list.join(", ")
        ),
        **lit_basis(rule.penalty, "penalty_"),
    }
    return [Part(base, status, obligation, finding)]


def privacy(rf: RegimeFacts) -> list[Part]:
    rule = rf.regime.provisions.privacy
    if rule is None:
        return []
    video, audio = pl.col("video"), pl.col("audio")
    obligation = {
        "unit": pl.col("unit"),
        "check": pl.lit(CHECK_PRIVACY),
        "pos": pl.col("system"),
        "pos2": pl.col("device"),
        "code": pl.lit("NO_PRIVACY_CAPTURE"),
        "subject": pl.col("id"),
        **lit_basis(rule.basis),
    }
    # Elsewhere than a forbidden location the answer needs nothing of the system.
    at_private = pl.col("location").is_in(rule.locations).fill_null(False)
    elsewhere = Part(
        rf.devices.lazy().filter(recorded(rule.capture) & ~at_private),
        pl.when(pl.col("location").is_null()).then(code(INSUFFICIENT)).otherwise(code(MET)),
        obligation,
        can_violate=False,
    )
    # At a forbidden location an unknown capture is read from the system's subsystems.
    # The system of each device, found by binary search in the sorted system keys.
    private = rf.private_devices
    of_system = lookup(
        rf.systems, "skey", private["skey"], {"subsystems": "subsystems", "id": "system_id"}
    )
    within = pl.col("subsystems").list
    there = (
        private.hstack(of_system.get_columns())
        .lazy()
        .with_columns(
            eff_video=pl.coalesce(video, pl.when(within.contains("video")).then(pl.lit(True))),
            eff_audio=pl.coalesce(audio, pl.when(within.contains("audio")).then(pl.lit(True))),
        )
    )
    eff = {"video": pl.col("eff_video"), "audio": pl.col("eff_audio")}
    captures = pl.any_horizontal([eff[k].fill_null(False) for k in rule.capture] or [pl.lit(False)])
    kinds = pl.concat_str(
        [
            pl.when(pl.col("eff_video")).then(pl.lit("video")),
            pl.when(pl.col("eff_audio")).then(pl.lit("audio")),
        ],
        separator="/",
        ignore_nulls=True,
    )
    finding = {
        "code": pl.lit("PRIVACY_AREA_CAPTURE"),
        "evidence": fmt("{} capture at {}", kinds, "location"),
        "system": pl.col("system_id"),
        **lit_basis(rule.penalty, "penalty_"),
    }
    status = pl.when(captures).then(code(VIOLATED)).otherwise(code(INSUFFICIENT))
    return [elsewhere, Part(there, status, obligation, finding)]
