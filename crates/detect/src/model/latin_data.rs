//! Training text for the Latin-script name model, from this file's own templates and word
//! lists: greetings, sign-offs, mail headers, chat lines, assignments, attendee lists, table
//! rows and booking records, with names where a name belongs and, as often, capitalised words
//! that are not names (job titles, teams, places, products, headings) in the same place.

use super::data::Rng;

const FIRST: &str = "James Mary Robert Linda Michael Sarah David Emily Daniel Laura Thomas Anna \
    Kevin Grace Brian Olivia Jason Chloe Peter Hannah Mark Rachel Paul Sophie Andrew Lucy Eric \
    Megan Steven Alice Frank Helen George Irene Henry Julia Jack Karen Oliver Nora Sam Tina \
    Victor Wendy William Zoe Adam Bella Carlos Diana Ethan Fiona Gavin Ivy Jonas Kate Leo Maya \
    Noah Priya Ravi Sofia Tom Uma Yusuf Amir Ahmed Fatima Hans Ingrid Pierre Marie Luca Giulia \
    Jean-Luc Mary-Jane Anne-Marie Sean Liam Aoife Kenji Yuki Hiroshi Min-jun Ji-woo John \
    Patricia Jennifer Elizabeth Barbara Susan Jessica Karen Nancy Lisa Betty Margaret Sandra \
    Ashley Kimberly Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon \
    Cynthia Kathleen Amy Shirley Angela Anna Brenda Pamela Nicole Emma Samantha Katherine \
    Christine Debra Catherine Carolyn Janet Ruth Maria Heather Joyce Virginia Victoria Kelly \
    Lauren Christina Joan Evelyn Judith Andrea Hannah Cheryl Jacqueline Martha Gloria Teresa \
    Charles Christopher Matthew Anthony Donald Joshua Kenneth Timothy Ronald Edward Jeffrey Ryan \
    Gary Nicholas Jacob Larry Justin Scott Brandon Benjamin Gregory Samuel Raymond Patrick \
    Alexander Dennis Jerry Tyler Aaron Jose Nathan Douglas Zachary Kyle Walter Harold Jeremy \
    Keith Roger Gerald Christian Terry Arthur Austin Lawrence Jesse Dylan Bryan Joe Jordan \
    Billy Bruce Albert Willie Gabriel Logan Alan Juan Wayne Elijah Randy Roy Vincent Ralph \
    Eugene Russell Bobby Mason Philip Louis Isabella Mia Charlotte Amelia Harper Abigail Ella \
    Olga Dmitri Sergei Natalia Ivan Anastasia Katarzyna Piotr Tomasz Agnieszka \
    Jakub Zofia Lukas Felix Maximilian Leonie Johanna Matthias Stefan Sabine Jurgen Klaus \
    Francesca Alessandro Matteo Chiara Giovanni Lorenzo Valentina Elena Marco Paolo Camille \
    Antoine Louis Manon Mathieu Julien Sophie Chloe Nicolas Aurelie Mateo Santiago Valeria \
    Camila Diego Alejandro Lucia Javier Carmen Pablo Isabel Rafael Joao Gabriela Thiago \
    Fernanda Rodrigo Beatriz Pedro Ines Mariana Bruno Lars Erik Astrid Sven Freya Nils Sigrid \
    Mikael Anders Annika Jens Mette Pieter Sanne Daan Femke Bram Lotte Omar Khalid Layla Hassan \
    Mariam Youssef Nour Karim Zainab Ali Mustafa Leila Reza Darius Shirin Farid Mehmet Elif \
    Emre Zeynep Burak Aylin Arjun Ananya Rohan Deepa Vikram Kavya Sanjay Neha Rahul Pooja \
    Aditya Lakshmi Haruto Sakura Takeshi Aiko Daiki Naomi Ren Hana Sota Yuna Seo-yeon Do-hyun \
    Ha-eun Jae-won Minh Linh Tuan Thao Quang Huong Kwame Ama Chinedu Ngozi Oluwaseun Adaeze \
    Thabo Zanele Tendai Amara Kofi Esi Tariq Yasmin Samir Rania Bogdan Milena Nikola Jovana \
    Andrei Ioana Mihai Elena Gabor Zsofia Tamas Petra Ondrej Tereza Jan Eva Viktor Alina \
    Oleksandr Iryna Taras Kateryna Giorgi Nino Armen Anahit Sean Siobhan Ciaran Niamh Rhys \
    Cerys Angus Isla Callum Eilidh Duncan Fraser Harriet Imogen Rupert Clive Nigel Gemma \
    Stacey Dwayne Tyrone Latoya Jamal Keisha DeShawn Malik Imani Brianna Caleb Hunter Madison \
    Avery Riley Peyton Skylar Connor Colton Travis Dustin Brittany Courtney Whitney Heidi";
