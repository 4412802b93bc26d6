"""What a synthetic province is made of: the demo's kinds of unit, names and products (imported,
not copied), and the proportions a province has of each.

The shares and sizes below are statistics of a plausible province, not legal values: which
places must install, how long footage is kept and every other legal fact come from the regime
data (see profiles.py).
"""

from __future__ import annotations

from jifang.platform.demo import data as D

# Share of units of each kind (per mille); a kind added to the demo later gets DEFAULT_SHARE.
SHARES: dict[str, int] = {
    "enterprise": 200,
    "residential": 90,
    "rental_housing": 90,
    "hotel": 50,
    "homestay": 40,
    "bank": 45,
    "kindergarten": 50,
    "primary_school": 40,
    "boarding_school": 15,
    "hospital": 30,
    "mall": 20,
    "fuel_station": 30,
    "internet_cafe": 30,
    "ktv": 30,
    "courier": 30,
    "government": 40,
    "street_office": 10,
    "jewelry": 20,
    "market": 20,
    "new_residential": 20,
    "pawn": 10,
    "welfare": 10,
    "chemicals": 10,
    "water_plant": 5,
    "library": 5,
    "museum": 3,
    "stadium": 3,
    "transport_hub": 4,
}
DEFAULT_SHARE = 10

# How much bigger than the demo's device range a kind's main system typically is: a transport
# hub or a mall runs hundreds of cameras, a homestay a handful.
SIZE: dict[str, float] = {
    "transport_hub": 8.0,
    "mall": 5.0,
    "stadium": 4.0,
    "hospital": 3.0,
    "museum": 2.0,
    "water_plant": 2.0,
    "boarding_school": 1.5,
    "bank": 1.2,
    "rental_housing": 0.6,
    "homestay": 0.5,
    "internet_cafe": 0.8,
}

MEAN_DEVICES = 10.0  # devices per unit, on average over the province
DEVICE_SIGMA = 1.0  # log-normal spread of a main system's size: the heavy tail
MAX_DEVICES = 5000  # the largest system a unit runs
FLAG_CHANCE = 0.3  # a place's optional flag (anti-terror target, police key place, new build)
CENTRAL_CHANCE = 0.4  # a place outside the wholly central districts lies in the central area
SECONDARY = (("construction", 0.10), ("retired", 0.06))  # a second, not in-use system
SECOND_CAMERA_MODELS = 2  # camera models one system is built from

# Practitioners: one company per this many units, and the share of each kind among them.
UNITS_PER_PRACTITIONER = 250
PRACTITIONER_KINDS: tuple[tuple[str, float], ...] = (
    ("good", 0.80),
    ("cross", 0.08),  # registered in another province, filed here
    ("unfiled", 0.03),
    ("expired", 0.03),
    ("cross_unfiled", 0.03),
    ("warning", 0.03),
)
CROSS_SHARE = 0.15  # share of lawful systems built by out-of-province companies

# Other provinces practitioners come from (GB/T 2260 province codes).
OTHER_PROVINCES = ("11", "31", "32", "33", "35", "36", "42", "43", "45", "51", "21", "13", "44")

# Names of the cities and counties the generator adds around the demo's real city.
NAME_WORDS: tuple[str, ...] = D.PLACE_WORDS + D.BRANDS
STREET_SUFFIXES = ("路", "大道", "街", "大街", "中路", "东路", "西路", "北路", "南路")
HUBS = ("{c}汽车客运站", "{c}站综合交通枢纽", "{c}东站综合交通枢纽", "{c}客运码头")
CITY_OFFICE = "治安管理支队技术防范管理办公室（技防办）"
COUNTY_OFFICE = "治安管理大队技防科"
PROVINCE_OFFICE = "治安管理局技术防范管理处"

# Trades of enterprises, to give a province of companies more than a few dozen names.
TRADES = (
    "科技",
    "机械制造",
    "贸易",
    "电子",
    "建材",
    "食品",
    "服装",
    "物流",
    "印刷",
    "家具",
    "医药",
    "五金",
    "塑料制品",
    "纺织",
    "汽车配件",
    "包装",
)


# Names added to the demo's for kinds a province has thousands of.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "enterprise": ("{c}{brand}{trade}有限公司", "{brand}{trade}有限公司"),
    "rental_housing": ("{brand}公寓（{street}{no}号）",),
    "residential": ("{brand}物业服务有限公司（{scenic}{word}苑）",),
    "homestay": ("{person}（{street}{no}号民宿经营者）",),
}


def archetypes() -> tuple[D.Archetype, ...]:
    return D.ARCHETYPES


def shares() -> list[float]:
    """Each archetype's share of units, in ARCHETYPES order, summing to one."""
    raw = [SHARES.get(a.key, DEFAULT_SHARE) for a in D.ARCHETYPES]
    total = sum(raw)
    return [r / total for r in raw]


def median_devices(arch: D.Archetype) -> float:
    low, high = arch.devices
    return (low + high) / 2 * SIZE.get(arch.key, 1.0)
