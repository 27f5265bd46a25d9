//! Column builders: typed vectors filled cell by cell from raw bytes during the full parse.
//!
//! What must stay true: every `push` appends exactly one slot to the data and the mask, so all
//! builders keep the same length; a cell that does not fit the type is stored as null and
//! counted in `invalid_count` (the first [`Column::MAX_INVALID_KEPT`] kept as examples).
//! Two promotions happen in place and stay exact: integer -> decimal when a fraction shows up,
//! decimal scale raised when a longer fraction shows up; decimal -> float only on overflow.
//! A number column that meets a code with a leading zero (`01` after `11`...`94`) records it
//! in `code_cell`; the loader then reads the whole column again as text, keeping every
//! original string.
//! Text is interned through a hash map keyed by the cell's bytes (one allocation per distinct
//! value, none per cell).

use super::cell::{
    is_blank, is_null_token, parse_bool, parse_date, parse_datetime, parse_f64, parse_num, trim,
};
use crate::core::column::{
    Codes, Column, ColumnData, Dict, InvalidValue, KeyKind, NullMask, Strings,
};

pub(crate) use crate::core::hash::FxBuild;
use crate::core::hash::{quick_key, same_bytes};

/// A text builder's memo has `1 << MEMO_BITS` slots (4 bytes each).
const MEMO_BITS: u32 = 8;

/// How a column reads its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer {
        dec: u8,
    },
    Decimal {
        dec: u8,
        scale: u8,
    },
    Float {
        dec: u8,
    },
    Boolean,
    /// `fmt` is a mask of `cell::DATE_*` formats.
    Date {
        fmt: u8,
    },
    Datetime,
    Text,
}

/// Hash of a cell's bytes for the dictionary index. [`FxHasher`]'s final mix makes both the
/// low bits (bucket index) and the top 7 bits (hashbrown's tag) depend on every input bit.
#[inline]
fn text_hash(b: &[u8]) -> u64 {
    crate::core::hash::hash_bytes(b)
}

/// Dictionary encoder for text cells. Each distinct value is stored once, appended to the
/// [`Dict`]'s byte buffer (no allocation per value); the index is a hash table of `u32` codes
/// (4 bytes a slot) that hashes and compares through the dictionary, so the dictionary is ready
/// as soon as the last cell is pushed.
#[derive(Default)]
pub struct TextBuilder {
    index: hashbrown::HashTable<u32>,
    dict: Dict,
    codes: Codes,
    /// The last codes looked up, by [`quick_key`] slot (code + 1; 0: none): most cells of a
    /// column of a few hundred values are found here with one comparison, without hashing
    /// the value or probing the index (and a sorted file's runs always are). Allocated on the
    /// first value.
    memo: Vec<u32>,
    /// The distinct values `reserve` was told to expect (0: not told).
    expected: usize,
    /// Mostly distinct values: kept row by row in `dict` (no index, no codes), finished as a
    /// [`Strings`] column.
    plain: bool,
    /// The sample's mean bytes a value, for a plain column's reservations.
    avg_bytes: usize,
}

impl TextBuilder {
    /// Makes room for about `distinct` values of about `avg_bytes` bytes without rehashing;
    /// the text buffer gets 1/8 of slack, grows by doubling past it, and `finish` trims it.
    pub fn reserve(&mut self, distinct: usize, avg_bytes: usize) {
        let dict = &self.dict;
        self.index
            .reserve(distinct, |&c| text_hash(dict_bytes(dict, c)));
        let text = distinct.saturating_mul(avg_bytes);
        self.dict.reserve(distinct, text.saturating_add(text / 8));
        self.expected = distinct;
        let rows = self.codes.capacity();
        if self.codes.is_empty() && Codes::width_for_values(distinct) != self.codes.width() {
            // As wide as that many values need from the start: no widening copy mid-load
            // (the narrow vector is freed first, so both are never held at once).
            self.codes = Codes::new();
            self.codes = Codes::with_capacity_for(rows, distinct);
        }
    }

    /// Keeps the values row by row from now on (the builder must be empty): about `rows`
    /// values of about `avg_bytes` bytes.
    fn store_plain(&mut self, rows: usize, avg_bytes: usize) {
        if self.len() != 0 {
            return;
        }
        self.plain = true;
        self.avg_bytes = avg_bytes;
        self.codes = Codes::new();
        self.index = hashbrown::HashTable::new();
        self.memo = Vec::new();
        // The old reservation is freed before the new one is made.
        self.dict = Dict::new();
        self.dict = Dict::with_capacity(rows, rows.saturating_mul(avg_bytes));
    }

