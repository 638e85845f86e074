//! Hand-made SVG charts: rendered on the server (so they print and need no script), with
//! `<title>` tooltips, legends, and links to the deals behind every mark.
use crate::domain::locale::Locale;
use crate::domain::money::{format_compact, format_short};
use leptos::prelude::*;

pub use super::viewport::use_narrow;

fn money(fen: i64, l: Locale) -> String {
    format_compact(fen, "CNY", l)
}

/// The figure a chart writes beside a mark: the table's figure, or a short one on a phone.
fn figure(fen: i64, l: Locale, narrow: bool) -> String {
    if narrow {
        format_short(fen, l)
    } else {
        money(fen, l)
    }
}

/// Stage colours, light to dark along the funnel (the board uses the same ramp).
const RAMP: [&str; 6] = ["#c9d8ff", "#9db8fb", "#7096f0", "#4a76e0", "#2f5bd3", "#1d3f9e"];

fn ramp(i: usize, n: usize) -> &'static str {
    let k = if n <= 1 { RAMP.len() - 1 } else { i * (RAMP.len() - 1) / (n - 1) };
    RAMP.get(k).copied().unwrap_or("#2f5bd3")
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunnelRow {
    pub label: String,
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
    pub ideal: Option<u64>,
    pub href: String,
}