const LAST: &str = "Smith Johnson Brown Taylor Wilson Clark Lewis Walker Young King Carter \
    Mitchell Turner Parker Collins Edwards Stewart Morris Rogers Reed Cook Morgan Bell Murphy \
    Bailey Cooper Richardson Cox Howard Ward Torres Peterson Gray Ramirez James Watson Brooks \
    Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long \
    Patterson Hughes Flores Washington Butler Simmons Foster Gonzales Bryant Alexander Russell \
    Griffin Diaz Hayes O'Brien O'Neil McDonald MacLeod Schmidt Miller Dubois Rossi Tanaka Sato \
    Kim Park Nguyen Singh Patel Khan Garcia Martinez Lopez Fischer Weber Novak Kowalski Ivanov \
    Williams Jones Miller Davis Rodriguez Hernandez Anderson Thomas Moore Jackson Martin Lee \
    Perez Thompson White Harris Sanchez Ramirez Robinson Allen Wright Scott Torres Hill Flores \
    Green Adams Nelson Baker Hall Rivera Campbell Roberts Phillips Evans Ortiz Morales Murray \
    Cruz Reyes Gutierrez Chavez Ruiz Kennedy Mendoza Wells Warren Fisher Hunter Graham Gibson \
    Freeman Ellis Webb Tucker Porter Hamilton Crawford Boyd Mason Marshall Owens Harrison \
    Fernandez McCarthy Sullivan Lawrence Dunn Hart Hudson Holmes Rice Black Stone Fox Knight \
    Lane Palmer Arnold Spencer Gardner Payne Pierce Berry Matthews Riley Carroll Duncan Snyder \
    Castillo Herring Tate Villarreal Blankenship Romero Olson Clarke Hill West Henry Scott Diaz \
    Petrov Volkov Sokolov Kuznetsov Popescu Ionescu Horvath Nagy Kovacs Dvorak Novotny Wojcik \
    Kaminski Lewandowski Zielinski Schneider Hoffmann Becker Wagner Schulz Richter Klein Wolf \
    Neumann Schwarz Zimmermann Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti \
    Esposito Lefebvre Leroy Roux Fournier Girard Bonnet Dupont Lambert Fontaine Chevalier \
    Mercier Rousseau Vincent Morel Silva Santos Oliveira Souza Pereira Costa Ferreira Almeida \
    Carvalho Rocha Gomes Ribeiro Navarro Jimenez Moreno Alvarez Munoz Vega Herrera Medina \
    Aguilar Vargas Castro Delgado Ortega Rubio Molina Serrano Blanco Suarez Iglesias Jansen \
    Vries Bakker Visser Smit Meijer Mulder Bos Vos Dekker Andersson Johansson Karlsson \
    Nilsson Eriksson Larsson Lindberg Hansen Nielsen Jensen Pedersen Christensen Larsen \
    Haddad Nasser Khalil Hussein Rahman Aziz Farouk Mansour Saleh Yilmaz Kaya Demir Sahin \
    Celik Ozturk Aydin Hosseini Ahmadi Karimi Rezaei Sharma Gupta Kumar Reddy Iyer Nair Mehta \
    Joshi Chatterjee Banerjee Desai Kapoor Malhotra Suzuki Takahashi Watanabe Ito Yamamoto \
    Kobayashi Kato Yoshida Yamada Sasaki Matsumoto Inoue Kimura Choi Jung Kang Cho Yoon Jang \
    Lim Han Tran Pham Hoang Phan Vu Dang Bui Do Ngo Duong Mensah Boateng Owusu Adeyemi \
    Okonkwo Eze Nwosu Abubakar Mwangi Otieno Kamau Dlamini Nkosi Ndlovu Moyo Banda Phiri \
    Murray O'Connor O'Sullivan Byrne Ryan Doyle Gallagher Kavanagh MacDonald Campbell Fraser \
    Robertson Hughes Jenkins Price Lloyd Morgan Rees Griffiths Owen Harper Fletcher Chapman";