    fn len(&self) -> usize {
        if self.plain {
            self.dict.len()
        } else {
            self.codes.len()
        }
    }

    #[inline]
    fn push_null(&mut self) {
        if self.plain {
            self.dict.push("");
        } else {
            self.codes.push(0);
        }
    }

    #[inline]
    fn push_value(&mut self, b: &[u8]) {
        if self.plain {
            match std::str::from_utf8(b) {
                Ok(s) => self.dict.push(s),
                Err(_) => self.dict.push(&String::from_utf8_lossy(b)),
            };
        } else {
            let c = self.intern(b);
            self.codes.push(c);
        }
    }

    #[inline]
    fn intern(&mut self, b: &[u8]) -> u32 {
        let slot = (quick_key(b) >> (64 - MEMO_BITS)) as usize;
        if let Some(c) = self.memo.get(slot).and_then(|&m| m.checked_sub(1)) {
            if same_bytes(dict_bytes(&self.dict, c), b) {
                return c;
            }
        }
        let code = self.intern_slow(b);
        if self.memo.is_empty() {
            self.memo = vec![0; 1 << MEMO_BITS];
        }
        if let Some(m) = self.memo.get_mut(slot) {
            *m = code.wrapping_add(1);
        }
        code
    }

    /// [`Self::intern`] through the hash index.
    fn intern_slow(&mut self, b: &[u8]) -> u32 {
        let h = text_hash(b);
        let dict = &mut self.dict;
        let code = match self.index.find(h, |&c| same_bytes(dict_bytes(dict, c), b)) {
            Some(&c) => c,
            None => {
                let c = match std::str::from_utf8(b) {
                    Ok(s) => dict.push(s),
                    Err(_) => dict.push(&String::from_utf8_lossy(b)),
                };
                let dict = &self.dict;
                self.index
                    .insert_unique(h, c, |&k| text_hash(dict_bytes(dict, k)));
                c
            }
        };
        code
    }

    fn finish(mut self) -> ColumnData {
        // The text buffer grew by doubling: give its slack back (a shrinking realloc).
        self.dict.shrink_to_fit();
        if self.plain {
            return ColumnData::Strings(Strings::new(self.dict));
        }
        ColumnData::Text {
            codes: self.codes,
            dict: self.dict,
        }
    }
}

/// Dictionary-encodes `n` values given in row order (`""` is a null: code 0, no entry), as
/// the loader would have: distinct values in first-appearance order.
pub(crate) fn encode_values<'a>(values: impl Iterator<Item = &'a str>, n: usize) -> (Codes, Dict) {
    let mut t = TextBuilder {
        codes: Codes::with_capacity(n),
        ..TextBuilder::default()
    };
    for v in values {
        if v.is_empty() {
            t.codes.push(0);
        } else {
            let c = t.intern(v.as_bytes());
            t.codes.push(c);
        }
    }
    t.codes.shrink_to_fit();
    t.dict.shrink_to_fit();
    (t.codes, t.dict)
}

/// The bytes of dictionary value `code` (empty if out of range, which the index never holds).
#[inline]
fn dict_bytes(dict: &Dict, code: u32) -> &[u8] {
    dict.get_bytes(code as usize).unwrap_or_default()
}

enum Data {
    Int(Vec<i64>),
    Dec(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    Date(Vec<i32>),
    Datetime(Vec<i64>),
    Text(TextBuilder),
}

/// A column being filled.
pub struct ColumnBuilder {
    pub name: String,
    pub key: Option<KeyKind>,
    kind: Kind,
    data: Data,
    valid: NullMask,
    pub invalid: Vec<InvalidValue>,
    pub invalid_count: usize,
    /// Cells that held a value (valid or not).
    pub non_null: usize,
    /// The first cell of a number column that proved the column holds codes (a leading zero,
    /// `01` among `11`...`94`): its 0-based data row and text. The column is then read again
    /// as text by the loader, whatever the share of such cells.
    pub code_cell: Option<(usize, String)>,
    /// A year-named column (`exercice`, `annee`) or a type the user chose: a leading zero
    /// there is an invalid value, not a sign of codes.
    keep_type: bool,
}

fn data_for(kind: Kind, cap: usize) -> Data {
    match kind {
        Kind::Integer { .. } => Data::Int(Vec::with_capacity(cap)),
        Kind::Decimal { .. } => Data::Dec(Vec::with_capacity(cap)),
        Kind::Float { .. } => Data::Float(Vec::with_capacity(cap)),
        Kind::Boolean => Data::Bool(Vec::with_capacity(cap)),
        Kind::Date { .. } => Data::Date(Vec::with_capacity(cap)),
        Kind::Datetime => Data::Datetime(Vec::with_capacity(cap)),
        Kind::Text => Data::Text(TextBuilder {
            codes: Codes::with_capacity(cap),
            ..TextBuilder::default()
        }),
    }
}

impl ColumnBuilder {
    pub fn new(name: String, kind: Kind, key: Option<KeyKind>, cap: usize) -> Self {
        let keep_type = super::keys::is_year_name(&name);
        ColumnBuilder {
            name,
            key,
            kind,
            data: data_for(kind, cap),
            valid: NullMask::with_capacity(cap),
            invalid: Vec::new(),
            invalid_count: 0,
            non_null: 0,
            code_cell: None,
            keep_type,
        }
    }

