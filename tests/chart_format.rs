//! French and English number formats, one line per case. In the expected strings `_` stands
//! for the narrow no-break space (U+202F, thousands), `~` for the no-break space (U+00A0,
//! before a unit or `%`) and `−` is the real minus sign (U+2212).

use loupe::chart::format::{
    en_compact, en_number, en_percent, fr_change, fr_compact, fr_number, fr_percent,
};

fn spaces(s: &str) -> String {
    s.replace('_', "\u{202F}").replace('~', "\u{A0}")
}

macro_rules! formats {
    ($($name:ident: $got:expr => $want:expr;)*) => {
        $(
            #[test]
            fn $name() {
                assert_eq!($got, spaces($want));
            }
        )*
    };
}

formats! {
    fr_number_zero: fr_number(0.0, 0) => "0";
    fr_number_zero_decimals: fr_number(0.0, 2) => "0,00";
    fr_number_thousands: fr_number(1234.56, 2) => "1_234,56";
    fr_number_millions: fr_number(1_234_567.0, 0) => "1_234_567";
    fr_number_hundreds: fr_number(999.0, 0) => "999";
    fr_number_rounds_half_up: fr_number(2.675, 1) => "2,7";
    fr_number_rounds_to_next_thousand: fr_number(999.9, 0) => "1_000";
    fr_number_negative: fr_number(-1234.5, 1) => "−1_234,5";
    fr_number_negative_zero_has_no_sign: fr_number(-0.004, 2) => "0,00";
    fr_number_nan: fr_number(f64::NAN, 2) => "\u{2013}";
    fr_number_infinity: fr_number(f64::INFINITY, 0) => "\u{2013}";
    en_number_thousands: en_number(1234.56, 2) => "1,234.56";
    en_number_negative: en_number(-1_000_000.0, 0) => "−1,000,000";

    fr_compact_zero: fr_compact(0.0, Some("€")) => "0~€";
    fr_compact_small_decimals: fr_compact(4.56789, None) => "4,57";
    fr_compact_tens: fr_compact(45.67, Some("€")) => "45,7~€";
    fr_compact_hundreds: fr_compact(123.4, Some("€")) => "123~€";
    fr_compact_thousands_in_full: fr_compact(1234.5, Some("€")) => "1_235~€";
    fr_compact_no_k: fr_compact(250_000.0, Some("€")) => "250_000~€";
    fr_compact_below_a_million: fr_compact(999_999.0, Some("€")) => "999_999~€";
    fr_compact_rounds_up_to_a_million: fr_compact(999_999.7, Some("€")) => "1~M€";
    fr_compact_one_million: fr_compact(1_000_000.0, Some("€")) => "1~M€";
    fr_compact_millions: fr_compact(12_300_000.0, Some("€")) => "12,3~M€";
    fr_compact_millions_trailing_zero: fr_compact(12_000_000.0, Some("€")) => "12~M€";
    fr_compact_millions_two_decimals: fr_compact(8_750_000.0, Some("€")) => "8,75~M€";
    fr_compact_hundreds_of_millions: fr_compact(402_000_000.0, Some("€")) => "402~M€";
    fr_compact_promotes_to_billions: fr_compact(999_999_999.0, Some("€")) => "1~Md€";
    fr_compact_promotes_at_rounding: fr_compact(999_950_000.0, Some("€")) => "1~Md€";
    fr_compact_billions: fr_compact(4.5e9, Some("€")) => "4,5~Md€";
    fr_compact_big_billions: fr_compact(580_123_456_789.0, Some("€")) => "580~Md€";
    fr_compact_trillions_stay_billions: fr_compact(3.2e12, Some("€")) => "3_200~Md€";
    fr_compact_negative: fr_compact(-12_300_000.0, Some("€")) => "−12,3~M€";
    fr_compact_negative_small: fr_compact(-5.0, None) => "−5";
    fr_compact_without_unit: fr_compact(12_300_000.0, None) => "12,3~M";
    fr_compact_other_unit: fr_compact(2_500_000.0, Some("hab.")) => "2,5~Mhab.";
    fr_compact_nan: fr_compact(f64::NAN, Some("€")) => "\u{2013}";
    en_compact_millions: en_compact(12_300_000.0, Some("€")) => "€12.3M";
    en_compact_billions: en_compact(4.5e9, Some("€")) => "€4.5B";
    en_compact_thousands: en_compact(1234.5, Some("€")) => "€1,235";
    en_compact_negative: en_compact(-4.5e9, Some("€")) => "−€4.5B";
    en_compact_other_unit: en_compact(2_000_000.0, Some("t")) => "2M t";
    en_compact_no_unit: en_compact(999_999_999.0, None) => "1B";

    fr_percent_share: fr_percent(0.183) => "18,3~%";
    fr_percent_whole: fr_percent(0.18) => "18~%";
    fr_percent_zero: fr_percent(0.0) => "0~%";
    fr_percent_all: fr_percent(1.0) => "100~%";
    fr_percent_rounds: fr_percent(0.23456) => "23,5~%";
    fr_percent_tiny: fr_percent(0.0001) => "<~0,1~%";
    fr_percent_negative: fr_percent(-0.032) => "−3,2~%";
    fr_change_up: fr_change(0.25) => "+25~%";
    fr_change_down: fr_change(-0.032) => "−3,2~%";
    en_percent_share: en_percent(0.183) => "18.3%";
}

