//! Names written surname first with a comma, as directories, chat exports, mail headers and
//! forms write them without a name's label: a chat line's speaker (`[21:17] Silva, Jeremy:`), a
//! form's value after any label (`Declared by: Grimes, Kyle`), the next of a header's list
//! (`…>; Zou, Yongkang`).

use super::*;
use crate::model::latin_data::{is_pinyin_surname, packed_lower, packed_set};

impl Scanner<'_> {
    /// The surname at `i..we`, `, ` and a known given name (or pinyin after a pinyin surname),
    /// perhaps a middle initial, where a speaker or a field's value stands, and nothing but the
    /// speaker's colon, the line's end, a gap, an address or the next of a list after it
    /// (`Tom, Lisa, Omar` stays a list); or beginning a reference list's entry (`et al.`,
    /// `, and ` or a quoted title after it, a year on the line); or an author of a BibTeX
    /// `author = {…}` list, any name's word as the given name. Where it ends.
    pub(super) fn surname_comma_given(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        // A hyphenated surname is one word (`Hicks-Morris, Daniel`).
        let we = match name_word_end(b, i) {
            Some(e) if e > we && b[we] == b'-' => e,
            _ => we,
        };
        if !starts_with_at(b, we, ", ") || !b[i].is_ascii_uppercase() {
            return None;
        }
        let g = we + 2;
        let ge = name_word_end(b, g).filter(|&e| e > g + 1)?;
        let (sur, given) = (&b[i..we], &b[g..ge]);
        let lx = self.lx;
        // Both in capitals or neither (`DOE, John` is no pair, as after a label).
        let caps = |w: &[u8]| w.iter().all(|c| !c.is_ascii_lowercase());
        // An author of a BibTeX `author = {…}` list: any name's word is its given name.
        let bib = self.bibtex_author(i);
        if !b[g].is_ascii_uppercase()
            || caps(sur) != caps(given)
            || !(bib || self.directory_position(i))
        {
            return None;
        }
        let known = || {
            bib || (lx.is_given_name(given) && !is_pinyin_surname(given))
                || lx.is_hyphenated_given(given)
                || (is_pinyin_surname(sur) && is_pinyin_given(given))
        };
        if !known()
            || lx.is_not_name_word(sur)
            || lx.is_english_word(sur)
            || names::is_greeting(sur)
        {
            return None;
        }
        // A middle initial (`Kyle A.`).
        let mut e = ge;
        if b.get(e) == Some(&b' ')
            && b.get(e + 1).is_some_and(u8::is_ascii_uppercase)
            && b.get(e + 2) == Some(&b'.')
        {
            e += 3;
        }
        let ends = match b.get(e) {
            None | Some(b'\n' | b'\r' | b':' | b';' | b'\t') => true,
            Some(b' ') => {
                matches!(b.get(e + 1), Some(b' ' | b'<' | b'/' | b'|')) || tagged(b, e + 1)
            }
            _ => false,
        };
        let bib_next = || b[e..].starts_with(b"}") || and_author(b, e);
        if !(ends || (bib && bib_next()) || (!bib && reference_entry(b, i, e))) {
            return None;
        }
        self.push(i, e, PiType::PersonNameEn, 0.85, false, move || {
            String::from_utf8_lossy(&b[i..e]).into_owned()
        });
        Some(e)
    }
}

/// Labels whose value is a person (their last word, any case): `Declared by:`, `Hiring
/// Manager:`, `Cc:`.
const PERSON_LABEL_WORDS: &[&str] = &[
    "by",
    "manager",
    "owner",
    "holder",
    "contact",
    "approver",
    "reviewer",
    "assignee",
    "lead",
    "officer",
    "agent",
    "representative",
    "employee",
    "user",
    "customer",
    "client",
    "tenant",
    "landlord",
    "driver",
    "passenger",
    "guest",
    "applicant",
    "patient",
    "signatory",
    "witness",
    "to",
    "cc",
    "bcc",
    "from",
    "attn",
    "name",
    "supervisor",
    "recipient",
    "sender",
    "requester",
];

impl Scanner<'_> {
    /// Whether `i` is where a speaker or a person's value stands: a line's start (after a time
    /// stamp in brackets, `[21:17] `), after a label that names a person (`Declared by: `), or
    /// after `; ` that follows an address or a name found (a header's list). Looks back a
    /// bounded way.
    fn directory_position(&self, i: usize) -> bool {
        let b = self.b;
        let mut p = i;
        while p > 0 && b[p - 1] == b' ' && i - p < 8 {
            p -= 1;
        }
        match p.checked_sub(1).map(|k| b[k]) {
            None | Some(b'\n') => true,
            Some(b';') => {
                let q = p - 1;
                q > 0
                    && (b[q - 1] == b'>'
                        || self
                            .out
                            .last()
                            .is_some_and(|c| c.ty == PiType::PersonNameEn && c.be == q))
            }
            Some(b':') => {
                let q = p - 1;
                let ws = b[..q]
                    .iter()
                    .rev()
                    .take(16)
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                let w = &b[q - ws..q];
                PERSON_LABEL_WORDS
                    .iter()
                    .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
            }
            // A time stamp in brackets at the line's start.
            Some(b']') => {
                let lo = p.saturating_sub(24);
                let Some(open) = memchr::memrchr(b'[', &b[lo..p]).map(|k| lo + k) else {
                    return false;
                };
                (open == 0 || b[open - 1] == b'\n') && b[open..p].iter().any(u8::is_ascii_digit)
            }
            _ => false,
        }
    }
}