    /// Keeps the column's type even when a cell looks like a code (the user chose it).
    pub fn keep_type(&mut self) {
        self.keep_type = true;
    }

    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Rows the builder has room for without growing.
    pub fn capacity(&self) -> usize {
        match &self.data {
            Data::Int(v) | Data::Dec(v) | Data::Datetime(v) => v.capacity(),
            Data::Float(v) => v.capacity(),
            Data::Bool(v) => v.capacity(),
            Data::Date(v) => v.capacity(),
            Data::Text(t) if t.plain => t.dict.capacity(),
            Data::Text(t) => t.codes.capacity(),
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self.data, Data::Text(_))
    }

    /// Expects about `distinct` distinct values of about `avg_bytes` bytes each in a text
    /// column (no-op otherwise).
    pub fn reserve_distinct(&mut self, distinct: usize, avg_bytes: usize) {
        if let Data::Text(t) = &mut self.data {
            t.reserve(distinct, avg_bytes);
        }
    }

    /// Keeps a text column's values row by row, without a dictionary (its values are mostly
    /// distinct): about `rows` values of about `avg_bytes` bytes. No-op for other types or
    /// once cells were pushed.
    pub fn store_plain(&mut self, rows: usize, avg_bytes: usize) {
        if let Data::Text(t) = &mut self.data {
            t.store_plain(rows, avg_bytes);
        }
    }

    #[inline]
    fn push_null(&mut self) {
        match &mut self.data {
            Data::Int(v) | Data::Dec(v) | Data::Datetime(v) => v.push(0),
            Data::Float(v) => v.push(0.0),
            Data::Bool(v) => v.push(false),
            Data::Date(v) => v.push(0),
            Data::Text(t) => t.push_null(),
        }
        self.valid.push(false);
    }

    #[inline]
    fn push_invalid(&mut self, raw: &[u8]) {
        let row = self.len();
        self.push_null();
        self.invalid_count += 1;
        if self.invalid.len() < Column::MAX_INVALID_KEPT {
            self.invalid.push(InvalidValue {
                row,
                text: String::from_utf8_lossy(raw).into_owned(),
            });
        }
    }

    /// Appends one cell (`None`: the row was too short to have it).
    #[inline]
    pub fn push(&mut self, cell: Option<&[u8]>) {
        let Some(raw) = cell else {
            self.push_null();
            return;
        };
        if let Data::Text(t) = &mut self.data {
            if is_blank(raw) {
                t.push_null();
                self.valid.push(false);
            } else {
                t.push_value(raw);
                self.valid.push(true);
                self.non_null += 1;
            }
            return;
        }
        let b = trim(raw);
        if is_null_token(b) {
            self.push_null();
            return;
        }
        self.non_null += 1;
        if self.code_cell.is_some() {
            // Already known to be codes: the loader reads this column again as text.
            self.push_null();
            return;
        }
        let ok = match self.kind {
            Kind::Integer { dec } => self.push_integer(b, dec),
            Kind::Decimal { dec, scale } => self.push_decimal(b, dec, scale),
            Kind::Float { dec } => match (parse_f64(b, dec), &mut self.data) {
                (Some(f), Data::Float(v)) => {
                    v.push(f);
                    true
                }
                _ => false,
            },
            Kind::Boolean => match (parse_bool(b), &mut self.data) {
                (Some(x), Data::Bool(v)) => {
                    v.push(x);
                    true
                }
                _ => false,
            },
            Kind::Date { fmt } => match (parse_date(b, fmt), &mut self.data) {
                (Some(d), Data::Date(v)) => {
                    v.push(d);
                    true
                }
                _ => false,
            },
            Kind::Datetime => match (parse_datetime(b), &mut self.data) {
                (Some((s, _)), Data::Datetime(v)) => {
                    v.push(s);
                    true
                }
                _ => false,
            },
            Kind::Text => false,
        };
        if ok {
            self.valid.push(true);
        } else if self.is_code(b) {
            self.code_cell = Some((self.len(), String::from_utf8_lossy(raw).into_owned()));
            self.push_null();
        } else {
            self.non_null -= 1;
            self.push_invalid(raw);
            self.non_null += 1;
        }
    }