const PINYIN_SURNAMES: &str = "Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu \
    Guo He Gao Lin Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan \
    Pan Jiang Cai Yu Du Ye Cheng Su Wei Lu Ding Ren Shen Yao Cui Zhong Tan Fan Jin Shi Liao Jia \
    Xia Fu Fang Bai Zou Meng Xiong Qin Qiu Yin Xue Yan Duan Lei Hou Long Shi Tao Li Gu Mao Hao \
    Gong Shao Wan Qian Yan Wu Dai Kong Tang Kang Shi Wen Niu Ouyang Sima Shangguan Zhuge";
const PINYIN_GIVEN: &str = "wei fang na min jing li qiang lei jun yang yong yan jie juan tao \
    ming chao xiu xia ping gang gui ying hua yu lan peng hui ling jian hong bo ning chen xin yi \
    zi han hao yu zi xuan jia qi si hao jun bo wen bin hai yan xue mei lin xiao hui ting zhi guo \
    feng fei liang long rui kai xin fan xu dong rong zhen qing song sen nan tong kai ming rui \
    lu yao qiong shan ying wan jing xian yan shu jie qian xi rong yun lei wei fei xuan ze hong";

/// Capitalised words and phrases that are not names.
const NOT_NAMES: &str = "Account Manager|Product Team|Customer Service|New York|Shanghai|\
    Beijing|Hong Kong|Shenzhen|Monday|Friday|January|March|Order Status|Delivery Update|\
    Best Regards|Google Chrome|Microsoft Office|Action Items|Next Steps|Project Phoenix|\
    Finance Department|Human Resources|Quarterly Report|Invoice|Thanks|Please|Hello|Regards|\
    Agenda|Summary|Attachments|Subject|Note|Total|Amount|Status|Pending|Approved|\
    Shipping Address|Pudong Airport|Terminal|Gate|Room|Hilton Garden Inn|Delacruz Inc|Acme Corp|\
    Alibaba Cloud|WeChat Pay|Alipay|Android|Windows Server|Ubuntu Linux|Production|Staging|\
    Database|API Gateway|North Gate|East Wing|Building|Level|Error|Warning|Info|Debug|True|\
    False|None|OK|USD|CNY|VIP|CEO|CTO|HR|IT|QA|Team Lead|Senior Engineer|Software Engineer|\
    Operations|Logistics|Freight|Truck|Driver|Passenger|Customer|Support|Sales|Marketing|\
    Engineering|Legal|Security|Compliance|Admin|Manager|Director|Hotel|Airport|Station|\
    Huangshan|Xuchang|Hangzhou|Chengdu|Wuhan|Guangzhou|Nanjing|Suzhou|Tianjin|Chongqing|\
    China Eastern|Air China|SF Express|JD Logistics|Didi|Meituan|Boss Zhipin|Full Truck Alliance|\
    Room Service|Check In|Check Out|Booking Reference|Flight|Seat|Economy|Business Class|\
    Dear Customer|Dear All|Hi Team|Hi All|Good Morning|Happy Friday|Thank You|Kind Regards|\
    The|This|That|We|Our|Your|If|When|After|Before|Yes|No|Maybe|All|Everyone|Team|\
    Ticket INV|Ticket SKU|Order ID|Tracking Number|Waybill|Phone|Email|Address|Plate|Card|\
    Social Security|Passport No|Bank Account|Coordinates|Pickup|Dropoff|Vehicle|Model|Tesla|\
    BYD Han|Toyota Camry|Buick GL8|Request|Complaint|Refund|Case|Incident|Priority|High|Low|\
    Incident Report|Meeting Minutes|Terms and Conditions|Order Summary|Weekly Sync|Sprint Review|\
    Data Analyst|Product Manager|Backend Engineer|Logistics Coordinator|Operations Specialist|\
    Experience|Education|Skills|Languages|Objective|References|Profile|Summary|Contact|\
    Monday|Tuesday|Wednesday|Thursday|Saturday|Sunday|April|June|July|August|October|December|\
    Department|Company|Position|Title|Region|Country|Currency|Notes|Remarks|Comments|\
    Description|Category|Type|Source|Channel|Version|Host|Port|Server|Timeout|Enabled|Mode|\
    Environment|Owner Team|Service Name|Log Level|Request ID|User Agent|Total Amount|Tax|\
    Subtotal|Balance|Due Date|Issued|Paid|Unpaid|Quantity|Unit Price|Item|Description|Date|\
    Time|Location|Venue|Host City|Destination|Origin|Carrier|Consignee|Shipper|Port of Loading|\
    Nationality|Gender|Male|Female|Single|Married|Yes|Remote|Hybrid|Full Time|Part Time";

