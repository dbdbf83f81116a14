//! Addresses: a road and its door number, a village and its group, an estate after a
//! sub-district, and the divisions before them and the building, unit and room after.

use super::building::{after_line_break, dashed_units};
use super::han::han_small_number;
use super::*;
use crate::text::decode_before;

impl Scanner<'_> {
    /// Where the door number after a road name ending at `p` begins: past a section of a long
    /// road (`忠孝東路四段100號`) and a line break (`文三路⏎90号`). `None` unless a digit — or,
    /// after a village, a Chinese numeral (`王庄村二组`) — stands there.
    pub(super) fn door_start(&self, p: usize, village: bool) -> Option<usize> {
        let b = self.b;
        let mut q = p;
        let section = han_small_number(b, q)
            .map(|(_, e)| e)
            .or_else(|| read_num(b, q).filter(|n| n.1 <= 2).map(|n| n.2));
        if let Some(e) = section
            && starts_with_at(b, e, "段")
        {
            q = e + "段".len();
        }
        // A section named by a direction (`天府大道北段1700号`), with its number too
        // (`一环路北三段1号`, `光明六路東一段269號`).
        let (c, l) = decode_at(b, q);
        if matches!(c, '东' | '西' | '南' | '北' | '中' | '東') {
            let n = han_small_number(b, q + l).map_or(q + l, |(_, e)| e);
            if starts_with_at(b, n, "段") {
                q = n + "段".len();
            }
        }
        // A road's part named by a direction (`皇后大道中99號`, Hong Kong).
        let (c, l) = decode_at(b, q);
        if matches!(c, '中' | '東' | '西' | '南' | '北' | '东') && digit_at(b, q + l).is_some()
        {
            q += l;
        }
        // A door number's first, second or third (`甲43号`).
        let (c, l) = decode_at(b, q);
        if matches!(c, '甲' | '乙' | '丙') && digit_at(b, q + l).is_some() {
            q += l;
        }
        // A village's group counted with `第` (`双井村第二村民组`).
        if village
            && starts_with_at(b, q, "第")
            && (digit_at(b, q + "第".len()).is_some()
                || han_small_number(b, q + "第".len()).is_some())
        {
            q += "第".len();
        }
        let mut r = q;
        if b.get(r) == Some(&b'\r') {
            r += 1;
        }
        if b.get(r) == Some(&b'\n') {
            q = r + 1;
        } else if b.get(q) == Some(&b' ') && digit_at(b, q + 1).is_some() {
            // A space before the number (`人民路 15 号`, OCR and forms).
            q += 1;
        }
        (digit_at(b, q).is_some() || (village && han_small_number(b, q).is_some())).then_some(q)
    }

    /// A street-level address around a road name followed by a door number: the road suffix
    /// (`路`, `村`, ...) at `i`, the door number at `door`. After a village the number may be a
    /// group's (`3组`, `二组`).
    pub(super) fn address(&mut self, i: usize, door: usize, village: bool) -> Option<usize> {
        let b = self.b;
        // Door number: digits (optionally "12-3") then 号 or 弄; a village's group number.
        let mut p = door;
        let mut group = false;
        if village && let Some((_, e)) = han_small_number(b, door) {
            p = e;
            group = true;
        }
        let digits = |mut p: usize| {
            let start = p;
            loop {
                if digit_at(b, p).is_some()
                    || (b.get(p) == Some(&b'-') && digit_at(b, p + 1).is_some())
                {
                    p += digit_at(b, p).map_or(1, |(_, dl)| dl);
                } else if p > start
                    && let Some(n) = after_line_break(b, p)
                    && digit_at(b, n).is_some()
                {
                    // A door number a line break cut (`路8⏎8号`, OCR).
                    p = n;
                } else {
                    return p;
                }
            }
        };
        if !group {
            p = digits(p);
            // A lane and an alley before the door number (`100巷5弄3號`, `188巷20號`,
            // `123弄45号`).
            // Spaces around the lane too (`188 巷 20 號`).
            for _ in 0..2 {
                let at = p + usize::from(p > door && b.get(p) == Some(&b' '));
                let (c, l) = decode_at(b, at);
                let n = at + l + usize::from(b.get(at + l) == Some(&b' '));
                if matches!(c, '巷' | '弄') && digit_at(b, n).is_some() {
                    p = digits(n);
                } else {
                    break;
                }
            }
        }
        // A space or a line break between the number and its 号 (`15 号`, `15⏎号`).
        if !group && p > door {
            let gap = if b.get(p) == Some(&b' ') {
                Some(p + 1)
            } else {
                after_line_break(b, p)
            };
            if let Some(g) = gap
                && lexicon::DOOR_SUFFIXES.contains(decode_at(b, g).0)
            {
                p = g;
            }
        }
        // A village's group by its longer names (`第2村民组`, `第5村民小组`, `3小组`).
        if village
            && p > door
            && let Some(w) = ["村民小组", "村民组", "小组"]
                .into_iter()
                .find(|w| starts_with_at(b, p, w))
        {
            p += w.len() - "组".len();
            group = true;
        }
        let (suffix, sl) = decode_at(b, p);
        let door_ok = !group && lexicon::DOOR_SUFFIXES.contains(suffix);
        let group_ok = village && lexicon::VILLAGE_GROUP_SUFFIXES.contains(suffix);
        if sl == 0 || !(door_ok || group_ok) {
            return None;
        }
        p += sl;
        // A courtyard's number (`5号院2号楼`): the courtyard is part of the door.
        if door_ok && starts_with_at(b, p, "院") {
            p += "院".len();
        }
        let end = if door_ok {
            self.building_tail(p)
        } else {
            // A door number after the village's group (`王楼村三组45号`).
            let d = digits(p);
            let (c, cl) = decode_at(b, d);
            if d > p && lexicon::DOOR_SUFFIXES.contains(c) {
                d + cl
            } else {
                p
            }
        };
        let start = self.region_start(self.address_start(i)?);
        // A group counted with `第` belongs to a village under a township or a county (not
        // `该村第二组`, `乡村第2组获胜`).
        if !door_ok
            && ends_with_at(b, door, "第")
            && !std::str::from_utf8(&b[start..i])
                .is_ok_and(|c| c.chars().any(|ch| "乡镇县区市旗鄉鎮縣區".contains(ch)))
        {
            return None;
        }
        self.push_address(start, end);
        Some(end)
    }

    /// A village named at the end of an address, with no group or door number after it
    /// (`凉山彝族自治州昭觉县竹核乡木渣洛村`): the `村` at `i` ends the address when a township
    /// (`乡`, `镇`) and a county or district stand before the village's name, and no word goes
    /// on after it (`村委会` is an office, `村口` a place).
    pub(super) fn village(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let end = i + l;
        if decode_at(b, end).1 > 0 && is_han(decode_at(b, end).0) {
            return None;
        }
        let start = self.region_start(self.address_start(i)?);
        let chain = std::str::from_utf8(&b[start..i]).ok()?;
        let town = chain.rfind(['乡', '镇', '鄉', '鎮'])?;
        // The village's own name: one to four characters after the township.
        let name = chain[town..].chars().count() - 1;
        if !(1..=4).contains(&name) || !chain[..town].contains(['县', '区', '市', '旗', '縣', '區'])
        {
            return None;
        }
        self.push_address(start, end);
        Some(end)
    }

    /// An address after an address cue that stops at a division or a road, with no door
    /// number (`住址：云南省昆明市五华区`, `现住：湖南省长沙县星沙街道开元东路`): the division or
    /// road suffix at `i` ends a run of Han characters, the cue stands right before the run's
    /// divisions, and the run has two divisions, or one and the road.
    pub(super) fn cued_address(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let end = i + l;
        // The run ends here (`区域`, `市场` go on; a number after it is a door's or a room's).
        let (next, nl) = decode_at(b, end);
        if nl > 0 && (is_han(next) || digit_at(b, end).is_some()) {
            return None;
        }
        let start = self.region_start(self.address_start(i)?);
        if self.adjacent_cue(start) != Some(Cue::Address) {
            return None;
        }
        let chain = std::str::from_utf8(&b[start..end]).ok()?;
        let divisions = chain
            .chars()
            .filter(|&c| self.lx.admin_suffixes.contains(c))
            .count();
        let (last, _) = decode_at(b, i);
        let road = usize::from(self.lx.road_suffixes.contains(last));
        if divisions + road < 2 {
            return None;
        }
        self.push_address(start, end);
        Some(end)
    }

    /// A residential address by its estate rather than a road: a sub-district (`街道`, whose
    /// `道` is at `i`) followed by an estate and its building, unit and room
    /// (`渝北区龙溪街道金紫山小区12栋2-3`). A number must follow the estate's name.
    pub(super) fn estate_address(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let p = i + l;
        let mut end = self.building_tail(p);
        // A building of the estate, numbered: `12栋`, `8幢`, `A座`, `3单元`.
        let tail = std::str::from_utf8(&b[p..end]).ok()?;
        if !tail.bytes().any(|c| c.is_ascii_digit())
            || !["栋", "棟", "幢", "座", "单元", "單元", "号楼"]
                .iter()
                .any(|u| tail.contains(u))
        {
            return None;
        }
        // A road and its door number after the sub-district: the road's address.
        let mut q = p;
        while q < end {
            let (c, cl) = decode_at(b, q);
            if self.lx.road_suffixes.contains(c) && digit_at(b, q + cl).is_some() {
                return None;
            }
            q += cl.max(1);
        }
        // A flat written `2-3` (unit and room) after the building.
        if b.get(end) == Some(&b'-') || digit_at(b, end).is_some() {
            let mut q = end;
            while digit_at(b, q).is_some()
                || (b.get(q) == Some(&b'-') && digit_at(b, q + 1).is_some())
            {
                q += 1;
            }
            if q > end + 1 && q - end <= 9 && word_end(b, q) && !is_han(decode_at(b, q).0) {
                end = q;
            }
        }
        let start = self.region_start(self.address_start(i)?);
        self.push_address(start, end);
        Some(end)
    }

    /// A residential address by its estate alone, with no road (`地址：万科城市花园3号楼2单元501室`,
    /// `北京市朝阳区金地花园5栋1单元302`, `住址：翠湖苑6-2-302`): the estate's name ends at `i`
    /// (its suffix's last character) and a numbered building follows (`3号楼`, `5栋`, `B座`) or
    /// building, unit and room with dashes. An address cue before it, or a division in it,
    /// says it is an address.
    pub(super) fn estate_building(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let p = i + l;
        let sp = usize::from(b.get(p) == Some(&b' '));
        if digit_at(b, p + sp).is_none() && !b.get(p + sp).is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        // The estate's name ends like one (`花园`, `小区`, `苑`), or is a numbered part of one
        // (`北一区`, `西园三区`).
        let (c, _) = decode_at(b, i);
        let named = lexicon::ESTATE_SUFFIXES
            .iter()
            .any(|s| ends_with_at(b, p, s))
            || (c == '区'
                && decode_before(b, i).is_some_and(|(n, _)| "一二三四五六七八九十".contains(n)));
        if !named {
            return None;
        }
        let end = match dashed_units(b, p + sp) {
            Some(e) => e,
            None => {
                let end = self.building_tail(p);
                let tail = std::str::from_utf8(&b[p..end]).ok()?;
                if !tail.bytes().any(|c| c.is_ascii_digit())
                    || !["栋", "棟", "幢", "座", "单元", "單元", "号楼", "號樓"]
                        .iter()
                        .any(|u| tail.contains(u))
                {
                    return None;
                }
                end
            }
        };
        let start = self.region_start(self.address_start(i)?);
        // Two characters of name at least, and a cue or a division.
        let chain = std::str::from_utf8(&b[start..i]).ok()?;
        let divided = chain.chars().any(|c| self.lx.admin_suffixes.contains(c));
        if chain.chars().count() < 2 || !(divided || self.adjacent_cue(start) == Some(Cue::Address))
        {
            return None;
        }
        self.push_address(start, end);
        Some(end)
    }

    /// An address found at `start..end`: surer after an address cue.
    fn push_address(&mut self, start: usize, end: usize) {
        let b = self.b;
        let cue = self.lx.cue_before(b, start, CUE_WINDOW).map(|c| c.0);
        let conf = if cue == Some(Cue::Address) {
            0.95
        } else {
            0.85
        };
        let v = move || String::from_utf8_lossy(&b[start..end]).into_owned();
        self.push(start, end, PiType::AddressZh, conf, false, v);
    }

    /// Back from `start` over Hong Kong, Macao and Taiwan regions written without a division
    /// suffix (`香港九龍旺角彌敦道`), each with up to four characters of district between it and
    /// what follows.
    pub(super) fn region_start(&self, mut start: usize) -> usize {
        let b = self.b;
        for _ in 0..3 {
            let mut p = start;
            let mut found = None;
            for _ in 0..=4 {
                if let Some(r) = lexicon::REGIONS.iter().find(|r| ends_with_at(b, p, r)) {
                    found = Some(p - r.len());
                    break;
                }
                match decode_before(b, p) {
                    Some((c, l)) if is_han(c) && !self.lx.address_left_stops.contains(c) => {
                        p -= l;
                    }
                    _ => break,
                }
            }
            match found {
                Some(s) => start = s,
                None => break,
            }
        }
        start
    }

    /// Where the address that has its road suffix at `road` begins: back over the road name
    /// and the administrative divisions (省, 市, 县, 区, ...) before it.
    pub(super) fn address_start(&self, road: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        // Han characters before the road suffix, nearest first: (char, byte offset).
        let mut chars: Vec<(char, usize)> = Vec::with_capacity(40);
        let mut p = road;
        while chars.len() < 40 {
            match decode_before(b, p) {
                Some((c, l)) if is_han(c) => {
                    p -= l;
                    chars.push((c, p));
                }
                // A space right after a division, as OCR and forms space them (`浙江省 宁波市
                // 鄞州区 天童南路 588号`), is inside the address.
                Some((' ', 1)) if self.division_ends_at(p - 1) => {
                    p -= 1;
                }
                // A line break right after a division (`杭州市⏎西湖区`) is inside the address.
                Some(('\n', l)) => {
                    // `\r\n` as well as `\n`.
                    let q = if p >= 2 && b[p - 2] == b'\r' {
                        p - 2
                    } else {
                        p - l
                    };
                    // Or anywhere in the address when the line before ends with its first part,
                    // as OCR and narrow forms wrap it (`住址 北京市朝阳区建国⏎路88号`).
                    if !self.division_ends_at(q) && !self.wrapped_address(q) {
                        break;
                    }
                    p = q;
                }
                _ => break,
            }
        }
        // A division's suffix, or the `道` of a sub-district (`东华门街道南池子大街81号`).
        let admin = |k: usize| {
            chars.get(k).is_some_and(|&(c, _)| {
                lx.admin_suffixes.contains(c)
                    || (c == '道' && chars.get(k + 1).is_some_and(|&(j, _)| j == '街'))
            })
        };
        // A stop word ends the address, unless a division suffix stands right before it:
        // then it is the first character of a name (广州市从化区).
        // `为` and `至` after a verb (`地址改为西安市`, `送至西安市`) stop it too, not inside a
        // name (`犍为县`, `为民路`).
        let stop = |k: usize| {
            let Some(&(c, _)) = chars.get(k) else {
                return true;
            };
            (lx.address_left_stops.contains(c) && !admin(k + 1))
                // `住所地`, `所在地` before the address; `快递放`, `包裹放` (not `解放路`).
                || (c == '地' && chars.get(k + 1).is_some_and(|&(v, _)| matches!(v, '所' | '在')))
                || (c == '放' && chars.get(k + 1).is_some_and(|&(v, _)| "递裹件西".contains(v)))
                || (matches!(c, '为' | '至')
                    && chars
                        .get(k + 1)
                        .is_some_and(|&(v, _)| "改更变送寄发运转直址".contains(v)))
        };
        let direct = |k: usize| {
            chars
                .get(k)
                .filter(|&&(c, _)| c == '位')
                .and_then(|&(c, off)| {
                    let end = off + c.len_utf8();
                    DIRECT_UNITS
                        .iter()
                        .find(|w| ends_with_at(b, end, w))
                        .map(|w| (end - w.len(), w.chars().count()))
                })
        };
        // The road name: back to the nearest administrative suffix or stop word.
        let mut idx = 0;
        while idx < chars.len() && idx < 8 && !stop(idx) && !(admin(idx) && idx >= 1) {
            idx += 1;
        }
        if idx == 0 {
            return None;
        }
        if idx == 8 && !admin(idx) && !stop(idx) {
            // No boundary in sight: keep a short road name.
            return chars.get(3).map(|c| c.1);
        }
        let mut start = chars[idx - 1].1;
        // Administrative divisions, right to left.
        for _ in 0..6 {
            if let Some((off, n)) = direct(idx) {
                start = off;
                idx += n;
                continue;
            }
            if !admin(idx) {
                break;
            }
            let suffix_end = chars[idx].1 + chars[idx].0.len_utf8();
            let may_be_province = matches!(chars[idx].0, '省' | '市' | '区');
            if let Some(pv) = lexicon::PROVINCES
                .iter()
                .filter(|_| may_be_province)
                .find(|pv| ends_with_at(b, suffix_end, pv))
            {
                return Some(suffix_end - pv.len());
            }
            // Autonomous prefectures and counties have long names (双江拉祜族佤族布朗族傣族自治县).
            // So do development and trial zones (`松山湖高新技术产业开发区`,
            // `自由贸易试验区`).
            let max = if ends_with_at(b, chars[idx].1, "自治") {
                18
            } else if chars[idx].0 == '区'
                && ["开发", "试验", "示范", "园"]
                    .iter()
                    .any(|z| ends_with_at(b, chars[idx].1, z))
            {
                16
            } else {
                10
            };
            let mut j = idx + 1;
            while j < chars.len() && j - idx <= max && !stop(j) && direct(j).is_none() {
                // A suffix character right before the suffix is part of the name (杭州市).
                if admin(j) && j > idx + 1 {
                    break;
                }
                j += 1;
            }
            let name_len = j - idx - 1;
            if name_len == 0 {
                break;
            }
            if j - idx > max {
                // The leftmost name runs into other text: most names have two characters.
                start = chars[idx + 2.min(name_len)].1;
                break;
            }
            start = chars[j - 1].1;
            idx = j;
        }
        Some(start)
    }
}

impl Scanner<'_> {
    /// Whether a division's suffix (`区`, `镇`) or a sub-district's (`街道`) ends at `p`.
    fn division_ends_at(&self, p: usize) -> bool {
        decode_before(self.b, p).is_some_and(|(c, _)| self.lx.admin_suffixes.contains(c))
            || ends_with_at(self.b, p, "街道")
    }

    /// Whether the line that ends at `q` (its line break after) ends with the first part of an
    /// address: its last run of Han characters (spaces between them allowed) comes right after
    /// an address cue (`住址 北京市朝阳区建国`), or holds two divisions (`广东省深圳市南山区科技园`).
    fn wrapped_address(&self, q: usize) -> bool {
        let b = self.b;
        let mut p = q;
        let mut divisions = 0;
        for _ in 0..48 {
            match decode_before(b, p) {
                Some((c, l)) if is_han(c) => {
                    divisions += usize::from(self.division_ends_at(p));
                    p -= l;
                    if self.adjacent_cue(p) == Some(Cue::Address) {
                        return true;
                    }
                }
                Some((' ', 1)) if p < q => p -= 1,
                _ => break,
            }
        }
        divisions >= 2
    }
}
