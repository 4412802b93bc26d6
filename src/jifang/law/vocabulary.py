"""The shared vocabulary (`shared/spec/vocabulary.md` v1): codes and their Chinese labels.

Codes never change meaning; new codes may be added. Labels are what reports and the UI show.
"""

from __future__ import annotations

from typing import Literal

PLACE_CATEGORIES: dict[str, str] = {
    "weapons_ammunition": "武器、弹药（库）",
    "civil_explosives": "民用爆炸物品（库房、经营场所）",
    "hazardous_materials": "易燃、易爆、剧毒、放射性物品、易制毒化学品等危险物品的研制、生产、销售、存放场所",
    "pathogen_lab": "致病菌种、毒种的实验、保藏场所",
    "controlled_drugs": "管制药品存放场所",
    "state_secret_documents": "国家秘密文件、试卷、信息等资料的印制、存储场所",
    "archives": "档案馆及集中存放重要档案资料的馆、库、室",
    "museum": "博物馆、纪念馆、展览馆等集中陈列、存放文物和贵重物品的场所",
    "cultural_relic_unit": "文物保护单位",
    "government_agency": "国家机关、党政机关",
    "enterprise_institution": "企业事业单位（一般）",
    "research_institution": "重点科研机构、高等院校存放贵重仪器的场所",
    "defense_industry": "国防科技工业重要产品的研制、生产单位",
    "important_materials_warehouse": "重要物资仓库",
    "vault": "金库",
    "cash_in_transit_vehicle": "运钞车、货币押运车辆",
    "financial_business": "金融机构的营业、存放场所及金融信息运行、储存场所",
    "securities_printing": "货币、有价证券、票据的制造、印制、集中存放、销毁场所",
    "precious_metals_jewelry": "金、银等贵重金属、珠宝玉石的生产加工、经营、存放场所",
    "pawn_auction": "典当行、拍卖行",
    "telecom": "电信、通信单位",
    "postal_courier": "邮政、寄递物流存储和运营场所",
    "broadcast_news": "广播电台、电视台、通讯社、新闻出版、报刊单位",
    "utility_supply": "供水、供电、供气、供热设施",
    "energy_facility": "大型能源动力设施",
    "water_conservancy": "水利设施、江河堤防、水库、人工湖、防洪排涝区域",
    "oil_depot": "油库",
    "fuel_station": "加油站、加气站",
    "transport_hub": "机场、港口、口岸、码头、渡口、车站、地铁等交通枢纽",
    "public_transport_vehicle": "公共交通工具、客运车辆、客轮",
    "road_bridge_tunnel": "高速公路、城市道路、桥梁、隧道、人行过街设施",
    "public_parking": "公共停车场、停车库",
    "school": "学校",
    "kindergarten": "幼儿园",
    "medical": "医疗机构、医院",
    "welfare_institution": "社会福利机构",
    "shopping_mall_large": "大型商场、商贸中心、商业街",
    "farmers_market": "农贸市场",
    "exhibition_center": "大型会展场馆、会议会展中心",
    "hotel": "宾馆、酒店、旅馆",
    "homestay": "民宿",
    "entertainment_venue": "文化娱乐场所、歌舞、游艺、演艺、影剧院等公共娱乐场所",
    "internet_cafe": "互联网上网服务营业场所",
    "chess_card_room": "棋牌等休闲服务场所",
    "stadium": "体育场馆",
    "scenic_spot": "旅游景区、风景区、林区",
    "park_square": "广场、公园",
    "library_cultural_center": "图书馆、文化馆",
    "mass_event_venue": "大型群众性活动场所",
    "vehicle_repair": "机动车维修场所",
    "waste_recycling": "废旧物品收购站点",
    "second_hand_market": "旧货交易市场",
    "pollutant_discharger": "排放污染物的企业事业单位的生产、存放场所",
    "public_service_hall": "公共服务场所",
    "custody_facility": "司法和公安监管场所",
    "rental_housing": "出租屋的公共部位",
    "residential_community": "已建成住宅小区的公共部位",
    "residential_community_new": "新建（成片）住宅小区",
    "finance_room": "财务室、收银台等一般单位的重要部位",
    "other": "其他",
}

PLACE_FLAGS: dict[str, str] = {
    "public_area": "社会公共区域",
    "anti_terror_target": "防范恐怖袭击重点目标",
    "police_key_place": "公安机关确定的重点场所和部位",
    "central_urban": "中心城区",
    "new_construction": "新建、改建、扩建建设工程",
}

