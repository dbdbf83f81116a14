//! Names in written forms the surname rules and the model do not reach: transliterated names
//! joined by a middle dot (`古丽娜尔·吐尔逊`), a surname alone before a title (`王经理`), the
//! name field of a machine-readable zone (`P<CHNZHANG<<WEI<<<…`), and a lone Latin name a
//! message addresses (`Hi Emily,`, a sign-off's next line, `@Emily`).

use super::*;
use crate::text::decode_before;

/// Characters the Chinese transliteration of Uyghur, Mongolian, Tibetan and foreign names uses
/// (after the usual transliteration tables). Words of everyday text that share a character
/// (和, 来, 大, 日, ...) are left out, so that a part stops where the running text resumes.
pub(crate) const TRANSLITERATION: &str = "阿埃艾爱安昂奥巴拜班邦鲍贝本比彼毕别宾波伯博布卜\
查达戴丹道德迪蒂丁杜敦多厄恩尔法范菲费芬丰佛夫福弗伽盖甘冈戈格根古瓜哈海罕汉豪赫黑亨洪胡\
霍基吉加贾杰金久居卡凯坎康柯科克肯孔库夸奎昆拉莱赖兰朗劳勒雷蕾里利莉丽力连琳留龙卢鲁伦罗\
洛吕玛马麦买迈曼芒毛梅蒙孟米密敏莫墨默姆木穆纳娜奈南内尼妮宁纽努诺欧帕派潘佩彭皮普奇齐恰\
乔琴丘热荣茹若萨塞赛桑瑟森沙莎尚舍什史斯松苏素索塔泰坦汤唐特提廷图土吐托瓦旺威韦维温翁沃\
乌伍武希锡夏谢辛欣休雅亚延扬耶伊依英尤约赞泽扎詹朱卓孜祖佐江汗合逊吾甫牙衣铁则兰仁额宝音\
朝鲁苏巴图买提娅妮姬黛薇琪娃";

/// Characters that are not a surname when alone before a title: words that take a title after
/// them in running text (`我和先生`, `向老师请教`, `最高总价`).
pub(super) const NOT_ALONE: &str =
    "和与及向于对给把被让叫由从同跟将为以在是的有我你他她各每本该此这那诸众老小";

/// Middle dots that join the parts of a transliterated name.
pub(super) fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '・' | '‧' | '•')
}

