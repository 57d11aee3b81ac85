//! A merchant's accent colour on the checkout: the pay button and highlights take it, and the
//! text on it is white or near-black, whichever contrasts more, so it meets WCAG AA (4.5:1)
//! whatever the colour: for any colour one of the two reaches at least 4.58:1.

/// `#RGB` or `#RRGGBB` (any case) as `#rrggbb`; `None` for anything else.
pub fn normalize(text: &str) -> Option<String> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// The text colour on a light accent.
pub const DARK_INK: &str = "#000000";
/// The text colour on a dark accent.
pub const LIGHT_INK: &str = "#ffffff";

fn channel(hex: &str, i: usize) -> f64 {
    let value = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0);
    let c = f64::from(value) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of a normalized `#rrggbb` colour.
pub fn luminance(hex: &str) -> f64 {
    0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2)
}

/// WCAG contrast ratio of two normalized colours, from 1 to 21.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The text colour for a normalized accent: white or near-black, whichever contrasts more.
pub fn ink_for(accent: &str) -> &'static str {
    if contrast(accent, LIGHT_INK) >= contrast(accent, DARK_INK) {
        LIGHT_INK
    } else {
        DARK_INK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_in_both_lengths_and_refused_otherwise() {
        assert_eq!(normalize("#C2410C").as_deref(), Some("#c2410c"));
        assert_eq!(normalize(" #fa0 ").as_deref(), Some("#ffaa00"));
        for bad in ["c2410c", "#c2410", "#gggggg", "red", "#c2410c80", ""] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_text_on_any_accent_meets_aa() {
        assert_eq!(ink_for("#c2410c"), LIGHT_INK);
        assert_eq!(ink_for("#fde047"), DARK_INK);
        assert_eq!(ink_for("#0f172a"), LIGHT_INK);
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        // Every grey and a spread of hues: the chosen ink reaches 4.5:1.
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(85) {
                    let accent = format!("#{r:02x}{g:02x}{b:02x}");
                    let ratio = contrast(&accent, ink_for(&accent));
                    assert!(ratio >= 4.5, "{accent}: {ratio:.2}");
                }
            }
        }
    }
}