    /// Whether a cell that did not fit a number column is a code with a leading zero (`01`,
    /// `01053`) or a Corsican code (`2A`, `2B033`), which makes the whole column codes.
    fn is_code(&self, b: &[u8]) -> bool {
        let number = matches!(
            self.kind,
            Kind::Integer { .. } | Kind::Decimal { .. } | Kind::Float { .. }
        );
        let dec = match self.kind {
            Kind::Integer { dec } | Kind::Decimal { dec, .. } | Kind::Float { dec } => dec,
            _ => b'.',
        };
        number
            && !self.keep_type
            && (parse_num(b, dec).is_some_and(|n| n.leading_zero)
                || super::keys::is_corsican_code(b))
    }

    fn push_integer(&mut self, b: &[u8], dec: u8) -> bool {
        let Some(n) = parse_num(b, dec) else {
            return false;
        };
        if n.leading_zero {
            return false;
        }
        if n.point || n.exp || n.overflow {
            // A fraction in an integer column: become a decimal (or float) and retry.
            self.promote(if n.exp || n.overflow || n.frac > 15 {
                Kind::Float { dec }
            } else {
                Kind::Decimal { dec, scale: n.frac }
            });
            return match self.kind {
                Kind::Decimal { scale, .. } => self.push_decimal(b, dec, scale),
                _ => self.push_float(b, dec),
            };
        }
        match (n.units(0), &mut self.data) {
            (Some(u), Data::Int(v)) => {
                v.push(u);
                true
            }
            _ => false,
        }
    }

    fn push_float(&mut self, b: &[u8], dec: u8) -> bool {
        match (parse_f64(b, dec), &mut self.data) {
            (Some(f), Data::Float(v)) => {
                v.push(f);
                true
            }
            _ => false,
        }
    }

    fn push_decimal(&mut self, b: &[u8], dec: u8, scale: u8) -> bool {
        let Some(n) = parse_num(b, dec) else {
            return false;
        };
        if n.leading_zero {
            return false;
        }
        if n.frac > scale && !n.exp && !n.overflow && n.frac <= 15 {
            self.promote(Kind::Decimal { dec, scale: n.frac });
            if let Kind::Decimal { scale, .. } = self.kind {
                return self.push_decimal(b, dec, scale);
            }
            return self.push_float(b, dec);
        }
        match (n.units(scale), &mut self.data) {
            (Some(u), Data::Dec(v)) => {
                v.push(u);
                true
            }
            _ => {
                self.promote(Kind::Float { dec });
                self.push_float(b, dec)
            }
        }
    }

    /// Converts the values already stored to a wider numeric kind, exactly when possible.
    fn promote(&mut self, to: Kind) {
        let from_scale = match self.kind {
            Kind::Integer { .. } => 0,
            Kind::Decimal { scale, .. } => scale,
            _ => return,
        };
        let data = std::mem::replace(&mut self.data, Data::Int(Vec::new()));
        let units = match data {
            Data::Int(v) | Data::Dec(v) => v,
            other => {
                self.data = other;
                return;
            }
        };
        if let Kind::Decimal { scale, .. } = to {
            let mul = 10i64.checked_pow(u32::from(scale.saturating_sub(from_scale)));
            if let Some(mul) = mul {
                let scaled: Option<Vec<i64>> = units.iter().map(|u| u.checked_mul(mul)).collect();
                if let Some(s) = scaled {
                    self.data = Data::Dec(s);
                    self.kind = to;
                    return;
                }
            }
        }
        let div = 10f64.powi(i32::from(from_scale));
        let dec = match self.kind {
            Kind::Integer { dec } | Kind::Decimal { dec, .. } => dec,
            _ => b'.',
        };
        self.data = Data::Float(units.iter().map(|&u| u as f64 / div).collect());
        self.kind = Kind::Float { dec };
    }