const MESSAGES: &str = "please confirm the delivery|the truck arrived at Gate 3|invoice attached|\
    see you on Monday|thanks for the update|can we move the meeting to Friday?|\
    order shipped via SF Express|payment received|let me check with the Finance team|\
    the driver is 10 minutes away|ok|noted, will do|I have sent the contract|\
    please review the Q3 numbers|the refund was approved|call me when you land|\
    Please confirm the pickup time|The truck left Shanghai at noon|Our Shenzhen office is closed|\
    We moved the call to Tuesday|Your order has shipped|The Finance team approved it|\
    Attached is the Q3 Report|Let me know if Friday works|Thanks for your patience|\
    The customer asked for a refund|See the Action Items below|Flight MU5101 is delayed|\
    Room 1203 is ready|The API Gateway returned an Error|Please sign the Terms and Conditions|\
    Happy New Year|Welcome to the Team|Great work on the Launch|Sorry for the delay|\
    As discussed in the Weekly Sync|Per the Service Agreement|Check the Incident Report";

/// Contexts, with slots in braces: `{N}` a name, `{S}` a surname alone, `{W}` a capitalised
/// non-name, `{M}` a message, `{E}` an e-mail address, `{T}` a time, `{D}` digits, `{P}` a
/// booking-record name (`ZHANG/WEI`), `{C}` a company named after a family (`Mitchell PLC`).
/// A slot `N` or `S` holds a non-name one time in four.
const TEMPLATES: &[&str] = &[
    "Hi {N},\n{M}.",
    "Hello {N} — {M}",
    "Dear {N},\n{M}",
    "Dear Ms. {S},\n{M}",
    "Dear Mr. {S},",
    "Morning {N}!",
    "Thanks {N}.",
    "Thanks, {N}!",
    "Cheers,\n{N}",
    "Best regards,\n{N}\n{W}",
    "Regards,\n{N}",
    "From: {N} <{E}>",
    "To: {N} <{E}>",
    "Cc: {N} <{E}>, {N} <{E}>",
    "[{T}] {N}: {M}",
    "{N} ({T}): {M}",
    "{N}: {M}",
    "@{N} can you check?",
    "Assigned to {N}",
    "Reporter: {N}",
    "Approved by {N}",
    "{N} said that {M}.",
    "{N} will join at {T}.",
    "Meeting with {N} and {N}.",
    "Attendees: {N}, {N}, {N}",
    "| {N} | {D} | {W} |",
    "{N},{D},{W}",
    "Signed: {N}",
    "Driver {N} arrived.",
    "Contact {N} at {E}.",
    "1.{P} MR",
    "2.{P} MS",
    "Passenger: {N}",
    "Guest name: {N}",
    "Prepared by {N}",
    "per {N}'s request",
    "{N}'s order was delayed",
    "{W}: {M}",
    "{W}\n{M}",
    "| {W} | {D} | {N} |",
    "{W}, {W} and {W}",
    "Re: {W}",
    "Fwd: {M}",
    "{M}. {W}",
    "{N}\n{W}\n{E}",
    "Hi {W},",
    "Dear {W},",
    "{W} {N}",
    "Mr. {S}",
    "Ms. {S} will call",
    "Prof. {N}",
    "Dr. {S}",
    "Owner: {N}",
    "cc {N}",
    "{N}, {W}",
    "{N} joined the chat",
    "Rider {N} (phone {D})",
    "Driver {N} ({W}, plate {D})",
    "holder {N}",
    "{W}-{D}",
    "{W} {D}",
    "{W}: {D}",
    "{W} No.: {D}",
    "{W} ({W})",
    "{D}\n{W} {N}",
    "{M}.\n{W}: {D}",
    "Passenger {N} booked {W}",
    "Customer {N} wrote: {M}",
    "{M}.",
    "{M}. {M}.",
    "{W} at {C}; previously {W} at {C}.",
    "{N} works at {C}.",
    "Experience: {W} at {C}",
    "{C} signed the contract.",
    "Vendor: {C}",
    "{W}\n{M}.\n{W}",
    "{W}: {D}\n{W}: {W}\n{W}: {M}",
    "{W} = {D}",
    "{W}: {W}",
    "| {W} | {W} | {W} |\n| {N} | {D} | {W} |",
    "{W},{W},{W}\n{N},{D},{W}",
    "{W}\n{W}\n{W}",
    // Running sentences: a name as the subject at the start of a line, after a preposition
    // or a verb, in a subject line; the same places hold capitalised words that are not names.
    "{N} called about the {W}.",
    "{N} approved the {W} yesterday.",
    "{N} is out of office until {W}.",
    "Thanks to {N} for the quick reply.",
    "Thanks to {W} for the quick reply.",
    "I spoke to {N} this morning.",
    "I spoke to {W} this morning.",
    "Please welcome {N} to the {W} team.",
    "Onboarding for {N}",
    "Subject: {W} for {N}",
    "Subject: {W} for {W}",
    "Invoice for {N}, due {T}.",
    "Invoice for {W}, due {T}.",
    "Call {N} back when you can.",
    "Ask {N} about the {W}.",
    "According to {N}, {M}.",
    "According to {W}, {M}.",
    "Meeting with {N} on {W}.",
    "Letter from {N} to {N}.",
    "{M}, {N} wrote.",
    "{N} and {N} will review the {W}.",
    "{W} and {W} will review the {W}.",
];

