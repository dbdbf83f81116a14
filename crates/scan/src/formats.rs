//! Reading the record formats: NDJSON and CSV in batches of records (an NDJSON record over the
//! limit as text), a JSON document whole.

use super::*;

/// Masks every string of a JSON value in place.
pub(super) fn redact_value(
    det: &Detector,
    v: &mut Value,
    key: &str,
    style: &MaskStyle,
    count: &mut BTreeMap<PiType, usize>,
) {
    match v {
        Value::String(s) => {
            let found = if key.is_empty() {
                det.scan_str(s)
            } else {
                det.scan_field(key, s.as_bytes())
            };
            if !found.is_empty() {
                for f in &found {
                    *count.entry(f.pi_type).or_default() += 1;
                }
                *s = String::from_utf8_lossy(&mask::redact(s.as_bytes(), &found, style))
                    .into_owned();
            }
        }
        Value::Number(n) => {
            let text = n.to_string();
            let found = det.scan_field(key, text.as_bytes());
            if !found.is_empty() {
                for f in &found {
                    *count.entry(f.pi_type).or_default() += 1;
                }
                *v = Value::String(
                    String::from_utf8_lossy(&mask::redact(text.as_bytes(), &found, style))
                        .into_owned(),
                );
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| redact_value(det, i, key, style, count)),
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                redact_value(det, item, k, style, count);
            }
        }
        _ => {}
    }
}

pub(super) enum RecordOut {
    Findings(Vec<(Finding, String, Option<String>)>),
    Line(String),
    Redacted(String, BTreeMap<PiType, usize>),
}

pub(super) fn scan_ndjson(
    cfg: &ScanConfig,
    name: &str,
    r: impl Read + Send,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 20, r);
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    loop {
        let mut lines: Vec<(u64, Vec<u8>)> = Vec::with_capacity(RECORD_BATCH);
        let mut big: Option<(u64, Vec<u8>)> = None;
        let mut batch_bytes = 0;
        while lines.len() < RECORD_BATCH && batch_bytes < 8 * cfg.chunk {
            let rec = read_record(&mut reader, cfg.max_record)
                .with_context(|| format!("cannot read `{name}`"))?;
            let buf = match rec {
                None => break,
                Some(Record::Big(head)) => {
                    line_no += 1;
                    big = Some((line_no, head));
                    break;
                }
                Some(Record::Whole(buf)) => buf,
            };
            line_no += 1;
            bytes += buf.len() as u64;
            batch_bytes += buf.len();
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            lines.push((line_no, buf));
        }
        if lines.is_empty() && big.is_none() {
            break;
        }
        let results: Vec<Result<RecordOut>> = lines
            .par_iter()
            .map(|(no, line)| -> Result<RecordOut> {
                let mut v: Value = serde_json::from_slice(line)
                    .map_err(|e| anyhow!("{name}:{no}:{}: malformed JSON: {e}", e.column()))?;
                let target = match &cfg.field {
                    Some(f) => match v.get(f) {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(_) => bail!("{name}:{no}: field `{f}` is not a string"),
                    },
                    None => None,
                };
                match &cfg.mode {
                    Mode::PerRecord => {
                        let found = match (&cfg.field, &target) {
                            (Some(_), Some(s)) => cfg.det.scan_str(s),
                            (Some(_), None) => Vec::new(),
                            (None, _) => records::scan_json(&cfg.det, &v).into_iter().map(|j| j.finding).collect(),
                        };
                        let spans: Vec<Value> = found
                            .iter()
                            .map(|f| json!({"start": f.start, "end": f.end, "bstart": f.bstart, "bend": f.bend, "type": f.pi_type.name(), "score": f.score}))
                            .collect();
                        Ok(RecordOut::Line(json!({"spans": spans}).to_string()))
                    }
                    Mode::Redact(style) => {
                        let mut counts = BTreeMap::new();
                        match &cfg.field {
                            Some(f) => {
                                if let Some(slot) = v.get_mut(f) {
                                    redact_value(&cfg.det, slot, "", style, &mut counts);
                                }
                            }
                            None => redact_value(&cfg.det, &mut v, "", style, &mut counts),
                        }
                        Ok(RecordOut::Redacted(v.to_string(), counts))
                    }
                    Mode::Report(_) => {
                        let found: Vec<(Finding, String, Option<String>)> = match (&cfg.field, &target) {
                            (Some(f), Some(s)) => cfg
                                .det
                                .scan_str(s)
                                .into_iter()
                                .map(|x| {
                                    let orig = s.get(x.bstart..x.bend).unwrap_or("").to_string();
                                    (x, orig, Some(format!("/{f}")))
                                })
                                .collect(),
                            (Some(_), None) => Vec::new(),
                            (None, _) => records::scan_json(&cfg.det, &v)
                                .into_iter()
                                .map(|j| {
                                    let orig = pointer_text(&v, &j.pointer, &j.finding);
                                    (j.finding, orig, Some(j.pointer))
                                })
                                .collect(),
                        };
                        Ok(RecordOut::Findings(found))
                    }
                }
            })
            .collect();
        for ((no, _), res) in lines.iter().zip(results) {
            match res? {
                RecordOut::Redacted(l, counts) => {
                    for (t, n) in counts {
                        *out.counts.entry(t).or_default() += n;
                    }
                    out.w.write_all(l.as_bytes())?;
                    out.w.write_all(b"\n")?;
                }
                RecordOut::Line(l) => {
                    out.w.write_all(l.as_bytes())?;
                    out.w.write_all(b"\n")?;
                }
                RecordOut::Findings(found) => {
                    for (f, orig, ptr) in found {
                        let place = Place {
                            line: Some(*no),
                            record: Some(*no),
                            pointer: ptr,
                            ..Place::default()
                        };
                        out.finding(name, &f, &orig, &place)?;
                    }
                }
            }
        }
        if let Some((no, head)) = big {
            // Never a tree of a record this size: its bytes go through the text scanner, in
            // chunks, as they are read.
            eprintln!(
                "custodian: {name}:{no}: a record of more than {} bytes is scanned as text (--max-record): its keys give no context and its findings no JSON pointer{}",
                cfg.max_record,
                if cfg.field.is_some() {
                    "; --field does not apply to it"
                } else {
                    ""
                }
            );
            let rest = LineRest {
                r: &mut reader,
                done: false,
            };
            bytes += scan_stream(
                cfg,
                name,
                io::Cursor::new(head).chain(rest),
                out,
                Origin {
                    line: no,
                    record: Some(no),
                },
            )?;
        }
    }
    Ok(bytes)
}