impl Scanner<'_> {
    /// A transliterated name at the middle dot at `dot` (`l` bytes): two or more parts of two to
    /// six transliteration characters, joined by middle dots. The left part's start must be
    /// clear (no transliteration character right before it).
    pub(super) fn dot_name(&mut self, dot: usize, l: usize) -> Option<usize> {
        let b = self.b;
        let lx = self.lx;
        let mut start = dot;
        let mut left = 0;
        while let Some((c, cl)) = decode_before(b, start) {
            if !lx.transliteration.contains(c) {
                break;
            }
            if left == 6 {
                return None;
            }
            start -= cl;
            left += 1;
        }
        if left < 2 {
            return None;
        }
        let part = |from: usize| -> Option<usize> {
            let mut p = from;
            let mut n = 0;
            loop {
                let (c, cl) = decode_at(b, p);
                if cl == 0 || !lx.transliteration.contains(c) {
                    break;
                }
                if n == 6 {
                    return None;
                }
                p += cl;
                n += 1;
            }
            (n >= 2).then_some(p)
        };
        let mut end = part(dot + l)?;
        // Further parts (阿卜杜勒·哈米德·买买提).
        loop {
            let (c, cl) = decode_at(b, end);
            if cl == 0 || !is_name_dot(c) {
                break;
            }
            match part(end + cl) {
                Some(e) => end = e,
                None => break,
            }
        }
        let value = move || String::from_utf8_lossy(&b[start..end]).into_owned();
        self.push(start, end, PiType::PersonNameZh, 0.85, false, value);
        Some(end)
    }

    /// A surname alone before a title (`王经理`, `刘总`, `张老师`): the surname is the span. It
    /// must stand where a name can begin — after punctuation, a space, the line's start or a
    /// word that introduces a person (致, 请, 问 ...) — and not be a word of running text.
    pub(super) fn surname_alone(&mut self, i: usize, c0: char, end: usize) -> Option<usize> {
        let b = self.b;
        // A role word that begins with a surname and a title is the role (`班主任`, `副总经理`).
        if NOT_ALONE.contains(c0)
            || !self.lx.honorific_at(b, end)
            || lexicon::ROLE_CUES
                .iter()
                .chain(lexicon::OFFICE_CUES)
                .any(|w| starts_with_at(b, i, w))
        {
            return None;
        }
        match decode_before(b, i) {
            Some((c, _)) if is_han(c) && !"致请问找叫给和与向对跟同及谢、".contains(c) =>
            {
                return None;
            }
            _ => {}
        }
        // 总 is a title only as a word of its own (王总, 王总好), not inside one (高总价).
        let (t0, tl) = decode_at(b, end);
        if t0 == '总' {
            let (t1, _) = decode_at(b, end + tl);
            if is_han(t1)
                && !"好您你的说在和要已也".contains(t1)
                && !self.lx.verb_after_name_at(b, end + tl)
            {
                return None;
            }
        }
        let value = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameZh, 0.75, false, value);
        Some(end)
    }

    /// The name field of a machine-readable zone's name line (ICAO 9303): a passport's first
    /// line (`P<CHNZHANG<<WEI<<<…`, 44 characters), a visa's (`V<…`) or a TD2 card's (`I<…`,
    /// 36): the document code, the issuing state, then `PRIMARY<<SECONDARY<NAMES` padded with
    /// `<`; or a TD1 card's third line, the name alone. The span is the name without its
    /// padding.
    pub(super) fn mrz_name(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        if i > 0 && !matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b':' | b'"' | b'\'') {
            return None;
        }
        let mut r = i;
        while r < b.len() && (b[r].is_ascii_uppercase() || b[r].is_ascii_digit() || b[r] == b'<') {
            r += 1;
        }
        let line = &b[i..r];
        if !(30..=44).contains(&line.len()) || !word_end(b, r) {
            return None;
        }
        // A TD1 card's third line is the name alone, under the card's two other 30-character
        // lines.
        let td1_name = line.len() == 30 && i > 0 && b[i - 1] == b'\n' && {
            let above_end = if i >= 2 && b[i - 2] == b'\r' {
                i - 2
            } else {
                i - 1
            };
            let above_start = memchr::memrchr(b'\n', &b[..above_end]).map_or(0, |k| k + 1);
            let above = &b[above_start..above_end];
            above.len() == 30
                && above
                    .iter()
                    .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
        };
        let code_ok = matches!(line[0], b'P' | b'V')
            || (matches!(line[0], b'I' | b'A' | b'C') && line.len() != 30);
        let head_ok = line[1..5]
            .iter()
            .all(|&c| c.is_ascii_uppercase() || c == b'<');
        if !td1_name && (!code_ok || !head_ok) {
            return None;
        }
        let skip = if td1_name { 0 } else { 5 };
        let field = &line[skip..];
        // Letters and single `<` between words, one `<<` between the primary and secondary
        // identifiers, then padding only.
        let last = field.iter().rposition(u8::is_ascii_uppercase)?;
        let name = &field[..=last];
        if !name[0].is_ascii_uppercase()
            || name.iter().any(u8::is_ascii_digit)
            || field[last + 1..].iter().any(|&c| c != b'<')
            || name.windows(3).any(|w| w == b"<<<")
            || name.windows(2).filter(|w| w == b"<<").count() > 1
        {
            return None;
        }
        let (s, e) = (i + skip, i + skip + last + 1);
        let value = move || String::from_utf8_lossy(&b[s..e]).into_owned();
        self.push(s, e, PiType::PersonNameEn, 0.9, false, value);
        Some(r)
    }
}

