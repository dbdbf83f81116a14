//! Word lists the detectors use: surnames, place words, cue words. Data only.

/// Single-character Chinese surnames (the common part of the Hundred Family Surnames plus
/// the surnames most frequent in the 2020 census).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭萧傅阎洪赖郦贝滑钮缑郗扶糜鄂宓佴";

/// Traditional-script forms of common surnames whose simplified form differs (陳, 張, 黃),
/// as Hong Kong, Macau and Taiwan write them. Kept apart from [`SURNAMES`], which the name
/// model's training text draws on.
pub(crate) const TRADITIONAL_SURNAMES: &str = "張劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭蔣葉蘇魏呂盧鍾譚陸賈韋鄒閻龍賀顧龔萬錢嚴湯齊喬龐顏聶魯藍駱靳鮑饒歐關蘭祁";

/// Compound (two-character) Chinese surnames.
pub(crate) const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "令狐", "长孙",
    "宇文", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "呼延", "澹台", "百里",
    "东郭", "申屠", "第五", "太史", "公冶", "钟离", "宗政", "濮阳", "淳于", "单于", "赫连", "司空",
    "拓跋", "左丘", "梁丘", "谷梁", "漆雕", "乐正", "壤驷", "公良",
];

/// Traditional-script forms of compound surnames (see [`TRADITIONAL_SURNAMES`]).
pub(crate) const TRADITIONAL_COMPOUND_SURNAMES: &[&str] = &[
    "歐陽", "司馬", "諸葛", "東方", "鍾離", "長孫", "聞人", "軒轅", "獨孤",
];

/// Province abbreviations that open a licence plate, plus the embassy and consulate series.
pub(crate) const PLATE_PROVINCES: &str =
    "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";

/// Characters that may end a licence plate in place of its last character.
pub(crate) const PLATE_SUFFIXES: &str = "挂学警港澳领试超使";

/// Province-level division names as they appear in addresses.
pub(crate) const PROVINCES: &[&str] = &[
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "北京",
    "天津",
    "上海",
    "重庆",
];

/// Characters that end an administrative division name in an address (simplified and
/// traditional).
pub(crate) const ADMIN_SUFFIXES: &str = "省市县区州旗盟镇乡縣區鎮鄉";

/// Regions of Hong Kong, Macao and Taiwan written before a district and a road, without a
/// division suffix (香港九龍旺角彌敦道, 澳門氹仔柯維納馬路).
pub(crate) const REGIONS: &[&str] = &[
    "香港", "九龍", "九龙", "新界", "港島", "港岛", "澳門", "澳门", "氹仔", "路環", "路环", "台灣",
    "臺灣", "台湾",
];

/// What ends a door number: 号 (traditional 號) or a lane's 弄; after a village (村), its
/// group or team (组, 組, 队, 隊, 社).
pub(crate) const DOOR_SUFFIXES: &str = "号號弄";
pub(crate) const VILLAGE_GROUP_SUFFIXES: &str = "组組队隊社";

/// Characters that end a road name, before the door number.
pub(crate) const ROAD_SUFFIXES: &str = "路街道巷弄同里村";

/// Characters that cannot be inside the leftmost part of an address: the words that usually
/// introduce one ("在", "到", "现居", "地址", ...).
pub(crate) const ADDRESS_LEFT_STOPS: &str = "在到居住址点从往去是寄送的与或及即";

/// Words for parts of a building after the door number.
pub(crate) const BUILDING_UNITS: &[&str] = &[
    "号楼", "号院", "單元", "单元", "栋", "棟", "幢", "座", "室", "层", "層", "楼", "樓", "号",
    "號", "户", "門", "门", "期", "区", "房",
];

/// Words that end the name of a residential complex or building.
pub(crate) const ESTATE_SUFFIXES: &[&str] = &[
    "小区",
    "花园",
    "公寓",
    "大厦",
    "广场",
    "中心",
    "家园",
    "新村",
    "苑",
    "府",
    "城",
    "院",
    "庭",
    "国际",
    "天街",
    "名都",
    "大楼",
    "园",
    "湾",
    "里",
    "阁",
    "居",
    "村",
    "基地",
    "产业园",
    "公馆",
];

/// Characters that never continue a Chinese given name (function words, pronouns).
pub(crate) const NAME_STOP_CHARS: &str = "的了在是和与及说已于对向给从被把将也都就要会等请您你我他她它们这那个为来去到又还再很称或及并跟同让叫";