    /// Restarts the column as text (its cells will be pushed again from the start).
    pub fn restart_as_text(&mut self) {
        self.code_cell = None;
        let cap = self.len();
        self.kind = Kind::Text;
        self.data = data_for(Kind::Text, cap);
        self.valid = NullMask::with_capacity(cap);
        self.invalid.clear();
        self.invalid_count = 0;
        self.non_null = 0;
    }

    /// Whether text is the honest type: a cell proved the column holds codes
    /// ([`Self::code_cell`]), or so many cells failed the type: more than 1 % of the non-null
    /// cells.
    pub fn should_fall_back(&self) -> bool {
        self.code_cell.is_some()
            || (self.invalid_count > 0 && self.invalid_count * 100 > self.non_null)
    }

    pub fn finish(self) -> Column {
        let data = match self.data {
            Data::Int(v) => ColumnData::Integer(v),
            Data::Dec(units) => ColumnData::Decimal {
                units,
                scale: match self.kind {
                    Kind::Decimal { scale, .. } => scale,
                    _ => 0,
                },
            },
            Data::Float(v) => ColumnData::Float(v),
            Data::Bool(v) => ColumnData::Boolean(v),
            Data::Date(v) => ColumnData::Date(v),
            Data::Datetime(v) => ColumnData::Datetime(v),
            Data::Text(t) => t.finish(),
        };
        let mut col = Column::new(self.name, data, self.valid);
        col.key = self.key;
        col.invalid = self.invalid;
        col.invalid_count = self.invalid_count;
        col
    }
}

/// Encoding and appending of parts (see `super::parts`).
impl ColumnBuilder {
    /// About the bytes [`Self::encode`] writes (to reserve them at once).
    pub fn encoded_len_hint(&self) -> usize {
        let n = self.len();
        let text = match &self.data {
            Data::Text(t) if t.plain => t.dict.text_len() + n * 4,
            Data::Text(t) => t.dict.text_len() + t.dict.len() * 8 + n * 4,
            _ => n * 8,
        };
        64 + n / 8
            + text
            + self
                .invalid
                .iter()
                .map(|i| i.text.len() + 16)
                .sum::<usize>()
    }

    /// Writes the column as it stands (before any re-read as text).
    pub fn encode(&self, out: &mut super::parts::Out) {
        let (tag, dec, scale, fmt) = match self.kind {
            Kind::Integer { dec } => (0, dec, 0, 0),
            Kind::Decimal { dec, scale } => (1, dec, scale, 0),
            Kind::Float { dec } => (2, dec, 0, 0),
            Kind::Boolean => (3, 0, 0, 0),
            Kind::Date { fmt } => (4, 0, 0, fmt),
            Kind::Datetime => (5, 0, 0, 0),
            Kind::Text => (6, 0, 0, 0),
        };
        for b in [tag, dec, scale, fmt] {
            out.u8(b);
        }
        let n = self.len();
        out.u64(n as u64);
        let words = self.valid.words();
        out.u64(words.len() as u64);
        for w in words {
            out.u64(*w);
        }
        match &self.data {
            Data::Int(v) | Data::Dec(v) | Data::Datetime(v) => {
                out.values(v.iter(), |x| x.to_le_bytes());
            }
            Data::Float(v) => out.values(v.iter(), |x| x.to_le_bytes()),
            Data::Bool(v) => out.values(v.iter(), |x| [u8::from(*x)]),
            Data::Date(v) => out.values(v.iter(), |x| x.to_le_bytes()),
            Data::Text(t) if t.plain => {
                // Kept row by row: a flag, each row's length (0 for a null), the text.
                out.u8(1);
                let d = &t.dict;
                out.values(0..d.len(), |i| {
                    (d.get_bytes(i).map_or(0, <[u8]>::len) as u32).to_le_bytes()
                });
                out.u64(d.text_len() as u64);
                d.text_chunks().for_each(|c| out.0.extend_from_slice(c));
            }
            Data::Text(t) => {
                out.u8(0);
                crate::with_codes!(&t.codes, |v| out
                    .values(v.iter(), |&x| u32::from(x).to_le_bytes()));
                // The dictionary: its values' lengths, then their bytes in one run.
                let d = &t.dict;
                out.u64(d.len() as u64);
                out.values(0..d.len(), |i| {
                    (d.get_bytes(i).map_or(0, <[u8]>::len) as u64).to_le_bytes()
                });
                out.u64(d.text_len() as u64);
                d.text_chunks().for_each(|c| out.0.extend_from_slice(c));
            }
        }
        out.u64(self.invalid_count as u64);
        out.u64(self.non_null as u64);
        out.u64(self.invalid.len() as u64);
        for iv in &self.invalid {
            out.u64(iv.row as u64);
            out.bytes(iv.text.as_bytes());
        }
        match &self.code_cell {
            Some((row, text)) => {
                out.u8(1);
                out.u64(*row as u64);
                out.bytes(text.as_bytes());
            }
            None => out.u8(0),
        }
    }