/// Whether a word (any case) is one of the pinyin surnames the training text uses (`Zhang`,
/// `ZHANG`, `Ouyang`): a chat export's speaker may begin with one.
pub(crate) fn is_pinyin_surname(w: &[u8]) -> bool {
    static SURNAMES: std::sync::OnceLock<Vec<u128>> = std::sync::OnceLock::new();
    let all = SURNAMES.get_or_init(|| packed_set(PINYIN_SURNAMES));
    packed_lower(w).is_some_and(|v| all.binary_search(&v).is_ok())
}

/// A word of 1 to 16 ASCII letters, lower-cased, its bytes in order in one integer (no letter
/// is a zero byte, so words of different lengths never pack alike); none for anything else.
/// A sorted list of them is searched by integer compares rather than by comparing strings.
pub(crate) fn packed_lower(w: &[u8]) -> Option<u128> {
    if w.is_empty() || w.len() > 16 {
        return None;
    }
    let mut v = 0u128;
    for &c in w {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        v = v << 8 | u128::from(c.to_ascii_lowercase());
    }
    Some(v)
}

/// The words of a space-separated list, packed by [`packed_lower`] and sorted.
pub(crate) fn packed_set(words: &str) -> Vec<u128> {
    let mut v: Vec<u128> = words
        .split_whitespace()
        .filter_map(|w| {
            let p = packed_lower(w.as_bytes());
            debug_assert!(p.is_some(), "`{w}` cannot be packed: it would never match");
            p
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// One generated document: the text and the byte spans of the names in it.
pub(crate) fn document(rng: &mut Rng) -> (String, Vec<(usize, usize)>) {
    let not_names: Vec<&str> = NOT_NAMES.split('|').collect();
    let messages: Vec<&str> = MESSAGES.split('|').collect();
    let mut text = String::new();
    let mut names = Vec::new();
    for _ in 0..(1 + rng.below(4)) {
        let t = TEMPLATES[rng.below(TEMPLATES.len())];
        let mut chars = t.chars();
        while let Some(c) = chars.next() {
            let start = text.len();
            // A slot is a letter in braces: `{N}`.
            let slot = if c == '{' {
                let k = chars.next().unwrap_or('}');
                chars.next();
                k
            } else {
                text.push(c);
                continue;
            };
            match slot {
                'N' | 'S' | 'P' if rng.below(4) > 0 => {
                    text.push_str(&match slot {
                        'N' => full_name(rng),
                        'S' => surname(rng),
                        _ => booking_name(rng),
                    });
                    names.push((start, text.len()));
                }
                'N' | 'S' | 'P' | 'W' => text.push_str(not_names[rng.below(not_names.len())]),
                'M' => text.push_str(messages[rng.below(messages.len())]),
                'C' => {
                    let suffix = [
                        "PLC",
                        "Inc",
                        "Ltd",
                        "LLC",
                        "Group",
                        "& Co",
                        "Logistics",
                        "Holdings",
                    ];
                    text.push_str(&surname(rng));
                    text.push(' ');
                    text.push_str(suffix[rng.below(suffix.len())]);
                }
                'E' => text.push_str(
                    ["li.na@example.com", "ops@example.cn", "t.king@mail.com"][rng.below(3)],
                ),
                'T' => text.push_str(["09:12", "10:42", "18:30", "2024-03-08 14:21"][rng.below(4)]),
                'D' => {
                    for _ in 0..(2 + rng.below(8)) {
                        text.push(char::from(b'0' + rng.below(10) as u8));
                    }
                }
                _ => {}
            }
        }
        text.push('\n');
    }
    (text, names)
}

fn words(list: &str) -> Vec<&str> {
    list.split_whitespace().collect()
}

fn surname(rng: &mut Rng) -> String {
    let pick = if rng.below(2) == 0 {
        LAST
    } else {
        PINYIN_SURNAMES
    };
    let w = words(pick);
    w[rng.below(w.len())].to_string()
}

fn pinyin_given(rng: &mut Rng) -> String {
    let w = words(PINYIN_GIVEN);
    let mut s = String::new();
    for _ in 0..(1 + rng.below(2)) {
        s.push_str(w[rng.below(w.len())]);
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A Western name (first, optional middle or initial, last) or a pinyin name in either order
/// and either capitalisation.
fn full_name(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        let first = words(FIRST);
        let f = first[rng.below(first.len())];
        let last = surname(rng);
        match rng.below(6) {
            0 => {
                let m = first[rng.below(first.len())];
                format!("{f} {}. {last}", &m[..1])
            }
            1 => format!("{}. {last}", &f[..1]),
            2 => format!("{f} {} {last}", first[rng.below(first.len())]),
            _ => format!("{f} {last}"),
        }
    } else {
        let sur = words(PINYIN_SURNAMES);
        let s = sur[rng.below(sur.len())];
        let g = pinyin_given(rng);
        match rng.below(4) {
            0 => format!("{} {g}", s.to_ascii_uppercase()),
            1 => format!("{g} {}", s.to_ascii_uppercase()),
            2 => format!("{g} {s}"),
            _ => format!("{s} {g}"),
        }
    }
}

/// A name as booking systems write it: `ZHANG/WEI`, `CARTER/EMILY`.
fn booking_name(rng: &mut Rng) -> String {
    let last = surname(rng).to_ascii_uppercase();
    let given = if rng.below(2) == 0 {
        pinyin_given(rng)
    } else {
        let f = words(FIRST);
        f[rng.below(f.len())].to_string()
    };
    format!("{last}/{}", given.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon;

    /// The common English words and the codes that veto a name at inference hold no given
    /// name or surname the model is trained with, nor one of the known given names.
    #[test]
    fn the_english_words_hold_no_name() {
        let vetoes: Vec<&str> = lexicon::ENGLISH_WORDS
            .split_whitespace()
            .chain(lexicon::CODES.split_whitespace())
            .collect();
        let names = words(FIRST)
            .into_iter()
            .chain(words(LAST))
            .map(str::to_ascii_lowercase)
            .chain(lexicon::GIVEN_NAMES.split_whitespace().map(String::from));
        let clashes: Vec<String> = names.filter(|n| vetoes.contains(&n.as_str())).collect();
        assert!(clashes.is_empty(), "names among the vetoes: {clashes:?}");
        assert!(crate::lex::lexicon().is_some(), "every word packs");
    }
}