/// Two-character words that never start or continue a Chinese given name; seeing one ends
/// the name before it.
pub(crate) const NAME_STOP_WORDS: &[&str] = &[
    "来电", "驾驶", "反映", "投诉", "表示", "联系", "电话", "手机", "先生", "女士", "小姐", "师傅",
    "老师", "同学", "经理", "已经", "致电", "接单", "确认", "签收", "收货", "发货", "身份", "性别",
    "出生", "年龄", "地址", "邮箱", "住址", "您好", "你好", "预计", "提交", "申请", "要求", "本人",
    "车牌", "驾龄", "护照", "户籍", "微信", "工作", "负责", "请求", "通过", "使用", "入住", "到达",
    "老板", "司机", "乘客", "客服", "用户", "客户", "货主", "可以", "收到", "好的", "谢谢", "已经",
    "下单", "上车", "下车", "取消", "支付", "付款", "评价", "点评", "称呼", "籍贯", "民族", "学历",
    "职位", "公司", "部门", "备注", "银行", "开户", "账号", "卡号", "证件", "号码", "紧急", "家属",
    "简历", "董事", "股东", "监事", "位置", "商品", "编号", "时间", "车型", "金额", "费用", "单号",
    "订单", "共享", "配偶", "父亲", "母亲", "总监", "主管", "律师", "医生", "护士", "教授", "博士",
];

/// Verbs that end a Chinese name read by the rule (`恭喜韦丽获得`, `王芳发来`). Read by the rule
/// only, not by the name model's features (its shipped weights were trained with the stop
/// words above).
pub(crate) const VERBS_AFTER_NAME: &[&str] = &[
    "获得", "发来", "回复", "参加", "完成", "提供", "处理", "通知", "收到", "提交", "同意", "发言",
    "签字", "主持", "出席", "讲话", "汇报", "跟进", "核实", "审核", "打电", "上台", "介绍", "带队",
    "陪同", "接待", "到场", "过来", "当庭", "出庭", "作证", "一致", "认为", "指出", "强调", "发表",
    "签署", "撤回", "邀请", "加入", "退出", "拍了", "修改", "发起", "分享", "转发", "领取", "正在",
    "送货", "诉被", "诉至", "执行", "表示", "声称", "称未", "称已", "已经", "来电", "来找", "合同",
];

/// Words a form puts after a party's label that begin with a surname character and are no
/// person (`签收人：门卫`, `联系人：管理员`, `政治面貌：党员`).
pub(crate) const NOT_NAMES_AFTER_A_LABEL: &[&str] = &[
    "门卫",
    "管理员",
    "高速",
    "高铁",
    "党员",
    "易碎",
    "丰巢",
    "本人",
    "前台",
    "物业",
];

/// Characters before a name that ask the named person to act (`请刘洋发言`, `由王芳签字`):
/// with a verb after the name, they confirm it.
pub(crate) const ASKING_BEFORE_NAME: &[char] = &['请', '让', '由', '叫', '派'];

/// Common words that begin with a surname character (信息, 安全, 应当 ...): after a cue word
/// glued to them (`客户信息`, `用户应当`) they are not a name. Kept apart from the stop words,
/// which the name model's features read (its shipped weights were trained with those).
pub(crate) const COMMON_WORDS: &[&str] = &[
    "信息", "信用", "信号", "安全", "安装", "安排", "安静", "应当", "应该", "应用", "应急", "宣布",
    "宣传", "同意", "同时", "同样", "同事", "管理", "车辆", "车费", "方式", "方法", "方面", "方便",
    "方案", "平台", "平安", "平时", "明天", "明确", "明显", "明细", "文件", "文化", "常用", "常见",
    "常规", "高速", "高级", "高度", "万元", "都是", "都有", "都要", "于是", "关于", "关注", "关系",
    "关闭", "成功", "成本", "成为", "成立", "房间", "房屋", "房租", "司法", "任务", "任何", "任意",
    "全部", "全国", "全面", "支持", "计划", "计算", "相关", "相同", "门店", "国家", "国际", "包括",
    "包裹", "温度", "施工", "齐全",
];

/// Honorifics that may follow a Chinese name (outside the span) and confirm it.
pub(crate) const HONORIFICS_AFTER: &[&str] = &[
    "先生", "女士", "小姐", "师傅", "老师", "同学", "经理", "总", "阿姨", "大哥", "大姐",
];

/// A mail header's label for people, at a line's start (a quoted mail's `> ` allowed) and
/// before a colon: `To: `, `Cc: `, `BCC: `, `Attn: `. (`From:` is a cue.)
pub(crate) const HEADER_LABELS: &[&str] = &["to", "cc", "bcc", "attn"];