    /// Reads one column written by [`Self::encode`] and appends its rows to this one (the
    /// same column of the part before). Row numbers of the part (invalid values, the code
    /// cell) are shifted by this column's length. Numbers promoted differently in the two
    /// parts end in the wider kind, as if one builder had read both.
    pub fn absorb(
        &mut self,
        input: &mut dyn super::parts::PartInput,
    ) -> Result<(), super::parts::PartError> {
        use super::parts::{read_bytes, read_into, read_len, read_u8, PartError};
        const MAX: usize = usize::MAX;
        let base = self.len();
        let mut head = [0u8; 4];
        input.read_exact(&mut head)?;
        let [tag, _dec, scale, _fmt] = head;
        let n = read_len(input, MAX)?;
        let nwords = read_len(input, MAX)?;
        if nwords != n.div_ceil(64) {
            return Err(PartError("bad validity words".into()));
        }
        let mut words = Vec::with_capacity(nwords);
        read_into::<_, 8>(input, nwords, &mut words, u64::from_le_bytes)?;
        // Bring both sides to one kind before appending values.
        let dec = match self.kind {
            Kind::Integer { dec } | Kind::Decimal { dec, .. } | Kind::Float { dec } => dec,
            _ => b'.',
        };
        let number = |t: u8| t <= 2;
        let mine = match self.kind {
            Kind::Integer { .. } => 0,
            Kind::Decimal { .. } => 1,
            Kind::Float { .. } => 2,
            Kind::Boolean => 3,
            Kind::Date { .. } => 4,
            Kind::Datetime => 5,
            Kind::Text => 6,
        };
        if mine != tag && !(number(mine) && number(tag)) {
            return Err(PartError(format!("column {} typed apart", self.name)));
        }
        // The part's values in units of its own scale; this column's scale after promotion.
        let their_scale = if tag == 1 { scale } else { 0 };
        if number(tag) {
            let target = match (self.kind, tag) {
                (Kind::Float { .. }, _) | (_, 2) => Kind::Float { dec },
                (Kind::Decimal { scale: s, .. }, _) => Kind::Decimal {
                    dec,
                    scale: s.max(their_scale),
                },
                (_, 1) => Kind::Decimal {
                    dec,
                    scale: their_scale,
                },
                _ => self.kind,
            };
            if target != self.kind {
                self.promote(target);
            }
        }
        // A text column's flag: 1 for values kept row by row, 0 for codes and a dictionary.
        let text_flag = match self.data {
            Data::Text(_) => Some(read_u8(input)?),
            _ => None,
        };
        match &mut self.data {
            Data::Int(v) => {
                v.reserve(n);
                read_into::<_, 8>(input, n, v, i64::from_le_bytes)?;
            }
            Data::Dec(v) => {
                let my_scale = match self.kind {
                    Kind::Decimal { scale, .. } => scale,
                    _ => 0,
                };
                let mul = 10i64.checked_pow(u32::from(my_scale.saturating_sub(their_scale)));
                let mut units = Vec::with_capacity(n);
                read_into::<_, 8>(input, n, &mut units, i64::from_le_bytes)?;
                let scaled: Option<Vec<i64>> =
                    mul.and_then(|m| units.iter().map(|u| u.checked_mul(m)).collect());
                match scaled {
                    Some(s) => v.extend_from_slice(&s),
                    None => {
                        // Out of range at this scale: both parts become floats, as one builder
                        // does on overflow.
                        self.promote(Kind::Float { dec });
                        if let Data::Float(f) = &mut self.data {
                            let div = 10f64.powi(i32::from(their_scale));
                            f.extend(units.iter().map(|&u| u as f64 / div));
                        }
                    }
                }
            }
            Data::Float(v) => {
                v.reserve(n);
                if tag == 2 {
                    read_into::<_, 8>(input, n, v, f64::from_le_bytes)?;
                } else {
                    let div = 10f64.powi(i32::from(their_scale));
                    read_into::<_, 8>(input, n, v, |b| i64::from_le_bytes(b) as f64 / div)?;
                }
            }
            Data::Bool(v) => {
                v.reserve(n);
                read_into::<_, 1>(input, n, v, |b| b[0] != 0)?;
            }
            Data::Date(v) => {
                v.reserve(n);
                read_into::<_, 4>(input, n, v, i32::from_le_bytes)?;
            }
            Data::Datetime(v) => {
                v.reserve(n);
                read_into::<_, 8>(input, n, v, i64::from_le_bytes)?;
            }
            Data::Text(t) if text_flag == Some(1) => {
                // Rows' values in order: read a megabyte at a time, never the whole text.
                let mut lens = Vec::with_capacity(n);
                read_into::<_, 4>(input, n, &mut lens, |b| u32::from_le_bytes(b) as usize)?;
                let mut left = read_len(input, MAX)?;
                // A valid row has text (a blank cell is a null), a null none; the lengths add
                // up to the text: a corrupt part is refused before anything is allocated.
                let consistent = lens.iter().enumerate().all(|(i, &len)| {
                    let valid = (words[i / 64] >> (i % 64)) & 1 == 1;
                    valid == (len > 0)
                }) && lens.iter().sum::<usize>() == left;
                if !consistent {
                    return Err(PartError("bad text lengths".into()));
                }
                let mut buf: Vec<u8> = Vec::new();
                let mut at = 0usize;
                for (i, len) in lens.into_iter().enumerate() {
                    if buf.len() - at < len {
                        buf.drain(..at);
                        at = 0;
                        let more = (len - buf.len()).max(1 << 20).min(left);
                        let old = buf.len();
                        buf.resize(old + more, 0);
                        input.read_exact(&mut buf[old..])?;
                        left -= more;
                        if buf.len() < len {
                            return Err(PartError("bad text".into()));
                        }
                    }
                    let valid = (words[i / 64] >> (i % 64)) & 1 == 1;
                    if valid {
                        t.push_value(&buf[at..at + len]);
                    } else {
                        t.push_null();
                    }
                    at += len;
                }
                if left != 0 || at != buf.len() {
                    return Err(PartError("bad text".into()));
                }
            }
            Data::Text(_) if text_flag != Some(0) => {
                return Err(PartError("bad text flag".into()));
            }
            Data::Text(t) => {
                let mut codes = Vec::with_capacity(n);
                read_into::<_, 4>(input, n, &mut codes, u32::from_le_bytes)?;
                let nd = read_len(input, MAX)?;
                let mut lens = Vec::with_capacity(nd);
                read_into::<_, 8>(input, nd, &mut lens, |b| u64::from_le_bytes(b) as usize)?;
                let text = read_bytes(input, MAX)?;
                if t.plain {
                    // Row by row: each valid row's value, `""` for nulls. The text is
                    // validated once, whole (values are then slices of it).
                    let mut spans = Vec::with_capacity(nd);
                    let mut at = 0usize;
                    for len in lens {
                        let end = at.saturating_add(len);
                        if end > text.len() {
                            return Err(PartError("bad dictionary".into()));
                        }
                        spans.push((at, end));
                        at = end;
                    }
                    let whole = std::str::from_utf8(&text).ok();
                    for (i, c) in codes.into_iter().enumerate() {
                        let valid = (words[i / 64] >> (i % 64)) & 1 == 1;
                        match spans.get(c as usize) {
                            Some(&(a, b)) if valid => match whole.and_then(|w| w.get(a..b)) {
                                Some(s) => {
                                    t.dict.push(s);
                                }
                                None => t.push_value(&text[a..b]),
                            },
                            _ => t.push_null(),
                        }
                    }
                    self.valid.extend_words(&words, n);
                    return self.absorb_tail(input, base);
                }
                let mut remap = Vec::with_capacity(nd);
                let mut at = 0usize;
                for len in lens {
                    let end = at.saturating_add(len);
                    let b = text
                        .get(at..end)
                        .ok_or_else(|| PartError("bad dictionary".into()))?;
                    remap.push(t.intern(b));
                    at = end;
                }
                for (i, c) in codes.iter_mut().enumerate() {
                    // A null's code is 0 and means nothing: keep 0.
                    let valid = (words[i / 64] >> (i % 64)) & 1 == 1;
                    *c = if valid {
                        remap.get(*c as usize).copied().unwrap_or(0)
                    } else {
                        0
                    };
                }
                t.codes.extend_from(&codes);
            }
        }
        self.valid.extend_words(&words, n);
        self.absorb_tail(input, base)
    }

