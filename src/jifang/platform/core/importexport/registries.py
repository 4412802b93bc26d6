"""The registries that can be imported and exported, one declaration each, in import order.

A file for a registry may only refer to records already in the database (or, for divisions,
to other rows of the same file), so import in this order: divisions, police organs, units,
responsible persons, places, practitioners, certificates, personnel, products, systems,
devices, orders, acts.
"""

from __future__ import annotations

import functools

from jifang.law import vocabulary as v

from .cells import Bool, Choice, CodeList, Date, Integer, NameList, Number, Text, UnitRef
from .spec import Column, ManyRef, Ref, Registry, UnitRegistry

UNIT_REF_HEADER = "单位统一社会信用代码"


def _duties(table: dict[str, str]) -> list[Column]:
    return [
        Column(f"duties.{code}", f"义务：{label}", Bool(), field="duties", duty=code)
        for code, label in table.items()
    ]


@functools.cache
def _build() -> dict[str, Registry]:
    from jifang.platform.compliance.models import ActRecord, RectificationOrder
    from jifang.platform.geo.models import Division, PoliceOrgan
    from jifang.platform.practitioners.models import (
        Personnel,
        Practitioner,
        QualificationCertificate,
    )
    from jifang.platform.systems.models import Device, Product, System
    from jifang.platform.units.models import Place, ResponsiblePerson, Unit

    regs: dict[str, Registry] = {}

    def add(reg: Registry) -> None:
        regs[reg.name] = reg

    def text(name: str, header: str, upper: bool = False) -> Column:
        return Column(name, header, Text(upper=upper), field=name)

    def flag(name: str, header: str) -> Column:
        return Column(name, header, Bool(), field=name)

    def choice(name: str, header: str, table) -> Column:
        return Column(name, header, Choice(dict(table)), field=name)

    def unit_ref(header: str = UNIT_REF_HEADER) -> tuple[Column, Ref]:
        return Column("unit", header, UnitRef()), Ref("unit", "units", ("unit",))

    common = {"resolve": regs.__getitem__}

    add(
        Registry(
            "divisions",
            Division,
            "division",
            key=("code",),
            **common,
            columns=[
                text("code", "区划代码"),
                text("name", "名称"),
                choice("level", "级别", Division.Level.choices),
                Column("parent", "上级区划代码", Text()),
                text("regime_id", "适用法规"),
            ],
            refs=[Ref("parent", "divisions", ("parent",))],
            note="上级区划可以是同一文件中的另一行 / the parent may be another row of the same file",
        )
    )
    add(
        Registry(
            "police-organs",
            PoliceOrgan,
            "police organ",
            key=("name",),
            **common,
            columns=[
                text("name", "名称"),
                Column("division", "辖区区划代码", Text()),
                text("office", "技防部门"),
                text("phone", "电话"),
            ],
            refs=[Ref("division", "divisions", ("division",))],
        )
    )
    add(
        UnitRegistry(
            "units",
            Unit,
            "unit",
            key=("uscc",),
            **common,
            columns=[
                text("name", "名称"),
                choice("kind", "类型", Unit.Kind.choices),
                text("uscc", "统一社会信用代码", upper=True),
                Column("division", "所在区划代码", Text()),
                text("address", "地址"),
                text("phone", "联系电话"),
                *_duties(v.UNIT_DUTIES),
            ],
            refs=[Ref("division", "divisions", ("division",))],
            note="键为统一社会信用代码；没有代码的个人以 名称 + 所在区划代码 识别 / keyed by the "
            "USCC; an individual without one by name + division",
        )
    )
    col, ref = unit_ref()
    add(
        Registry(
            "responsible-persons",
            ResponsiblePerson,
            "responsible person",
            key=("unit", "name"),
            **common,
            columns=[col, text("name", "姓名"), text("role", "职务"), text("phone", "电话")],
            refs=[ref],
        )
    )
    add(
        Registry(
            "places",
            Place,
            "place",
            key=("unit", "name"),
            **common,
            columns=[
                col,
                text("name", "名称"),
                Column(
                    "categories",
                    "场所类别",
                    CodeList(v.PLACE_CATEGORIES, "场所类别", "place category"),
                    field="categories",
                ),
                flag("public_area", "社会公共区域"),
                flag("anti_terror_target", "防范恐怖袭击重点目标"),
                flag("police_key_place", "公安机关确定的重点场所"),
                flag("central_urban", "中心城区"),
                flag("new_construction", "新建、改建、扩建工程"),
            ],
            refs=[ref],
        )
    )
    add(
        Registry(
            "practitioners",
            Practitioner,
            "practitioner",
            key=("uscc",),
            **common,
            columns=[
                text("name", "名称"),
                text("uscc", "统一社会信用代码", upper=True),
                text("home_province", "注册地省份代码"),
                Column("division", "经营场所区划代码", Text()),
                text("address", "地址"),
                flag("filed", "已向公安机关备案"),
                text("filing_number", "备案编号"),
                flag("out_of_province_filed", "省外单位已备案"),
                *_duties(v.PRACTITIONER_DUTIES),
                flag("on_warning_list", "列入警示公告名录"),
                text("warning_reason", "警示事由"),
            ],
            refs=[Ref("division", "divisions", ("division",))],
        )
    )
    practitioner_col = Column("practitioner", "从业单位统一社会信用代码", Text(upper=True))
    practitioner_ref = Ref("practitioner", "practitioners", ("practitioner",))
    add(
        Registry(
            "certificates",
            QualificationCertificate,
            "qualification certificate",
            key=("number",),
            **common,
            columns=[
                text("number", "证书编号"),
                practitioner_col,
                Column("level", "等级", Integer(), field="level"),
                Column("issuing_organ", "发证机关", Text()),
                Column("valid_from", "有效期起", Date(), field="valid_from"),
                Column("valid_until", "有效期至", Date(), field="valid_until"),
            ],
            refs=[practitioner_ref, Ref("issuing_organ", "police-organs", ("issuing_organ",))],
        )
    )
    add(
        Registry(
            "personnel",
            Personnel,
            "staff member",
            key=("practitioner", "name"),
            **common,
            columns=[
                practitioner_col,
                text("name", "姓名"),
                text("role", "岗位"),
                flag("trained", "已接受业务和保密培训"),
            ],
            refs=[practitioner_ref],
        )
    )
    add(
        Registry(
            "products",
            Product,
            "product",
            key=("manufacturer", "model_number"),
            **common,
            columns=[
                text("manufacturer", "生产企业"),
                text("model_number", "型号"),
                text("name", "名称"),
                choice("certification", "认证状态", Product.Certification.choices),
                text("certificate_number", "证书编号"),
            ],
        )
    )
    add(
        Registry(
            "systems",
            System,
            "system",
            key=("unit", "name"),
            **common,
            columns=[
                col,
                text("name", "名称"),
                Column("places", "覆盖场所", NameList()),
                Column(
                    "subsystems",
                    "子系统",
                    CodeList(v.SUBSYSTEMS, "子系统", "subsystem"),
                    field="subsystems",
                ),
                choice("status", "状态", System.Status.choices),
                flag("built_by_government", "政府统一建设"),
                choice("design_review", "设计方案论证/审核", System.Review.choices),
                flag("built_per_design", "按方案施工"),
                flag("built_with_project", "与建设工程同步"),
                choice("acceptance", "验收", System.Acceptance.choices),
                flag("standards_compliant", "符合标准"),
                flag("products_certified", "产品经检验/认证"),
                flag("network_interface", "预留联网接口"),
                flag("connected_to_police_platform", "接入公安机关平台"),
                flag("police_requested_connection", "公安机关要求联网"),
                Column("retention_days", "采获信息留存天数", Integer(), field="retention_days"),
                flag("signage", "设置提示标识"),
                Column("practitioner", "承建从业单位统一社会信用代码", Text(upper=True)),
                Column("required_level", "工程所需资格等级", Integer(), field="required_level"),
            ],
            refs=[ref, Ref("practitioner", "practitioners", ("practitioner",))],
            many=[ManyRef("places", "places", "places", scope="unit")],
            note="覆盖场所写该单位已登记场所的名称 / 覆盖场所 lists names of the unit's places",
        )
    )
    add(
        Registry(
            "devices",
            Device,
            "device",
            key=("system", "code"),
            **common,
            columns=[
                Column("unit", UNIT_REF_HEADER, UnitRef()),
                Column("system", "技防系统", Text()),
                text("code", "设备编号"),
                choice("kind", "类型", Device.Kind.choices),
                Column(
                    "location",
                    "安装位置",
                    Choice(v.DEVICE_LOCATIONS, "安装位置", "device location"),
                    field="location",
                ),
                flag("video", "视频采集"),
                flag("audio", "音频采集"),
                Column("product_manufacturer", "产品生产企业", Text()),
                Column("product_model_number", "产品型号", Text()),
                text("certificate_number", "产品证书编号"),
            ],
            refs=[
                Ref("system", "systems", ("unit", "system")),
                Ref("product", "products", ("product_manufacturer", "product_model_number")),
            ],
            note="技防系统以 单位统一社会信用代码 + 系统名称 识别；产品以 生产企业 + 型号 识别 / the "
            "system is unit USCC + system name; the product is manufacturer + model number",
        )
    )
    organ_ref = Ref("issued_by", "police-organs", ("issued_by",))
    add(
        Registry(
            "orders",
            RectificationOrder,
            "rectification order",
            key=("unit", "finding", "subject", "served"),
            **common,
            columns=[
                col,
                Column(
                    "finding",
                    "违法认定",
                    Choice(v.FINDINGS, "违法认定", "finding"),
                    field="finding",
                ),
                text("subject", "对象"),
                Column("served", "送达日期", Date(), field="served"),
                Column("deadline", "整改期限", Date(), field="deadline"),
                flag("corrected", "已改正"),
                flag("harm", "造成损害或严重威胁"),
                flag("serious", "造成严重后果"),
                Column("issued_by", "作出机关", Text()),
            ],
            refs=[ref, organ_ref],
        )
    )
    add(
        Registry(
            "acts",
            ActRecord,
            "act record",
            key=("unit", "code", "occurred"),
            **common,
            columns=[
                Column("unit", "涉及单位统一社会信用代码", UnitRef()),
                Column("code", "行为", Choice(v.ACTS, "违法行为", "act"), field="code"),
                choice("by", "行为人", ActRecord._meta.get_field("by").choices),
                Column("occurred", "发生日期", Date(), field="occurred"),
                flag("serious", "情节严重"),
                Column("illegal_income", "违法所得（元）", Number(), field="illegal_income"),
            ],
            refs=[ref],
        )
    )
    return regs


