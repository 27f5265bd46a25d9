#!/usr/bin/env python3
"""Expected ingest results for the French open-data files, written without Loupe.

For every CSV file under tests/data/french/ this script decides, by the simple rules below
(the specification of what Loupe must find), the file's encoding, delimiter, header row, data
row count, ragged rows, column names, column types and key kinds, and writes them to
tests/golden/expected/<file stem>.json. tests/golden.rs compares Loupe's ingest with these
files. The script never runs or imports Loupe: it reads the files with Python's standard
library only.

    python3 scripts/golden_expect.py          # rewrite tests/golden/expected/*.json
    python3 scripts/golden_expect.py --check  # exit 1 if a written file is out of date

The rules (each one a sentence of the specification):

Encoding   UTF-8 when the bytes decode as UTF-8 (a BOM is allowed and is not data), else
           windows-1252. Reported by its WHATWG label.
Delimiter  the one of `,` `;` TAB `|` that splits the first lines (quotes respected) into the
           largest equal number of fields.
Header     the first record at least two thirds as wide as the most common width of the
           first 30 records (title lines above a table are narrower); its names are trimmed; an empty name becomes `colonne_<n>`, a repeated one `<name>_2`.
           When the rows have more fields than the header has names, each extra field becomes
           a column `colonne_<n>`, or is dropped when it is empty on every row.
Rows       every record after the header except blank lines; a row whose field count differs
           from the table width is ragged.
Decimal    the file's decimal separator is `,` when more decimal columns write a decimal comma
           than a decimal point, else `.`.
Missing    a cell is missing when, trimmed of spaces and tabs, it is one of MISSING.
Keys       (decided first; a keyed column is always text)
           SIRET  14 digits, at least 90 % of them passing the Luhn check (La Poste's SIRET and
                  a few typos do not); every value, or 98 % under a name saying siret or id.
           SIREN  the same with 9 digits; 98 % under a name saying siren or epci.
           postal code  5 digits under a name saying postal / cp / codpos (98 %).
           INSEE commune  5 digits or 2A/2B + 3 digits, under a commune / insee / com / cog /
                  codgeo / depcom name (98 %), or every value so and one of them Corsican.
           département  01-19, 21-95, 2A, 2B, 971-978, under a dep / departement name (98 %),
                  or every value so and one of them Corsican.
           COG / CODGEO (a geographic code, not saying which): every value a région code ->
                  région; else département codes (98 %) -> département.
           région  an INSEE région code (COG 2016+: 01 02 03 04 06 11 24 27 28 32 44 52 53 75
                  76 84 93 94), under a reg / region name (98 %).
           A year name (exercice, annee, year, an, millesime) is never a key.
Types      over every value of the column, not a sample:
           no value at all -> text; key -> text;
           boolean words only (true/false, vrai/faux, oui/non, yes/no; any case) -> boolean;
           numbers only -> a number, unless they are codes:
               a value with a leading zero (`01`, `01053`) -> text (year names excepted);
               unsigned plain digits (maybe with one decimal separator) under a code name
               (CODE_WORDS, a SIRENE v2 code variable of CODE_NAMES, activitePrincipale*,
               categorieJuridique*) that is not a quantity name -> text;
               unsigned digits of one width of 8 or more, at least two different values, under
               a name that is neither a quantity nor a year -> text;
             otherwise integer when no value has a fraction; decimal (exact: an integer
             count of 10^-scale, scale = the longest fraction) when every value fits a
             signed 64-bit integer at that scale; float when one does not, or has an
             exponent, or more than 15 fraction digits;
           ISO or French dates only (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY) -> date;
           ISO date-times (and dates) only, at least one with a time -> datetime;
           anything else -> text.
Numbers    sign, digits with optional thousands groups (space, no-break spaces, apostrophe),
           one decimal separator (`.`, or `,` for the whole column), optional exponent, and
           an optional trailing euro sign; `.5` is a number.

Cells     for every text column holding digit codes, a few cells (first, last, first with a
           leading zero) that Loupe must give back exactly as written.

Where a rule is ambiguous for one file, OVERRIDES below decides by hand, with the reason.
"""

import csv
import io
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "french")
OUT = os.path.join(ROOT, "tests", "golden", "expected")

MISSING = {"", "na", "n/a", "-", "--", "null", "nd", "n.d.", "n.d", "nan", "#n/a", "none",
           "nc", "n.c.", "#na", "?"}
BOOLEANS = {"true", "false", "vrai", "faux", "oui", "non", "yes", "no"}
YEAR_WORDS = {"exercice", "annee", "year", "an", "millesime"}
CODE_WORDS = {"code", "codes", "cod", "id", "identifiant", "cpv", "nj", "naf", "ape",
              "apet700", "apen700", "siren", "siret", "nic", "insee", "cog", "codgeo",
              "depcom", "depcomen"}