PRIVACY_LOCATIONS: dict[str, str] = {
    "hotel_room": "宾馆（旅馆）客房",
    "dormitory_room": "（集体、公共）宿舍寝室",
    "public_bath": "公共浴室",
    "changing_room": "更衣室",
    "toilet": "卫生间",
    "residential_window_door": "针对居民住宅窗口、门口",
}
ORDINARY_LOCATIONS: dict[str, str] = {
    "entrance": "出入口",
    "main_passage": "主要通道",
    "lobby": "大厅",
    "cashier": "收银台",
    "vault_room": "库房",
    "perimeter": "周界",
    "parking": "停车场",
    "corridor": "走廊",
    "street": "街道",
    "other": "其他",
}
DEVICE_LOCATIONS: dict[str, str] = {**PRIVACY_LOCATIONS, **ORDINARY_LOCATIONS}

SUBSYSTEMS: dict[str, str] = {
    "video": "视频监控",
    "audio": "音频监控",
    "intrusion_alarm": "入侵报警",
    "access_control": "出入口控制",
    "anti_robbery": "防盗抢",
    "explosion_check": "防爆安全检查",
    "patrol": "电子巡查",
    "parking_management": "停车库（场）管理",
    "road_checkpoint": "道路卡口",
    "biometric": "人体生物特征采集识别",
    "video_analytics": "视频图像智能分析",
}

UNIT_DUTIES: dict[str, str] = {
    "duty_monitoring": "值班监看",
    "self_inspection": "定期自检自查",
    "maintenance": "定期保养与专人维护",
    "info_access_register": "信息查询、调取登记制度",
    "confidentiality": "保密制度",
    "staff_training": "人员培训",
    "emergency_plan": "应急处置预案",
    "records_ledger": "台账与设计资料保管",
}

PRACTITIONER_DUTIES: dict[str, str] = {
    "follow_design": "按设计方案施工",
    "signage": "设置提示标识",
    "staff_training": "从业人员培训与保密教育",
    "client_confidentiality": "客户信息保密",
    "staff_registration": "施工人员登记存档",
    "quality": "符合标准保证质量",
    "archive": "建设资料存档备查",
}

ACTS: dict[str, str] = {
    "damage_equipment": "毁坏、盗窃、擅自拆除设备设施",
    "alter_records": "删除、破坏、修改运行程序或记录",
    "change_use_or_scope": "擅自改变用途、位置或范围",
    "interrupt_operation": "妨碍、擅自中断正常使用",
    "leak_system_secrets": "泄露技防系统秘密或基础信息",
    "unauthorized_use_records": "擅自使用记录资料",
    "trade_or_spread_info": "非法买卖、违法使用、传播采获信息",
    "leak_info_secrets": "利用采获信息泄露国家秘密、商业秘密、个人隐私",
    "unauthorized_copy_info": "擅自提供、复制、翻拍、删改、隐匿、毁弃采获信息",
    "obstruct_authority_access": "拒绝、阻挠有关部门依法使用采获信息",
}

FINDINGS: dict[str, str] = {
    "INSTALL_REQUIRED_MISSING": "应当安装而未安装技防系统",
    "PUBLIC_AREA_PRIVATE_INSTALL": "擅自在社会公共区域安装技防系统",
    "PRIVACY_AREA_CAPTURE": "在涉及隐私的场所和部位安装具有视（音）频采集功能的技防系统",
    "SIGNAGE_MISSING": "视频采集覆盖区域未设置明显提示标识",
    "DESIGN_REVIEW_MISSING": "设计方案未经论证、审核（核准）或未按方案施工",
    "SYNC_CONSTRUCTION_MISSING": "未与建设工程同步设计、同步施工、同步验收（投入使用）",
    "ACCEPTANCE_MISSING": "未经验收或验收不合格即投入使用",
    "STANDARDS_NONCOMPLIANT": "设计、施工不符合标准或降低工程质量",
    "PRODUCT_UNCERTIFIED": "使用未经检验、认证或无质量证明的技防产品",
    "NETWORK_INTERFACE_MISSING": "未预留联网接口或未按规定接入公安机关平台",
    "RETENTION_SHORT": "采获信息留存时间不足",
    "USER_DUTIES_UNMET": "使用单位未履行管理义务",
    "PRACTITIONER_UNQUALIFIED": "从业单位未备案、无资格证、越级承接或资格过期",
    "PRACTITIONER_DUTIES_UNMET": "从业单位未履行义务",
    "SYSTEM_INTERFERENCE": "危害技防系统正常使用和安全的行为",
    "INFO_MISUSE": "违法使用、传播、泄露技防系统采获信息",
}