    /// The end of [`Self::absorb`]: the part's counts, invalid values and code cell.
    fn absorb_tail(
        &mut self,
        input: &mut dyn super::parts::PartInput,
        base: usize,
    ) -> Result<(), super::parts::PartError> {
        use super::parts::{read_bytes, read_len, read_u64, read_u8};
        const MAX: usize = usize::MAX;
        self.invalid_count += read_len(input, MAX)?;
        self.non_null += read_len(input, MAX)?;
        let ninv = read_len(input, MAX)?;
        for _ in 0..ninv {
            let row = read_len(input, MAX)?;
            let text = String::from_utf8_lossy(&read_bytes(input, MAX)?).into_owned();
            if self.invalid.len() < Column::MAX_INVALID_KEPT {
                self.invalid.push(InvalidValue {
                    row: base + row,
                    text,
                });
            }
        }
        if read_u8(input)? == 1 {
            let row = read_u64(input)? as usize;
            let text = String::from_utf8_lossy(&read_bytes(input, MAX)?).into_owned();
            if self.code_cell.is_none() {
                self.code_cell = Some((base + row, text));
            }
        }
        Ok(())
    }

    /// Sizes an empty builder for about `cap` rows (a part holds a share of the file's rows).
    /// (A text column keeps its dictionary's reservation, made for the file's distinct values.)
    pub fn resize_for(&mut self, cap: usize) {
        if self.len() != 0 {
            return;
        }
        match &mut self.data {
            // A part's share of the rows, not the whole file's.
            Data::Text(t) if t.plain => t.store_plain(cap, t.avg_bytes),
            Data::Text(t) => {
                t.codes = Codes::new();
                t.codes = Codes::with_capacity_for(cap, t.expected);
            }
            _ => self.data = data_for(self.kind, cap),
        }
        self.valid = NullMask::with_capacity(cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::parts::Out;

    /// A text column of `n` rows kept row by row: a label, or a null every third row.
    fn plain(n: usize) -> ColumnBuilder {
        let mut b = ColumnBuilder::new("libelle".into(), Kind::Text, None, n);
        b.store_plain(n, 12);
        for i in 0..n {
            let cell = format!("Facture {i}");
            b.push(Some(if i % 3 == 1 { b"" } else { cell.as_bytes() }));
        }
        b
    }

    fn encoded(b: &ColumnBuilder) -> Vec<u8> {
        let mut out = Out::default();
        b.encode(&mut out);
        out.0
    }

    #[test]
    fn a_plain_part_appends_its_rows_and_a_corrupt_one_is_refused() {
        let part = encoded(&plain(10));
        let mut whole = plain(5);
        whole.absorb(&mut part.as_slice()).expect("a good part");
        let col = whole.finish();
        assert!(matches!(col.data, ColumnData::Strings(_)));
        let texts: Vec<Option<&str>> = (0..15).map(|r| col.text(r)).collect();
        assert_eq!(texts[5..8], [Some("Facture 0"), None, Some("Facture 2")]);
        assert_eq!(texts[14], Some("Facture 9"));

        // The header: 4 bytes, rows, validity words (1 for 10 rows); then the flag byte.
        let flag_at = 4 + 8 + 8 + 8;
        assert_eq!(part[flag_at], 1);
        let mut bad_flag = part.clone();
        bad_flag[flag_at] = 2;
        assert!(plain(5).absorb(&mut bad_flag.as_slice()).is_err());
        // Row 1 is a null of length 0: giving it a length makes lengths and validity disagree.
        let mut bad_len = part.clone();
        let len1 = flag_at + 1 + 4;
        bad_len[len1] = 3;
        assert!(plain(5).absorb(&mut bad_len.as_slice()).is_err());
        // A huge length is refused before anything is allocated.
        let mut huge = part;
        huge[flag_at + 1..flag_at + 5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(plain(5).absorb(&mut huge.as_slice()).is_err());
    }

    #[test]
    fn a_part_of_a_plain_column_reserves_its_share_of_the_rows() {
        let mut b = ColumnBuilder::new("libelle".into(), Kind::Text, None, 1_000_000);
        b.store_plain(1_000_000, 20);
        assert!(b.capacity() >= 1_000_000);
        b.resize_for(1000);
        assert!(b.capacity() < 10_000, "{}", b.capacity());
    }
}
