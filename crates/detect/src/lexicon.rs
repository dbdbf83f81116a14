//! Word lists the detectors use: surnames, place words, cue words. Data only.

/// Single-character Chinese surnames (the common part of the Hundred Family Surnames plus
/// the surnames most frequent in the 2020 census).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由萧傅阎洪赖郦贝滑钮缑郗扶糜鄂宓佴";

/// Compound (two-character) Chinese surnames.
pub(crate) const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "令狐",
    "长孙", "宇文", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "呼延",
    "澹台", "百里", "东郭", "申屠", "第五", "太史", "公冶", "钟离", "宗政", "濮阳", "淳于",
    "单于", "赫连", "司空", "拓跋", "左丘", "梁丘", "谷梁", "漆雕", "乐正", "壤驷", "公良",
];

/// Province abbreviations that open a licence plate, plus the embassy and consulate series.
pub(crate) const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";

/// Characters that may end a licence plate in place of its last character.
pub(crate) const PLATE_SUFFIXES: &str = "挂学警港澳领试超使";

/// Province-level division names as they appear in addresses.
pub(crate) const PROVINCES: &[&str] = &[
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区", "北京", "天津", "上海", "重庆",
];

/// Characters that end an administrative division name in an address.
pub(crate) const ADMIN_SUFFIXES: &str = "省市县区州旗盟镇乡";

/// Characters that end a road name, before the door number.
pub(crate) const ROAD_SUFFIXES: &str = "路街道巷弄同里村";

/// Characters that cannot be inside the leftmost part of an address: the words that usually
/// introduce one ("在", "到", "现居", "地址", ...).
pub(crate) const ADDRESS_LEFT_STOPS: &str = "在到居住址点从往去是寄送的与或及即";

/// Words for parts of a building after the door number.
pub(crate) const BUILDING_UNITS: &[&str] = &["号楼", "号院", "单元", "栋", "幢", "座", "室", "层", "楼", "号", "户", "门"];

/// Words that end the name of a residential complex or building.
pub(crate) const ESTATE_SUFFIXES: &[&str] = &[
    "小区", "花园", "公寓", "大厦", "广场", "中心", "家园", "新村", "苑", "府", "城", "院", "庭",
    "国际", "天街", "名都", "大楼", "园", "湾", "里", "阁", "居", "村", "基地", "产业园", "公馆",
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
    "简历", "位置", "商品", "编号", "时间", "车型", "金额", "费用", "单号", "订单", "共享",
    "配偶", "父亲", "母亲", "总监", "主管", "律师", "医生", "护士", "教授", "博士",
];

/// Honorifics that may follow a Chinese name (outside the span) and confirm it.
pub(crate) const HONORIFICS_AFTER: &[&str] = &[
    "先生", "女士", "小姐", "师傅", "老师", "同学", "经理", "总", "阿姨", "大哥", "大姐",
];

/// Words that are not a Latin-script personal name even when capitalised.
pub(crate) const NOT_NAME_WORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "this", "that", "manager", "engineer", "inc", "ltd",
    "llc", "co", "corp", "company", "street", "road", "avenue", "city", "district", "province",
    "bank", "university", "college", "school", "hospital", "mr", "mrs", "ms", "dr", "dear",
    "hello", "hi", "thanks", "regards", "phone", "email", "mobile", "tel", "address", "name",
    "id", "no", "number", "account", "card", "passport", "date", "birth", "driver", "rider",
    "customer", "passenger", "user", "order", "trip", "receipt", "request", "china", "beijing",
    "shanghai", "guangzhou", "shenzhen", "experience", "education", "skills", "profile",
    "summary", "objective", "references", "reference", "curriculum", "vitae", "resume",
    "privacy", "data", "subject", "access", "deletion", "erasure", "gdpr", "dsar", "form",
    "intake", "team", "support", "service", "center", "centre", "department", "group",
    "ticket", "status", "level", "error", "warn", "info", "debug", "api", "app", "ios",
    "android", "web", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "is", "was", "has", "will", "please",
    "ip", "gps", "sms", "vip", "ok", "yes", "not", "new", "old", "of", "at", "in", "on",
    "to", "by", "as", "an", "a", "or", "via", "per", "our", "your", "my", "his", "her",
    "their", "its", "sent", "sir", "madam", "team", "admin", "test", "demo",
];

