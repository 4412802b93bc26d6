"""Bulk import and export of the registries (jifang.platform.core.importexport, jifang import/export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save

from jifang.cli import main
from jifang.platform.core import importexport as ie
from jifang.platform.core.importexport import cells
from jifang.platform.core.validators import USCC_ALPHABET, uscc_check_char

ROOT = Path(__file__).resolve().parents[2]


def uscc(seq: int, division: str = "440106") -> str:
    body = f"91{division}{seq:09d}"
    return body + uscc_check_char(body)


def bad_check(code: str) -> str:
    wrong = next(c for c in USCC_ALPHABET if c != code[-1])
    return code[:-1] + wrong


U1, U2, P1 = uscc(1), uscc(2), uscc(3)


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(name: str, path: Path, dry_run: bool = False) -> ie.ImportReport:
    return ie.import_file(ie.get_registry(name), path, dry_run=dry_run)


def where(report: ie.ImportReport) -> set[tuple[int, str]]:
    return {(p.line, p.field) for p in report.problems}


# Every registry, as a user would fill it in, in import order.
DATA: dict[str, list[list]] = {
    "divisions": [
        ["区划代码", "名称", "级别", "上级区划代码", "适用法规"],
        ["440106", "天河区", "county", "440100", "guangdong-2017"],  # parent on a later line
        ["440100", "广州市", "地级", "440000", "guangdong-2017"],
        ["440000", "广东省", "province", "", "guangdong-2017"],
    ],
    "police-organs": [
        ["名称", "辖区区划代码", "技防部门", "电话"],
        ["广州市公安局天河区分局", "440106", "技防科", "020-12345678"],
    ],
    "units": [
        [
            "名称",
            "类型",
            "统一社会信用代码",
            "所在区划代码",
            "地址",
            "联系电话",
            "义务：值班监看",
            "义务：保密制度",
        ],
        ["天河幼儿园", "organisation", U1, "440106", "-1号楼", "", "是", "否"],
        ["天河银行", "单位", U2.lower(), "440106", "天河路2号", "", "true", ""],
        ["张三", "individual", "", "440106", "", "", "", ""],
    ],
    "responsible-persons": [
        ["单位统一社会信用代码", "姓名", "职务", "电话"],
        [U1, "李四", "园长", "13800000000"],
        ["张三（440106）", "张三", "", ""],
    ],
    "places": [
        [
            "单位统一社会信用代码",
            "名称",
            "场所类别",
            "社会公共区域",
            "防范恐怖袭击重点目标",
            "公安机关确定的重点场所",
            "中心城区",
            "新建、改建、扩建工程",
        ],
        [U1, "大门、操场", "kindergarten、school", "否", "", "", "是", ""],
        [U1, "财务室", "财务室、收银台等一般单位的重要部位", "0", "0", "0", "", "0"],
        [U2, "金库", "vault,financial_business", "", "是", "是", "", ""],
        ["张三(440106)", "出租屋", "rental_housing", "", "", "", "", ""],
    ],
    "practitioners": [
        [
            "名称",
            "统一社会信用代码",
            "注册地省份代码",
            "经营场所区划代码",
            "已向公安机关备案",
            "备案编号",
            "义务：按设计方案施工",
            "列入警示公告名录",
        ],
        ["安防工程公司", P1, "44", "440106", "是", "粤公技备001", "是", "否"],
    ],
    "certificates": [
        ["证书编号", "从业单位统一社会信用代码", "等级", "发证机关", "有效期起", "有效期至"],
        ["粤安证-001", P1, "2", "广州市公安局天河区分局", "2023/1/1", "2026年12月31日"],
    ],
    "personnel": [
        ["从业单位统一社会信用代码", "姓名", "岗位", "已接受业务和保密培训"],
        [P1, "王五", "安装工", "是"],
    ],
    "products": [
        ["生产企业", "型号", "名称", "认证状态", "证书编号"],
        ["海康威视", "DS-2CD", "网络摄像机", "certified", "CCC-1"],
        ["大华", "DH-1", "硬盘录像机", "未知", ""],
    ],
    "systems": [
        [
            "单位统一社会信用代码",
            "名称",
            "覆盖场所",
            "子系统",
            "状态",
            "设计方案论证/审核",
            "验收",
            "采获信息留存天数",
            "设置提示标识",
            "承建从业单位统一社会信用代码",
            "工程所需资格等级",
        ],
        [
            U1,
            "视频监控系统",
            "大门、操场，财务室",
            "video、入侵报警",
            "in_use",
            "approved",
            "passed",
            "30",
            "是",
            P1,
            "3",
        ],
        [U2, "金库报警", "金库", "intrusion_alarm", "使用中", "", "", "", "", "", ""],
    ],
    "devices": [
        [
            "单位统一社会信用代码",
            "技防系统",
            "设备编号",
            "类型",
            "安装位置",
            "视频采集",
            "音频采集",
            "产品生产企业",
            "产品型号",
            "产品证书编号",
        ],
        [
            U1,
            "视频监控系统",
            "CAM-01",
            "camera",
            "entrance",
            "是",
            "否",
            "海康威视",
            "DS-2CD",
            "CCC-1",
        ],
        [U1, "视频监控系统", "CAM-02", "摄像机", "收银台", "是", "", "", "", ""],
    ],
    "orders": [
        [
            "单位统一社会信用代码",
            "违法认定",
            "对象",
            "送达日期",
            "整改期限",
            "已改正",
            "造成损害或严重威胁",
            "造成严重后果",
            "作出机关",
        ],
        [
            U1,
            "INSTALL_REQUIRED_MISSING",
            "p1",
            "2024-01-02",
            "2024-02-01",
            "否",
            "",
            "",
            "广州市公安局天河区分局",
        ],
    ],
    "acts": [
        ["涉及单位统一社会信用代码", "行为", "行为人", "发生日期", "情节严重", "违法所得（元）"],
        [U1, "damage_equipment", "unit", "2024-03-01", "否", "1200.50"],
        [U1, "擅自使用记录资料", "个人", "2024-03-02", "是", ""],
    ],
}


def load_all(tmp_path: Path, upto: str | None = None) -> None:
    for name, rows in DATA.items():
        report = run(name, write_csv(tmp_path / f"in-{name}.csv", rows))
        assert report.ok, (name, [str(p) for p in report.problems])
        assert report.written and report.created == len(rows) - 1
        if name == upto:
            return


@pytest.fixture
def places_ready(db, tmp_path):
    load_all(tmp_path, upto="places")


# ---- the formats of cells (no database)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("是", True),
        ("否", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        (True, True),
        (" Y ", True),
    ],
)
def test_booleans(raw, value):
    assert cells.Bool().parse(raw) is value


@pytest.mark.parametrize(
    "raw",
    [
        "2024-06-01",
        "2024/6/1",
        "2024.06.01",
        "2024年6月1日",
        "20240601",
        dt.datetime(2024, 6, 1),
        "2024-06-01 00:00:00",
    ],
)
def test_dates(raw):
    assert cells.Date().parse(raw) == dt.date(2024, 6, 1)


def test_code_lists_accept_codes_labels_and_both_separators():
    cell = ie.get_registry("places").column["categories"].cell
    assert cell.parse("kindergarten、school, vault") == ["kindergarten", "school", "vault"]
    # A label that itself holds 、 is still one category.
    assert cell.parse("武器、弹药（库）、幼儿园") == ["weapons_ammunition", "kindergarten"]
    assert cell.parse("幼儿园（kindergarten）") == ["kindergarten"]
    with pytest.raises(cells.CellError, match="nonsense"):
        cell.parse("kindergarten、nonsense")


def test_cli_names_match_the_declarations():
    from jifang.cli import registry_io

    assert list(registry_io._REGISTRY_NAMES) == [r.name for r in ie.all_registries()]


def test_docs_hold_the_generated_tables():
    doc = (ROOT / "docs" / "import-export.md").read_text(encoding="utf-8")
    assert ie.markdown() in doc, (
        "regenerate the tables: python -m jifang.platform.core.importexport"
    )


# ---- import


def test_import_every_registry_from_csv(db, tmp_path):
    from jifang.platform.compliance.models import ActRecord
    from jifang.platform.geo.models import Division
    from jifang.platform.systems.models import Device, System
    from jifang.platform.units.models import Place, Unit

    load_all(tmp_path)
    assert Division.objects.get(code="440106").parent.code == "440100"
    kg = Unit.objects.get(uscc=U1)
    assert kg.duties == {"duty_monitoring": True, "confidentiality": False}
    assert kg.address == "-1号楼"
    assert Unit.objects.get(uscc=U2).duties == {"duty_monitoring": True}
    assert Unit.objects.get(name="张三").uscc is None
    gate = Place.objects.get(name="大门、操场")
    assert gate.categories == ["kindergarten", "school"]
    assert gate.central_urban is True and gate.public_area is False
    assert Place.objects.get(name="财务室").categories == ["finance_room"]
    system = System.objects.get(name="视频监控系统")
    assert sorted(p.name for p in system.places.all()) == ["大门、操场", "财务室"]
    assert system.subsystems == ["video", "intrusion_alarm"]
    assert system.practitioner.uscc == P1 and system.retention_days == 30
    assert system.built_by_government is None
    cam = Device.objects.get(code="CAM-01")
    assert cam.product.model_number == "DS-2CD" and cam.audio is False
    assert Device.objects.get(code="CAM-02").location == "cashier"
    act = ActRecord.objects.get(code="damage_equipment")
    assert act.illegal_income == Decimal("1200.50")
    assert ActRecord.objects.get(code="unauthorized_use_records").by == "individual"


def test_import_xlsx_with_native_cells(db, tmp_path):
    from jifang.platform.geo.models import Division
    from jifang.platform.units.models import Place

    load_all(tmp_path, upto="units")
    path = write_xlsx(
        tmp_path / "places.xlsx",
        [
            ["单位统一社会信用代码", "名称", "场所类别", "社会公共区域", "中心城区"],
            [U1, "教室", "school", False, None],
            [None, None, None, None, None],  # a blank row is skipped and still counted
            [U2, "营业厅", "financial_business", True, 1],
        ],
    )
    report = run("places", path)
    assert report.ok and report.created == 2, report.problems
    assert Place.objects.get(name="营业厅").public_area is True
    assert Place.objects.get(name="教室").central_urban is None

    # A division code typed as a number and a date cell.
    path = write_xlsx(
        tmp_path / "div.xlsx",
        [["code", "name", "level", "parent"], [440111, "白云区", "county", 440100]],
    )
    assert run("divisions", path).ok
    assert Division.objects.get(code="440111").parent.code == "440100"


def test_xlsx_problems_name_the_excel_row(db, tmp_path):
    load_all(tmp_path, upto="units")
    path = write_xlsx(
        tmp_path / "places.xlsx",
        [
            ["单位统一社会信用代码", "名称", "场所类别"],
            [U1, "教室", "school"],
            [],
            [U1, "食堂", "canteen"],
        ],
    )
    report = run("places", path)
    assert where(report) == {(4, "场所类别")}


def test_dry_run_writes_nothing(places_ready, tmp_path):
    from jifang.platform.units.models import Place

    before = Place.objects.count()
    rows = [
        DATA["places"][0],
        [U1, "教室", "school", "", "", "", "", ""],
        [U1, "大门、操场", "kindergarten", "", "", "", "", ""],
    ]
    report = run("places", write_csv(tmp_path / "p.csv", rows), dry_run=True)
    assert report.ok and not report.written
    assert (report.created, report.updated) == (1, 1)
    assert Place.objects.count() == before
    assert Place.objects.get(name="大门、操场").categories == ["kindergarten", "school"]


def test_every_bad_row_and_field_is_reported_and_nothing_written(db, tmp_path):
    from jifang.platform.units.models import Unit

    load_all(tmp_path, upto="police-organs")
    rows = [
        ["名称", "类型", "统一社会信用代码", "所在区划代码", "义务：值班监看", "备注"],
        ["好单位", "organisation", U1, "440106", "是", ""],  # 2: good
        ["校验位错", "organisation", bad_check(U2), "440106", "", ""],  # 3
        ["区划不存在", "organisation", uscc(4), "449999", "", ""],  # 4
        ["布尔值错", "organisation", uscc(5), "440106", "也许", ""],  # 5
        ["好单位重复", "organisation", U1, "440106", "", ""],  # 6
        ["没有代码", "organisation", "", "440106", "", ""],  # 7
        ["类型错", "company", uscc(6), "440106", "", ""],  # 8
        ["", "organisation", uscc(7), "440106", "", ""],  # 9: name blank
    ]
    report = run("units", write_csv(tmp_path / "units.csv", rows))
    assert not report.ok and not report.written
    assert where(report) == {
        (1, "备注"),
        (3, "统一社会信用代码"),
        (4, "所在区划代码"),
        (5, "义务：值班监看"),
        (6, "统一社会信用代码"),
        (7, "统一社会信用代码"),
        (8, "类型"),
        (9, "名称"),
    }
    messages = {(p.line, p.field): p for p in report.problems}
    assert "校验位" in messages[3, "统一社会信用代码"].zh
    assert "check character" in messages[3, "统一社会信用代码"].en
    assert "449999" in messages[4, "所在区划代码"].zh
    assert "第2行" in messages[6, "统一社会信用代码"].zh
    assert messages[1, "备注"].en == "unknown column"
    assert all(p.zh and p.en and p.zh != p.en for p in report.problems)
    assert Unit.objects.count() == 0


def test_gb18030_csv(db, tmp_path):
    from jifang.platform.geo.models import Division

    path = write_csv(tmp_path / "gbk.csv", DATA["divisions"], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    report = run("divisions", path)
    assert report.ok, report.problems
    assert Division.objects.get(code="440000").name == "广东省"


def test_utf8_without_bom_and_field_name_headers(db, tmp_path):
    from jifang.platform.geo.models import PoliceOrgan

    load_all(tmp_path, upto="divisions")
    path = write_csv(
        tmp_path / "po.csv",
        [["name", "division", "Office"], ["天河分局", "440106", "技防科"]],
        encoding="utf-8",
    )
    report = run("police-organs", path)
    assert report.ok, report.problems
    assert PoliceOrgan.objects.get(name="天河分局").office == "技防科"


def test_unknown_foreign_key(places_ready, tmp_path):
    from jifang.platform.units.models import Place

    nobody = uscc(99)
    rows = [
        ["单位统一社会信用代码", "名称", "场所类别"],
        [nobody, "门口", "other"],
        ["李四（440106）", "门口", "other"],
    ]
    report = run("places", write_csv(tmp_path / "p.csv", rows))
    assert where(report) == {(2, "单位统一社会信用代码"), (3, "单位统一社会信用代码")}
    assert nobody in report.problems[0].zh and "找不到单位" in report.problems[0].zh
    assert not Place.objects.filter(name="门口").exists()

    # A place of the system's unit that does not exist; a product that does not.
    load_all_rest = DATA["systems"][0], [U1, "新系统", "大门、操场,操场", "video"] + [""] * 7
    report = run("systems", write_csv(tmp_path / "s.csv", list(load_all_rest)))
    assert where(report) == {(2, "覆盖场所")}
    assert "操场" in report.problems[0].zh


def test_bad_uscc_checksum(db, tmp_path):
    from jifang.platform.practitioners.models import Practitioner

    rows = [
        ["名称", "统一社会信用代码", "注册地省份代码"],
        ["坏代码公司", bad_check(P1), "44"],
        ["形式错误", "ABC", "44"],
    ]
    report = run("practitioners", write_csv(tmp_path / "pr.csv", rows))
    assert where(report) == {(2, "统一社会信用代码"), (3, "统一社会信用代码")}
    assert "校验位" in report.problems[0].zh
    assert Practitioner.objects.count() == 0


def test_bad_category_code(places_ready, tmp_path):
    rows = [
        ["单位统一社会信用代码", "名称", "场所类别"],
        [U1, "食堂", "kindergarten、canteen"],
        [U1, "空类别", ""],
    ]
    report = run("places", write_csv(tmp_path / "p.csv", rows))
    assert where(report) == {(2, "场所类别"), (3, "场所类别")}
    first, second = report.problems
    assert "canteen" in first.zh and "canteen" in first.en
    assert "至少需要一个场所类别" in second.zh and "at least one" in second.en


def test_header_problems(db, tmp_path):
    rows = [["名称", "级别", "名称", "颜色"], ["广东省", "province", "x", ""]]
    report = run("divisions", write_csv(tmp_path / "d.csv", rows))
    assert where(report) == {(1, "区划代码"), (1, "名称"), (1, "颜色")}


def test_upsert_updates_by_natural_key_and_leaves_absent_columns(places_ready, tmp_path):
    from jifang.platform.units.models import Unit

    rows = [
        ["统一社会信用代码", "名称", "所在区划代码", "义务：值班监看"],
        [U1, "天河区第一幼儿园", "440106", ""],
        [uscc(8), "新单位", "440106", "否"],
    ]
    report = run("units", write_csv(tmp_path / "u.csv", rows))
    assert report.ok and (report.created, report.updated) == (1, 1), report.problems
    kg = Unit.objects.get(uscc=U1)
    assert kg.name == "天河区第一幼儿园"
    assert kg.address == "-1号楼"  # no 地址 column: unchanged
    assert kg.duties == {"confidentiality": False}  # blank 值班监看: unknown
    assert Unit.objects.get(uscc=uscc(8)).duties == {"duty_monitoring": False}

    # Keyed by USCC, a file may carry just the columns it changes.
    path = write_csv(tmp_path / "addr.csv", [["uscc", "地址"], [U2, "天河路9号"]])
    report = run("units", path)
    assert report.ok and (report.updated, report.unchanged) == (1, 0), report.problems
    assert Unit.objects.get(uscc=U2).address == "天河路9号"
    assert Unit.objects.get(uscc=U2).name == "天河银行"


def test_a_long_number_excel_mangled_is_explained(places_ready, tmp_path):
    path = write_xlsx(
        tmp_path / "u.xlsx", [["统一社会信用代码", "地址"], [float("914401060000000012"), "x"]]
    )
    report = run("units", path)
    assert where(report) == {(2, "统一社会信用代码")}
    assert "文本格式" in report.problems[0].zh


def test_division_cycles_are_refused(db, tmp_path):
    rows = [
        ["区划代码", "名称", "级别", "上级区划代码"],
        ["440000", "广东省", "province", "440100"],
        ["440100", "广州市", "city", "440000"],
    ]
    report = run("divisions", write_csv(tmp_path / "d.csv", rows))
    assert any("循环引用" in p.zh for p in report.problems)
    assert not report.written


def test_saves_are_in_one_transaction_of_their_own(db, tmp_path):
    """The audit log refuses saves outside a transaction: the import opens one (a savepoint
    inside the test's transaction), saves every row in it, one .save() each, as cli:import."""
    from jifang.platform.auditlog.context import current_actor
    from jifang.platform.geo.models import Division

    depth = len(connection.savepoint_ids)
    seen = []

    def record(sender, instance, **kwargs):
        seen.append((instance.code, tuple(connection.savepoint_ids), current_actor()))

    post_save.connect(record, sender=Division)
    try:
        path = write_csv(tmp_path / "d.csv", DATA["divisions"])
        assert main(["import", "divisions", str(path)]) == 0
    finally:
        post_save.disconnect(record, sender=Division)
    assert [code for code, _, _ in seen] == ["440000", "440100", "440106"]  # parents first
    assert {actor for _, _, actor in seen} == {"cli:import"}
    blocks = {ids for _, ids, _ in seen}
    assert len(blocks) == 1 and len(next(iter(blocks))) == depth + 1
    assert len(connection.savepoint_ids) == depth


# ---- export and the round trip


def sorted_rows(path: Path, reg: ie.Registry) -> list[list[str]]:
    """The table's rows as values (each cell through its column's format), in order."""
    table = ie.read_table(path)
    columns = [reg.column[reg.aliases()[cells._norm(h)].name] for h in table.header]

    def value(col, c):
        v = None if cells.is_blank(c) else col.cell.format(col.cell.parse(c))
        return format(v.normalize(), "f") if isinstance(v, Decimal) else str(v or "")

    rows = [
        [
            value(col, c)
            for col, c in zip(columns, [*r, *[None] * len(columns)][: len(columns)], strict=True)
        ]
        for _, r in table.rows
    ]
    return [table.header, *sorted(rows)]


def test_round_trip(db, tmp_path):
    from jifang.platform.compliance.models import ActRecord, RectificationOrder
    from jifang.platform.geo.models import Division, PoliceOrgan
    from jifang.platform.practitioners.models import (
        Personnel,
        Practitioner,
        QualificationCertificate,
    )
    from jifang.platform.systems.models import Device, Product, System
    from jifang.platform.units.models import Place, ResponsiblePerson, Unit

    load_all(tmp_path)
    regs = ie.all_registries()
    first = {}
    for reg in regs:
        for fmt in ("csv", "xlsx"):
            path = tmp_path / f"out-{reg.name}.{fmt}"
            count = ie.export_file(reg, path)
            assert count == len(DATA[reg.name]) - 1
            # Re-importing an export into the same database changes nothing.
            report = ie.import_file(reg, path)
            assert report.ok, (reg.name, fmt, [str(p) for p in report.problems])
            assert (report.created, report.updated, report.unchanged) == (0, 0, count)
        first[reg.name] = sorted_rows(tmp_path / f"out-{reg.name}.csv", reg)
        assert first[reg.name] == sorted_rows(tmp_path / f"out-{reg.name}.xlsx", reg)

    raw = (tmp_path / "out-units.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    assert "'-1号楼".encode() in raw  # never a formula in a spreadsheet

    # Empty the database, import the exports, export again: the same tables.
    with transaction.atomic():
        for model in (
            ActRecord,
            RectificationOrder,
            Device,
            System,
            Product,
            Personnel,
            QualificationCertificate,
            Practitioner,
            Place,
            ResponsiblePerson,
            Unit,
            PoliceOrgan,
        ):
            model.objects.all().delete()
        for level in ("county", "city", "province"):
            Division.objects.filter(level=level).delete()
    for reg in regs:
        report = ie.import_file(reg, tmp_path / f"out-{reg.name}.xlsx")
        assert report.ok and report.written, (reg.name, [str(p) for p in report.problems])
        ie.export_file(reg, tmp_path / f"again-{reg.name}.csv")
        assert sorted_rows(tmp_path / f"again-{reg.name}.csv", reg) == first[reg.name]


# ---- the command


def test_cli_import_export_and_exit_codes(db, tmp_path, capsys):
    load_all(tmp_path, upto="police-organs")
    good = write_csv(tmp_path / "units.csv", DATA["units"])
    assert main(["import", "units", str(good), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "dry run" in out and "新建 3" in out

    bad = write_csv(
        tmp_path / "bad.csv",
        [DATA["units"][0], DATA["units"][1], ["坏", "organisation", bad_check(U2), "440106"]],
    )
    assert main(["import", "units", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "第3行 统一社会信用代码：" in err and "line 3, 统一社会信用代码: " in err
    assert "未写入任何记录" in err and "nothing written" in err
    assert "Traceback" not in err

    assert main(["import", "units", str(good)]) == 0
    assert "已写入" in capsys.readouterr().out
    assert main(["import", "units", str(good), "--json"]) == 0
    assert '"unchanged": 3' in capsys.readouterr().out

    out_path = tmp_path / "export.xlsx"
    assert main(["export", "units", str(out_path)]) == 0
    assert "3 行" in capsys.readouterr().out
    assert main(["import", "单位", str(out_path), "--dry-run"]) == 0
    capsys.readouterr()

    assert main(["export", "all", str(tmp_path / "all")]) == 0
    assert (tmp_path / "all" / "acts.csv").exists()
    capsys.readouterr()


def test_cli_refuses_bad_invocations(db, tmp_path, capsys):
    assert main(["import", "--list"]) == 0
    out = capsys.readouterr().out
    assert "units" in out and "统一社会信用代码（uscc）" in out
    assert main(["import", "--list", "places"]) == 0
    assert "kindergarten" in capsys.readouterr().out

    assert main(["import", "nonsense", "x.csv"]) == 2
    assert "unknown registry" in capsys.readouterr().err
    assert main(["import", "units"]) == 2
    assert main(["import", "units", str(tmp_path / "missing.csv")]) == 2
    assert "无法读取文件" in capsys.readouterr().err
    assert main(["import", "units", str(write_csv(tmp_path / "x.txt", [["a"]]))]) == 2
    assert "--format" in capsys.readouterr().err
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert main(["import", "units", str(tmp_path / "broken.xlsx")]) == 2
    assert "XLSX" in capsys.readouterr().err
    (tmp_path / "empty.csv").write_bytes(b"")
    assert main(["import", "units", str(tmp_path / "empty.csv")]) == 2
    assert main(["export", "nonsense", str(tmp_path / "x.csv")]) == 2
    assert "Traceback" not in capsys.readouterr().err