/// Words a chat line begins with after a mention (`@John Can you check?`, `@Anna Thanks!`):
/// never the mentioned person's surname.
pub(crate) const CHAT_OPENERS: &[&str] = &[
    "can", "could", "would", "will", "should", "please", "pls", "thank", "great", "nice", "good",
    "let", "lets", "are", "is", "do", "did", "does", "have", "has", "just", "any", "what", "when",
    "where", "why", "how", "who", "we", "you", "fyi", "yes", "no", "ok", "okay", "sure", "sorry",
    "quick", "see", "check", "take", "looks", "agreed", "done", "welcome", "congrats", "here",
    "there", "this", "that", "it", "my", "your", "our", "if", "not", "also", "maybe", "still",
    "all", "happy", "well", "right", "morning", "today", "tomorrow", "now", "re", "same",
];

/// Capitalised words a greeting takes that are not a person (`Hi All`, `Hello World`).
pub(crate) const ADDRESSED_GROUPS: &[&str] = &[
    "all",
    "everyone",
    "everybody",
    "team",
    "there",
    "guys",
    "folks",
    "sir",
    "sirs",
    "madam",
    "friends",
    "colleagues",
    "again",
    "both",
    "support",
    "world",
    "customer",
    "customers",
    "gentlemen",
    "ladies",
    "members",
    "users",
    "partners",
    "community",
    "teams",
    "you",
];

/// Words that are not a Latin-script personal name even when capitalised.
pub(crate) const NOT_NAME_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "from",
    "this",
    "that",
    "manager",
    "engineer",
    "inc",
    "ltd",
    "llc",
    "co",
    "corp",
    "company",
    "street",
    "road",
    "avenue",
    "city",
    "district",
    "province",
    "bank",
    "university",
    "college",
    "school",
    "hospital",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "professor",
    "mx",
    "dear",
    "hello",
    "hi",
    "thanks",
    "regards",
    "phone",
    "email",
    "mobile",
    "tel",
    "address",
    "name",
    "id",
    "no",
    "number",
    "account",
    "card",
    "passport",
    "date",
    "birth",
    "driver",
    "rider",
    "customer",
    "passenger",
    "user",
    "order",
    "trip",
    "receipt",
    "request",
    "china",
    "beijing",
    "shanghai",
    "guangzhou",
    "shenzhen",
    "experience",
    "education",
    "skills",
    "profile",
    "summary",
    "objective",
    "references",
    "reference",
    "curriculum",
    "vitae",
    "resume",
    "privacy",
    "data",
    "subject",
    "access",
    "deletion",
    "erasure",
    "gdpr",
    "dsar",
    "form",
    "intake",
    "team",
    "support",
    "service",
    "center",
    "centre",
    "department",
    "group",
    "ticket",
    "status",
    "level",
    "error",
    "warn",
    "info",
    "debug",
    "api",
    "app",
    "ios",
    "android",
    "web",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "is",
    "was",
    "has",
    "will",
    "please",
    "ip",
    "gps",
    "sms",
    "vip",
    "ok",
    "yes",
    "not",
    "new",
    "old",
    "of",
    "at",
    "in",
    "on",
    "to",
    "by",
    "as",
    "an",
    "a",
    "or",
    "via",
    "per",
    "our",
    "your",
    "my",
    "his",
    "her",
    "their",
    "its",
    "sent",
    "sir",
    "madam",
    "team",
    "admin",
    "test",
    "demo",
    // A time of day, a time zone and street types (`9:14 AM Peter Wright`, `12 Main St`).
    "am",
    "pm",
    "utc",
    "gmt",
    "st",
    "ave",
    "rd",
    "blvd",
    // Greetings and wishes that stand before a name (`Hey Dmitri`, `Merry Christmas`).
    "hey",
    "heya",
    "hiya",
    "yo",
    "howdy",
    "greetings",
    "morning",
    "afternoon",
    "evening",
    "cheers",
    "welcome",
    "congrats",
    "congratulations",
    "merry",
    "happy",
    // Job titles and the words of company names (`Vice President, Global Operations`,
    // `Kingston Technology`).
    "president",
    "vice",
    "chief",
    "officer",
    "director",
    "head",
    "operations",
    "global",
    "technology",
    "technologies",
    "solutions",
    "systems",
    "holdings",
    "partners",
    "capital",
    "ventures",
    "consulting",
    "services",
    "international",
    "associates",
    "foundation",
    "institute",
    "agency",
    "studios",
    "conference",
    // Words of interfaces, configuration, invoices and reports (`Forgot Password`,
    // `Local Development`, `Payment Terms`): never a name, and not surnames either.
    "administrator",
    "dept",
    "development",
    "project",
    "lead",
    "local",
    "system",
    "password",
    "forgot",
    "total",
    "due",
    "payment",
    "terms",
    "conditions",
    "apply",
    "click",
    "here",
    "create",
    "sign",
    "login",
    "logout",
    "settings",
    "dashboard",
    "report",
    "reports",
    "invoice",
    "invoices",
    "billing",
    "shipping",
    "delivery",
    "product",
    "products",
    "pricing",
    "checkout",
    "cart",
    "item",
    "items",
    "quantity",
    "amount",
    "tax",
    "subtotal",
    "discount",
    "coupon",
    "file",
    "files",
    "folder",
    "document",
    "documents",
    "download",
    "upload",
    "update",
    "updates",
    "release",
    "build",
    "deploy",
    "deployment",
    "database",
    "network",
    "config",
    "configuration",
    "environment",
    "cluster",
    "node",
    "platform",
    "application",
    "software",
    "hardware",
    "device",
    "devices",
    "policy",
    "policies",
    "compliance",
    "legal",
    "finance",
    "marketing",
    "sales",
    "engineering",
    "management",
    "research",
    "design",
    "quality",
    "assurance",
    "client",
    "clients",
    "vendor",
    "supplier",
    "contract",
    "agreement",
    "meeting",
    "agenda",
    "minutes",
    "notes",
    "overview",
    "details",
    "description",
    "information",
    "contact",
    "location",
    "region",
    "country",
    "county",
    "general",
    "annual",
    "monthly",
    "weekly",
    "daily",
    "quarterly",
    "net",
    "gross",
    "open",
    "closed",
    "pending",
    "approved",
    "rejected",
    "active",
    "inactive",
    "enabled",
    "disabled",
    "default",
    "custom",
    "public",
    "private",
    "internal",
    "external",
    "home",
    "about",
    "help",
    "faq",
    "cookie",
    "cookies",
    "unsubscribe",
    "subscribe",
    "newsletter",
    "powered",
    "copyright",
    "rights",
    "reserved",
    "learn",
    "more",
    "view",
    "edit",
    "delete",
    "save",
    "cancel",
    "submit",
    "reply",
    "forward",
    "next",
    "previous",
    "back",
    "continue",
    "start",
    "stop",
    "finish",
    "warning",
    "success",
    "failed",
    "failure",
    "passing",
];