def all_registries() -> list[Registry]:
    """Every registry, in import order."""
    return list(_build().values())


def get_registry(name: str) -> Registry | None:
    """A registry by its name (`police-organs` or `police_organs`) or its Chinese label."""
    regs = _build()
    wanted = name.strip().lower().replace("_", "-")
    if wanted in regs:
        return regs[wanted]
    for reg in regs.values():
        if name.strip() in (reg.label, str(reg.model._meta.verbose_name_plural)):
            return reg
    return None


# ---- descriptions for `jifang import --list` and docs/import-export.md


def column_rows(reg: Registry) -> list[tuple[str, str, str, str]]:
    """(header, field name, format, note) for each column."""
    key_cols = set(reg.required_columns()) | set(reg.key_columns())
    rows = []
    for c in reg.columns:
        notes = []
        if c.name in key_cols:
            notes.append("键 / key")
        elif c.field and not c.duty:
            f = reg.model._meta.get_field(c.field)
            if not f.blank and not f.has_default():
                notes.append("必填 / required")
        fmt = c.cell.zh
        if (
            isinstance(c.cell, Bool)
            and c.field
            and not c.duty
            and not reg.model._meta.get_field(c.field).null
        ):
            fmt = "是/否（也接受 true/false、1/0）；空为否"
        if c.name in reg.ref_of_column:
            ref = reg.ref_of_column[c.name]
            target = reg.registry(ref.target)
            if c.cell.whole_key and len(ref.columns) > 1:
                others = "、".join(reg.column[x].header for x in ref.columns if x != c.name)
                fmt = (
                    f"{fmt}：与「{others}」一起识别{target.label} / with {others}, "
                    f"identifies the {target.label_en}"
                )
            elif c.cell.whole_key:
                fmt = f"{fmt}：引用{target.label} / refers to a {target.label_en}"
            else:
                part = target.key[ref.columns.index(c.name)]
                fmt = (
                    f"{target.label}的{target.column[part].header} / the {target.label_en}'s {part}"
                )
        if c.name in reg.many_of_column:
            target = reg.registry(reg.many_of_column[c.name].target)
            fmt = f"{fmt}：{target.label}名称 / names of {target.label_en}s"
        if c.note:
            notes.append(c.note)
        rows.append((c.header, c.name, fmt, "；".join(notes)))
    return rows