# Whole header names of SIRENE v2 stock variables holding codes of two or more characters
# (INSEE's dictionary: canton, commune, département, urban unit, employment zone, size
# brackets `00`, `01`...). One-digit codes (TU, ORIGINE, TNCC) stay numbers: nothing is lost.
CODE_NAMES = {"ctonet", "tcd", "tefet", "tefen", "depet", "comet", "du", "uu", "zemet"}
QUANTITY_WORDS = {"montant", "amount", "population", "pop", "nombre", "nb", "total", "somme",
                  "valeur", "value", "prix", "price", "count", "effectif", "effectifs",
                  "surface", "taux", "rate", "moyenne", "mean", "eur", "euros", "mio"}
REGIONS = {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75",
           "76", "84", "93", "94"}

# Decisions on the real columns, reviewed by hand (what the rules above give, and why that is
# right); a change of rules that changes one of these needs a reason:
# - INSEE COG `REG` (`01`...`06` only after row 34 000): région, text (leading zeros).
# - DECP `codeCPV` (45214200): text, a code name and 8 digits. `lieuExecution.code` (`83`
#   beside `26300`: département or postal code): text, no key (two kinds of code mixed).
# - SIRENE v2 `EPCI` and OFGL `Code Siren 2024 EPCI`: SIREN. `DEPCOMEN`: INSEE commune.
#   `RPET`/`RPEN`: région; `DEPET`: département; `NJ`, `CTONET`, `TCD`, `TEFEN`: text;
#   `DCRET`, `DDEBACT`, `DCREN` (YYYYMMDD): text. `AMINTRET` (YYYYMM), `DAPET`, `DEFET`,
#   `ESAANN` (years): integers, no zero to lose and the order is right. `TU`, `ORIGINE`,
#   `MONOACT`, `TCA` (one-digit codes) and `SIEGE`, `AUXILT`, `IND_PUBLIPO` (0/1 flags):
#   integers, nothing lost.
# - SIRENE v3 `activitePrincipale*` (`57.10`, a NAF code that a decimal would turn into
#   57.1) and `categorieJuridiqueUniteLegale` (1000): text.
# - LFI `line_code` (1101, a budget line number): text; amounts (`amount_eur`, `cp_eur_*`,
#   `value_*`): integers.
# - OFGL `code_type_budget` (1, 2): text (named a code). `Strate population 2024`,
#   `Tranche revenu par habitant`: integers (ordinal classes: order and ranges mean
#   something). `Exercice`, `annee_join`: integers (years). `Montant`: float (15-digit
#   fractions of millions do not fit an exact 64-bit decimal).
# - INSEE COG `TNCC` (0-8): integer (a one-digit code, nothing lost).
# - OpenFisca `valeur_locative_moyenne_epci`: integer (a quantity; `epci` is not a code word).
# - Datactivist `COG` of the régions table: région; of the départements table: département;
#   `code_departement` / `code_region` of the EPCI table (`07,26`: lists of codes): text,
#   no key.
#
# Hand-written expectations where the rules above are ambiguous for a given file:
# (file stem, column name) -> {"type": ..., "key": ...}, each with why.
OVERRIDES = {
    # No ambiguity found so far; an entry looks like:
    # ("file_stem", "column"): {"type": "text", "key": None, "why": "..."},
}


def words(name):
    """Lower-case, accent-folded words of a header, split at non-letters and camelCase."""
    folded = name
    for a, b in (("àâäÀÂ", "a"), ("éèêëÉÈÊ", "e"), ("îïÎ", "i"), ("ôöÔ", "o"),
                 ("ùûüÛ", "u"), ("çÇ", "c")):
        for ch in a:
            folded = folded.replace(ch, b if ch.islower() else b.upper())
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", folded)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def has_word(name, vocabulary):
    return any(w in vocabulary for w in words(name))


def flat(name):
    """The header as one lower-case string without separators (for substring hints)."""
    return "".join(words(name))


def is_year_name(name):
    return has_word(name, YEAR_WORDS)


def is_code_name(name):
    ws = words(name)
    if has_word(name, QUANTITY_WORDS) or is_year_name(name):
        return False
    pairs = set(zip(ws, ws[1:]))
    return (("activite", "principale") in pairs or ("categorie", "juridique") in pairs
            or any(w in CODE_WORDS for w in ws) or (len(ws) == 1 and ws[0] in CODE_NAMES))


