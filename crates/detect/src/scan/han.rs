//! Candidates that start with a Han character: licence plates, names, birth dates in Chinese
//! numerals, and the anchors of addresses (read in `address.rs`).

use super::*;
use crate::text::decode_before;

impl Scanner<'_> {
    // ------------------------------------------------------------------ Han characters

    pub(super) fn han(&mut self, i: usize, ch: char, l: usize) -> usize {
        let lx = self.lx;
        let b = self.b;
        if lx.plate_provinces.contains(ch)
            && b.get(i + l).is_some_and(u8::is_ascii_uppercase)
            && let Some(e) = self.plate(i, l)
        {
            return e;
        }
        if lx.road_suffixes.contains(ch)
            && let Some(door) = self.door_start(i + l, ch == '村')
            && let Some(e) = self.address(i, door, ch == '村')
        {
            return e;
        }
        if ch == '村'
            && let Some(e) = self.village(i, l)
        {
            return e;
        }
        if (lx.road_suffixes.contains(ch) || lx.admin_suffixes.contains(ch))
            && let Some(e) = self.cued_address(i, l)
        {
            return e;
        }
        if ch == '道'
            && decode_before(b, i).is_some_and(|(c, _)| c == '街')
            && let Some(e) = self.estate_address(i, l)
        {
            return e;
        }
        if lx.estate_last.contains(ch)
            && let Some(e) = self.estate_building(i, l)
        {
            return e;
        }
        if (lx.surnames.contains(ch) || lx.compound_first.contains(ch))
            && let Some(e) = self.han_name(i)
        {
            return e;
        }
        if matches!(ch, '一' | '二')
            && let Some(e) = self.han_numeral_date(i)
        {
            return e;
        }
        i + l
    }

    /// A birth date in Chinese numerals after a birth cue: `一九九〇年五月十二日`.
    fn han_numeral_date(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let mut p = i;
        let mut y = 0;
        for _ in 0..4 {
            let (c, l) = decode_at(b, p);
            y = y * 10 + han_digit(c)?;
            p += l;
        }
        if !starts_with_at(b, p, "年") {
            return None;
        }
        let (m, q) = han_small_number(b, p + 3)?;
        if !starts_with_at(b, q, "月") {
            return None;
        }
        let (d, r) = han_small_number(b, q + 3)?;
        if !(starts_with_at(b, r, "日") || starts_with_at(b, r, "号")) {
            return None;
        }
        let end = r + 3;
        if validate::is_real_date(y, m, d) && (1900..=2030).contains(&y) && self.birth(i, end) {
            self.birth_date(i, end, y, m, d);
        }
        Some(end)
    }

    pub(super) fn plate(&mut self, i: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let mut p = i + l + 1; // province + the letter of the issuing office
        let mut body = Vec::with_capacity(7);
        if let Some((c, cl)) = decode_at(b, p).into()
            && matches!(c, ' ' | '·' | '•' | '-' | '\u{3000}')
            && b.get(p + cl).is_some_and(|c| is_alnum(*c))
        {
            p += cl;
        }
        while p < b.len() && body.len() < 7 && (b[p].is_ascii_digit() || b[p].is_ascii_uppercase())
        {
            body.push(b[p]);
            p += 1;
        }
        let mut end = p;
        let mut suffix = false;
        if body.len() == 4
            && let Some((_, sl)) = char_in(b, p, &self.lx.plate_suffixes)
        {
            end = p + sl;
            suffix = true;
        }
        let ok_len = suffix || body.len() == 5 || body.len() == 6;
        let no_io = body.iter().all(|&c| c != b'I' && c != b'O');
        let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
        if !ok_len || !no_io || digits < 2 || !word_end(b, end) {
            return None;
        }
        let value = move || {
            std::str::from_utf8(&b[i..end])
                .map(|s| {
                    s.chars()
                        .filter(|c| !matches!(c, ' ' | '·' | '•' | '-' | '\u{3000}'))
                        .collect()
                })
                .unwrap_or_default()
        };
        self.push(i, end, PiType::CnLicensePlate, 0.9, false, value);
        Some(end)
    }

    /// A Chinese person's name: a surname and one or two given-name characters, confirmed by
    /// a cue before it (姓名, 乘客, 司机, ...) or an honorific after it (先生, 师傅, ...), or
    /// else by the name model.
    pub(super) fn han_name(&mut self, i: usize) -> Option<usize> {
        // The second half of a doubled character (`谢谢杨帆`, `常常`) starts no name: the
        // name, if any, starts after it. Unless the first half ends a cue (`班主任任伟`).
        if decode_before(self.b, i).is_some_and(|(c, _)| c == decode_at(self.b, i).0)
            && !self.lx.role_cue_before(self.b, i)
            && !(self.cue_possible(i) && self.adjacent_cue(i).is_some())
        {
            return None;
        }
        // 谢 that ends a word of thanks (`感谢王总`, `多谢李姐`) starts no name either.
        if decode_at(self.b, i).0 == '谢'
            && decode_before(self.b, i).is_some_and(|(c, _)| "感多鸣致答道酬".contains(c))
        {
            return None;
        }
        if let Some(e) = self.han_name_rule(i) {
            return Some(e);
        }
        self.han_name_model(i)
    }

    /// A name the model finds where no cue or honorific stands: the best-scoring candidate
    /// above zero, with a confidence from 0.6 to 0.9 that grows with the margin.
    fn han_name_model(&mut self, i: usize) -> Option<usize> {
        let lx = self.lx;
        let (scale, _) = (*self.model_scale.get_or_insert_with(model::scales))?;
        if lx.name_stop_at(self.b, i) || self.column_without_names(i) {
            return None;
        }
        let cue = self.name_cue(i);
        let (v, s) = model::best(lx, self.b, i, cue, model::weight)?;
        // A label (`申請人`, `班主任`), a word a form puts after one, or a division (`吴中区`,
        // `余杭区` at the end of an address) is no name.
        if lx.is_cue_word(self.b, s.start, s.end)
            || lx.is_role_word(self.b, s.start, s.end)
            || lexicon::NOT_NAMES_AFTER_A_LABEL
                .iter()
                .any(|w| starts_with_at(self.b, i, w))
            || decode_before(self.b, s.end)
                .is_some_and(|(c, _)| matches!(c, '省' | '市' | '县' | '区' | '镇' | '乡'))
        {
            return None;
        }
        // Without a cue, a word that begins with a surname character (林业局, 金融街) is
        // the word.
        if cue == 0 && lx.surname_word_at(self.b, i, s.end) {
            return None;
        }
        // Without a cue, a last character no given name has is a word's (`黄瓜`, `公务舱`,
        // `成人票`), not a given name's.
        if cue == 0
            && decode_before(self.b, s.end)
                .is_some_and(|(c, _)| lexicon::NOT_GIVEN_CHARS.contains(c))
        {
            return None;
        }
        // Without a cue, a city (`秦皇岛`) or a family's village (`何家村`) is the place: passed
        // over (a village's `村` is left to the address rules).
        if cue == 0
            && let Some(e) = self.place_at(i)
        {
            return Some(e);
        }
        // Without a cue, the end of a route in a timetable is a place or a station (`北京 →
        // 石家庄北  0830`: spaces and a number follow; not an approval chain, `张伟 → 李娜`).
        let mut p = i;
        while p > 0 && self.b[p - 1] == b' ' && i - p < 4 {
            p -= 1;
        }
        let q = s.end
            + self.b[s.end..]
                .iter()
                .take(4)
                .take_while(|&&c| c == b' ')
                .count();
        if cue == 0
            && p > 0
            && matches!(self.b[p - 1], b'>' | 0x92 | 0x94)
            && q > s.end
            && self.b.get(q).is_some_and(u8::is_ascii_digit)
            && ["→", "->", "⇒", "➔"]
                .iter()
                .any(|a| ends_with_at(self.b, p, a))
        {
            return Some(s.end);
        }
        let m = v as f32 / scale;
        let conf = 0.6 + 0.3 * m / (1.0 + m);
        let b = self.b;
        // A three-character span whose last character begins a verb (`王芳撤回了`): the name
        // is the two before it.
        let mut end = s.end;
        if let Some((last, l)) = decode_before(b, end)
            && is_han(last)
            && end - l > s.start + 3
            && decode_before(b, end - l).is_some_and(|(c, _)| is_han(c))
            && std::str::from_utf8(&b[s.start..end]).is_ok_and(|t| t.chars().count() == 3)
            && lx.verb_after_name_at(b, end - l)
            && !lx.is_compound_surname(
                decode_at(b, s.start).0,
                decode_before(b, end - l).map_or('\0', |x| x.0),
            )
        {
            end -= l;
        }
        // A title is no part of the name (`客户王女士反映`): the surname alone, as the rule
        // reads it.
        let (c0, l0) = decode_at(b, s.start);
        let (c1, l1) = decode_at(b, s.start + l0);
        let sur = if lx.is_compound_surname(c0, c1) {
            l0 + l1
        } else {
            l0
        };
        if s.start + sur < end && lx.honorific_at(b, s.start + sur) {
            end = s.start + sur;
        }
        let value = move || String::from_utf8_lossy(&b[s.start..end]).into_owned();
        self.push(s.start, end, PiType::PersonNameZh, conf, false, value);
        Some(end)
    }

    /// Where a city of [`lexicon::HAN_CITIES`] that starts at `i` ends, or for a village
    /// named after a family (`何家村`), where its `家` ends.
    fn place_at(&self, i: usize) -> Option<usize> {
        let b = self.b;
        if let Some(city) = lexicon::HAN_CITIES.iter().find(|c| starts_with_at(b, i, c)) {
            return Some(i + city.len());
        }
        let (_, l0) = decode_at(b, i);
        let jia = i + l0;
        (starts_with_at(b, jia, "家")
            && lexicon::FAMILY_VILLAGE_ENDS.contains(decode_at(b, jia + 3).0))
        .then_some(jia + 3)
    }

    /// A surname at `i` and one or two given-name characters, each after one space (`赵 丽
    /// 华`), right after a name label; `p` is where the first space is. The span holds the
    /// spaces. Not when more spaced characters follow (spaced running text).
    fn spaced_name(&mut self, i: usize, p: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        let spaced_han = |q: usize| {
            if b.get(q) != Some(&b' ') {
                return None;
            }
            let (c, l) = decode_at(b, q + 1);
            (l > 0 && is_han(c)).then_some((c, q + 1 + l))
        };
        let mut end = p;
        let mut given = 0;
        loop {
            // The given name's characters spaced, or the second glued to the first (`钱 多多`).
            let glued = decode_at(b, end);
            let (c, e) = match spaced_han(end) {
                Some(x) => x,
                None if given == 1 && glued.1 > 0 && is_han(glued.0) => (glued.0, end + glued.1),
                None => break,
            };
            if given == 2 || lx.name_stop_chars.contains(c) {
                return None;
            }
            given += 1;
            end = e;
        }
        if given == 0 || !self.cue_possible(i) || self.adjacent_cue(i) != Some(Cue::Name) {
            return None;
        }
        let v = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameZh, 0.85, false, v);
        Some(end)
    }

    /// Whether a surname (ending at `p`) and one or two given-name characters are the whole of
    /// an HTML element's text or a quoted SQL value (`<li>王芳</li>`, `VALUES(1,'韦强',…)`): a
    /// value standing alone, read as a name unless it is a word (`黄金`), a division (`龙华区`)
    /// or a word a form puts after a label.
    fn enclosed_name(&self, i: usize, p: usize) -> bool {
        let b = self.b;
        // Or in brackets right after a Latin-script name (`MAO Xin (毛鑫)`, `Zhang Wei（张伟）`).
        let after_latin_name = |open: usize| {
            let q = open - usize::from(open > 0 && b[open - 1] == b' ');
            self.out
                .last()
                .is_some_and(|c| c.ty == PiType::PersonNameEn && c.be == q)
        };
        let close: &[u8] = match i.checked_sub(1).map(|k| b[k]) {
            Some(b'>') => b"<",
            Some(b'\'') => b"'",
            Some(b'(') if after_latin_name(i - 1) => b")",
            _ if ends_with_at(b, i, "（") && after_latin_name(i - "（".len()) => "）".as_bytes(),
            _ => return false,
        };
        let mut end = p;
        for _ in 0..2 {
            match decode_at(b, end) {
                (c, l) if l > 0 && is_han(c) => end += l,
                _ => break,
            }
        }
        end > p
            && b[end..].starts_with(close)
            && !self.lx.surname_word_at(b, i, end)
            && !decode_before(b, end)
                .is_some_and(|(c, _)| self.lx.admin_suffixes.contains(c) || c == '部')
            && !lexicon::NOT_NAMES_AFTER_A_LABEL
                .iter()
                .any(|w| starts_with_at(b, i, w))
    }

    /// Whether `i` begins a chat line's message: the line is a time (`10:42`, `[10:42:05]`),
    /// a speaker of one to four Han characters and a colon (`10:42 司机：`, `[09:15] 客服: `).
    fn chat_message_start(&self, i: usize) -> bool {
        let b = self.b;
        let lo = i.saturating_sub(40);
        let Some(ls) = memchr::memrchr(b'\n', &b[lo..i])
            .map(|k| lo + k + 1)
            .or((lo == 0).then_some(0))
        else {
            return false;
        };
        let mut p = i;
        while p > ls && b[p - 1] == b' ' {
            p -= 1;
        }
        let colon = if ends_with_at(b, p, "：") {
            "：".len()
        } else {
            usize::from(b.get(p.wrapping_sub(1)) == Some(&b':'))
        };
        if colon == 0 || p < ls + colon {
            return false;
        }
        p -= colon;
        let mut chars = 0;
        while let Some((c, l)) = decode_before(b, p).filter(|&(c, _)| is_han(c)) {
            if p - l < ls || chars == 4 {
                break;
            }
            let _ = c;
            p -= l;
            chars += 1;
        }
        if chars == 0 || p == ls || !matches!(b[p - 1], b' ' | b']') {
            return false;
        }
        // The time before: `hh:mm` or `hh:mm:ss`, perhaps in brackets.
        let t = b[ls..p - 1].trim_ascii();
        let t = t.strip_prefix(b"[").unwrap_or(t);
        let t = t.strip_suffix(b"]").unwrap_or(t);
        let t = t.rsplit(|&c| c == b' ').next().unwrap_or(t);
        (4..=8).contains(&t.len())
            && t.contains(&b':')
            && t.iter().all(|c| c.is_ascii_digit() || *c == b':')
    }

    /// The rule: a cue or an honorific confirms the name.
    fn han_name_rule(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        let (c0, l0) = decode_at(b, i);
        let mut p = i + l0;
        // Compound surname?
        let (c1, l1) = decode_at(b, p);
        let compound = lx.compound_first.contains(c0) && lx.is_compound_surname(c0, c1);
        if compound {
            p += l1;
        } else if !lx.surnames.contains(c0) {
            return None;
        }
        // A name spaced out character by character (OCR, forms: `姓 名 赵 丽 华`).
        if !compound
            && b.get(p) == Some(&b' ')
            && let Some(e) = self.spaced_name(i, p)
        {
            return Some(e);
        }
        // Cheap gate: a name needs a cue right before it or an honorific right after it.
        // Most surname characters in running text have neither.
        // In a table's cell after another cell (`1,李雷,运输部`), the column's name is the cue.
        // A chat line's speaker is no cue for its message (`10:42 司机：马上到了`).
        let possible = self.cue_possible(i) && !self.chat_message_start(i);
        let column_named = (!possible
            && self.cell_start(i)
            && self.skip_separators_back(i) > 0
            && self.column_cue(i) == Some(Cue::Name))
            || self.enclosed_name(i, p);
        let cue_possible = column_named || possible;
        let role_gate = !cue_possible && lx.role_cue_before(b, i) && !self.chat_message_start(i);
        // `请刘洋发言`: asked to act, with the act after the name (checked below).
        let asked =
            decode_before(b, i).is_some_and(|(c, _)| lexicon::ASKING_BEFORE_NAME.contains(&c));
        // At a clause's start, the subject of a verb that follows (`张伟汇报了本周进展`, as
        // minutes and reports write; checked below).
        let acts_at = |q: usize| {
            lx.verb_after_name_at(b, q)
                || ["将", "把", "关于"].iter().any(|w| starts_with_at(b, q, w))
        };
        let clause = (decode_before(b, i).is_none_or(|(c, _)| {
            matches!(
                c,
                '\n' | '。' | '，' | '；' | '！' | '？' | '：' | ',' | ';' | '\t' | '”' | '」'
            )
        }) || after_list_number(b, i))
            && {
                // The act one or two characters after the surname: a cheap test first.
                let (_, g1) = decode_at(b, p);
                let (_, g2) = decode_at(b, p + g1);
                g1 > 0 && (acts_at(p + g1) || (g2 > 0 && acts_at(p + g1 + g2)))
            };
        // The next of a list of names (`宋佳佳、韩梅梅、李雷参加了培训`): a name found right
        // before the `、` (checked below).
        let listed = ends_with_at(b, i, "、")
            && self
                .out
                .last()
                .is_some_and(|c| c.ty == PiType::PersonNameZh && c.be + "、".len() == i);
        if !cue_possible && !role_gate && !asked && !clause && !listed {
            let mut q = p;
            let mut near = false;
            for _ in 0..3 {
                let (c, l) = decode_at(b, q);
                if l == 0 || !is_han(c) {
                    break;
                }
                if lx.honorific_first.contains(c) {
                    near = true;
                    break;
                }
                q += l;
            }
            if !near {
                return None;
            }
        }
        // A common word glued to the word before (`客户信息`) is not a name; after a
        // separator (`姓名：安静`) it may be.
        let glued = decode_before(b, i).is_some_and(|(c, _)| is_han(c));
        if lx.name_stop_at(b, i) || (glued && lx.common_word_at(b, i)) {
            return None;
        }
        let p0 = p;
        let mut given = 0;
        while given < 2 {
            let (c, l) = decode_at(b, p);
            if !is_han(c) || lx.name_stop_chars.contains(c) {
                break;
            }
            if lx.name_stop_at(b, p) || lx.honorific_at(b, p) || lx.verb_after_name_at(b, p) {
                break;
            }
            p += l;
            given += 1;
        }
        if given == 0 {
            return self.surname_alone(i, c0, p);
        }
        let end = p;
        // A title of office confirms a name only of characters common in given names (`陈红主任`;
        // not `党委书记`, `车间主任`).
        let honorific = lx.honorific_at(b, end)
            && (lexicon::HONORIFICS_AFTER
                .iter()
                .any(|w| starts_with_at(b, end, w))
                || std::str::from_utf8(&b[p0..end])
                    .is_ok_and(|g| g.chars().all(|c| lx.is_given_char(c))));
        let cue = if column_named {
            Some(Cue::Name)
        } else if cue_possible {
            self.adjacent_cue(i)
        } else {
            None
        };
        // A function word that is also a surname before a surname and a title (`和陈总`,
        // `跟王经理`): the title's surname stands alone.
        if given == 1
            && honorific
            && cue.is_none()
            && super::names::NOT_ALONE.contains(c0)
            && lx.surnames.contains(decode_at(b, i + l0).0)
        {
            return None;
        }
        let named = matches!(cue, Some(Cue::Name | Cue::Hotline));
        // Words a form puts after a party's label that are no person (`签收人：门卫`).
        if (cue_possible || role_gate)
            && lexicon::NOT_NAMES_AFTER_A_LABEL
                .iter()
                .any(|w| starts_with_at(b, i, w))
        {
            return None;
        }
        // An office glued to the name (`店长马上到`, `主任王芳主持`): every given character one
        // that names are made of, and no word that begins with the surname.
        let given_chars = || {
            std::str::from_utf8(&b[p0..end]).is_ok_and(|g| g.chars().all(|c| lx.is_given_char(c)))
        };
        let role = (role_gate || (cue_possible && !named && lx.role_cue_before(b, i)))
            && (!glued
                || !lexicon::OFFICE_CUES.iter().any(|w| ends_with_at(b, i, w))
                || (given_chars() && !lx.surname_word_at(b, i, end)));
        let conf = if named || role {
            0.9
        } else if honorific && !lx.surname_word_at(b, i, end) {
            // A word before a title is the word (`项目经理`, `安全经理`).
            0.8
        } else if (asked || clause || listed)
            && !lx.surname_word_at(b, i, end)
            // Neither a surname that is also a function word (`请于明天`) nor given names
            // that are a word (`明天`).
            && !lx.name_stop_chars.contains(c0)
            && !lx.common_word_at(b, i + l0)
            && ((asked
                && (lx.verb_after_name_at(b, end)
                    || ["到", "来", "去", "负责", "联系", "确认", "签收"]
                        .iter()
                        .any(|w| starts_with_at(b, end, w))))
                // At a clause's start, a verb after, and every given character one that names
                // are made of (`王建国强调`; not `高度强调`).
                || (clause && acts_at(end) && given_chars())
                // The next of a list of names, before an act or the list's next separator.
                || (listed
                    && (acts_at(end)
                        || ["分别", "于", "等", "、", "，", "。", "；", "\n"]
                            .iter()
                            .any(|w| starts_with_at(b, end, w))
                        || end == b.len())))
        {
            0.8
        } else {
            return None;
        };
        let v = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameZh, conf, false, v);
        Some(end)
    }
}