def code_tables() -> dict[str, dict[str, str]]:
    """The long code tables the columns use, by name (place categories, subsystems…)."""
    tables: dict[str, dict[str, str]] = {}
    for reg in all_registries():
        for c in reg.columns:
            if c.cell.code_table:
                tables.setdefault(c.cell.code_table, c.cell.codes.table)
    return tables


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The column tables of every registry and the code tables, as in docs/import-export.md."""
    out = []
    for reg in all_registries():
        out.append(f"### `{reg.name}`: {reg.label}")
        out.append("")
        keys = "、".join(reg.column[c].header for c in reg.key_columns())
        if reg.name == "units":
            keys = "统一社会信用代码（无代码的个人：名称 + 所在区划代码）"
        out.append(f"键 / key: {keys}.")
        if reg.note:
            out.append(f"{reg.note}.")
        out.append("")
        out.append("| 列名 header | 字段名 field | 格式 format | 说明 notes |")
        out.append("|---|---|---|---|")
        for header, name, fmt, note in column_rows(reg):
            out.append(f"| {_md_cell(header)} | `{name}` | {_md_cell(fmt)} | {_md_cell(note)} |")
        out.append("")
    out.append("### 代码表 / code tables")
    out.append("")
    for name, table in code_tables().items():
        out.append(f"**{name}**")
        out.append("")
        out.append("| 代码 code | 名称 label |")
        out.append("|---|---|")
        out += [f"| `{code}` | {_md_cell(label)} |" for code, label in table.items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
