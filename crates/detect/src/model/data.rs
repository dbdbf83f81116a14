//! Training text for the name model, generated from this file's own templates and word lists:
//! chat lines, notices, greetings, lists of attendees, table rows, signatures and running
//! sentences, with names where a name belongs and, as often, a word that begins with a
//! surname character (黄山, 高铁, 周末) in the same place — so that the model learns from the
//! characters of the candidate as much as from where it stands.

use crate::lexicon::{COMPOUND_SURNAMES, SURNAMES};

/// SplitMix64: a small deterministic generator for training data (not for secrets).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Characters common in given names (also read by the scanner: after a word that begins with
/// a surname character, one of these may still make a name, `王国庆`).
pub(crate) const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建红波宁晨欣怡子涵浩宇梓轩雨嘉琪思颖佳俊博文斌海燕雪梅琳晓慧婷志国永健峰飞亮龙彬瑞凯鑫帆旭东昊然睿泽宏毅晖荣振庆松柏林森楠桐楷铭锐锋钧铮岚露霖雯璐瑶琼珊莹婉婧娴妍姝婕姗倩茜蓉芸蕾薇菲萱蔚紫彤丹翠凤秋春冬晴阳光辰星月云天心悦乐安雅馨逸翔程远航豪家诗梦若曦一诺可语德福寿贵富成功勤忠仁义礼智信立新金银秋菊淑珍桂香凤英秀兰玉梅德华建平志强国庆永红海燕春梅晓东子健晨曦奕辰沐宸浩轩一鸣书瑶欣然诗琪梓涵若汐雨桐思彤昕怡皓文天佑嘉懿润泽俊熙景行";

/// Words that begin with a surname character but are not names (also read by the scanner:
/// without a cue, a candidate that starts with one is the word).
pub(crate) const WORDS: &str = "\
    王牌 王国 王者 李子 张贴 张开 张家口 张家界 刘海 陈述 陈列 杨树 黄金 黄色 \
    黄山 周末 周一 周五 周日 周期 周围 周边 徐州 马上 马路 马鞍山 朱红 胡同 \
    何时 何况 高兴 高速 高铁 高级 高峰 高温 高度 高中 高考 林业 罗马 郑州 谢谢 \
    宋体 许可 许多 韩国 曾经 田野 董事 于是 余额 余下 叶子 程序 程度 苏州 丁香 \
    任何 任务 沈阳 钟表 陆续 范围 金额 金融 金华 石头 石油 夏天 付款 付费 方便 \
    方面 方法 方式 方向 方案 白天 白班 白色 熊猫 江苏 江西 段落 雷达 龙头 史上 \
    陶瓷 黎明 顾客 顾问 毛巾 万一 万元 钱包 严重 严格 武汉 武器 向前 汤圆 常州 \
    常用 常见 温度 温州 康复 施工 文件 文化 文字 牛奶 邢台 安全 安排 安装 齐全 \
    易于 庞大 颜色 庄园 章程 申请 申报 欧元 欧洲 关于 关系 关闭 兰州 焦虑 左边 \
    柳树 甘肃 祝贺 包括 包装 包裹 宁波 尚未 符合 舒适 纪念 纪律 梅花 童年 凌晨 \
    毕业 单位 单价 季度 涂料 成功 成本 成都 盛大 曲线 骆驼 蓝色 路上 路线 路口 \
    游客 辛苦 管理 柴油 蒙古 华为 华东 房间 房租 解决 解释 尤其 阳光 时间 时候 \
    农业 农村 卓越 古代 吉林 简单 车辆 车费 项目 连续 景区 费用 冷链 席位 卫生 \
    米饭 桂林 全部 全国 全程 应该 应用 边境 和平 商品 商家 沙发 荣誉 仲裁 巩固 \
    明天 明确 明细 查询 查看 麻烦 迟到 官方 封面 谈判 惠州 荆州 乐意 南京 南方 \
    班车 班次 储存 原因 原来 燕麦 劳动 皮肤 楼层 楼下 盘点 满意 位置 区域 海关 \
    海鲜 花费 花园 权限 强调 豆浆 盖章 练习 祖国 巴士 丰富 支付 支持 国家 国内 \
    平台 平安 计划 计算 索赔 宣传 相关 初步 门口 云南 容易 敬请 都市 普通 浦东 \
    羊肉 修改 杭州 宿舍 鲜花 印象 战略 玉米 银行 公司 公里 公告 哈尔滨 湛江 \
    宾馆 勾选 利润 呼叫 居住 干净 但是 元旦 衣服 信息 展示 智能 幸福 植物 衡阳 \
    洪水 贝壳 扶贫 上海 司法 欧阳路 东方明珠 诸位 万能 邵阳 鲁迅路 石家庄 安庆 \
    白银 许昌 周口 高邮 林芝 龙岩 江门 吉安 万宁 景德镇 钦州 柳州 梅州 潮州 \
    福田欧曼 本田雅阁 丰田卡罗拉 东风天龙 解放J6 江铃全顺 五菱宏光 长安之星 日产天籁 大众帕萨特 \
    比亚迪汉 宝马X5 奔驰E级 吉利帝豪 长城哈弗 上汽大通 陕汽德龙 重汽豪沃 北汽福田 广汽传祺";