/// Whether a list item's number stands right before `i` at its line's start (`1. `, `2、`,
/// `(3) `).
fn after_list_number(b: &[u8], i: usize) -> bool {
    let mut p = i;
    if b.get(p.wrapping_sub(1)) == Some(&b' ') {
        p -= 1;
    }
    let Some((c, l)) = decode_before(b, p) else {
        return false;
    };
    if !matches!(c, '.' | '、' | ')' | '）') {
        return false;
    }
    p -= l;
    let digits = b[..p]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || digits > 3 {
        return false;
    }
    p -= digits;
    if matches!(b.get(p.wrapping_sub(1)), Some(b'(')) {
        p -= 1;
    }
    p == 0 || b[p - 1] == b'\n'
}

/// A Chinese digit (`〇`/`零` to `九`).
fn han_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|k| k as u32)
        .or((c == '零').then_some(0))
}

/// A number from 1 to 99 in Chinese numerals (`五`, `十`, `十二`, `二十`, `三十一`) at `p`:
/// its value and where it ends.
pub(super) fn han_small_number(b: &[u8], p: usize) -> Option<(u32, usize)> {
    let (c, l) = decode_at(b, p);
    let mut q = p + l;
    let mut v = if c == '十' {
        10
    } else {
        let d = han_digit(c).filter(|d| *d > 0)?;
        let (c2, l2) = decode_at(b, q);
        if c2 != '十' {
            return Some((d, q));
        }
        q += l2;
        d * 10
    };
    let (c3, l3) = decode_at(b, q);
    if let Some(u) = han_digit(c3).filter(|u| *u > 0) {
        v += u;
        q += l3;
    }
    Some((v, q))
}
