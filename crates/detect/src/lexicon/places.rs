//! Places, firms and job titles whose words look like a person's name.

/// Two or three capitalised words the name model may take for a person's and that are a place
/// or a firm: a first word that begins place names (`Los Angeles`, `Cape Town`, `North
/// Carolina`), a last word that ends them (`Pearl River`, `Silicon Valley`, `Acme
/// Technologies`), and whole names of firms named after people (`Wells Fargo`). Only the model's
/// finds are vetoed; a name cue still reads what follows it.
pub(crate) const PLACE_FIRST_WORDS: &[&str] = &[
    "los", "las", "san", "santa", "são", "sankt", "saint", "el", "buenos", "kuala", "tel", "cape",
    "palo", "puerto", "porto", "fort", "mount", "lake", "sri", "north", "south", "east", "west",
    "upper", "lower", "greater", "central",
];
/// See [`PLACE_FIRST_WORDS`].
pub(crate) const PLACE_LAST_WORDS: &[&str] = &[
    "town",
    "river",
    "valley",
    "beach",
    "island",
    "islands",
    "county",
    "heights",
    "falls",
    "creek",
    "canyon",
    "village",
    "plaza",
    "mall",
    "tower",
    "towers",
    "square",
    "harbor",
    "harbour",
    "airport",
    "station",
    "gardens",
    "springs",
    "hills",
    "technologies",
    "systems",
    "airlines",
    "airways",
    "partners",
    "holdings",
    "ventures",
    "solutions",
    "consulting",
    "labs",
    "motors",
    "pharmaceuticals",
    "electronics",
    "insurance",
    "securities",
    "hotel",
    "hotels",
    "resort",
    "restaurant",
    "cafe",
    "clinic",
    "pharmacy",
    "foundation",
    "institute",
    "museum",
    "stadium",
    "arena",
    "controls",
];
/// The last word of a job title, which stands where a name would (`Senior Analyst` on the line
/// under a signature, `Lead Architect` in a list of roles): two or three capitalised words
/// ending with one are a role, not a person, to the name model. (Titles that are never part of
/// a name at all, `Manager`, `Director`, are in `NOT_NAME_WORDS` and end the model's candidates
/// instead.)
pub(crate) const TITLE_LAST_WORDS: &[&str] = &[
    "analyst",
    "specialist",
    "consultant",
    "coordinator",
    "assistant",
    "executive",
    "supervisor",
    "advisor",
    "adviser",
    "architect",
    "designer",
    "developer",
    "accountant",
    "representative",
    "intern",
    "secretary",
    "treasurer",
    "counsel",
    "attorney",
    "auditor",
    "recruiter",
];
/// See [`PLACE_FIRST_WORDS`].
pub(crate) const FIRM_NAMES: &[&str] = &[
    "wells fargo",
    "morgan stanley",
    "goldman sachs",
    "charles schwab",
    "merrill lynch",
    "lehman brothers",
    "dow jones",
    "standard chartered",
    "tim hortons",
    "costa rica",
    "abu dhabi",
    "ho chi minh",
];

/// Cities of three characters or more whose first is a surname (`秦皇岛`, `连云港`): without a
/// cue, the name model's find there is the city. (Two-character ones are as often a person's
/// name: `岳阳`, `安康`.)
pub(crate) const HAN_CITIES: &[&str] = &[
    "秦皇岛",
    "连云港",
    "马鞍山",
    "平顶山",
    "张家界",
    "张家口",
    "张家港",
    "石家庄",
    "齐齐哈尔",
    "葫芦岛",
    "攀枝花",
    "防城港",
    "景德镇",
    "嘉峪关",
    "石嘴山",
    "双鸭山",
    "乌鲁木齐",
    "呼和浩特",
    "哈尔滨",
    "鄂尔多斯",
    "巴彦淖尔",
    "呼伦贝尔",
    "乌兰察布",
    "黄山市",
    "白银市",
    "金昌市",
];

/// What follows `surname` + `家` in a village's name (`何家村`, `王家庄`, `李家湾`).
pub(crate) const FAMILY_VILLAGE_ENDS: &str = "村庄湾营堡坡沟屯寨岭洼桥店集铺塘坪岗";

/// Legal forms and trades that end a firm's name (`Thomas PLC`, `Weber GmbH`, `Collins
/// Logistics`): after a given name, the firm, not a surname.
pub(crate) const FIRM_SUFFIXES: &[&str] = &[
    "plc",
    "gmbh",
    "llp",
    "lp",
    "ag",
    "sa",
    "sas",
    "sarl",
    "bv",
    "nv",
    "oy",
    "ab",
    "kg",
    "pty",
    "pte",
    "bhd",
    "spa",
    "srl",
    "logistics",
    "trading",
    "motors",
    "foods",
    "media",
    "labs",
];