impl Scanner<'_> {
    /// A booking record's name element (a PNR's `1.1WANG/XIAOMING MR`): the element number
    /// (`1.1`, at a word's start) glued to `SURNAME/GIVEN NAMES` in capitals, then a title or
    /// the next element. `i` is the surname's first letter; the span is the name without its
    /// number or title.
    pub(super) fn booking_name(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        // Back over `digits.digits` to a word's start.
        let digits_back = |mut p: usize| {
            let e = p;
            while p > 0 && b[p - 1].is_ascii_digit() && e - p < 2 {
                p -= 1;
            }
            (p < e).then_some(p)
        };
        let p = digits_back(i)?;
        if p == 0 || b[p - 1] != b'.' {
            return None;
        }
        let p = digits_back(p - 1)?;
        if p > 0 && !matches!(b[p - 1], b' ' | b'\t' | b'\n' | b'\r' | b':') {
            return None;
        }
        let upper = |from: usize| {
            let mut e = from;
            while b.get(e).is_some_and(u8::is_ascii_uppercase) {
                e += 1;
            }
            e
        };
        let se = upper(i);
        if se - i < 2 || b.get(se) != Some(&b'/') {
            return None;
        }
        // Given names: capital words, one space between; a title ends them.
        let mut end = upper(se + 1);
        if end - (se + 1) < 2 {
            return None;
        }
        while b.get(end) == Some(&b' ') {
            let we = upper(end + 1);
            let w = &b[end + 1..we];
            if w.len() < 2 || BOOKING_TITLES.iter().any(|t| t.as_bytes() == w) {
                break;
            }
            end = we;
        }
        // A title or the next element must follow: `1.5MB/KB` is no name.
        let next = upper(end + 1);
        let titled = b.get(end) == Some(&b' ')
            && BOOKING_TITLES
                .iter()
                .any(|t| t.as_bytes() == &b[end + 1..next])
            && !b.get(next).is_some_and(u8::is_ascii_alphanumeric);
        let element = b.get(end) == Some(&b' ') && {
            let mut q = end + 1;
            while b.get(q).is_some_and(u8::is_ascii_digit) {
                q += 1;
            }
            q > end + 1 && b.get(q) == Some(&b'.')
        };
        if !(titled || element) {
            return None;
        }
        let value = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameEn, 0.85, false, value);
        Some(end)
    }
}

/// Whether `w` is a month that is also a given name (`April`, `May`, `June`, any case): after
/// a name cue, one may begin a name (`April Tate`).
pub(super) fn is_given_month(w: &[u8]) -> bool {
    lower_is(w, &["april", "may", "june"])
}

/// Titles and passenger kinds after a booking record's name (`MR`, `CHD`).
const BOOKING_TITLES: &[&str] = &[
    "MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "CHD", "INF", "INFT",
];

/// Words after which a lone capitalised word is the person addressed (`Hi Emily,`).
pub(super) const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "dear",
    "morning",
    "afternoon",
    "evening",
    "thanks",
    "cheers",
    "best",
    "regards",
    "greetings",
    "bye",
    "yo",
    "heya",
    "howdy",
    "wishes",
];

/// Titles between a greeting and a name (`Hi Dr. Kumar`).
pub(super) const TITLES: &[&str] = &["mr", "mrs", "ms", "mx", "miss", "dr", "prof", "professor"];

/// Lines that close a message: a lone capitalised word on the next line signs it.
pub(super) const SIGN_OFFS: &[&str] = &[
    "cheers",
    "thanks",
    "best",
    "regards",
    "best regards",
    "kind regards",
    "warm regards",
    "sincerely",
    "yours",
    "yours sincerely",
    "many thanks",
    "thank you",
    "take care",
    "all the best",
    "best wishes",
    "sincerely yours",
    "yours truly",
    "respectfully",
    "with thanks",
];

/// Whether `w` is a greeting or a sign-off word (`Hi`, `Best`), in any case.
pub(super) fn is_greeting(w: &[u8]) -> bool {
    lower_is(w, GREETINGS) || lower_is(w, SIGN_OFFS)
}