/// The pipeline as a funnel: bar width by deal count, the ideal count as a dashed outline, a
/// gap (fewer deals than the ideal funnel wants) in red.
#[component]
pub fn FunnelChart(rows: Vec<FunnelRow>, locale: Locale, ideal_label: String, #[prop(optional)] narrow: bool) -> impl IntoView {
    // Narrow: a drawing about as wide as a phone, with the ideal count on a third line.
    let (w, row_h, gap, left, right) =
        if narrow { (400.0_f64, 50.0_f64, 8.0_f64, 128.0_f64, 92.0_f64) } else { (760.0_f64, 40.0_f64, 8.0_f64, 150.0_f64, 190.0_f64) };
    let span = w - left - right;
    let max = rows.iter().map(|r| r.count.max(r.ideal.unwrap_or(0))).max().unwrap_or(1).max(1) as f64;
    let n = rows.len();
    let h = (row_h + gap) * n as f64;
    let mid = left + span / 2.0;
    view! {
        <svg class="chart funnel-chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label="funnel" data-testid="funnel-chart">
            {rows.into_iter().enumerate().map(|(i, r)| {
                let y = i as f64 * (row_h + gap);
                let bw = (r.count as f64 / max * span).max(4.0);
                let short = r.ideal.is_some_and(|id| r.count < id);
                let tip = format!("{}: {} · {} · {}", r.label, r.count, money(r.amount_fen, locale), money(r.weighted_fen, locale));
                view! {
                    <a href=r.href.clone() class="chart-link" data-testid="funnel-bar">
                        <title>{tip}</title>
                        <text x=left - 10.0 y=y + row_h / 2.0 + 5.0 text-anchor="end" class="chart-label">{r.label.clone()}</text>
                        <rect x=mid - bw / 2.0 y=y width=bw height=row_h rx="4" fill=ramp(i, n)/>
                        {r.ideal.map(|id| {
                            let iw = (id as f64 / max * span).max(4.0);
                            view! {
                                <rect x=mid - iw / 2.0 y=y + 2.0 width=iw height=row_h - 4.0 rx="4" class="chart-ideal">
                                    <title>{format!("{ideal_label}: {id}")}</title>
                                </rect>
                            }
                        })}
                        <text x=mid y=y + row_h / 2.0 + 5.0 text-anchor="middle" class="chart-count" class:chart-on-dark={i * 2 >= n}>{r.count}</text>
                        <text x=w - right + 10.0 y=y + row_h / 2.0 - if narrow { 9.0 } else { 3.0 } class="chart-value">{figure(r.amount_fen, locale, narrow)}</text>
                        {if narrow {
                            view! {
                                <text x=w - right + 10.0 y=y + row_h / 2.0 + 6.0 class="chart-sub">{figure(r.weighted_fen, locale, narrow)}</text>
                                <text x=w - right + 10.0 y=y + row_h / 2.0 + 20.0 class="chart-sub" class:chart-gap=short>
                                    {r.ideal.map(|id| format!("{ideal_label} {id}"))}
                                </text>
                            }.into_any()
                        } else {
                            view! {
                                <text x=w - right + 12.0 y=y + row_h / 2.0 + 13.0 class="chart-sub" class:chart-gap=short>
                                    {money(r.weighted_fen, locale)}
                                    {r.ideal.map(|id| format!(" · {ideal_label} {id}"))}
                                </text>
                            }.into_any()
                        }}
                    </a>
                }
            }).collect_view()}
        </svg>
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub amount_fen: i64,
    pub weighted_fen: i64,
    pub count: u64,
    pub href: String,
}

/// Amount and weighted amount side by side per group, with a legend.
#[component]
pub fn BarChart(
    rows: Vec<BarRow>,
    locale: Locale,
    amount_label: String,
    weighted_label: String,
    #[prop(optional)] narrow: bool,
) -> impl IntoView {
    let (w, h, top, bottom) = if narrow { (360.0_f64, 262.0_f64, 28.0_f64, 54.0_f64) } else { (560.0_f64, 240.0_f64, 28.0_f64, 44.0_f64) };
    let n = rows.len().max(1) as f64;
    let slot = w / n;
    let bar = (slot * 0.32).min(36.0);
    let max = rows.iter().map(|r| r.amount_fen.max(r.weighted_fen)).max().unwrap_or(1).max(1) as f64;
    let plot = h - top - bottom;
    view! {
        <svg class="chart bar-chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=amount_label.clone()>
            <g class="chart-legend">
                <rect x="0" y="4" width="12" height="12" rx="2" class="fill-amount"/>
                <text x="18" y="15">{amount_label.clone()}</text>
                <rect x="150" y="4" width="12" height="12" rx="2" class="fill-weighted"/>
                <text x="168" y="15">{weighted_label.clone()}</text>
            </g>
            <line x1="0" x2=w y1=h - bottom y2=h - bottom class="chart-axis"/>
            {rows.into_iter().enumerate().map(|(i, r)| {
                let cx = slot * i as f64 + slot / 2.0;
                let ah = r.amount_fen as f64 / max * plot;
                let wh = r.weighted_fen as f64 / max * plot;
                let tip = format!("{}: {} · {} {} · {} {}", r.label, r.count, amount_label, money(r.amount_fen, locale), weighted_label, money(r.weighted_fen, locale));
                view! {
                    <a href=r.href.clone() class="chart-link" data-testid="bar">
                        <title>{tip}</title>
                        <rect x=cx - bar - 1.0 y=h - bottom - ah width=bar height=ah.max(1.0) rx="2" class="fill-amount"/>
                        <rect x=cx + 1.0 y=h - bottom - wh width=bar height=wh.max(1.0) rx="2" class="fill-weighted"/>
                        <text x=cx y=h - bottom - ah - 6.0 text-anchor="middle" class="chart-sub">{figure(r.amount_fen, locale, narrow)}</text>
                        {match r.label.rsplit_once(' ').filter(|_| narrow) {
                            // A phone's slot is narrower than "3–6 months": the last word goes under.
                            Some((head, tail)) => view! {
                                <text x=cx y=h - bottom + 15.0 text-anchor="middle" class="chart-label">
                                    <tspan x=cx>{head.to_owned()}</tspan>
                                    <tspan x=cx dy="13">{tail.to_owned()}</tspan>
                                </text>
                            }.into_any(),
                            None => view! { <text x=cx y=h - bottom + 16.0 text-anchor="middle" class="chart-label">{r.label.clone()}</text> }.into_any(),
                        }}
                        <text x=cx y=h - bottom + if narrow { 43.0 } else { 32.0 } text-anchor="middle" class="chart-sub">{r.count}</text>
                    </a>
                }
            }).collect_view()}
        </svg>
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub fen: i64,
    pub href: Option<String>,
}

/// Week-over-week progress as a waterfall: value at A, each contribution up (green) or down
/// (red), value at B.
#[component]
pub fn Waterfall(start: Step, steps: Vec<Step>, end: Step, locale: Locale, #[prop(optional)] narrow: bool) -> impl IntoView {
    if narrow {
        return waterfall_rows(start, steps, end, locale).into_any();
    }
    let (w, h, top, bottom) = (1200.0_f64, 300.0_f64, 24.0_f64, 40.0_f64);
    let n = steps.len() + 2;
    let slot = w / n as f64;
    let bar = slot * 0.6;
    // The running level after each step; the scale covers every level reached.
    let mut level = start.fen;
    let mut spans = Vec::with_capacity(steps.len());
    for s in &steps {
        // Saturating: a summary at i64::MAX (old saturated arithmetic) must not panic a page.
        let next = level.saturating_add(s.fen);
        spans.push((level, next));
        level = next;
    }
    // The axis starts at zero, so the start and end bars are in proportion to what they show
    // (a cut axis made a 9 % rise look five times bigger); a week's steps are small beside
    // them and carry their amounts as labels. Only a level below zero moves the axis down.
    let min = spans.iter().flat_map(|(a, b)| [*a, *b]).chain([start.fen, end.fen]).min().unwrap_or(0);
    let max = spans.iter().flat_map(|(a, b)| [*a, *b]).chain([start.fen, end.fen]).max().unwrap_or(1);
    let pad = (max.saturating_sub(min) / 4).max(1);
    let lo = if min >= 0 { 0 } else { min.saturating_sub(pad) };
    let hi = max.saturating_add(pad / 2).max(lo.saturating_add(1));
    let plot = h - top - bottom;
    // In f64: hi − lo can exceed i64 when the levels span both signs.
    let y = move |v: i64| top + (hi as f64 - v as f64) / (hi as f64 - lo as f64) * plot;
    let total_bar = move |i: usize, s: &Step, class: &'static str| {
        let x = slot * i as f64 + (slot - bar) / 2.0;
        let (y0, y1) = (y(s.fen.max(lo)), y(lo));
        view! {
            <g>
                <title>{format!("{}: {}", s.label, money(s.fen, locale))}</title>
                <rect x=x y=y0 width=bar height=(y1 - y0).max(1.0) rx="2" class=class data-testid="waterfall-total" data-fen=s.fen.to_string()/>
                <text x=x + bar / 2.0 y=y0 - 6.0 text-anchor="middle" class="chart-sub">{money(s.fen, locale)}</text>
                <text x=x + bar / 2.0 y=h - bottom + 18.0 text-anchor="middle" class="chart-label">{s.label.clone()}</text>
            </g>
        }
    };
    let first = total_bar(0, &start, "fill-total");
    let last = total_bar(n - 1, &end, "fill-total");
    view! {
        <svg class="chart waterfall" viewBox=format!("0 0 {w} {h}") role="img" aria-label="progress" data-testid="waterfall">
            <line x1="0" x2=w y1=y(lo) y2=y(lo) class="chart-axis"/>
            {first}
            {steps.into_iter().zip(spans).enumerate().map(|(i, (s, (a, b)))| {
                let x = slot * (i + 1) as f64 + (slot - bar) / 2.0;
                let (y0, y1) = (y(a.max(b)), y(a.min(b)));
                let up = b >= a;
                let label = format!("{}{}", if up { "+" } else { "−" }, money(s.fen.saturating_abs(), locale));
                let body = view! {
                    <title>{format!("{}: {}", s.label, label)}</title>
                    <rect x=x y=y0 width=bar height=(y1 - y0).max(1.0) rx="2" class=if up { "fill-up" } else { "fill-down" }/>
                    <text x=x + bar / 2.0 y=y0 - 6.0 text-anchor="middle" class="chart-sub">{label.clone()}</text>
                    <text x=x + bar / 2.0 y=h - bottom + 18.0 text-anchor="middle" class="chart-label">{s.label.clone()}</text>
                };
                match s.href {
                    Some(href) => view! { <a href=href class="chart-link" data-testid="waterfall-step">{body}</a> }.into_any(),
                    None => view! { <g>{body}</g> }.into_any(),
                }
            }).collect_view()}
            {last}
        </svg>
    }
    .into_any()
}

/// The waterfall turned on its side for a phone: a row per step, label left, figure right,
/// bars along a zero-based axis, so the labels need no columns a phone does not have.
fn waterfall_rows(start: Step, steps: Vec<Step>, end: Step, locale: Locale) -> impl IntoView {
    let (w, row_h, left, right) = (400.0_f64, 28.0_f64, 112.0_f64, 78.0_f64);
    let mut level = start.fen;
    let mut spans = Vec::with_capacity(steps.len());
    for s in &steps {
        // Saturating: a summary at i64::MAX (old saturated arithmetic) must not panic a page.
        let next = level.saturating_add(s.fen);
        spans.push((level, next));
        level = next;
    }
    let all = || spans.iter().flat_map(|(a, b)| [*a, *b]).chain([start.fen, end.fen]);
    let lo = all().min().unwrap_or(0).min(0);
    let hi = all().max().unwrap_or(1).max(lo.saturating_add(1));
    let plot = w - left - right;
    let x = move |v: i64| left + (v as f64 - lo as f64) / (hi as f64 - lo as f64) * plot;
    let n = steps.len() + 2;
    let h = row_h * n as f64;
    let row = move |i: usize, label: String, a: i64, b: i64, class: &'static str, text: String| {
        let y = row_h * i as f64;
        let (x0, x1) = (x(a.min(b)), x(a.max(b)));
        view! {
            <title>{format!("{label}: {text}")}</title>
            <text x=left - 8.0 y=y + row_h / 2.0 + 4.0 text-anchor="end" class="chart-label">{label.clone()}</text>
            <rect x=x0 y=y + 5.0 width=(x1 - x0).max(1.0) height=row_h - 10.0 rx="2" class=class/>
            <text x=w - 4.0 y=y + row_h / 2.0 + 4.0 text-anchor="end" class="chart-sub">{text}</text>
        }
    };
    let first = row(0, start.label.clone(), lo.max(0).min(start.fen), start.fen, "fill-total", format_short(start.fen, locale));
    let last = row(n - 1, end.label.clone(), lo.max(0).min(end.fen), end.fen, "fill-total", format_short(end.fen, locale));
    view! {
        <svg class="chart waterfall waterfall-rows" viewBox=format!("0 0 {w} {h}") role="img" aria-label="progress" data-testid="waterfall">
            <line x1=x(0) x2=x(0) y1="0" y2=h class="chart-axis"/>
            <g data-testid="waterfall-total" data-fen=start.fen.to_string()>{first}</g>
            {steps.into_iter().zip(spans).enumerate().map(|(i, (s, (a, b)))| {
                let up = b >= a;
                let text = format!("{}{}", if up { "+" } else { "−" }, format_short(s.fen.saturating_abs(), locale));
                let body = row(i + 1, s.label.clone(), a, b, if up { "fill-up" } else { "fill-down" }, text);
                match s.href {
                    Some(href) => view! { <a href=href class="chart-link" data-testid="waterfall-step">{body}</a> }.into_any(),
                    None => view! { <g>{body}</g> }.into_any(),
                }
            }).collect_view()}
            <g data-testid="waterfall-total" data-fen=end.fen.to_string()>{last}</g>
        </svg>
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub label: String,
    pub a: i64,
    pub b: i64,
}

/// Two series over time (forecast and won), with gridlines and point tooltips.
#[component]
pub fn LineChart(points: Vec<Point>, locale: Locale, a_label: String, b_label: String, #[prop(optional)] narrow: bool) -> impl IntoView {
    let (w, h, left, top, bottom) =
        if narrow { (400.0_f64, 260.0_f64, 58.0_f64, 28.0_f64, 30.0_f64) } else { (1200.0_f64, 300.0_f64, 90.0_f64, 28.0_f64, 30.0_f64) };
    let max = points.iter().map(|p| p.a.max(p.b)).max().unwrap_or(1).max(1) as f64;
    let n = points.len().max(2);
    // Room on the right for the last date, written centred under its point.
    let pad = if narrow { 22.0 } else { 10.0 };
    let x = move |i: usize| left + (w - left - pad) * i as f64 / (n - 1) as f64;
    let y = move |v: i64| top + (1.0 - v as f64 / max) * (h - top - bottom);
    let path = |vals: Vec<i64>| {
        vals.iter().enumerate().map(|(i, v)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x(i), y(*v))).collect::<String>()
    };
    // Every other date under the axis; on a phone about four in all.
    let every = if narrow { n.div_ceil(4) } else { 2 };
    let pa = path(points.iter().map(|p| p.a).collect());
    let pb = path(points.iter().map(|p| p.b).collect());
    view! {
        <svg class="chart line-chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=a_label.clone() data-testid="trend-chart">
            <g class="chart-legend">
                <rect x=left y="4" width="14" height="4" class="fill-amount-line"/>
                <text x=left + 20.0 y="10">{a_label.clone()}</text>
                <rect x=left + if narrow { 150.0 } else { 200.0 } y="4" width="14" height="4" class="fill-won-line"/>
                <text x=left + if narrow { 170.0 } else { 220.0 } y="10">{b_label.clone()}</text>
            </g>
            {(0..=4).map(|k| {
                let v = (max * k as f64 / 4.0) as i64;
                view! {
                    <line x1=left x2=w - pad y1=y(v) y2=y(v) class="chart-grid"/>
                    <text x=left - 8.0 y=y(v) + 4.0 text-anchor="end" class="chart-sub">{figure(v, locale, narrow)}</text>
                }
            }).collect_view()}
            <path d=pa class="line-a"/>
            <path d=pb class="line-b"/>
            {points.into_iter().enumerate().map(|(i, p)| view! {
                <g>
                    <title>{format!("{}: {} {} · {} {}", p.label, a_label, money(p.a, locale), b_label, money(p.b, locale))}</title>
                    <circle cx=x(i) cy=y(p.a) r="4" class="dot-a"/>
                    <circle cx=x(i) cy=y(p.b) r="3" class="dot-b"/>
                    {(i % every == 0).then(|| view! { <text x=x(i) y=h - 8.0 text-anchor="middle" class="chart-sub">{p.label.clone()}</text> })}
                </g>
            }).collect_view()}
        </svg>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn step(fen: i64) -> Step {
        Step { label: "s".into(), fen, href: None }
    }

    /// Summaries saturated at the i64 limits (or steps that sum past them) draw, not panic,
    /// in both the wide and the phone form.
    #[test]
    fn a_waterfall_at_the_i64_limits_renders() {
        let owner = Owner::new();
        owner.with(|| {
            for (start, steps, end) in [
                (i64::MAX, vec![i64::MAX, 1], i64::MAX),
                (i64::MIN, vec![i64::MIN, -1, i64::MAX], i64::MIN),
                (0, vec![i64::MAX, i64::MIN], i64::MAX),
                (-5, vec![], 5),
            ] {
                for narrow in [false, true] {
                    let steps = steps.iter().map(|f| step(*f)).collect::<Vec<_>>();
                    let html = view! { <Waterfall start=step(start) steps=steps end=step(end) locale=Locale::En narrow=narrow/> }.to_html();
                    assert!(html.contains("data-testid=\"waterfall\""), "{html}");
                    assert!(!html.contains("NaN") && !html.contains("inf"), "{html}");
                }
            }
        });
    }
}
