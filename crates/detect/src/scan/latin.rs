//! Candidates that start with a Latin letter: e-mail addresses, IPv6 addresses, IBANs,
//! passports and permits, credit codes, month-name dates, Latin-script names.

use super::places::{
    self, after_a_label_of_no_person, after_place_word, not_a_person, not_a_person_after_a_cue,
};
use super::*;

impl Scanner<'_> {
    // ------------------------------------------------------------------ ASCII words

    pub(super) fn ascii_word(&mut self, i: usize) -> usize {
        let b = self.b;
        let n = b.len();
        // E-mail: the local-part run from here reaches the next '@' (at most 64 bytes on).
        if self.next_at < i {
            self.next_at = memchr::memchr(b'@', &b[i..]).map_or(n, |k| i + k);
        }
        if self.next_at < n && self.next_at - i <= 64 {
            let at = self.next_at;
            if b[i..at]
                .iter()
                .all(|&c| is_alnum(c) || b"._%+-".contains(&c))
                && let Some(end) = self.email(i, at)
            {
                return end;
            }
        }
        let mut we = i;
        while we < n && is_alnum(b[we]) {
            we += 1;
        }
        let word = &b[i..we];
        // IPv6: hex groups and colons.
        if word.len() <= 4
            && word.iter().all(u8::is_ascii_hexdigit)
            && b.get(we) == Some(&b':')
            && let Some(end) = self.ipv6(i)
        {
            return end;
        }
        // Organisation codes and document numbers are whole alphanumeric words.
        if word.len() == 18 && word.iter().any(u8::is_ascii_uppercase) && validate::uscc(word) {
            self.push(i, we, PiType::CnUscc, 0.95, true, || {
                String::from_utf8_lossy(word).into()
            });
            return we;
        }
        if b[i].is_ascii_digit() {
            return self.number(i);
        }
        // Letters glued to a number: an identity number after a short label, or a number
        // after a label that is a cue, whole (`Tel13812345678`, `SSN123-45-6789`), read as if
        // a separator stood between.
        if let Some(k) = word.iter().position(u8::is_ascii_digit)
            && k <= 8
            && word[..k].iter().all(u8::is_ascii_alphabetic)
        {
            if let Some(end) = self.glued_resident_id(i, word, k) {
                return end;
            }
            if self.lx.cue_ending_at(b, i + k, i).is_some() {
                let found = self.out.len();
                let end = self.number(i + k);
                if self.out.len() > found {
                    return end;
                }
            }
        }
        if b[i].is_ascii_uppercase() {
            if b.get(we) == Some(&b'<')
                && let Some(end) = self.mrz_name(i)
            {
                return end;
            }
            if let Some(end) = self.iban(i) {
                return end;
            }
            if word_end(b, we)
                && let Some(end) = self.document(i, we)
            {
                return end;
            }
            if let Some(end) = self.month_first_date(i) {
                return end;
            }
            if let Some(end) = self.latin_name(i) {
                return end;
            }
            if let Some(end) = self.surname_comma_given(i, we) {
                return end;
            }
            if let Some(end) = self.apa_author(i, we) {
                return end;
            }
            if let Some(end) = self.latin_name_model(i) {
                return end;
            }
            if let Some(end) = self.addressed_name(i, we) {
                return end;
            }
            if let Some(end) = self.given_name_and_surname(i, we) {
                return end;
            }
            if let Some(end) = self.cantonese_name(i, we) {
                return end;
            }
            if let Some(end) = self.pinyin_name(i, we) {
                return end;
            }
            if let Some(end) = self.speaker(i, we) {
                return end;
            }
            if let Some(end) = self.reported_subject(i, we) {
                return end;
            }
            if let Some(end) = self.action_owner(i, we) {
                return end;
            }
            if let Some(end) = self.speaker_before_time(i, we) {
                return end;
            }
            if let Some(end) = self.lone_given_name(i, we) {
                return end;
            }
            if let Some(end) = self.cited_surname(i, we) {
                return end;
            }
            if let Some(end) = self.court_person(i, we) {
                return end;
            }
        }
        we
    }

    /// An identity number glued to a short label of letters (`ID110101199003071233`,
    /// `SFZ…`), the whole word at `i`, its digits from `k`: the check digit and birth date
    /// decide, unless a cue before the word says it is a reference or a time.
    fn glued_resident_id(&mut self, i: usize, word: &[u8], k: usize) -> Option<usize> {
        if !(1..=4).contains(&k)
            || word.len() - k != 18
            || !word[k..k + 17].iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let mut v = word[k..].to_vec();
        v[17] = v[17].to_ascii_uppercase();
        if !validate::resident_id(&v) || matches!(self.cue(i), Some(Cue::Reference | Cue::Time)) {
            return None;
        }
        let (s, e) = (i + k, i + word.len());
        self.push(s, e, PiType::CnResidentId, 0.9, true, move || {
            String::from_utf8_lossy(&v).into()
        });
        Some(e)
    }

    pub(super) fn email(&mut self, start: usize, at: usize) -> Option<usize> {
        let b = self.b;
        let mut e = at + 1;
        while e < b.len() && (is_alnum(b[e]) || b[e] == b'-' || b[e] == b'.') {
            e += 1;
        }
        // Trailing dots and hyphens are punctuation, not the domain.
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let mut s = start;
        while s < at && matches!(b[s], b'.' | b'-' | b'+') {
            s += 1;
        }
        let v = &b[s..e];
        if !validate::email(v) {
            return None;
        }
        let value = move || String::from_utf8_lossy(v).to_ascii_lowercase();
        self.push(s, e, PiType::Email, 0.99, false, value);
        Some(e)
    }

    pub(super) fn ipv6(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let mut e = i;
        while e < b.len()
            && (b[e].is_ascii_hexdigit() || b[e] == b':' || b[e] == b'.')
            && e - i < 45
        {
            e += 1;
        }
        while e > i && matches!(b[e - 1], b':' | b'.') {
            // a trailing colon is punctuation, except in "::"
            if b[e - 1] == b':' && e >= 2 && b[e - 2] == b':' {
                break;
            }
            e -= 1;
        }
        let v = &b[i..e];
        let colons = v.iter().filter(|&&c| c == b':').count();
        if colons < 2 || !word_end(b, e) || !validate::ipv6(v) {
            return None;
        }
        // "12:30:45" style times parse as IPv6 only with "::"; insist on a real shape.
        let compressed = v.windows(2).any(|w| w == b"::");
        if colons < 7 && !compressed {
            return None;
        }
        // A path in source code (`a::b`, `std::io::dead::beef`) is a compressed address by the
        // grammar. A real short one names a prefix of four hex digits (`fe80::1`, `2001::5`)
        // and carries a digit; and none continues a path that came before it.
        let groups: Vec<&[u8]> = v.split(|&c| c == b':').filter(|g| !g.is_empty()).collect();
        // Nor does it continue a colon-separated run that began before it (`1:2:3:…:9`).
        let before = &b[..i];
        let after_path = before.ends_with(b"::")
            || before.strip_suffix(b":").is_some_and(|p| {
                let word = p
                    .rsplit(|c| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or(b"");
                !word.is_empty() && word.len() <= 4 && word.iter().all(u8::is_ascii_hexdigit)
            });
        let digit = v.iter().any(u8::is_ascii_digit);
        let fours = groups.iter().filter(|g| g.len() == 4).count();
        let short_ok = fours > 0 && digit;
        // Nor does an address mix cases (`c::B110` is a path), or, compressed, lack both
        // digits and full groups (`a:b::c`).
        let mixed = v.iter().any(u8::is_ascii_lowercase) && v.iter().any(u8::is_ascii_uppercase);
        if after_path
            || mixed
            || (compressed && groups.len() <= 2 && !short_ok)
            || (compressed && !digit && fours < 2)
        {
            return None;
        }
        self.push(i, e, PiType::IpAddress, 0.9, false, || {
            String::from_utf8_lossy(v).to_ascii_lowercase()
        });
        Some(e)
    }

    /// IBAN, written whole or in groups of four.
    pub(super) fn iban(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let cc = b.get(i..i + 2)?;
        if !cc.iter().all(u8::is_ascii_uppercase)
            || !b.get(i + 2..i + 4)?.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let len = validate::iban_length(cc)?;
        let mut v = Vec::with_capacity(34);
        let mut p = i;
        let mut last_end = i;
        while p < b.len() && v.len() < len {
            let c = b[p];
            if is_alnum(c) {
                v.push(c.to_ascii_uppercase());
                p += 1;
                last_end = p;
            } else if c == b' ' && p + 1 < b.len() && is_alnum(b[p + 1]) && v.len() % 4 == 0 {
                p += 1;
            } else {
                break;
            }
        }
        if v.len() != len || !word_end(b, last_end) || !validate::iban(&v) {
            return None;
        }
        self.push(i, last_end, PiType::Iban, 0.99, true, || {
            String::from_utf8_lossy(&v).into()
        });
        Some(last_end)
    }

    /// Passports, travel permits: a whole word of a letter and digits.
    pub(super) fn document(&mut self, i: usize, we: usize) -> Option<usize> {
        let w = &self.b[i..we];
        // The shape first: most capitalised words are no document number, and the context
        // lookup is the dear part.
        let (passport, hk, tw) = (
            validate::cn_passport(w),
            validate::hk_macau_permit(w),
            validate::taiwan_permit(w),
        );
        if !(passport || hk || tw) {
            return None;
        }
        let cue = self.cue(i);
        let (ty, conf) = if passport {
            let strong = matches!(w, [b'E' | b'G', ..]);
            match cue {
                Some(Cue::Passport) => (PiType::CnPassport, 0.97),
                Some(Cue::HkPermit) if hk => (PiType::HkMacauPermit, 0.9),
                Some(Cue::Reference | Cue::Version) => return None,
                _ if strong => (PiType::CnPassport, 0.85),
                _ => return None,
            }
        } else if hk && cue == Some(Cue::HkPermit) {
            (PiType::HkMacauPermit, 0.9)
        } else if tw && cue == Some(Cue::TwPermit) {
            (PiType::TaiwanPermit, 0.9)
        } else {
            return None;
        };
        self.push(i, we, ty, conf, false, || String::from_utf8_lossy(w).into());
        Some(we)
    }

    // ------------------------------------------------------------------ Latin names

    /// A Latin-script name the model finds where no cue stands: the best-scoring candidate
    /// above zero, with a confidence from 0.6 to 0.9 that grows with the margin.
    pub(super) fn latin_name_model(&mut self, i: usize) -> Option<usize> {
        let (_, scale) = (*self.model_scale.get_or_insert_with(model::scales))?;
        if self.column_without_names(i) {
            return None;
        }
        let (v, mut s) =
            model::latin::best(self.lx, self.b, i, self.name_cue(i), model::latin_weight)?;
        // A rank or title before the name is not part of it (`CEO Sarah Johnson`, `Agent
        // Marcus`).
        if let Some(sp) = self.b[s.start..s.end].iter().position(|&c| c == b' ')
            && names::is_rank(
                self.b[s.start..s.start + sp]
                    .strip_suffix(b".")
                    .unwrap_or(&self.b[s.start..s.start + sp]),
            )
        {
            s.start += sp + 1;
        }
        // A greeting, a rank or a placeholder alone is none (`Best, Tom`, `Sgt. Ortiz`).
        if names::not_a_lone_name(&self.b[s.start..s.end]) {
            return None;
        }
        // A place, a firm or a job title (`Los Angeles`, `Pearl River`, `Wells Fargo`, `Senior
        // Analyst`), a label in capitals (`VISAS/TYP: ABCDEF1A`), software before its version
        // (`Spring Boot to 3.2.10`), the firm a signature's line puts after its name (`Emily
        // Clark | Northwind Trading Company`, three words): passed over whole, so that its last
        // word is not read alone.
        if not_a_person(self.lx, &self.b[s.start..s.end])
            || after_place_word(self.b, s.start)
            || after_a_label_of_no_person(self.b, s.start)
            || places::label_in_capitals(self.b, s.start, s.end)
            || places::before_a_version(self.b, s.end)
            || (self.after_a_name_and_a_bar(s.start)
                && self.b[s.start..s.end]
                    .iter()
                    .filter(|&&c| c == b' ')
                    .count()
                    >= 2)
        {
            return Some(s.end);
        }
        let m = v as f32 / scale;
        let conf = 0.6 + 0.3 * m / (1.0 + m);
        let b = self.b;
        let value = move || String::from_utf8_lossy(&b[s.start..s.end]).into_owned();
        self.push(s.start, s.end, PiType::PersonNameEn, conf, false, value);
        Some(s.end)
    }

    pub(super) fn latin_name(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        // A name cue must stand right before: check that first, it rules out most words.
        let labelled = |at: usize| {
            (self.adjacent_cue(at) == Some(Cue::Name) && !names::bare_role_before(b, at))
                || names::by_verb_before(b, at)
                || names::header_label_before(b, at)
        };
        // A rank may stand between the label and the name (`Victim: Sgt. Daniel Reyes`); a
        // rank alone before a whole name reads it too (`Officer Daniel Reyes took the
        // statement`, `CEO Sarah Johnson said`), a single word not (`Captain America`).
        let rank = names::rank_before(b, i);
        let by_rank_alone = !labelled(i) && !rank.is_some_and(labelled);
        if by_rank_alone && rank.is_none() {
            return None;
        }
        let mut words = Vec::with_capacity(3);
        let mut p = i;
        let mut end = i;
        // Capitalised particles inside a surname (`Van der Berg`, `St. Clair`): not counted.
        let mut particles = 0;
        while words.len() - particles < 4 {
            let ws = p;
            let we = name_word_end(b, ws)?;
            if we == ws {
                break;
            }
            let w = &b[ws..we];
            if !words.is_empty() && particles < 2 {
                // `St.` before the rest of the surname (not a saint's place: `St. Louis`).
                if w.eq_ignore_ascii_case(b"st")
                    && b.get(we) == Some(&b'.')
                    && b.get(we + 1) == Some(&b' ')
                    && upper_at(b, we + 2)
                    && !name_word_end(b, we + 2).is_some_and(|e| {
                        SAINTS_PLACES
                            .iter()
                            .any(|x| b[we + 2..e].eq_ignore_ascii_case(x.as_bytes()))
                    })
                {
                    words.push((ws, we + 1));
                    particles += 1;
                    p = we + 2;
                    continue;
                }
                if PARTICLES
                    .iter()
                    .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
                    // Capitalised, only before a particle in lower case (`Van der Berg`; not `La
                    // Jolla`, `Van Nuys`).
                    && let Some(next) = after_particles(b, we)
                {
                    words.push((ws, we));
                    particles += 1;
                    p = next;
                    continue;
                }
            }
            // A month that is also a given name (`April Tate`) may begin a name after a cue;
            // a surname must follow it.
            let given_month = words.is_empty() && names::is_given_month(w);
            if self.lx.is_not_name_word(w) && !given_month {
                break;
            }
            words.push((ws, we));
            end = we;
            // A middle initial, with or without its dot (`John A Smith`), between two words.
            if words.len() == 1
                && let Some(next) = middle_initial(b, we)
            {
                words.push((we + 1, we + 2));
                p = next;
                continue;
            }
            // Next word after exactly one space, lower-case particles allowed between (`Ludwig
            // van Beethoven`, `Juan de la Cruz`, `Ahmad bin Abdullah`).
            if b.get(we) == Some(&b' ') && upper_at(b, we + 1) {
                p = we + 1;
            } else if let Some(next) = after_particles(b, we) {
                p = next;
            } else {
                break;
            }
        }
        // The surname first, a comma and the given name (`Patient: Doe, John`).
        if words.len() == 1
            && !by_rank_alone
            && let Some(mut e) = self.surname_first(i, end)
        {
            self.push(i, e, PiType::PersonNameEn, 0.85, false, move || {
                String::from_utf8_lossy(&b[i..e]).into_owned()
            });
            // A list of them, as mail headers write it (`To: Baker, Lisa; Ortiz, Carlos`).
            while starts_with_at(b, e, "; ")
                && let Some(we) = name_word_end(b, e + 2).filter(|&x| x > e + 2)
                && let Some(next) = self.surname_first(e + 2, we)
            {
                let s = e + 2;
                self.push(s, next, PiType::PersonNameEn, 0.85, false, move || {
                    String::from_utf8_lossy(&b[s..next]).into_owned()
                });
                e = next;
            }
            return Some(e);
        }
        // One word is a name after a title or a label of one part of a name (`Ms. Okonkwo`,
        // `Surname: Dubois`).
        if by_rank_alone
            && (words.len() < 2
                || !words
                    .first()
                    .is_some_and(|&(s, e)| self.lx.is_given_name(&b[s..e])))
        {
            return None;
        }
        let one = words.len() == 1
            && !self.lx.is_not_name_word(&b[i..end])
            && !names::not_a_lone_name(&b[i..end])
            && (names::title_before(b, i) || self.name_part_label(i));
        if !(one || (2..=3).contains(&(words.len() - particles)))
            || !word_end(b, end)
            || not_a_person_after_a_cue(self.lx, &b[i..end])
        {
            return None;
        }
        let v = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameEn, 0.85, false, v);
        // A list of names after one cue: "Li Na, Zhang Wei and Wang Fang".
        let mut q = end;
        loop {
            let next = if starts_with_at(b, q, ", ") || starts_with_at(b, q, "; ") {
                q + 2
            } else if starts_with_at(b, q, " and ") {
                q + 5
            } else if starts_with_at(b, q, "、") || starts_with_at(b, q, "，") {
                q + 3
            } else {
                break;
            };
            match self.latin_name_plain(next) {
                Some(e) => q = e,
                None => break,
            }
        }
        Some(q)
    }

    /// After a label, the surname at `i..end`, a comma, a space and one or two given names or
    /// initials in the same case (`Doe, John`, `DOE, JOHN`, `Doe, John A.`): where they end. Not
    /// when another name follows (`Tom, Lisa, Omar` and `Tom, Lisa and Omar` are lists).
    fn surname_first(&self, i: usize, end: usize) -> Option<usize> {
        let b = self.b;
        if !starts_with_at(b, end, ", ") {
            return None;
        }
        let caps = |w: &[u8]| w.iter().all(|c| !c.is_ascii_lowercase());
        let g = end + 2;
        let ge = name_word_end(b, g).filter(|&e| e > g)?;
        if self.lx.is_not_name_word(&b[g..ge]) || caps(&b[i..end]) != caps(&b[g..ge]) {
            return None;
        }
        let mut e = ge;
        // A second given name, or a middle initial with or without its dot.
        if b.get(e) == Some(&b' ') && upper_at(b, e + 1) {
            let w_end = name_word_end(b, e + 1).filter(|&x| x > e + 1);
            if let Some(we) = w_end
                && !self.lx.is_not_name_word(&b[e + 1..we])
            {
                e = we;
            } else if !b.get(e + 2).is_some_and(u8::is_ascii_alphabetic) {
                e += 2;
                if b.get(e) == Some(&b'.') {
                    e += 1;
                }
            }
        }
        let list_goes_on = [", ", " and ", " & "]
            .iter()
            .any(|sep| starts_with_at(b, e, sep) && upper_at(b, e + sep.len()));
        (!list_goes_on && (b.get(e - 1) == Some(&b'.') || word_end(b, e))).then_some(e)
    }

    /// Two or three capitalised words, without a cue; used for the rest of a list.
    pub(super) fn latin_name_plain(&mut self, i: usize) -> Option<usize> {
        let b = self.b;
        let mut p = i;
        let mut n = 0;
        let mut end = i;
        loop {
            let we = name_word_end(b, p)?;
            let w = &b[p..we];
            let given_month = n == 0 && names::is_given_month(w);
            if we == p || (self.lx.is_not_name_word(w) && !given_month) {
                break;
            }
            n += 1;
            end = we;
            if n < 3 && b.get(we) == Some(&b' ') && upper_at(b, we + 1) {
                p = we + 1;
            } else {
                break;
            }
        }
        if n < 2 || !word_end(b, end) {
            return None;
        }
        self.push(i, end, PiType::PersonNameEn, 0.75, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }
}