pub(super) fn lower_is(w: &[u8], list: &[&str]) -> bool {
    list.iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
}

/// A closing line: a sign-off and a comma (`Best regards,`).
pub(super) fn sign_off(line: &[u8]) -> bool {
    // A quoted reply's lines begin with `>` (`> Best,`).
    let line = line.trim_ascii();
    let line = line.strip_prefix(b">").unwrap_or(line);
    line.trim_ascii()
        .strip_suffix(b",")
        .is_some_and(|s| lower_is(s.trim_ascii(), SIGN_OFFS))
}

/// Whether an en or em dash (`–`, `—`) starts at `i`.
pub(super) fn dash_at(b: &[u8], i: usize) -> bool {
    matches!(b.get(i..i + 3), Some([0xE2, 0x80, 0x93 | 0x94]))
}

/// The word that ends at `end` (exclusive) after skipping spaces back: its start.
pub(super) fn word_before(b: &[u8], end: usize) -> Option<(usize, usize)> {
    let mut e = end;
    while e > 0 && b[e - 1] == b' ' {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && b[s - 1].is_ascii_alphabetic() {
        s -= 1;
    }
    (s < e && (s == 0 || !is_alnum(b[s - 1]))).then_some((s, e))
}

/// Verbs of records and workflows whose `… by` names a person (`Approved by Jason Miller`).
const BY_VERBS: &[&str] = &[
    "approved",
    "reviewed",
    "prepared",
    "submitted",
    "reported",
    "signed",
    "written",
    "requested",
    "created",
    "issued",
    "checked",
    "verified",
    "authorized",
    "authorised",
    "witnessed",
    "accepted",
    "received",
    "raised",
    "opened",
    "closed",
    "updated",
    "edited",
    "recorded",
    "inspected",
    "assessed",
    "interviewed",
    "referred",
    "presented",
    "chaired",
    "organized",
    "organised",
    "conducted",
    "countersigned",
    "endorsed",
    "drafted",
    "filed",
    "logged",
];

/// Whether `… <verb> by ` (or `by:`) from [`BY_VERBS`] ends right before `i`.
pub(super) fn by_verb_before(b: &[u8], i: usize) -> bool {
    let mut p = i;
    if p > 0 && b[p - 1] == b' ' {
        p -= 1;
    }
    if p > 0 && b[p - 1] == b':' {
        p -= 1;
    }
    if p < 3 || !b[p - 2..p].eq_ignore_ascii_case(b"by") || b[p - 3] != b' ' {
        return false;
    }
    word_before(b, p - 3).is_some_and(|(s, e)| lower_is(&b[s..e], BY_VERBS))
}

/// Parties and roles that name a person after a label (`Witness: Owen Fitzgerald`, `author =
/// "Nathan Cole"`) but before a bare space begin a phrase as often (`Witness Protection
/// Program`, `Reviewer Comments`). Ranks and titles (`Officer`, `Judge`) take the name bare.
const ROLES_AFTER_A_LABEL: &[&str] = &[
    "receiver",
    "tenant",
    "landlord",
    "buyer",
    "seller",
    "insured",
    "doctor",
    "visitor",
    "teacher",
    "student",
    "cashier",
    "salesperson",
    "author",
    "authors",
    "witness",
    "victim",
    "suspect",
    "complainant",
    "plaintiff",
    "defendant",
    "reviewer",
    "interviewer",
    "interviewee",
    "approver",
];

/// Words a form puts where a name is missing (`Author: Unknown`).
const PLACEHOLDERS: &[&str] = &[
    "unknown",
    "anonymous",
    "none",
    "nobody",
    "tbd",
    "tba",
    "pending",
    "unassigned",
    "redacted",
    "withheld",
];

/// Whether `w`, alone, is no name: a greeting or sign-off (`Best, Tom`), a rank (`Sgt.
/// Daniel Reyes`) or a placeholder (`Author: Unknown`).
pub(super) fn not_a_lone_name(w: &[u8]) -> bool {
    is_greeting(w) || lower_is(w, lexicon::RANKS) || lower_is(w, PLACEHOLDERS)
}

/// Where a word of `list` right before `i` starts, its dot and one space between (`Sgt. `,
/// `Officer `, `Ms. `).
fn listed_word_before(b: &[u8], i: usize, list: &[&str]) -> Option<usize> {
    if i < 2 || b[i - 1] != b' ' {
        return None;
    }
    let end = if b[i - 2] == b'.' { i - 2 } else { i - 1 };
    let (s, e) = word_before(b, end)?;
    (e == end && lower_is(&b[s..e], list)).then_some(s)
}

/// Whether `w` is one of [`lexicon::RANKS`] (any case).
pub(super) fn is_rank(w: &[u8]) -> bool {
    lower_is(w, lexicon::RANKS)
}

/// Where the rank before `i` starts (`Officer ` or `Sgt. `), if one stands there.
pub(super) fn rank_before(b: &[u8], i: usize) -> Option<usize> {
    listed_word_before(b, i, lexicon::RANKS)
}

/// Whether one of [`lexicon::HEADER_LABELS`] and its colon stand right before `i`.
pub(super) fn header_label_before(b: &[u8], i: usize) -> bool {
    let mut p = i;
    while p > 0 && matches!(b[p - 1], b' ' | b'"') {
        p -= 1;
    }
    if p == i || p == 0 || b[p - 1] != b':' {
        return false;
    }
    let Some((s, e)) = word_before(b, p - 1) else {
        return false;
    };
    let mut q = s;
    while q > 0 && matches!(b[q - 1], b' ' | b'>') {
        q -= 1;
    }
    e == p - 1 && (q == 0 || b[q - 1] == b'\n') && lower_is(&b[s..e], lexicon::HEADER_LABELS)
}

/// Whether one of [`ROLES_AFTER_A_LABEL`] stands before `i` with only a space between.
pub(super) fn bare_role_before(b: &[u8], i: usize) -> bool {
    i > 0
        && b[i - 1] == b' '
        && word_before(b, i - 1)
            .is_some_and(|(s, e)| e == i - 1 && lower_is(&b[s..e], ROLES_AFTER_A_LABEL))
}

/// Whether a title stands right before `i` (`Ms. Okonkwo`, `Mr Li`): then one word is a name.
pub(super) fn title_before(b: &[u8], i: usize) -> bool {
    listed_word_before(b, i, TITLES).is_some()
}

/// Labels of one part of a name (`Surname:`, `Last name:`, `"first_name": "`): one word after
/// them is a name.
const NAME_PART_LABELS: &[&str] = &[
    "surname",
    "forename",
    "last name",
    "first name",
    "given name",
    "given names",
    "family name",
    "middle name",
    "last_name",
    "first_name",
    "given_name",
    "family_name",
    "givenname",
    "familyname",
    "lastname",
    "firstname",
];

impl Scanner<'_> {
    /// Whether a label of one part of a name ends right before `i`, past separators.
    pub(super) fn name_part_label(&self, i: usize) -> bool {
        let b = self.b;
        let p = self.skip_separators_back(i);
        NAME_PART_LABELS.iter().any(|l| {
            p >= l.len()
                && b[p - l.len()..p].eq_ignore_ascii_case(l.as_bytes())
                && (p == l.len() || !is_alnum(b[p - l.len() - 1]))
        })
    }
}

/// After a word ending at `we`: where a hyphen, a capital and one to fifteen lower-case letters
/// end (`-Luc`), if they do.
pub(super) fn hyphen_part(b: &[u8], we: usize) -> Option<usize> {
    if b.get(we) != Some(&b'-') || !upper_at(b, we + 1) {
        return None;
    }
    let n = b[we + 2..]
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    ((1..=15).contains(&n)
        && !b
            .get(we + 2 + n)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-'))
    .then_some(we + 2 + n)
}
