//! SVG charts, drawn as markup text (pure functions: testable without a browser).

use redmud_domain::{BasisPoints, Ratio};

use crate::format;

/// Escapes text for SVG/HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn bp_share(bp: BasisPoints, scale_bp: u16) -> f64 {
    f64::from(bp.get()) / f64::from(scale_bp)
}

fn ratio_share(rate: Ratio, scale_bp: u16) -> f64 {
    (rate.approx_f64() * 10_000.0 / f64::from(scale_bp)).clamp(0.0, 1.0)
}

/// The scale of a rate axis: 30 %, or more when a value exceeds it (rounded up to 10 %).
fn scale_for(rates: impl Iterator<Item = Ratio>) -> u16 {
    let max = rates
        .map(|r| r.to_basis_points_rounded())
        .max()
        .unwrap_or(0);
    let max = u16::try_from(max.min(10_000)).unwrap_or(10_000);
    max.div_ceil(1_000).saturating_mul(1_000).max(3_000)
}

/// A progress bar of the province rate against the goal milestones (e.g. 15 % for 2027, 25 % for
/// 2030), labelled with `title`.
pub fn progress(title: &str, rate: Option<Ratio>, goals: &[(BasisPoints, String)]) -> String {
    let (w, h, left, right) = (640.0, 96.0, 16.0, 16.0);
    let inner = w - left - right;
    let scale = scale_for(rate.into_iter());
    let mut svg = format!(
        r#"<svg class="chart progress" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    svg.push_str(&format!(
        r##"<rect x="{left}" y="34" width="{inner}" height="22" rx="4" fill="#e8edf3"/>"##
    ));
    if let Some(rate) = rate {
        let width = inner * ratio_share(rate, scale);
        svg.push_str(&format!(
            r##"<rect class="bar" x="{left}" y="34" width="{width:.1}" height="22" rx="4" fill="#b3261e"/>"##
        ));
        svg.push_str(&format!(
            r##"<text x="{left}" y="24" font-size="16" font-weight="600" fill="#1d2733">{}</text>"##,
            escape(&format::percent(rate))
        ));
    }
    for (goal, label) in goals {
        let x = left + inner * bp_share(*goal, scale);
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" y1="28" x2="{x:.1}" y2="62" stroke="#1d2733" stroke-width="2" stroke-dasharray="4 3"/><text x="{x:.1}" y="80" font-size="13" text-anchor="middle" fill="#1d2733">{}</text>"##,
            escape(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A vertical bar chart of rates by region with a dashed target line; `rows` are (label, rate).
pub fn rate_bars(
    title: &str,
    rows: &[(String, Option<Ratio>)],
    target: BasisPoints,
    target_label: &str,
) -> String {
    let (h, top, bottom, left) = (300.0, 24.0, 64.0, 48.0);
    let band = 72.0;
    let w = left + band * rows.len().max(1) as f64 + 16.0;
    let plot = h - top - bottom;
    let scale = scale_for(rows.iter().filter_map(|(_, r)| *r));
    let y_of = |share: f64| top + plot * (1.0 - share);
    let mut svg = format!(
        r#"<svg class="chart bars" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    // Axis ticks every 5 %.
    let mut tick = 0u16;
    while tick <= scale {
        let y = y_of(f64::from(tick) / f64::from(scale));
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e3e7ec"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#5b6673">{}%</text>"##,
            w - 16.0,
            left - 6.0,
            y + 4.0,
            tick / 100
        ));
        tick += 500;
    }
    for (i, (label, rate)) in rows.iter().enumerate() {
        let x = left + band * i as f64 + 14.0;
        if let Some(rate) = rate {
            let share = ratio_share(*rate, scale);
            let y = y_of(share);
            let fill = if rate.meets(target) {
                "#2e7d32"
            } else {
                "#b3261e"
            };
            svg.push_str(&format!(
                r##"<rect class="bar" x="{x:.1}" y="{y:.1}" width="44" height="{:.1}" fill="{fill}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#1d2733">{}</text>"##,
                plot * share,
                escape(label),
                escape(&format::percent(*rate)),
                x + 22.0,
                y - 4.0,
                escape(&format::percent(*rate))
            ));
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1d2733">{}</text>"##,
            x + 22.0,
            h - bottom + 18.0,
            escape(label)
        ));
    }
    let ty = y_of(bp_share(target, scale));
    svg.push_str(&format!(
        r##"<line x1="{left}" y1="{ty:.1}" x2="{}" y2="{ty:.1}" stroke="#1d2733" stroke-width="2" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2733">{}</text>"##,
        w - 16.0,
        w - 16.0,
        ty - 6.0,
        escape(target_label)
    ));
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_labelled_escaped_and_coloured_by_target() {
        let rows = vec![
            ("贵阳".to_owned(), Ratio::new(1, 5).ok()),
            ("<b>".to_owned(), Ratio::new(1, 10).ok()),
            ("none".to_owned(), None),
        ];
        let svg = rate_bars("t", &rows, BasisPoints::saturating(1_500), "15%");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains("20.0%") && svg.contains("10.0%"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains("#2e7d32") && svg.contains("#b3261e"));
    }

    #[test]
    fn progress_marks_each_goal() {
        let goals = vec![
            (BasisPoints::saturating(1_500), "2027 15%".to_owned()),
            (BasisPoints::saturating(2_500), "2030 25%".to_owned()),
        ];
        let svg = progress("p", Ratio::new(12, 100).ok(), &goals);
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
        assert!(svg.contains("12.0%") && svg.contains("2030 25%"));
        // 12 % of a 30 % scale is 40 % of the 608-unit track.
        assert!(svg.contains(r#"width="243.2""#), "{svg}");
    }
}