def luhn(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "windows-1252"


def sniff(text):
    head = "\n".join(text.splitlines()[:30])
    best, best_score = ",", (0, 0)
    for d in [",", ";", "\t", "|"]:
        counts = [len(r) for r in csv.reader(io.StringIO(head), delimiter=d) if r]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = d, score
    return best


def present(cells):
    return [c.strip(" \t") for c in cells if c.strip(" \t").lower() not in MISSING]


def most(k, n, hint):
    return k * 50 >= n * 49 if hint else k == n


def key_kind(name, values):
    n = len(values)
    if n == 0 or is_year_name(name):
        return None
    f = flat(name)
    digits = lambda v, w: len(v) == w and v.isdigit()  # noqa: E731
    d14 = [v for v in values if digits(v, 14)]
    if most(len(d14), n, "siret" in f or has_word(name, {"id", "identifiant"})) and \
            sum(map(luhn, d14)) * 10 >= len(d14) * 9:
        return "siret"
    d9 = [v for v in values if digits(v, 9)]
    siren_hint = "siren" in f or has_word(name, {"epci"})
    if most(len(d9), n, siren_hint) and (sum(map(luhn, d9)) * 10 >= len(d9) * 9 or siren_hint):
        return "siren"
    d5 = [v for v in values if digits(v, 5)]
    if ("postal" in f or "postaux" in f or has_word(name, {"cp", "codepostal", "codpos"})) \
            and most(len(d5), n, True):
        return "postal_code"
    corsica = re.compile(r"^2[ABab]")
    commune = [v for v in values if re.fullmatch(r"\d{5}|2[ABab]\d{3}", v)]
    commune_hint = "commune" in f or "insee" in f or has_word(
        name, {"com", "cog", "codgeo", "depcom", "codecommune", "codeinsee", "depcomen"})
    if (commune_hint and most(len(commune), n, True)) or \
            (len(commune) == n and any(corsica.match(v) for v in commune)):
        return "insee_commune"
    dep = [v for v in values if re.fullmatch(r"0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2[ABab]|97[1-8]", v)]
    dep_hint = "departement" in f or has_word(
        name, {"dep", "dept", "dpt", "depart", "codedep", "depet"})
    if (dep_hint and most(len(dep), n, True)) or (len(dep) == n and any(corsica.match(v) for v in dep)):
        return "departement"
    # Région codes are also accepted without their leading zero (`1` for Guadeloupe).
    # A column named only "geographic code" (COG, CODGEO): all région codes -> région (the
    # régions table), else département codes -> département.
    reg = [v for v in values if v in REGIONS or ("0" + v) in REGIONS]
    if has_word(name, {"cog", "codgeo", "codegeo"}):
        if len(reg) == n:
            return "region"
        if most(len(dep), n, True):
            return "departement"
    reg_hint = "region" in f or has_word(name, {"reg", "codereg", "rpet", "rpen"})
    if reg_hint and most(len(reg), n, True):
        return "region"
    return None


NUM = {
    ".": re.compile(r"^[+-]?(?:(\d{1,3}(?:[ \u00a0\u202f']\d{3})+|\d+)(?:\.(\d*))?|\.(\d+))"
                    r"(?:[eE][+-]?\d{1,3})?$"),
    ",": re.compile(r"^[+-]?(?:(\d{1,3}(?:[ \u00a0\u202f'.]\d{3})+|\d+)(?:,(\d*))?|,(\d+))"
                    r"(?:[eE][+-]?\d{1,3})?$"),
}


def number_kind(values, sep):
    """'integer' / 'decimal' / 'float' when every value is a number with `sep`, else None.

    Decimals are exact money: every value is held as an integer count of 10^-scale units,
    scale being the column's longest fraction; when one value does not fit a signed 64-bit
    integer at that scale (or has an exponent, or more than 15 fraction digits), the column
    is float."""
    parsed = []
    for v in values:
        v = re.sub(r"\s*\u00a0?€$", "", v)
        m = NUM[sep].match(v)
        if not m:
            return None
        frac = m.group(2) if m.group(2) is not None else m.group(3)
        mantissa = re.split(r"[eE]", v)[0]
        parsed.append((re.sub(r"\D", "", mantissa) or "0", len(frac or ""), "e" in v.lower()))
    scale = max(f for _, f, _ in parsed)
    if any(e for _, _, e in parsed) or scale > 15:
        return "float"
    if any(int(d) * 10 ** (scale - f) >= 2**63 for d, f, _ in parsed):
        return "float"
    return "integer" if scale == 0 and not any(sep in v for v in values) else "decimal"


def is_date(v):
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v) or None
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{2})[/-](\d{2})[/-](\d{4})", v)
        if not m:
            return False
        d, mo, y = map(int, m.groups())
    import datetime
    try:
        datetime.date(y, mo, d)
        return True
    except ValueError:
        return False


DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def column_type(name, values, key):
    if not values or key:
        return "text"
    if all(v.lower() in BOOLEANS for v in values):
        return "boolean"
    for sep in (".", ","):
        kind = number_kind(values, sep)
        if kind is None:
            continue
        if not is_year_name(name) and any(re.match(r"^[+-]?0\d", v) for v in values):
            return "text"
        plain = all(re.fullmatch(r"\d+([.,]\d+)?", v) for v in values)
        if plain and is_code_name(name):
            return "text"
        widths = {len(v) for v in values}
        if all(v.isdigit() for v in values) and len(widths) == 1 and min(widths) >= 8 \
                and len(set(values)) >= 2 and not has_word(name, QUANTITY_WORDS) \
                and not is_year_name(name):
            return "text"
        return kind
    if all(is_date(v) for v in values):
        return "date"
    timed = [DATETIME.fullmatch(v) for v in values]
    if all(t or is_date(v) for t, v in zip(timed, values)) and any(timed):
        return "datetime"
    return "text"


def witness_cells(cells):
    """Cells of a code column that must come out of Loupe exactly as written: the first and
    the last value, and the first value with a leading zero (`01` after `11`...`94`), by
    0-based data row."""
    rows = [i for i, c in enumerate(cells) if c.strip(" \t").lower() not in MISSING]
    picks = {rows[0], rows[-1]}
    zero = next((i for i in rows if re.match(r"^0\d", cells[i].strip(" \t"))), None)
    if zero is not None:
        picks.add(zero)
    return {str(i): cells[i] for i in sorted(picks)}


def expect(path):
    raw = open(path, "rb").read()
    text, encoding = decode(raw)
    delimiter = sniff(text)
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
               if r and not (len(r) == 1 and r[0].strip(" \t") == "")]
    # The header is the first record at least two thirds as wide as the most common width
    # of the first records (a title line above a table has one or two fields).
    head_counts = [len(r) for r in records[:30]]
    common = max(set(head_counts), key=head_counts.count)
    header_row = next(i for i, c in enumerate(head_counts) if c * 3 >= common * 2)
    header, rows = records[header_row], records[header_row + 1:]
    counts = [len(r) for r in rows]
    data_width = max(set(counts), key=counts.count) if counts else 0
    width = max(len(header), data_width)
    names, seen = [], set()
    for i in range(width):
        raw_name = header[i].strip() if i < len(header) else ""
        name = raw_name or f"colonne_{i + 1}"
        if name in seen:
            k = 2
            while f"{name}_{k}" in seen:
                k += 1
            name = f"{name}_{k}"
        seen.add(name)
        names.append(name)
    columns = []
    stem = os.path.splitext(os.path.basename(path))[0]
    for i, name in enumerate(names):
        cells = [r[i] if i < len(r) else "" for r in rows]
        values = present(cells)
        unnamed = i >= len(header) or header[i].strip() == ""
        if unnamed and not any(c.strip(" \t") for c in cells):
            continue  # an empty unnamed column: a trailing delimiter
        key = key_kind(name, values)
        col = {"name": name, "type": column_type(name, values, key), "key": key}
        override = OVERRIDES.get((stem, name))
        if override:
            col = {"name": name, "type": override["type"], "key": override["key"]}
        if col["type"] == "text" and values and any(v[:1].isdigit() for v in values):
            col["cells"] = witness_cells(cells)
        columns.append(col)
    return stem, {
        "file": os.path.relpath(path, ROOT),
        "encoding": encoding,
        "delimiter": delimiter,
        "header_row": header_row,
        "decimal_separator": decimal_separator(columns, rows, names),
        "rows": len(rows),
        "ragged_rows": sum(1 for c in counts if c != width),
        "columns": columns,
    }


def decimal_separator(columns, rows, names):
    """`,` when more decimal columns write a decimal comma than a decimal point, else `.`."""
    votes = {".": 0, ",": 0}
    for col in columns:
        if col["type"] not in ("decimal", "float"):
            continue
        i = names.index(col["name"])
        values = present(r[i] if i < len(r) else "" for r in rows)
        if any("." in v for v in values):
            votes["."] += 1
        elif any("," in v for v in values):
            votes[","] += 1
    return "," if votes[","] > votes["."] else "."


def main():
    check = "--check" in sys.argv[1:]
    os.makedirs(OUT, exist_ok=True)
    stale = []
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(DATA) for f in fs
                   if f.endswith(".csv"))
    for path in paths:
        stem, exp = expect(path)
        target = os.path.join(OUT, stem + ".json")
        text = json.dumps(exp, ensure_ascii=False, indent=2) + "\n"
        if check:
            old = open(target, encoding="utf-8").read() if os.path.exists(target) else None
            if old != text:
                stale.append(target)
        else:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date:", *stale, sep="\n  ")
        return 1
    print(f"{len(paths)} files {'checked' if check else 'written'} in {os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