MEASURES: dict[str, str] = {
    "order_correction": "责令（限期）改正",
    "warning": "警告",
    "order_removal": "责令拆除",
    "forced_removal": "依法强制拆除",
    "order_stop": "责令停止侵害",
    "confiscate_illegal_income": "没收违法所得",
    "public_security_law": "依照《治安管理处罚法》处罚",
    "criminal_referral": "构成犯罪的依法追究刑事责任",
    "civil_liability": "依法承担民事责任",
    "credit_record": "纳入公共信用信息",
    "warning_list": "列入警示公告名录",
}

FINE_TARGETS: dict[str, str] = {
    "unit": "单位",
    "responsible_person": "单位负责人/直接负责的主管人员和其他直接责任人员",
    "individual": "个人",
    "builder": "建设单位",
}
FINE_CONDITIONS: dict[str, str] = {
    "immediate": "无需先行责令改正",
    "overdue": "逾期不改正",
    "overdue_with_harm": "逾期不改正且造成损害或严重威胁",
    "serious": "情节严重/造成严重后果",
}

OBLIGATION_STATUSES = ("met", "violated", "insufficient_facts", "not_applicable")

REQUESTERS: dict[str, str] = {
    "police": "公安机关",
    "state_security": "国家安全机关",
    "criminal_investigation_authority": "具有法定刑事侦查权的国家机关",
    "emergency_investigation_authority": "具有突发公共事件调查、处置权的部门",
    "other_admin_authority": "其他行政管理部门",
    "citizen": "公民、法人或者其他组织",
    "litigant": "案件当事人（负有举证责任一方）",
    "user_unit": "技防系统使用单位",
}
ACCESS_ACTIONS: dict[str, str] = {
    "view": "查看/查阅",
    "copy": "复制",
    "retrieve": "调取",
    "use": "使用",
}
SYSTEM_SCOPES: dict[str, str] = {
    "public_area": "社会公共区域技防系统",
    "key_unit": "技防重点单位技防系统",
    "other": "其他技防系统",
}
CREDENTIALS: dict[str, str] = {
    "work_id": "工作证件",
    "unit_certificate": "单位证明",
    "approval_document": "批准文件",
    "identity_card": "居民身份证",
    "police_station_document": "派出所出具的查看文书",
    "written_application": "书面申请",
}
APPROVERS: dict[str, str] = {
    "county_police_head": "县级以上公安机关负责人",
    "county_state_security_head": "县级以上国家安全机关负责人",
    "police_organ": "公安机关",
}
INVOLVES: dict[str, str] = {
    "state_secret": "国家秘密",
    "national_security": "国家安全",
    "trade_secret": "商业秘密",
    "personal_privacy": "个人隐私",
}
DECISIONS: dict[str, str] = {
    "allow": "准予",
    "allow_if": "补齐条件后准予",
    "deny": "不予（法规禁止）",
    "no_basis": "无法定依据（使用单位应当拒绝）",
}


def literal(codes: dict[str, str] | tuple[str, ...]) -> object:
    """A typing.Literal over a code table, for pydantic fields and JSON Schema enums."""
    return Literal[tuple(codes)]  # type: ignore[valid-type]


PlaceCategory = literal(PLACE_CATEGORIES)
PlaceFlag = literal(PLACE_FLAGS)
DeviceLocation = literal(DEVICE_LOCATIONS)
Subsystem = literal(SUBSYSTEMS)
UnitDuty = literal(UNIT_DUTIES)
PractitionerDuty = literal(PRACTITIONER_DUTIES)
ActCode = literal(ACTS)
FindingCode = literal(FINDINGS)
Measure = literal(MEASURES)
FineTarget = literal(FINE_TARGETS)
FineCondition = literal(FINE_CONDITIONS)
Requester = literal(REQUESTERS)
AccessAction = literal(ACCESS_ACTIONS)
SystemScope = literal(SYSTEM_SCOPES)
Credential = literal(CREDENTIALS)
Approver = literal(APPROVERS)
Involves = literal(INVOLVES)
Decision = literal(DECISIONS)