/// Cues that count only when nothing but separators stands between them and the value.
pub(crate) const ADJACENT_ONLY: &[&str] = &[
    "#",
    "no.",
    "at",
    "ts",
    "time",
    "v",
    "app",
    "ref",
    "req",
    "span",
    "count",
    "case",
    "sku",
    "inv",
    "seq",
    "from",
    "user",
    "member",
    "owner",
    "id",
    "pan",
    "cell",
    "mob",
    "signed",
    "regards",
    "sincerely",
    "profile",
    "cv",
    "created",
    "时间",
];

/// Label words that, after a type word, belong to that type ("Passport No.", "卡号 #").
pub(crate) const LABEL_WORDS: &[&str] = &["#", "no.", "no", "number"];

/// Cue classes: what a word before a value says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    /// Order, ticket, serial, waybill, trace numbers: not personal.
    Reference,
    /// A software version or build.
    Version,
    /// Identity card.
    IdCard,
    /// Telephone of any kind.
    Phone,
    /// Hotline or customer-service number: not personal.
    Hotline,
    /// Bank card or account.
    Bank,
    /// Birth date.
    Birth,
    /// A person's name follows.
    Name,
    /// Passport.
    Passport,
    /// Hong Kong / Macao permit.
    HkPermit,
    /// Taiwan permit.
    TwPermit,
    /// Social security number.
    Ssn,
    /// Location or coordinates.
    Gps,
    /// An address follows.
    Address,
    /// A plain time or timestamp.
    Time,
}

mod cues;
mod given;
mod places;
mod prose;
pub(crate) use cues::{CUES, ROLE_CUES};
pub(crate) use given::GIVEN_NAMES;
pub(crate) use places::{
    FAMILY_VILLAGE_ENDS, FIRM_NAMES, FIRM_SUFFIXES, HAN_CITIES, ORG_LAST_WORDS, PLACE_FIRST_WORDS,
    PLACE_LAST_WORDS, TITLE_LAST_WORDS,
};
pub(crate) use prose::{DATE_FORMAT_WORDS, FORM_WORDS, RANKS, SENTENCE_WORDS, TITLE_WORDS};