const CITIES: &str = "\
    北京 上海 深圳 广州 天津 重庆 西安 昆明 长沙 南昌 福州 厦门 青岛 济南 合肥 \
    大连 黄山 常州 许昌 周口 武汉 金华 温州 宁波 成都 南京 苏州 杭州 郑州 兰州 \
    桂林 惠州 张家口 石家庄 马鞍山";

const MESSAGES: &str = "\
    收到，马上处理|好的|明天上午到|货已装车|请确认一下运费|司机已到达|订单已取消|\
    发票已开|周末加班吗|高铁晚点了|金额不对|安全第一|方便的话回个电话|已付款|\
    我车是福田欧曼 6.8米厢式|车型：本田雅阁|开的是丰田卡罗拉|要东风天龙的车|\
    路上堵车，晚十分钟|文件发群里了|明细见附件|辛苦了|谢谢|请查收|我在门口|\
    麻烦改一下地址|余额不足|高速上，晚点回复|全部签收|费用已报销|时间改到下午三点|\
    房间已订好|单价再核一下|ok|收到👌|这个方案可以|关于发票的问题稍后回复";

const TIMES: &[&str] = &[
    "09:12",
    "10:42",
    "13:05",
    "18:30",
    "21:47",
    "08:00:15",
    "2024-03-08 14:21",
];

/// Contexts: `N` a person's name, `W` a word that is not a name, `M` a message, `C` a city,
/// `T` a time, `D` digits. A slot `N` is filled with a non-name word a quarter of the time.
const TEMPLATES: &[&str] = &[
    "N：M",
    "N: M",
    "[T] N：M",
    "[T] N: M",
    "N T\nM",
    "【N】M",
    "<N> M",
    "@N M",
    "M @N",
    "N 撤回了一条消息",
    "N 加入了群聊",
    "N邀请N加入了群聊",
    "已通知N处理。",
    "由N负责跟进。",
    "交给N处理",
    "请N回电。",
    "和N一起去C",
    "N说明天到。",
    "N表示同意。",
    "N提交了申请。",
    "N、N、N参加了会议。",
    "参会人员：N、N、N",
    "N和N已到场。",
    "转交N审核",
    "抄送：N",
    "N您好，M",
    "亲爱的N：\nM",
    "N，你好！",
    "尊敬的N：",
    "Hi N，M",
    "关于N的投诉",
    "N的请假申请",
    "Re: N的报销单",
    "申请人N",
    "被申请人：N",
    "承办人 N",
    "审批人：N（已同意）",
    "经办：N",
    "签名：N",
    "\nN\n运营部\n",
    "此致\n敬礼\nN",
    "| N | D | C |",
    "N,1D,C",
    "N\tD\tC",
    "N同学",
    "N的电话是1D",
    "N今天请假",
    "N在C出差",
    "据N介绍，M",
    "感谢N的帮助",
    "N负责的项目",
    "客户N反映M",
    "联系人：N",
    "收件人 N",
    "N老师好",
    "N（工号D）",
    "N(员工)",
    "值班：N",
    "记录人：N  审核：N",
    "司机N已接单",
    "N师傅到了吗",
    "我是N",
    "找N",
    "N。",
    "N\n",
    "，N，",
    "N明天出发",
    "N已确认",
    "N打来电话",
    "- N",
    "1. N",
    "| W | D | C |",
    "W,1D,C",
    "C的W很好",
    "本次W已确认",
    "请核对W。",
    "W已更新",
    "M",
    "M。W",
    "W：M",
    "【W】M",
    "W\n",
    "，W，",
    "W明天开始",
    "关于W的通知",
];

/// One generated document: the text and the byte spans of the names in it.
pub(crate) fn document(rng: &mut Rng) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut names = Vec::new();
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let cities: Vec<&str> = CITIES.split_whitespace().collect();
    let messages: Vec<&str> = MESSAGES.split('|').collect();
    let lines = 1 + rng.below(5);
    for _ in 0..lines {
        let t = rng.pick(TEMPLATES);
        for ch in t.chars() {
            match ch {
                'N' if rng.chance(75) => {
                    let start = text.len();
                    text.push_str(&name(rng));
                    names.push((start, text.len()));
                }
                'N' | 'W' => text.push_str(rng.pick(&words)),
                'M' => text.push_str(rng.pick(&messages)),
                'C' => text.push_str(rng.pick(&cities)),
                'T' => text.push_str(rng.pick(TIMES)),
                'D' => {
                    for _ in 0..(2 + rng.below(9)) {
                        text.push(char::from(b'0' + rng.below(10) as u8));
                    }
                }
                c => text.push(c),
            }
        }
        text.push('\n');
    }
    (text, names)
}

/// A person's name: a surname (the common ones most often, now and then a compound one) and
/// one or two given-name characters.
fn name(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(5) {
        s.push_str(rng.pick(COMPOUND_SURNAMES));
    } else {
        let all: Vec<char> = SURNAMES.chars().collect();
        let pool = if rng.chance(85) {
            &all[..100.min(all.len())]
        } else {
            &all[..]
        };
        s.push(rng.pick(pool));
    }
    let given: Vec<char> = GIVEN.chars().collect();
    for _ in 0..(1 + usize::from(rng.chance(65))) {
        s.push(rng.pick(&given));
    }
    s
}
