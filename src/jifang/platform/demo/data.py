"""The demo's raw material: five cities, the kinds of unit, names, products.

Everything here is a tuple or a frozen dataclass, read in order: the generator draws from these
with a seeded `random.Random`, so the same seed always picks the same names. The names look real
but are generic: brands are invented words, not existing companies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The demo's "today": orders, acts and certificates are dated from it, never from the clock.
BASE_DATE = dt.date(2024, 6, 1)
DEFAULT_SEED = 2024
DEFAULT_UNITS_PER_CITY = 40


@dataclass(frozen=True)
class County:
    code: str
    name: str
    central_urban: bool | None = None  # Hangzhou only: wholly inside the central urban area


@dataclass(frozen=True)
class City:
    regime: str
    province_code: str
    province: str
    code: str
    name: str
    abbr: str  # the province's one-character abbreviation, for certificate numbers
    area_code: str  # telephone area code
    phone_digits: int  # digits of a local number
    counties: tuple[County, ...]
    streets: tuple[str, ...]
    hubs: tuple[str, ...]  # transport hubs, "{c}" is the city's short name
    scenic: tuple[str, ...]  # words for residential estates and squares

    @property
    def short(self) -> str:
        return self.name.removesuffix("市")


CITIES: tuple[City, ...] = (
    City(
        regime="qinhuangdao-2018",
        province_code="130000",
        province="河北省",
        code="130300",
        name="秦皇岛市",
        abbr="冀",
        area_code="0335",
        phone_digits=7,
        counties=(
            County("130302", "海港区"),
            County("130303", "山海关区"),
            County("130304", "北戴河区"),
            County("130306", "抚宁区"),
            County("130322", "昌黎县"),
        ),
        streets=(
            "河北大街",
            "迎宾路",
            "文化路",
            "海滨路",
            "建设大街",
            "燕山大街",
            "北环路",
            "西港路",
            "联峰路",
            "南海西路",
        ),
        hubs=("{c}汽车客运站", "{c}港客运码头", "{c}站综合交通枢纽"),
        scenic=("海韵", "金梦", "燕海", "碧水", "长城", "港湾"),
    ),
    City(
        regime="liaoning-2015",
        province_code="210000",
        province="辽宁省",
        code="210100",
        name="沈阳市",
        abbr="辽",
        area_code="024",
        phone_digits=8,
        counties=(
            County("210102", "和平区"),
            County("210103", "沈河区"),
            County("210104", "大东区"),
            County("210105", "皇姑区"),
            County("210106", "铁西区"),
            County("210112", "浑南区"),
        ),
        streets=(
            "青年大街",
            "中山路",
            "北京街",
            "太原街",
            "北陵大街",
            "建设大路",
            "沈辽路",
            "南京街",
            "小北关街",
            "长青街",
        ),
        hubs=("{c}长途汽车客运站", "{c}北站综合交通枢纽", "{c}地铁青年大街站"),
        scenic=("盛京", "浑河", "北陵", "银杏", "枫林", "金沙"),
    ),
    City(
        regime="hangzhou-2018",
        province_code="330000",
        province="浙江省",
        code="330100",
        name="杭州市",
        abbr="浙",
        area_code="0571",
        phone_digits=8,
        counties=(
            County("330102", "上城区", True),
            County("330105", "拱墅区", True),
            County("330106", "西湖区", True),
            County("330108", "滨江区", True),
            County("330109", "萧山区", False),
            County("330110", "余杭区", False),
        ),
        streets=(
            "延安路",
            "解放路",
            "文三路",
            "天目山路",
            "江南大道",
            "市心路",
            "体育场路",
            "湖墅南路",
            "文一西路",
            "钱江路",
        ),
        hubs=("{c}汽车客运中心", "{c}东站综合交通枢纽", "{c}地铁龙翔桥站"),
        scenic=("西溪", "钱塘", "桂语", "湖畔", "云栖", "龙井"),
    ),
    City(
        regime="fujian-2015",
        province_code="350000",
        province="福建省",
        code="350200",
        name="厦门市",
        abbr="闽",
        area_code="0592",
        phone_digits=8,
        counties=(
            County("350203", "思明区"),
            County("350205", "海沧区"),
            County("350206", "湖里区"),
            County("350211", "集美区"),
            County("350212", "同安区"),
            County("350213", "翔安区"),
        ),
        streets=(
            "湖滨南路",
            "厦禾路",
            "嘉禾路",
            "仙岳路",
            "鹭江道",
            "莲前西路",
            "海沧大道",
            "集美大道",
            "环岛路",
            "金尚路",
        ),
        hubs=("{c}邮轮中心客运码头", "{c}长途汽车站", "{c}北站综合交通枢纽"),
        scenic=("鹭岛", "海湾", "凤凰", "筼筜", "金榜", "白鹭"),
    ),
    City(
        regime="guangdong-2017",
        province_code="440000",
        province="广东省",
        code="440100",
        name="广州市",
        abbr="粤",
        area_code="020",
        phone_digits=8,
        counties=(
            County("440103", "荔湾区"),
            County("440104", "越秀区"),
            County("440105", "海珠区"),
            County("440106", "天河区"),
            County("440111", "白云区"),
            County("440112", "黄埔区"),
            County("440113", "番禺区"),
        ),
        streets=(
            "天河路",
            "中山五路",
            "环市东路",
            "体育西路",
            "江南大道",
            "黄埔大道",
            "广州大道",
            "白云大道",
            "东风中路",
            "工业大道",
        ),
        hubs=("{c}南站综合交通枢纽", "{c}市汽车客运站", "{c}地铁体育西路站"),
        scenic=("珠江", "羊城", "木棉", "云山", "荔景", "花城"),
    ),
)

# Invented brand words (not existing companies), and words for estates, squares and offices.
BRANDS: tuple[str, ...] = (
    "恒通",
    "瑞丰",
    "嘉禾",
    "鼎盛",
    "宏远",
    "安泰",
    "泰和",
    "祥云",
    "金桥",
    "新元",
    "盛源",
    "海润",
    "天晟",
    "博远",
    "康泰",
    "明德",
    "锦程",
    "和顺",
    "福源",
    "众诚",
    "华晟",
    "远航",
    "启明",
    "星河",
    "丰泽",
    "润华",
    "同创",
    "长丰",
    "信和",
    "永盛",
    "通达",
    "德润",
)
PLACE_WORDS: tuple[str, ...] = (
    "东湖",
    "新华",
    "文化",
    "和平",
    "光明",
    "青年",
    "人民",
    "建设",
    "南湖",
    "西苑",
    "翠园",
    "锦绣",
    "阳光",
    "幸福",
    "育才",
    "春晖",
)
NUMERALS: tuple[str, ...] = (
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
)

SURNAMES: tuple[str, ...] = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "高",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "田",
    "董",
    "潘",
    "袁",
    "蔡",
    "蒋",
    "余",
    "杜",
    "叶",
    "程",
    "魏",
    "苏",
    "吕",
)
GIVEN_NAMES: tuple[str, ...] = (
    "建国",
    "丽华",
    "志强",
    "秀英",
    "海燕",
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "春梅",
    "文博",
    "思远",
    "雨涵",
    "子轩",
    "浩然",
    "欣怡",
    "俊杰",
    "晨曦",
    "国庆",
    "玉兰",
    "立新",
    "红梅",
    "永强",
    "雪梅",
    "振华",
    "淑芬",
    "家豪",
    "佳琪",
    "宇航",
    "梦瑶",
)


@dataclass(frozen=True)
class PlaceTemplate:
    name: str
    categories: tuple[str, ...]
    locations: tuple[str, ...]  # where its cameras go, drawn with repetition
    flags: tuple[str, ...] = ()  # always set
    maybe_flags: tuple[str, ...] = ()  # each set with some chance
    public_area: bool = False


@dataclass(frozen=True)
class Archetype:
    """A kind of unit: its names, its places, its system, and where a privacy camera could go."""

    key: str
    label: str
    names: tuple[
        str, ...
    ]  # templates: {brand} {brand2} {word} {county} {cs} {city} {c} {street} {num} {person}
    org: str  # the first two characters of the USCC (登记管理部门码 + 机构类别码); "" for individuals
    places: tuple[PlaceTemplate, ...]
    subsystems: tuple[str, ...]
    system_name: str
    roles: tuple[str, str]
    privacy: str | None = None  # a privacy location a careless unit puts a camera in
    weight: int = 1  # how often it recurs once every core kind is present
    core: bool = True  # every city has one when there is room
    kind: str = "organisation"
    devices: tuple[int, int] = (4, 15)  # how many devices its main system has, at least and most


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "street_office",
        "街道办事处（社会公共区域）",
        ("{county}{word}街道办事处",),
        "11",
        (
            PlaceTemplate("办公楼", ("government_agency",), ("entrance", "lobby", "corridor")),
            PlaceTemplate(
                "{street}沿线及{word}广场（社会公共区域）",
                ("park_square", "road_bridge_tunnel"),
                ("street", "street", "other"),
                public_area=True,
            ),
        ),
        ("video", "access_control"),
        "办公楼视频监控及门禁系统",
        ("主任", "综治办主任"),
        weight=0,
    ),
    Archetype(
        "bank",
        "银行网点",
        ("{brand}银行{cs}支行", "{brand}农村商业银行{cs}支行", "{brand}银行{street}分理处"),
        "91",
        (
            PlaceTemplate(
                "营业厅",
                ("financial_business",),
                ("lobby", "cashier", "cashier", "entrance", "main_passage"),
                maybe_flags=("police_key_place",),
            ),
            PlaceTemplate("现金业务库房", ("vault",), ("vault_room",)),
        ),
        ("video", "intrusion_alarm", "access_control", "anti_robbery"),
        "营业网点安全防范系统",
        ("行长", "安全保卫部经理"),
        weight=4,
        devices=(8, 15),
    ),
    Archetype(
        "primary_school",
        "小学",
        ("{cs}实验小学", "{cs}第{num}小学", "{street}小学", "{word}小学"),
        "12",
        (
            PlaceTemplate(
                "校园", ("school",), ("entrance", "perimeter", "main_passage", "corridor")
            ),
        ),
        ("video", "access_control", "intrusion_alarm"),
        "校园安全防范系统",
        ("校长", "安全办主任"),
        weight=2,
    ),
    Archetype(
        "boarding_school",
        "寄宿制中学",
        ("{c}市第{num}中学", "{cs}职业技术学校", "{c}{word}中学"),
        "12",
        (
            PlaceTemplate("教学区", ("school",), ("entrance", "perimeter", "corridor")),
            PlaceTemplate("学生宿舍楼", ("school",), ("entrance", "corridor")),
        ),
        ("video", "access_control", "intrusion_alarm"),
        "校园视频监控系统",
        ("校长", "保卫处处长"),
        privacy="dormitory_room",
        weight=1,
    ),
    Archetype(
        "kindergarten",
        "幼儿园",
        ("{cs}机关幼儿园", "{brand}幼儿园", "{word}幼儿园"),
        "52",
        (PlaceTemplate("园区", ("kindergarten",), ("entrance", "perimeter", "corridor", "lobby")),),
        ("video", "access_control", "intrusion_alarm"),
        "幼儿园安全防范系统",
        ("园长", "保健安全员"),
        weight=2,
        devices=(5, 12),
    ),
    Archetype(
        "hospital",
        "医院",
        ("{c}市第{num}人民医院", "{cs}中医医院", "{cs}妇幼保健院", "{brand}医院"),
        "12",
        (
            PlaceTemplate(
                "门诊住院楼", ("medical",), ("lobby", "entrance", "main_passage", "corridor")
            ),
            PlaceTemplate("药库", ("controlled_drugs",), ("vault_room",)),
            PlaceTemplate("收费处", ("finance_room",), ("cashier",)),
        ),
        ("video", "access_control", "intrusion_alarm"),
        "医院安全防范系统",
        ("院长", "保卫科科长"),
        privacy="changing_room",
        weight=2,
    ),
    Archetype(
        "hotel",
        "酒店",
        ("{brand}大酒店", "{brand}商务酒店（{street}店）", "{brand}宾馆", "{word}假日酒店"),
        "91",
        (
            PlaceTemplate(
                "酒店",
                ("hotel",),
                ("lobby", "corridor", "corridor", "entrance", "parking"),
                maybe_flags=("police_key_place",),
            ),
        ),
        ("video", "access_control"),
        "酒店视频监控系统",
        ("总经理", "保安部经理"),
        privacy="hotel_room",
        weight=3,
    ),
    Archetype(
        "mall",
        "大型商场",
        ("{brand}购物中心", "{brand}广场", "{brand}百货{cs}店"),
        "91",
        (
            PlaceTemplate(
                "商场",
                ("shopping_mall_large",),
                ("entrance", "main_passage", "lobby", "cashier", "parking"),
                maybe_flags=("anti_terror_target", "new_construction"),
            ),
        ),
        ("video", "intrusion_alarm", "access_control", "parking_management", "video_analytics"),
        "商场综合安防系统",
        ("总经理", "安保部经理"),
        privacy="changing_room",
        weight=2,
        devices=(10, 15),
    ),
    Archetype(
        "fuel_station",
        "加油站",
        ("{brand}能源{street}加油站", "{brand}石化{cs}加油加气站"),
        "91",
        (
            PlaceTemplate(
                "加油站", ("fuel_station",), ("entrance", "cashier", "perimeter", "other")
            ),
        ),
        ("video", "intrusion_alarm"),
        "加油站视频监控系统",
        ("站长", "安全员"),
        weight=2,
        devices=(5, 10),
    ),
    Archetype(
        "museum",
        "博物馆",
        ("{c}市博物馆", "{cs}革命纪念馆", "{c}{word}美术馆"),
        "12",
        (
            PlaceTemplate(
                "陈列展厅",
                ("museum",),
                ("lobby", "main_passage", "corridor"),
                flags=("police_key_place",),
            ),
            PlaceTemplate("文物库房", ("museum", "cultural_relic_unit"), ("vault_room",)),
        ),
        ("video", "intrusion_alarm", "access_control", "patrol"),
        "博物馆安全防范系统",
        ("馆长", "安全保卫部主任"),
    ),
    Archetype(
        "internet_cafe",
        "网吧",
        ("{brand}网咖（{street}店）", "{brand}网络会所"),
        "92",
        (
            PlaceTemplate(
                "营业场所", ("internet_cafe",), ("entrance", "lobby", "cashier", "corridor")
            ),
        ),
        ("video",),
        "营业场所视频监控系统",
        ("经营者", "网管"),
        privacy="toilet",
        devices=(4, 10),
    ),
    Archetype(
        "rental_housing",
        "出租屋（集中式公寓）",
        ("{brand}公寓（{street}店）", "{brand}青年公寓"),
        "91",
        (
            PlaceTemplate(
                "公寓公共部位", ("rental_housing",), ("entrance", "corridor", "main_passage")
            ),
        ),
        ("video", "access_control"),
        "公寓门禁及视频监控系统",
        ("店长", "管家"),
        privacy="residential_window_door",
        devices=(3, 8),
    ),
    Archetype(
        "residential",
        "住宅小区（物业服务）",
        ("{brand}物业服务有限公司（{scenic}花园）", "{brand}物业管理有限公司（{scenic}苑）"),
        "91",
        (
            PlaceTemplate(
                "{scenic}小区公共部位",
                ("residential_community",),
                ("entrance", "perimeter", "parking", "main_passage"),
            ),
        ),
        ("video", "access_control", "parking_management", "patrol"),
        "小区智能安防系统",
        ("项目经理", "秩序维护主管"),
        privacy="residential_window_door",
        weight=2,
    ),
    Archetype(
        "new_residential",
        "新建住宅小区（建设单位）",
        ("{brand}房地产开发有限公司（{scenic}府）",),
        "91",
        (
            PlaceTemplate(
                "{scenic}府新建住宅小区",
                ("residential_community_new",),
                ("entrance", "perimeter", "parking"),
                flags=("new_construction",),
            ),
        ),
        ("video", "access_control", "parking_management"),
        "新建小区技防系统（同步建设）",
        ("总经理", "工程部经理"),
        core=False,
    ),
    Archetype(
        "government",
        "国家机关",
        ("{county}市场监督管理局", "{county}政务服务中心", "{county}档案馆"),
        "11",
        (
            PlaceTemplate(
                "办公楼", ("government_agency",), ("entrance", "lobby", "corridor", "perimeter")
            ),
        ),
        ("video", "access_control", "intrusion_alarm"),
        "机关办公区安全防范系统",
        ("局长", "办公室主任"),
    ),
    Archetype(
        "stadium",
        "体育场馆",
        ("{c}市体育中心", "{cs}全民健身中心", "{c}{word}体育馆"),
        "12",
        (
            PlaceTemplate(
                "体育场馆",
                ("stadium",),
                ("entrance", "main_passage", "perimeter", "parking"),
                flags=("anti_terror_target",),
            ),
        ),
        ("video", "access_control", "explosion_check", "intrusion_alarm"),
        "场馆综合安防系统",
        ("主任", "安保部部长"),
        privacy="changing_room",
        devices=(8, 15),
    ),
    Archetype(
        "transport_hub",
        "交通枢纽",
        ("{hub}",),
        "91",
        (
            PlaceTemplate(
                "候车（候船）大厅",
                ("transport_hub",),
                ("lobby", "entrance", "main_passage", "parking"),
                flags=("anti_terror_target", "police_key_place"),
            ),
        ),
        ("video", "explosion_check", "access_control", "video_analytics"),
        "枢纽综合安防系统",
        ("站长", "安检部经理"),
        privacy="toilet",
        devices=(10, 15),
    ),
    Archetype(
        "homestay",
        "民宿（个人经营）",
        ("{person}（{word}民宿经营者）",),
        "",
        (PlaceTemplate("民宿", ("homestay",), ("entrance", "corridor", "lobby")),),
        ("video",),
        "民宿视频监控",
        ("经营者", "管家"),
        privacy="hotel_room",
        kind="individual",
        devices=(3, 6),
    ),
    Archetype(
        "jewelry",
        "珠宝金店",
        ("{brand}珠宝（{street}店）", "{brand}黄金珠宝{cs}店"),
        "91",
        (
            PlaceTemplate("营业厅", ("precious_metals_jewelry",), ("lobby", "cashier", "entrance")),
            PlaceTemplate("保险库", ("precious_metals_jewelry",), ("vault_room",)),
        ),
        ("video", "intrusion_alarm", "anti_robbery"),
        "金店安全防范系统",
        ("店长", "安全主管"),
        core=False,
    ),
    Archetype(
        "pawn",
        "典当行",
        ("{brand}典当有限公司",),
        "91",
        (PlaceTemplate("营业场所", ("pawn_auction",), ("lobby", "cashier", "vault_room")),),
        ("video", "intrusion_alarm"),
        "典当行视频监控及报警系统",
        ("总经理", "风控主管"),
        core=False,
        devices=(4, 8),
    ),
    Archetype(
        "courier",
        "快递分拨中心",
        ("{brand}快递{cs}分拨中心", "{brand}物流{cs}营业部"),
        "91",
        (
            PlaceTemplate(
                "分拨场地",
                ("postal_courier",),
                ("entrance", "perimeter", "main_passage", "parking"),
            ),
        ),
        ("video", "access_control"),
        "分拨中心视频监控系统",
        ("经理", "安全主管"),
        core=False,
    ),
    Archetype(
        "market",
        "农贸市场",
        ("{street}农贸市场", "{word}农贸市场"),
        "91",
        (
            PlaceTemplate(
                "市场", ("farmers_market",), ("entrance", "main_passage", "main_passage", "parking")
            ),
        ),
        ("video",),
        "市场视频监控系统",
        ("市场主任", "安全员"),
        core=False,
        devices=(4, 10),
    ),
    Archetype(
        "ktv",
        "娱乐场所",
        ("{brand}KTV（{street}店）", "{brand}国际影城"),
        "91",
        (
            PlaceTemplate(
                "营业场所", ("entertainment_venue",), ("entrance", "lobby", "corridor", "cashier")
            ),
        ),
        ("video", "access_control"),
        "娱乐场所视频监控系统",
        ("总经理", "安保主管"),
        privacy="changing_room",
        core=False,
    ),
    Archetype(
        "enterprise",
        "企业",
        ("{brand}科技有限公司", "{brand}机械制造有限公司", "{brand}贸易有限公司"),
        "91",
        (
            PlaceTemplate(
                "厂区办公区", ("enterprise_institution",), ("entrance", "perimeter", "parking")
            ),
            PlaceTemplate("财务室", ("finance_room",), ("cashier",)),
        ),
        ("video", "intrusion_alarm", "access_control"),
        "企业安防系统",
        ("总经理", "行政部经理"),
        weight=2,
        core=False,
    ),
    Archetype(
        "water_plant",
        "供水企业",
        ("{c}{brand}水务有限公司{word}水厂",),
        "91",
        (
            PlaceTemplate(
                "水厂",
                ("utility_supply",),
                ("perimeter", "entrance", "vault_room"),
                flags=("police_key_place",),
                maybe_flags=("anti_terror_target",),
            ),
        ),
        ("video", "intrusion_alarm", "access_control", "patrol"),
        "水厂周界及视频监控系统",
        ("厂长", "安全科长"),
        core=False,
    ),
    Archetype(
        "welfare",
        "社会福利机构",
        ("{cs}社会福利院", "{brand}颐养院"),
        "52",
        (PlaceTemplate("院区", ("welfare_institution",), ("entrance", "corridor", "lobby")),),
        ("video", "access_control"),
        "院区视频监控系统",
        ("院长", "后勤主任"),
        privacy="public_bath",
        core=False,
        devices=(4, 10),
    ),
    Archetype(
        "library",
        "图书馆",
        ("{c}市图书馆", "{cs}文化馆"),
        "12",
        (PlaceTemplate("馆舍", ("library_cultural_center",), ("entrance", "lobby", "corridor")),),
        ("video", "intrusion_alarm"),
        "馆舍安全防范系统",
        ("馆长", "保卫科科长"),
        core=False,
        devices=(4, 10),
    ),
    Archetype(
        "chemicals",
        "危险化学品经营单位",
        ("{brand}化工原料经营部", "{brand}化学品仓储有限公司"),
        "91",
        (
            PlaceTemplate(
                "危险化学品仓库",
                ("hazardous_materials",),
                ("perimeter", "entrance", "vault_room"),
                flags=("police_key_place",),
            ),
        ),
        ("video", "intrusion_alarm", "access_control"),
        "仓库周界及视频监控系统",
        ("总经理", "安全总监"),
        core=False,
    ),
)

# Device kinds by subsystem: which kind of device a subsystem adds, and where.
EXTRA_DEVICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # subsystem, device kind, locations it goes to (the first one the system's places allow)
    ("intrusion_alarm", "alarm", ("vault_room", "perimeter", "other")),
    ("access_control", "reader", ("entrance",)),
    ("video", "recorder", ("other",)),
)

# The product catalogue (invented manufacturers): kind, name, model, manufacturer, certified?
PRODUCTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("camera", "网络高清半球摄像机", "HS-IPC2T45", "华视安防科技股份有限公司", "certified"),
    ("camera", "网络高清枪式摄像机", "HS-IPC2B26", "华视安防科技股份有限公司", "certified"),
    ("camera", "网络高速球型摄像机", "ZD-SD6C230", "中盾智能技术有限公司", "certified"),
    ("camera", "星光级筒型摄像机", "AXD-C3240", "安信达电子有限公司", "certified"),
    ("camera", "人脸抓拍摄像机", "PA-FC400", "鹏安科技有限公司", "certified"),
    ("recorder", "网络硬盘录像机", "HS-NVR7716", "华视安防科技股份有限公司", "certified"),
    ("recorder", "网络存储服务器", "ZD-CVR1064", "中盾智能技术有限公司", "certified"),
    ("alarm", "双鉴探测器", "ZD-DT500", "中盾智能技术有限公司", "certified"),
    ("alarm", "主动红外对射探测器", "AXD-ABT60", "安信达电子有限公司", "certified"),
    ("alarm", "紧急报警按钮", "AXD-PB01", "安信达电子有限公司", "certified"),
    ("reader", "门禁控制器", "ZD-AC2000", "中盾智能技术有限公司", "certified"),
    ("reader", "人脸识别门禁一体机", "PA-F3", "鹏安科技有限公司", "certified"),
    ("camera", "无线家用摄像头", "XK-W100", "星科电子制造厂", "uncertified"),
    ("camera", "模拟半球摄像机", "LM-A8", "龙眸光电有限公司", "uncertified"),
    ("recorder", "简易录像机", "XK-DVR4", "星科电子制造厂", "unknown"),
)

DEVICE_PREFIX = {"camera": "C", "alarm": "A", "reader": "R", "recorder": "N", "other": "X"}

PRACTITIONER_NAMES: tuple[str, ...] = (
    "{c}{brand}安防工程有限公司",
    "{c}{brand}智能科技有限公司",
    "{c}{brand}电子系统工程有限公司",
    "{c}{brand}技防工程有限公司",
    "{c}{brand}安全技术防范有限公司",
    "{c}{brand}信息技术有限公司",
    "{c}{brand}报警运营服务有限公司",
)
PERSONNEL_ROLES: tuple[str, ...] = (
    "项目经理",
    "技术负责人",
    "施工员",
    "安全员",
    "质量员",
    "资料员",
)
