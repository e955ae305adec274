//! SVG charts, drawn as markup text (pure functions: testable without a browser).

use redmud_domain::{BasisPoints, Fen, Kg, Ratio};

use crate::format;
use crate::i18n::Lang;

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

/// A round axis maximum at or above `max` (1, 2 or 5 × a power of ten; at least 1).
fn nice_max(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1u64, 2, 5] {
            let candidate = step.saturating_mul(m);
            if candidate >= max || candidate == u64::MAX {
                return candidate.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Grouped bars per period (e.g. quarters): red mud generated next to red mud utilized, with a
/// legend and a tonnes axis. `rows` are (period label, generated, utilized); `names` the two
/// series' names.
pub fn generated_vs_utilized(
    title: &str,
    rows: &[(String, Kg, Kg)],
    names: (&str, &str),
    lang: Lang,
) -> String {
    let (h, top, bottom, left) = (300.0, 36.0, 48.0, 84.0);
    let band = 84.0;
    let w = left + band * rows.len().max(1) as f64 + 16.0;
    let plot = h - top - bottom;
    let max_t = rows
        .iter()
        .map(|(_, g, u)| g.kg().max(u.kg()).div_ceil(1_000))
        .max()
        .unwrap_or(0);
    let scale_t = nice_max(max_t);
    // Display only: a share of the axis for drawing, never summed.
    let share = |kg: Kg| (kg.kg() as f64 / 1_000.0 / scale_t as f64).clamp(0.0, 1.0);
    let y_of = |s: f64| top + plot * (1.0 - s);
    let mut svg = format!(
        r#"<svg class="chart quarters" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for i in 0..=4u64 {
        let y = y_of(i as f64 / 4.0);
        let tick = Kg::new(scale_t.saturating_mul(1_000) / 4 * i).unwrap_or(Kg::ZERO);
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e3e7ec"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#5b6673">{}</text>"##,
            w - 16.0,
            left - 6.0,
            y + 4.0,
            escape(&format::tonnes(tick, lang))
        ));
    }
    let colours = ["#7a8899", "#2e7d32"];
    for (k, (name, colour)) in [names.0, names.1].iter().zip(colours).enumerate() {
        let x = left + 160.0 * k as f64;
        svg.push_str(&format!(
            r##"<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/><text x="{}" y="18" font-size="12" fill="#1d2733">{}</text>"##,
            x + 16.0,
            escape(name)
        ));
    }
    for (i, (label, generated, utilized)) in rows.iter().enumerate() {
        let x = left + band * i as f64 + 12.0;
        for (k, (kg, colour)) in [(*generated, colours[0]), (*utilized, colours[1])]
            .into_iter()
            .enumerate()
        {
            let s = share(kg);
            let name = if k == 0 { names.0 } else { names.1 };
            svg.push_str(&format!(
                r##"<rect class="bar" x="{:.1}" y="{:.1}" width="28" height="{:.1}" fill="{colour}"><title>{} {}: {}</title></rect>"##,
                x + 30.0 * k as f64,
                y_of(s),
                plot * s,
                escape(label),
                escape(name),
                escape(&format::tonnes(kg, lang))
            ));
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1d2733">{}</text>"##,
            x + 29.0,
            h - bottom + 18.0,
            escape(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Two horizontal bars: money awarded and disbursed (yuan / 万元 labels); `names` the two bars'
/// names.
pub fn awarded_vs_disbursed(
    title: &str,
    awarded: Fen,
    disbursed: Fen,
    names: (&str, &str),
    lang: Lang,
) -> String {
    let (w, h, left, right) = (640.0, 104.0, 120.0, 150.0);
    let inner = w - left - right;
    let max = awarded.fen().max(disbursed.fen()).max(1);
    let mut svg = format!(
        r#"<svg class="chart funding" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(title)
    );
    for (i, (name, amount, colour)) in [
        (names.0, awarded, "#1f5fa8"),
        (names.1, disbursed, "#2e7d32"),
    ]
    .into_iter()
    .enumerate()
    {
        let y = 16.0 + 44.0 * i as f64;
        // Display only: the bar's share of the larger amount.
        let width = inner * (amount.fen() as f64 / max as f64);
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="end" fill="#1d2733">{}</text><rect class="bar" x="{left}" y="{y:.1}" width="{width:.1}" height="26" rx="3" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="13" fill="#1d2733">{}</text>"##,
            left - 8.0,
            y + 18.0,
            escape(name),
            left + width + 8.0,
            y + 18.0,
            escape(&format::money(amount, lang))
        ));
    }
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

    #[test]
    fn quarters_draw_two_labelled_bars_per_period_on_a_round_axis() {
        let t = |tonnes: u64| Kg::from_tonnes(tonnes).unwrap_or(Kg::ZERO);
        let rows = vec![
            ("2026-Q1".to_owned(), t(1_000), t(300)),
            ("2026-Q2".to_owned(), t(1_800), t(450)),
        ];
        let svg = generated_vs_utilized("q", &rows, ("产生", "利用"), Lang::Zh);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 4);
        assert!(svg.contains("2026-Q2") && svg.contains("产生") && svg.contains("利用"));
        assert_eq!(nice_max(1_800), 2_000);
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(5_001), 10_000);
    }

    #[test]
    fn funding_bars_scale_to_the_larger_amount() {
        let yuan = |y: u64| Fen::from_yuan(y).unwrap_or(Fen::ZERO);
        let svg = awarded_vs_disbursed("f", yuan(2_000_000), yuan(500_000), ("a", "d"), Lang::En);
        assert!(svg.contains(r#"width="370.0""#), "{svg}");
        assert!(svg.contains(r#"width="92.5""#), "{svg}");
    }
}