// What a number stands for decides how it is written (`loupe::chart::figure`): a rate
// documented as a fraction of one reads as a percentage, a year or a code as stored.
mod figures {
    use super::spaces;
    use loupe::chart::figure::{cell_text, compact, points, Figure};
    use loupe::chart::Locale::{En, Fr};
    use loupe::core::value::Value;

    macro_rules! figures {
        ($($name:ident: $got:expr => $want:expr;)*) => {
            $(
                #[test]
                fn $name() {
                    assert_eq!($got, spaces($want));
                }
            )*
        };
    }

    figures! {
        // Charts: axis ticks, data labels and summary sentences.
        fraction_in_french: compact(0.58, Figure::Fraction, None, Fr) => "58~%";
        fraction_in_english: compact(0.58, Figure::Fraction, None, En) => "58%";
        fraction_three_digits: compact(0.5839, Figure::Fraction, None, Fr) => "58,4~%";
        fraction_small: compact(0.0012, Figure::Fraction, None, Fr) => "0,12~%";
        fraction_zero: compact(0.0, Figure::Fraction, None, En) => "0%";
        fraction_ignores_an_amount_unit: compact(0.1, Figure::Fraction, Some("€"), Fr) => "10~%";
        percent_as_stored: compact(11.06, Figure::Percent, None, Fr) => "11,1~%";
        year_in_a_chart_french: compact(2024.0, Figure::Code, None, Fr) => "2024";
        year_in_a_chart_english: compact(2024.0, Figure::Code, None, En) => "2024";
        code_in_a_chart: compact(45_214_200.0, Figure::Code, None, Fr) => "45214200";
        amount_still_grouped: compact(2024.0, Figure::Amount, None, Fr) => "2_024";
        rate_change_in_points: points(0.021, Figure::Fraction, Fr) => "+2,1~points";
        rate_change_under_two_points: points(-0.005, Figure::Fraction, Fr) => "−0,5~point";
        rate_change_in_points_english: points(2.0, Figure::Percent, En) => "+2~points";

        // Tables: the stored precision, never more, never less.
        table_fraction_keeps_its_digits: cell_text(&Value::Float(0.1106), Figure::Fraction, Fr) => "11,06~%";
        table_fraction_round: cell_text(&Value::Float(0.58), Figure::Fraction, Fr) => "58~%";
        table_fraction_english: cell_text(&Value::Float(0.063), Figure::Fraction, En) => "6.3%";
        table_fraction_zero: cell_text(&Value::Float(0.0), Figure::Fraction, Fr) => "0~%";
        table_fraction_decimal: cell_text(&Value::Decimal { units: 1106, scale: 4 }, Figure::Fraction, Fr) => "11,06~%";
        table_percent: cell_text(&Value::Decimal { units: 1106, scale: 2 }, Figure::Percent, Fr) => "11,06~%";
        table_year_french: cell_text(&Value::Int(2024), Figure::Code, Fr) => "2024";
        table_year_english: cell_text(&Value::Int(2024), Figure::Code, En) => "2024";
        table_amount_french: cell_text(&Value::Int(2024), Figure::Amount, Fr) => "2_024";
        table_amount_decimal: cell_text(&Value::Decimal { units: 123_456, scale: 2 }, Figure::Amount, Fr) => "1_234,56";
        table_null_is_empty: cell_text(&Value::Null, Figure::Fraction, Fr) => "";
        table_text_as_is: cell_text(&Value::Text("2A004".into()), Figure::Code, Fr) => "2A004";
    }
}
