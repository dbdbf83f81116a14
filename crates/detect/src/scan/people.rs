//! Latin-script names where no cue word stands: a known given name and a capitalised word
//! after it, the subject of a verb of report, a chat's speaker (before a colon or a time), the
//! owner of an action item, a known given name alone in running text, and a name where a
//! message addresses or is signed by someone (after a greeting, under a sign-off, a mention).

use super::names::{GREETINGS, SIGN_OFFS, TITLES, dash_at, lower_is, sign_off, word_before};
use super::places::{after_a_label_of_no_person, after_place_word, is_firm_suffix, not_a_person};
use super::*;

impl Scanner<'_> {
    /// A given name of [`lexicon::GIVEN_NAMES`] at `i..we`, a space, and a capitalised word
    /// (`I met Sarah Johnson at the conference`), a middle initial allowed (`John F. Kennedy`):
    /// a whole name without a cue, where the model found none. Not a word that is never a
    /// name, a place or a firm (`Victoria Station` is not in the list; `Adam Smith Institute`
    /// stops at `Institute`), nor in a column that holds no names.
    pub(super) fn given_name_and_surname(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        if b.get(we) != Some(&b' ') || !upper_at(b, we + 1) || !self.lx.is_given_name(&b[i..we]) {
            return None;
        }
        if after_place_word(b, i) || after_a_label_of_no_person(b, i) {
            return None;
        }
        let mut p = we + 1;
        if upper_at(b, p) && b.get(p + 1) == Some(&b'.') && b.get(p + 2) == Some(&b' ') {
            p += 3;
        }
        let e = name_word_end(b, p).filter(|&e| e > p + 1)?;
        let after = b.get(e).copied();
        if self.lx.is_not_name_word(&b[p..e])
            || is_firm_suffix(&b[p..e])
            || !word_end(b, e)
            || matches!(after, Some(b'-' | b'@' | b'_' | b'/'))
            || not_a_person(self.lx, &b[i..e])
            || self.lx.cue_ending_at(b, e, p).is_some()
            || self.column_without_names(i)
        {
            return None;
        }
        // Nor a firm or a place named after a person (`Adam Smith Institute`, `Emily Carr
        // University`).
        if after == Some(b' ')
            && let Some(ne) = name_word_end(b, e + 1).filter(|&x| x > e + 1)
            && (self.lx.is_not_name_word(&b[e + 1..ne])
                || is_firm_suffix(&b[e + 1..ne])
                || not_a_person(self.lx, &b[p..ne]))
        {
            return None;
        }
        // The given name's first part before a hyphen belongs to it when it is a given name
        // too (`Sarah-Jane Cole`; not `UK-Emily Clark`, `Pre-Emily`).
        let mut i = i;
        if i >= 2 && b[i - 1] == b'-' {
            let lo = i.saturating_sub(16);
            if let Some(k) = b[lo..i - 1].iter().rposition(|c| !c.is_ascii_alphabetic()) {
                let s = lo + k + 1;
                if s + 2 < i && self.lx.is_given_name(&b[s..i - 1]) {
                    i = s;
                }
            } else if lo == 0 && i >= 3 && self.lx.is_given_name(&b[..i - 1]) {
                i = 0;
            }
        }
        self.push(i, e, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..e]).into()
        });
        Some(e)
    }

    /// Two or three capitalised words at `i` right before a verb of report (`Zhang Wei presented
    /// the figures`, `Geoff Stanton welcomed members`), as minutes and reports write who did
    /// what: a whole name whatever its words, unless one is never a name's or a firm's suffix,
    /// or they name a place, a firm, a role or a booking's terms.
    pub(super) fn reported_subject(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let mut end = we;
        let mut n = 1;
        while n < 3 && b.get(end) == Some(&b' ') && upper_at(b, end + 1) {
            end = name_word_end(b, end + 1).filter(|&e| e > end + 2 && word_end(b, e))?;
            n += 1;
        }
        if n < 2 || b.get(end) != Some(&b' ') {
            return None;
        }
        let verb = &b[end + 1..];
        let vl = verb
            .iter()
            .take(16)
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if vl < 4 || !self.lx.is_reporting_verb(&verb[..vl]) || !word_end(b, end + 1 + vl) {
            return None;
        }
        // A rank or an office before the name is no part of it (`Treasurer Mark Evans`).
        let mut i = i;
        if n == 3
            && (names::is_rank(&b[i..we])
                || lexicon::TITLE_LAST_WORDS
                    .iter()
                    .any(|t| b[i..we].eq_ignore_ascii_case(t.as_bytes())))
        {
            i = we + 1;
        }
        let span = &b[i..end];
        if span
            .split(|&c| c == b' ')
            .any(|w| self.lx.is_not_name_word(w) || is_firm_suffix(w))
            || not_a_person(self.lx, span)
            || after_place_word(b, i)
            || after_a_label_of_no_person(b, i)
            || self.column_without_names(i)
        {
            return None;
        }
        self.push(i, end, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }

    /// A chat's or a transcript's speaker: a given name of [`lexicon::GIVEN_NAMES`] at `i..we`,
    /// perhaps with an initial (`Anna K.`), and a colon, at a line's start or after its time
    /// (`Lucas: ok see you at 6`, `[14:02] Emma: are you coming?`).
    pub(super) fn speaker(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let mut end = we;
        if b.get(we) == Some(&b' ')
            && b.get(we + 1).is_some_and(u8::is_ascii_uppercase)
            && b.get(we + 2) == Some(&b'.')
        {
            end = we + 3;
        }
        if b.get(end) != Some(&b':') || !self.lx.is_given_name(&b[i..we]) {
            return None;
        }
        // The line's start within 24 bytes (never a search back over a long line).
        let lo = i.saturating_sub(25);
        let line = match memchr::memrchr(b'\n', &b[lo..i]) {
            Some(k) => lo + k + 1,
            None if lo == 0 => 0,
            None => return None,
        };
        let prefix = &b[line..i];
        if prefix.len() > 24
            || !prefix
                .iter()
                .all(|c| c.is_ascii_digit() || b" :[]()-/.>*\t\r".contains(c))
        {
            return None;
        }
        self.push(i, end, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }

    /// A chat export's speaker line: one to three capitalised words at a line's start, then the
    /// message's time (`10:42`, `10:42:05`, `2024-03-08 10:42`, `2024年3月8日 10:42`, `10:42
    /// AM`) and the line's end
    /// (`Zhang Wei 10:42⏎好的`). Not words that are never a name, a common English word
    /// (`Meeting 10:42`), a cue, a place or a firm.
    pub(super) fn speaker_before_time(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        if !(i == 0 || b[i - 1] == b'\n') {
            return None;
        }
        let mut end = we;
        let mut n = 1;
        while n < 3 && b.get(end) == Some(&b' ') && upper_at(b, end + 1) {
            end = name_word_end(b, end + 1).filter(|&e| e > end + 2 && word_end(b, e))?;
            n += 1;
        }
        if b.get(end) != Some(&b' ') {
            return None;
        }
        // One space or a few (exports align the time: `ZHANG Wei  9:05 PM`).
        let t = end
            + 1
            + b[end + 1..]
                .iter()
                .take(3)
                .take_while(|&&c| c == b' ')
                .count();
        if b.get(end) != Some(&b' ')
            || !b.get(t).is_some_and(u8::is_ascii_digit)
            || (n == 1 && !self.lx.is_given_name(&b[i..we]))
        {
            return None;
        }
        let rest = &b[t..b.len().min(t + 32)];
        let line = rest
            .iter()
            .position(|&c| c == b'\n')
            .map_or(rest, |k| &rest[..k]);
        if line.len() == rest.len() && t + rest.len() < b.len() {
            return None;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let clock12 = line.ends_with(b" AM") || line.ends_with(b" PM");
        let line = line
            .strip_suffix(b" AM")
            .or_else(|| line.strip_suffix(b" PM"))
            .unwrap_or(line);
        // An optional date (`2024-03-08 `, `08/03/2024 `, `2024年3月8日 `), then `h:mm` or
        // `hh:mm[:ss]`.
        let time = match line.iter().position(|&c| c == b' ') {
            Some(k)
                if std::str::from_utf8(&line[..k]).is_ok_and(|d| {
                    d.chars()
                        .all(|c| c.is_ascii_digit() || "-/.年月日".contains(c))
                }) =>
            {
                &line[k + 1..]
            }
            Some(_) => return None,
            None => line,
        };
        let clock = |t: &[u8]| {
            matches!(t.len(), 4 | 5)
                && t[t.len() - 3] == b':'
                && t.iter().filter(|&&c| c == b':').count() == 1
                && t.iter().all(|c| c.is_ascii_digit() || *c == b':')
        };
        let ok = clock(time)
            || (time.len() > 3
                && time[time.len() - 3] == b':'
                && clock(&time[..time.len() - 3])
                && time[time.len() - 2..].iter().all(u8::is_ascii_digit));
        // A clock's time (`99:99` is none).
        let hm = |t: &[u8]| {
            let k = t.iter().position(|&c| c == b':').unwrap_or(0);
            let num = |d: &[u8]| d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
            num(&t[..k]) < 24 && num(&t[k + 1..(k + 3).min(t.len())]) < 60
        };
        if !ok || !hm(time) {
            return None;
        }
        // A message on the next line, not another line of a timetable or a world clock (`Tea
        // Break 10:30⏎Keynote 11:00`, `Hong Kong 10:00⏎London 02:00`).
        let next = t + line.len() + 1;
        let next_line = b.get(next..b.len().min(next + 64)).unwrap_or(&[]);
        let next_line = next_line
            .iter()
            .position(|&c| c == b'\n')
            .map_or(next_line, |k| &next_line[..k])
            .trim_ascii_end();
        let timed = next_line.len() >= 5
            && {
                let t = &next_line[next_line.len() - 5..];
                t[2] == b':' || t[3] == b':'
            }
            && next_line[next_line.len() - 2..]
                .iter()
                .all(u8::is_ascii_digit);
        if next_line.is_empty() || timed {
            return None;
        }
        // Two or three words: a given name or a pinyin surname first (`Zhang Wei`), a surname in
        // capitals first (`OKAFOR Tunde`), or the name model's own span; not a schedule's
        // `Keynote Speech`.
        let first = &b[i..we];
        let named = || {
            self.lx.is_given_name(first)
                || model::latin_data::is_pinyin_surname(first)
                || (first.len() >= 2 && first.iter().all(u8::is_ascii_uppercase))
                || model::latin::best(self.lx, b, i, self.name_cue(i), model::latin_weight)
                    .is_some_and(|(_, s)| s.start == i && s.end == end)
        };
        // A chat export that aligns its times (two spaces or more before one, with AM or PM:
        // `Hala Al-Zahrani  2:16 PM`) speaks of its speakers only: any name-shaped words there
        // are one (not a job's or a service's name before a 24-hour time, `Jenkins Nightly
        // 02:00`).
        let aligned = t - end >= 2 && clock12;
        if n >= 2 && !aligned && !named() {
            return None;
        }
        let span = &b[i..end];
        if span
            .split(|&c| c == b' ')
            .any(|w| self.lx.is_not_name_word(w) || self.lx.is_english_word(w) || is_firm_suffix(w))
            || not_a_person(self.lx, span)
            || self.lx.cue_ending_at(b, end, i).is_some()
            || self.column_without_names(i)
        {
            return None;
        }
        self.push(i, end, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }

    /// The owner of a meeting's action item: one or two capitalised words after a checkbox or
    /// an action label at a line's start, before `to` or `will` and what they are to do (`- [ ]
    /// Hale to send the draft`, `Action: Mei-Ling will book the room`). Not a word that is
    /// never a name, a common English word (`- [ ] Finance to review`) or a group.
    pub(super) fn action_owner(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        // A cheap look first: `to` or `will` after the first word or the second.
        let verb_at = |e: usize| starts_with_at(b, e, " to ") || starts_with_at(b, e, " will ");
        let skip = |e: usize| {
            e + b[e..]
                .iter()
                .take(24)
                .take_while(|c| c.is_ascii_alphabetic() || **c == b'-' || **c == b'\'')
                .count()
        };
        let first = skip(we);
        let second = b.get(first) == Some(&b' ') && verb_at(skip(first + 1));
        if !(verb_at(first) || second) {
            return None;
        }
        // The owner's words, then `to` or `will` and a verb.
        let mut end = if b.get(we) == Some(&b'-') && upper_at(b, we + 1) {
            name_word_end(b, i).filter(|&e| e > we + 2)?
        } else {
            we
        };
        if b.get(end) == Some(&b' ')
            && upper_at(b, end + 1)
            && let Some(e) = name_word_end(b, end + 1).filter(|&e| e > end + 2 && word_end(b, e))
        {
            end = e;
        }
        let verb = [" to ", " will "]
            .iter()
            .find(|v| starts_with_at(b, end, v))
            .map(|v| end + v.len());
        if !verb.is_some_and(|v| b.get(v).is_some_and(u8::is_ascii_lowercase)) {
            return None;
        }
        let lo = i.saturating_sub(24);
        let line = memchr::memrchr(b'\n', &b[lo..i]).map_or(lo, |k| lo + k + 1);
        if line == lo && lo > 0 {
            return None;
        }
        let prefix = b[line..i].trim_ascii();
        let marked = ["- [ ]", "- [x]", "- [X]", "* [ ]", "* [x]", "[ ]", "☐"]
            .iter()
            .chain(&[
                "Action:",
                "ACTION:",
                "Action item:",
                "Actions:",
                "AI:",
                "TODO:",
            ])
            .any(|m| prefix == m.as_bytes());
        if !marked || i == line || !b[i - 1].is_ascii_whitespace() {
            return None;
        }
        let span = &b[i..end];
        if span.split(|&c| c == b' ').any(|w| {
            // Verbs that are names too begin an item as its verb (`- [ ] Chase the invoice`).
            lower_is(
                w,
                &[
                    "add", "chase", "mark", "bill", "grant", "drew", "ray", "don",
                ],
            ) || self.lx.is_not_name_word(w)
                || self.lx.is_english_word(w)
                || lower_is(w, lexicon::ADDRESSED_GROUPS)
                || w.len() < 2
        }) || self.lx.cue_ending_at(b, end, i).is_some()
            || not_a_person(self.lx, span)
        {
            return None;
        }
        self.push(i, end, PiType::PersonNameEn, 0.8, false, || {
            String::from_utf8_lossy(&b[i..end]).into()
        });
        Some(end)
    }

    /// A given name of [`lexicon::GIVEN_NAMES`] alone, capitalised, in running text (`Hannah
    /// said the hotel is full`, `ask Kevin about it`, `cc @Priya`): the list holds no word
    /// that is as often an English word or a place. Not part of a run of capitalised words
    /// (`Ben Gurion`, `West Virginia`: the whole-name rules read those), not glued to an
    /// address or a path (`emily.clark@…`, `/home/kevin`), not the value of a label that names
    /// no person, nor in a column that holds no names.
    pub(super) fn lone_given_name(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        let after = b.get(we).copied();
        // The cheap tests first: capitalised, not glued, no capitalised word after; then the
        // list.
        let glued_after = match after {
            Some(b'-' | b'@' | b'_' | b'/') => true,
            Some(b'.') => b.get(we + 1).is_some_and(|&c| is_alnum(c)),
            _ => false,
        };
        let glued_before = i > 0 && (is_alnum(b[i - 1]) || b".-_/\\'".contains(&b[i - 1]));
        // A given name that is as often a month, a place or a thing stands alone only as a
        // name elsewhere (`Jan 31`, `moved to Virginia`, `Jasmine rice`).
        if (after == Some(b' ') && b.get(we + 1).is_some_and(u8::is_ascii_digit))
            || glued_after
            || glued_before
            || we - i < 2
            || b[i + 1..we].iter().any(u8::is_ascii_uppercase)
            || (after == Some(b' ') && upper_at(b, we + 1))
            || !word_end(b, we)
            || !self.lx.is_given_name(&b[i..we])
            || lower_is(&b[i..we], lexicon::LONE_NOT)
        {
            return None;
        }
        // A capitalised word right before, unless it is a word of prose (`Ask Kevin`, `Maybe
        // Kevin knows`, `When Emily arrived`).
        if i >= 2 && b[i - 1] == b' ' {
            let lo = (i - 1).saturating_sub(24);
            let s = b[lo..i - 1]
                .iter()
                .rposition(|&c| !c.is_ascii_alphabetic())
                .map_or(lo, |k| lo + k + 1);
            let w = &b[s..i - 1];
            if w.first().is_some_and(u8::is_ascii_uppercase)
                && !self.lx.is_not_name_word(w)
                && !lower_is(w, PROSE_BEFORE_A_NAME)
            {
                return None;
            }
        }
        // One of a list of capitalised words that are no given names: a firm's partners
        // (`at James, Stephens and Gonzales`, `Mcknight, White and Thomas`).
        let not_given = |s: usize, e: usize| {
            e > s + 1 && b[s].is_ascii_uppercase() && !self.lx.is_given_name(&b[s..e])
        };
        let next = [", ", " and ", " & "]
            .iter()
            .find(|sep| starts_with_at(b, we, sep))
            .map(|sep| we + sep.len());
        // (The next a whole name, `Kevin and Zhang Wei`, is no partner.)
        if next.is_some_and(|s| {
            name_word_end(b, s).is_some_and(|e| {
                not_given(s, e) && !(b.get(e) == Some(&b' ') && upper_at(b, e + 1))
            })
        }) {
            return None;
        }
        let before = [", ", " and ", " & "]
            .iter()
            .find(|sep| b[..i].ends_with(sep.as_bytes()))
            .map(|sep| i - sep.len());
        if let Some(e) = before {
            let s = b[e.saturating_sub(24)..e]
                .iter()
                .rposition(|c| !c.is_ascii_alphabetic())
                .map_or(e.saturating_sub(24), |k| e.saturating_sub(24) + k + 1);
            if not_given(s, e) {
                return None;
            }
        }
        if after_place_word(b, i)
            || after_a_label_of_no_person(b, i)
            || self.column_without_names(i)
        {
            return None;
        }
        self.push(i, we, PiType::PersonNameEn, 0.7, false, || {
            String::from_utf8_lossy(&b[i..we]).into()
        });
        Some(we)
    }

    /// A lone given name or surname where a message names its reader or writer: after a
    /// greeting (`Hi Emily,`, `Good morning Priya!`, `Thank you, Tom.`), alone on the line
    /// under a sign-off (`Cheers,⏎Sophie`), or mentioned in a chat (`@Emily`). The word must
    /// end the phrase (punctuation, a dash or the line's end follows).
    pub(super) fn addressed_name(&mut self, i: usize, we: usize) -> Option<usize> {
        let b = self.b;
        // A hyphenated given name is one (`Jean-Luc`, `Mei-Ling`): one hyphen, a capital and
        // lower-case letters after it (a bounded look), neither part a word of prose or a group
        // (`All-Hands`, `Co-Founder`, `Follow-Up`).
        let we = match names::hyphen_part(b, we) {
            Some(e)
                if [&b[i..we], &b[we + 1..e]].iter().all(|w| {
                    !self.lx.is_not_name_word(w)
                        && !self.lx.is_english_word(w)
                        && !lower_is(w, lexicon::ADDRESSED_GROUPS)
                        && !lower_is(
                            w,
                            &[
                                "co", "ex", "pre", "re", "non", "anti", "post", "self", "front",
                                "back", "sign", "follow", "hands", "end", "up", "off", "in", "out",
                            ],
                        )
                }) =>
            {
                e
            }
            _ => we,
        };
        let w = &b[i..we];
        // Letters after the first (accented ones too: `Ólafur`), not all capitals.
        let rest = std::str::from_utf8(w)
            .map_or("", |s| s.char_indices().nth(1).map_or("", |(k, _)| &s[k..]));
        if rest.is_empty()
            || !rest.chars().all(|c| c.is_alphabetic() || c == '-')
            || rest.chars().all(char::is_uppercase)
            || self.lx.is_not_name_word(w)
            || lower_is(w, lexicon::ADDRESSED_GROUPS)
            || lower_is(w, GREETINGS)
        {
            return None;
        }
        let after = b.get(we).copied();
        let ends = match after {
            None | Some(b'\n' | b'\r' | b',' | b'!' | b'.' | b':' | b';' | b'?') => true,
            Some(b' ') => {
                matches!(b.get(we + 1), Some(b'-' | b'\n' | b'\r') | None) || dash_at(b, we + 1)
            }
            _ => dash_at(b, we),
        };
        let mention = i > 0
            && b[i - 1] == b'@'
            && (i < 2 || !is_alnum(b[i - 2]))
            && !(after == Some(b'.') && b.get(we + 1).is_some_and(u8::is_ascii_alphanumeric));
        let found = mention || (ends && (self.greeted(i) || self.signed(i, we)));
        if !found {
            return None;
        }
        // A mention of a whole name (`@Rachel Green please review`).
        let end = if mention {
            self.mentioned_surname(we).unwrap_or(we)
        } else {
            we
        };
        let value = move || String::from_utf8_lossy(&b[i..end]).into_owned();
        self.push(i, end, PiType::PersonNameEn, 0.75, false, value);
        Some(end)
    }

    /// After a mentioned given name ending at `we`: where a surname after it ends — a
    /// capitalised word, one space on, that is no word a chat line begins with (`@John Can
    /// you…`, `@Anna Thanks!`) and is followed by the line's end, punctuation or a lower-case
    /// word.
    fn mentioned_surname(&self, we: usize) -> Option<usize> {
        let b = self.b;
        if b.get(we) != Some(&b' ') || !upper_at(b, we + 1) {
            return None;
        }
        let se = name_word_end(b, we + 1).filter(|&e| e > we + 2)?;
        let w = &b[we + 1..se];
        let shaped = w[1..].iter().any(u8::is_ascii_lowercase);
        if !shaped
            || self.lx.is_not_name_word(w)
            || lower_is(w, GREETINGS)
            || lower_is(w, SIGN_OFFS)
            || lower_is(w, lexicon::CHAT_OPENERS)
        {
            return None;
        }
        // A lower-case word, a Chinese message (`@Emily Clark 收到`, glued or not) or the next
        // mention (`@Arjun Mehta @Sophie Laurent`) may follow.
        let after_ok = match b.get(se) {
            None | Some(b'\n' | b'\r' | b',' | b'!' | b'.' | b':' | b';' | b'?' | b')') => true,
            Some(b' ') => b
                .get(se + 1)
                .is_none_or(|&c| c.is_ascii_lowercase() || c >= 0x80 || c == b'@'),
            Some(&c) => c >= 0x80,
        };
        after_ok.then_some(se)
    }

    /// A greeting right before `i` (`Hi`, `Good morning`, `Thank you,`).
    fn greeted(&self, i: usize) -> bool {
        let b = self.b;
        let mut end = i;
        // A title may stand between (`Hello Professor Garcia`, `Thanks, Dr. Kumar`).
        let mut t = end;
        while t > 0 && b[t - 1] == b' ' {
            t -= 1;
        }
        if t > 0 && b[t - 1] == b'.' {
            t -= 1;
        }
        if let Some((s, e)) = word_before(b, t)
            && e == t
            && lower_is(&b[s..e], TITLES)
        {
            end = s;
        }
        // `Thank you, Tom`: a comma may stand between.
        if end >= 2 && b[end - 1] == b' ' && b[end - 2] == b',' {
            end -= 2;
        }
        let Some((mut s, mut e)) = word_before(b, end) else {
            return false;
        };
        // `Thanks again, Olivia!`
        if b[s..e].eq_ignore_ascii_case(b"again")
            && let Some(before) = word_before(b, s)
        {
            (s, e) = before;
        }
        let w = &b[s..e];
        if w.eq_ignore_ascii_case(b"you") {
            return word_before(b, s)
                .is_some_and(|(s2, e2)| b[s2..e2].eq_ignore_ascii_case(b"thank"));
        }
        lower_is(w, GREETINGS)
    }

    /// `i..we` is alone on its line, and the line above is a sign-off (`Best regards,`). Looks
    /// only over blanks next to the word and at most a short line above (linear in the input).
    fn signed(&self, i: usize, we: usize) -> bool {
        let b = self.b;
        let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\r');
        let mut ls = i;
        while ls > 0 && blank(b[ls - 1]) {
            ls -= 1;
        }
        // In a quoted reply (`> Best,⏎> Hale`).
        if ls > 0 && b[ls - 1] == b'>' && i - ls < 4 {
            ls -= 1;
        }
        if ls == 0 || b[ls - 1] != b'\n' {
            return false;
        }
        let mut re = we;
        while re < b.len() && blank(b[re]) {
            re += 1;
        }
        if re < b.len() && b[re] != b'\n' {
            return false;
        }
        // The line above, read back at most 40 bytes (sign-offs are short).
        let above_end = ls - 1;
        let from = above_end.saturating_sub(40);
        let Some(nl) = memchr::memrchr(b'\n', &b[from..above_end]).map(|k| from + k + 1) else {
            if from > 0 {
                return false;
            }
            return sign_off(&b[..above_end]);
        };
        sign_off(&b[nl..above_end])
    }
}

/// Words that begin a sentence before a given name and are no part of it (`Maybe Kevin knows`,
/// `When Emily arrived`), for the lone given name only (the name model's training does not
/// read them).
const PROSE_BEFORE_A_NAME: &[&str] = &[
    "maybe", "perhaps", "when", "if", "once", "after", "before", "unless", "until", "and", "but",
    "or", "hey", "hi", "hello", "please", "yes", "no", "ok", "okay", "oh", "well", "now", "did",
    "does", "do", "is", "was", "will", "can", "could", "would", "should", "has", "had", "where",
    "why", "how", "what", "who", "let", "ping", "thank",
];