/// The original text of a finding inside the JSON value at `pointer`.
pub(super) fn pointer_text(v: &Value, pointer: &str, f: &Finding) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.get(f.bstart..f.bend).unwrap_or("").to_string(),
        Some(Value::Number(n)) => n
            .to_string()
            .get(f.bstart..f.bend)
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

pub(super) fn scan_json_doc(
    cfg: &ScanConfig,
    name: &str,
    mut r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let mut buf = Vec::new();
    r.read_to_end(&mut buf)
        .with_context(|| format!("cannot read `{name}`"))?;
    let mut v: Value = serde_json::from_slice(&buf)
        .map_err(|e| anyhow!("{name}:{}:{}: malformed JSON: {e}", e.line(), e.column()))?;
    match &cfg.mode {
        Mode::Redact(style) => {
            let mut counts = BTreeMap::new();
            redact_value(&cfg.det, &mut v, "", style, &mut counts);
            for (t, n) in counts {
                *out.counts.entry(t).or_default() += n;
            }
            serde_json::to_writer_pretty(&mut out.w, &v)?;
            out.w.write_all(b"\n")?;
        }
        _ => {
            for j in records::scan_json(&cfg.det, &v) {
                let orig = pointer_text(&v, &j.pointer, &j.finding);
                let place = Place {
                    pointer: Some(j.pointer.clone()),
                    ..Place::default()
                };
                out.finding(name, &j.finding, &orig, &place)?;
            }
        }
    }
    Ok(buf.len() as u64)
}

pub(super) fn scan_csv(
    cfg: &ScanConfig,
    name: &str,
    r: impl Read,
    out: &mut Sink<impl Write>,
) -> Result<u64> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(name, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut stats = ColumnStats::new(headers.clone());
    if let Mode::Redact(_) = cfg.mode {
        let mut w = csv::Writer::from_writer(&mut out.w);
        w.write_record(&headers)?;
        w.flush()?;
    }
    let mut bytes = 0u64;
    let mut rec = csv::StringRecord::new();
    loop {
        let mut batch: Vec<(u64, Vec<String>)> = Vec::with_capacity(RECORD_BATCH);
        while batch.len() < RECORD_BATCH {
            if !rdr.read_record(&mut rec).map_err(|e| csv_error(name, &e))? {
                break;
            }
            let line = rec.position().map_or(0, csv::Position::line);
            bytes = rec.position().map_or(bytes, |p| p.byte());
            batch.push((line, rec.iter().map(str::to_string).collect()));
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Vec<(usize, Vec<Finding>)>> = batch
            .par_iter()
            .map(|(_, row)| records::scan_csv_row(&cfg.det, &headers, row))
            .collect();
        let mut masked_rows = Vec::new();
        for ((line, row), cells) in batch.iter().zip(results) {
            stats.observe_row(cells.iter().map(|(i, f)| (*i, f.as_slice())));
            match &cfg.mode {
                Mode::Redact(style) => {
                    let mut masked = row.clone();
                    for (i, found) in &cells {
                        if let Some(cell) = masked.get_mut(*i) {
                            *cell = String::from_utf8_lossy(&mask::redact(
                                cell.as_bytes(),
                                found,
                                style,
                            ))
                            .into_owned();
                        }
                        for f in found {
                            *out.counts.entry(f.pi_type).or_default() += 1;
                        }
                    }
                    masked_rows.push(masked);
                }
                _ => {
                    for (i, found) in &cells {
                        let cell = row.get(*i).map(String::as_str).unwrap_or("");
                        for f in found {
                            let orig = cell.get(f.bstart..f.bend).unwrap_or("");
                            let place = Place {
                                line: Some(*line),
                                csv_column: Some(
                                    headers
                                        .get(*i)
                                        .cloned()
                                        .unwrap_or_else(|| format!("#{}", i + 1)),
                                ),
                                ..Place::default()
                            };
                            out.finding(name, f, orig, &place)?;
                        }
                    }
                }
            }
        }
        if !masked_rows.is_empty() {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut out.w);
            for row in &masked_rows {
                w.write_record(row)?;
            }
            w.flush()?;
        }
    }
    for s in stats.summary() {
        out.column_lines.push(format!("{name}: {s}"));
    }
    Ok(bytes)
}

pub(super) fn csv_error(name: &str, e: &csv::Error) -> anyhow::Error {
    match e.position() {
        Some(p) => anyhow!("{name}:{}: malformed CSV: {e}", p.line()),
        None => anyhow!("{name}: malformed CSV: {e}"),
    }
}
