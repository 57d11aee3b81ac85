//! QR codes as SVG, drawn by the server so the page ships no encoder.

use crate::error::{Error, Result};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::QrCode;

/// An SVG QR code of `text`, at least 200 pixels wide with its quiet zone.
pub fn svg(text: &str) -> Result<String> {
    let code = QrCode::new(text.as_bytes()).map_err(Error::internal)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

pub fn response(text: &str) -> Result<Response> {
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        svg(text)?,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_svg() {
        let image = svg("tron:TAbc?amount=8.34&token=USDT").unwrap();
        assert!(image.contains("<svg"), "{image}");
        assert!(image.contains("#000000"));
    }
}