impl Scanner<'_> {
    /// Whether `i` is where an author of a BibTeX `author = {…}` list stands: right after the
    /// field's `{`, or after ` and ` that follows the author found before.
    fn bibtex_author(&self, i: usize) -> bool {
        let b = self.b;
        if i >= 5 && b[i - 5..i] == *b" and " {
            // The author before was found, and the field's `{` opens before it on this line
            // with no `}` between.
            let after_author = self
                .out
                .last()
                .is_some_and(|c| c.ty == PiType::PersonNameEn && c.be == i - 5);
            let lo = i.saturating_sub(400);
            let line = memchr::memrchr(b'\n', &b[lo..i]).map_or(lo, |k| lo + k + 1);
            return after_author
                && memchr::memrchr2(b'{', b'}', &b[line..i])
                    .is_some_and(|k| b[line + k] == b'{' && author_field_opens(b, line + k + 1));
        }
        author_field_opens(b, i)
    }
}

/// Whether a BibTeX `author = {` ends right before `i`.
fn author_field_opens(b: &[u8], i: usize) -> bool {
    if i == 0 || b[i - 1] != b'{' {
        return false;
    }
    let lo = (i - 1).saturating_sub(24);
    let before = b[lo..i - 1].trim_ascii_end();
    before.strip_suffix(b"=").is_some_and(|f| {
        let f = f.trim_ascii_end();
        f.len() >= 6 && f[f.len() - 6..].eq_ignore_ascii_case(b"author")
    })
}

/// ` and ` and a capital at `e`: the next author of a BibTeX list.
fn and_author(b: &[u8], e: usize) -> bool {
    b[e..].starts_with(b" and ") && b.get(e + 5).is_some_and(u8::is_ascii_uppercase)
}

/// Whether `Surname, Given` at `i..e` begins an entry of a reference list: at a line's
/// start, another author, `et al.` or the quoted title after it, and a year on the line
/// (`Goodman, Daniel, and Felipe Correia. "Housing…" … 2017`, `Mao, Min. "A Pearson…"`).
fn reference_entry(b: &[u8], i: usize, e: usize) -> bool {
    if i > 0 && b[i - 1] != b'\n' {
        return false;
    }
    let rest = &b[e..];
    // (Not any capital after `, `: `Richmond, Virginia, March 5, 2019` is a dateline.)
    let next = rest.starts_with(b", et al.")
        || rest.starts_with(b", and ")
        || rest.starts_with(b". \"")
        || rest.starts_with(". \u{201c}".as_bytes());
    if !next {
        return false;
    }
    let capped = &rest[..rest.len().min(400)];
    let line = &capped[..memchr::memchr(b'\n', capped).unwrap_or(capped.len())];
    // A year: four digits from 1900 to 2099 with no digit on either side.
    (0..line.len().saturating_sub(3)).any(|k| {
        matches!(&line[k..k + 2], b"19" | b"20")
            && line[k + 2..k + 4].iter().all(u8::is_ascii_digit)
            && (k == 0 || !line[k - 1].is_ascii_digit())
            && !line.get(k + 4).is_some_and(u8::is_ascii_digit)
    })
}

/// Whether a chat export's tag of one capitalised word in brackets stands at `i`, before
/// the gap to the message's time (`Gertz, Friedrich-Karl (Contractor)  11/16 2:01 PM`).
fn tagged(b: &[u8], i: usize) -> bool {
    let Some(rest) = b.get(i..b.len().min(i + 24)) else {
        return false;
    };
    rest.first() == Some(&b'(')
        && rest.get(1).is_some_and(u8::is_ascii_uppercase)
        && rest.iter().position(|&c| c == b')').is_some_and(|k| {
            rest[1..k].iter().all(u8::is_ascii_alphabetic) && rest.get(k + 1..k + 3) == Some(b"  ")
        })
}

/// Whether a word (any case) is a pinyin given name of one or two syllables (`Qiang`,
/// `Yongkang`, `LAIFU`).
pub(super) fn is_pinyin_given(w: &[u8]) -> bool {
    static SYLLABLES: std::sync::OnceLock<Vec<u128>> = std::sync::OnceLock::new();
    let all = SYLLABLES.get_or_init(|| packed_set(PINYIN_SYLLABLES));
    if w.len() > 12 {
        return false;
    }
    let Some(whole) = packed_lower(w) else {
        return false;
    };
    let syllable = |v: u128| all.binary_search(&v).is_ok();
    // The longest syllable has six letters: a split leaves at most six on either side. The
    // first `k` letters are the high bytes of the packed word, the rest its low bytes.
    syllable(whole)
        || (w.len().saturating_sub(6).max(1)..w.len().min(7)).any(|k| {
            let low = 8 * (w.len() - k);
            syllable(whole >> low) && syllable(whole & ((1u128 << low) - 1))
        })
}

/// The syllables of Mandarin in pinyin without tones (the lone vowels `a`, `e`, `o` left out:
/// they would split too many words).
const PINYIN_SYLLABLES: &str = "ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can \
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai \
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den \
    deng di dian diao die ding diu dong dou du duan dui dun duo ei en eng er fa fan fang fei fen \
    feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun \
    guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia \
    jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong \
    kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang \
    liao lie lin ling liu long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi \
    mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao \
    nie nin ning niu nong nou nu nuan nuo nv ou pa pai pan pang pao pei pen peng pi pian piao \
    pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran \
    rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha \
    shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo \
    si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou \
    tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing \
    xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai \
    zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu \
    zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo";