/// Lower-case particles of surnames (`van`, `de la`, `bin`, `von der`).
/// Places named after saints (`St. Louis`, `St. Paul`): after a name, the place.
const SAINTS_PLACES: &[&str] = &[
    "louis",
    "paul",
    "mary",
    "mary's",
    "petersburg",
    "kitts",
    "lucia",
    "helena",
    "andrews",
    "james",
    "john",
    "john's",
    "george",
    "george's",
    "albans",
    "ives",
    "moritz",
    "tropez",
    "augustine",
    "cloud",
    "thomas",
    "vincent",
    "martin",
    "lawrence",
    "luke's",
    "joseph",
];

/// Particles between a name's words (`Juan de la Cruz`, `van der Meer`); alone, never a
/// name's word.
pub(super) const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "dos", "das", "la", "le",
    "los", "bin", "binti", "bint", "ibn", "al", "ter", "ten",
];

/// At `we`, a space, one or two lower-case particles each followed by a space, and a
/// capitalised word: where that word starts.
fn after_particles(b: &[u8], we: usize) -> Option<usize> {
    let mut p = we;
    for _ in 0..2 {
        if b.get(p) != Some(&b' ') {
            return None;
        }
        let s = p + 1;
        let e = s + b
            .get(s..)?
            .iter()
            .take(8)
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if !PARTICLES.iter().any(|w| b[s..e] == *w.as_bytes()) || b.get(e) != Some(&b' ') {
            return None;
        }
        p = e;
        if upper_at(b, p + 1) {
            return Some(p + 1);
        }
    }
    None
}

/// ` A Smith` at `we`: a lone capital letter, a space and a capitalised word; where that word
/// starts.
fn middle_initial(b: &[u8], we: usize) -> Option<usize> {
    // With its dot too (`Lori E. Anderson`).
    let next = we + 3 + usize::from(b.get(we + 2) == Some(&b'.'));
    let initial = b.get(we) == Some(&b' ')
        && upper_at(b, we + 1)
        && b.get(next - 1) == Some(&b' ')
        && upper_at(b, next)
        && name_word_end(b, next).is_some_and(|e| e > next + 1);
    initial.then_some(next)
}