/// Cues that count only when nothing but separators stands between them and the value.
pub(crate) const ADJACENT_ONLY: &[&str] = &[
    "#", "no.", "at", "ts", "time", "v", "app", "ref", "req", "span", "count", "case", "sku", "inv",
    "seq", "from", "user", "member", "owner", "id", "pan", "cell", "mob", "signed", "regards",
    "sincerely", "profile", "cv", "created", "时间",
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

/// Cue words and their class. ASCII cues match case-insensitively and only as whole words.
pub(crate) const CUES: &[(&str, Cue)] = &[
    // references (not personal)
    ("订单", Cue::Reference), ("单号", Cue::Reference), ("编号", Cue::Reference),
    ("编码", Cue::Reference), ("流水", Cue::Reference), ("工单", Cue::Reference),
    ("批次", Cue::Reference), ("运单", Cue::Reference), ("回单", Cue::Reference),
    ("交易", Cue::Reference), ("行程单", Cue::Reference), ("发票", Cue::Reference),
    ("序列号", Cue::Reference), ("追踪", Cue::Reference), ("快递单", Cue::Reference),
    ("合同号", Cue::Reference), ("凭证", Cue::Reference), ("券码", Cue::Reference),
    ("order", Cue::Reference), ("orders", Cue::Reference), ("order_id", Cue::Reference),
    ("order_no", Cue::Reference), ("trip", Cue::Reference), ("receipt", Cue::Reference),
    ("ticket", Cue::Reference), ("txn", Cue::Reference), ("transaction", Cue::Reference),
    ("request", Cue::Reference), ("req", Cue::Reference), ("request_id", Cue::Reference),
    ("trace", Cue::Reference), ("trace_id", Cue::Reference), ("span", Cue::Reference),
    ("invoice", Cue::Reference), ("inv", Cue::Reference), ("sku", Cue::Reference),
    ("seq", Cue::Reference), ("serial", Cue::Reference), ("batch", Cue::Reference),
    ("waybill", Cue::Reference), ("tracking", Cue::Reference), ("ref", Cue::Reference),
    ("reference", Cue::Reference), ("#", Cue::Reference), ("no.", Cue::Reference),
    ("msg_id", Cue::Reference), ("uptime", Cue::Reference), ("count", Cue::Reference),
    ("申请号", Cue::Reference), ("商品", Cue::Reference), ("库存", Cue::Reference),
    ("case", Cue::Reference),
    // times
    ("ts", Cue::Time), ("time", Cue::Time), ("timestamp", Cue::Time), ("时间戳", Cue::Time),
    ("时间", Cue::Time), ("created", Cue::Time), ("at", Cue::Time),
    // versions
    ("version", Cue::Version), ("ver", Cue::Version), ("v", Cue::Version), ("sdk", Cue::Version),
    ("kernel", Cue::Version), ("build", Cue::Version), ("release", Cue::Version),
    ("app", Cue::Version), ("版本", Cue::Version), ("版本号", Cue::Version),
    // identity cards
    ("身份证", Cue::IdCard), ("身份证号", Cue::IdCard), ("身份证号码", Cue::IdCard),
    ("证件号", Cue::IdCard), ("证件号码", Cue::IdCard), ("公民身份号码", Cue::IdCard),
    ("证件", Cue::IdCard), ("id", Cue::IdCard), ("id_no", Cue::IdCard), ("id_card", Cue::IdCard),
    ("idcard", Cue::IdCard), ("id no", Cue::IdCard), ("id number", Cue::IdCard),
    ("id_number", Cue::IdCard), ("national id", Cue::IdCard), ("resident id", Cue::IdCard),
    ("sfz", Cue::IdCard), ("实名", Cue::IdCard),
    // phones
    ("电话", Cue::Phone), ("手机", Cue::Phone), ("手机号", Cue::Phone), ("号码", Cue::Phone),
    ("联系方式", Cue::Phone), ("联系电话", Cue::Phone), ("座机", Cue::Phone), ("固话", Cue::Phone),
    ("tel", Cue::Phone), ("phone", Cue::Phone), ("mobile", Cue::Phone), ("cell", Cue::Phone),
    ("mob", Cue::Phone), ("telephone", Cue::Phone), ("fax", Cue::Phone), ("传真", Cue::Phone),
    ("微信", Cue::Phone), ("致电", Cue::Phone), ("来电", Cue::Phone), ("拨打", Cue::Phone),
    ("contact", Cue::Phone), ("phone_number", Cue::Phone), ("msisdn", Cue::Phone),
    // hotlines (not personal)
    ("客服", Cue::Hotline), ("热线", Cue::Hotline), ("hotline", Cue::Hotline),
    ("服务热线", Cue::Hotline), ("客服热线", Cue::Hotline), ("投诉电话", Cue::Hotline),
    // bank
    ("银行卡", Cue::Bank), ("银行卡号", Cue::Bank), ("卡号", Cue::Bank), ("账号", Cue::Bank),
    ("帐号", Cue::Bank), ("收款账户", Cue::Bank), ("card", Cue::Bank), ("card_no", Cue::Bank),
    ("bank_card", Cue::Bank), ("paid with", Cue::Bank), ("pay with", Cue::Bank),
    ("付款", Cue::Bank), ("支付", Cue::Bank), ("refund to", Cue::Bank), ("card number", Cue::Bank), ("pan", Cue::Bank), ("尾号", Cue::Bank),
    ("信用卡", Cue::Bank), ("借记卡", Cue::Bank), ("储蓄卡", Cue::Bank), ("退款到", Cue::Bank),
    ("visa", Cue::Bank), ("mastercard", Cue::Bank), ("unionpay", Cue::Bank), ("银联", Cue::Bank),
    // birth
    ("出生日期", Cue::Birth), ("出生", Cue::Birth), ("生日", Cue::Birth), ("出生年月", Cue::Birth),
    ("出生于", Cue::Birth), ("出生年月日", Cue::Birth), ("birthday", Cue::Birth),
    ("birth", Cue::Birth), ("date of birth", Cue::Birth), ("birth date", Cue::Birth),
    ("birthdate", Cue::Birth), ("dob", Cue::Birth), ("born", Cue::Birth), ("born on", Cue::Birth),
    ("date_of_birth", Cue::Birth), ("birth_date", Cue::Birth), ("d.o.b.", Cue::Birth),
    // names
    ("姓名", Cue::Name), ("名字", Cue::Name), ("乘客", Cue::Name), ("司机", Cue::Name),
    ("联系人", Cue::Name), ("紧急联系人", Cue::Name), ("货主", Cue::Name), ("收货人", Cue::Name),
    ("发货人", Cue::Name), ("推荐人", Cue::Name), ("证明人", Cue::Name), ("户名", Cue::Name),
    ("用户", Cue::Name), ("客户", Cue::Name), ("持卡人", Cue::Name), ("车主", Cue::Name),
    ("寄件人", Cue::Name), ("收件人", Cue::Name), ("患者", Cue::Name), ("员工", Cue::Name),
    ("申请人", Cue::Name), ("投诉人", Cue::Name), ("担保人", Cue::Name), ("经办人", Cue::Name),
    ("负责人", Cue::Name), ("骑手", Cue::Name), ("租客", Cue::Name), ("业主", Cue::Name),
    ("房东", Cue::Name), ("法定代表人", Cue::Name), ("开户名", Cue::Name), ("简历", Cue::Name),
    ("驾驶员", Cue::Name), ("承运人", Cue::Name), ("托运人", Cue::Name), ("监护人", Cue::Name),
    ("name", Cue::Name), ("full name", Cue::Name), ("full_name", Cue::Name),
    ("customer", Cue::Name), ("passenger", Cue::Name), ("requester", Cue::Name),
    ("driver", Cue::Name), ("rider", Cue::Name), ("from", Cue::Name), ("holder", Cue::Name),
    ("references", Cue::Name), ("referee", Cue::Name), ("dear", Cue::Name), ("mr.", Cue::Name),
    ("mrs.", Cue::Name), ("ms.", Cue::Name), ("mr", Cue::Name), ("mrs", Cue::Name),
    ("ms", Cue::Name), ("miss", Cue::Name), ("dr.", Cue::Name), ("applicant", Cue::Name),
    ("candidate", Cue::Name), ("user", Cue::Name), ("recipient", Cue::Name),
    ("sender", Cue::Name), ("cardholder", Cue::Name), ("account holder", Cue::Name),
    ("beneficiary", Cue::Name), ("patient", Cue::Name), ("guest", Cue::Name),
    ("profile", Cue::Name), ("resume", Cue::Name), ("curriculum vitae", Cue::Name),
    ("cv", Cue::Name), ("signed", Cue::Name), ("sincerely", Cue::Name), ("regards", Cue::Name),
    ("contact person", Cue::Name), ("emergency contact", Cue::Name), ("username", Cue::Name),
    ("user_name", Cue::Name), ("nickname", Cue::Name), ("昵称", Cue::Name), ("consignee", Cue::Name),
    ("shipper", Cue::Name), ("escalated to", Cue::Name), ("assigned to", Cue::Name),
    ("transferred to", Cue::Name), ("转给", Cue::Name), ("转交", Cue::Name), ("handled by", Cue::Name), ("employee", Cue::Name), ("member", Cue::Name), ("owner", Cue::Name),
    // travel documents
    ("护照", Cue::Passport), ("护照号", Cue::Passport), ("护照号码", Cue::Passport),
    ("passport", Cue::Passport), ("passport no", Cue::Passport), ("passport_no", Cue::Passport),
    ("港澳通行证", Cue::HkPermit), ("往来港澳通行证", Cue::HkPermit), ("回乡证", Cue::HkPermit),
    ("台胞证", Cue::TwPermit), ("台湾通行证", Cue::TwPermit), ("往来台湾通行证", Cue::TwPermit),
    ("台湾居民来往大陆通行证", Cue::TwPermit),
    ("ssn", Cue::Ssn), ("social security", Cue::Ssn), ("social security number", Cue::Ssn),
    // location
    ("gps", Cue::Gps), ("定位", Cue::Gps), ("位置", Cue::Gps), ("坐标", Cue::Gps),
    ("经纬度", Cue::Gps), ("loc", Cue::Gps), ("location", Cue::Gps), ("lat", Cue::Gps),
    ("lng", Cue::Gps), ("lon", Cue::Gps), ("latlng", Cue::Gps), ("coordinates", Cue::Gps),
    ("coords", Cue::Gps), ("geo", Cue::Gps), ("位置共享", Cue::Gps),
    ("地址", Cue::Address), ("住址", Cue::Address), ("address", Cue::Address),
];
