//! The overview's chart, drawn on the server as SVG (no script): calls per dialect per day,
//! one line per mounted dialect, with the same numbers in a table for screen readers.

use maud::{html, Markup};
use rosetta_core::Timestamp;

use super::time;

/// One line: a dialect and its calls on each day of the chart.
pub struct Series<'a> {
    pub dialect: &'a str,
    pub calls: Vec<i64>,
}

/// Colours with a contrast of at least 4.5:1 on white, and a dash pattern each, so that the
/// lines are told apart without colour too.
const STYLES: &[(&str, &str)] = &[
    ("#1f4e9c", "none"),
    ("#b3261e", "6 3"),
    ("#1b6e3a", "2 3"),
    ("#6b3fa0", "8 3 2 3"),
    ("#8a4b00", "4 4"),
    ("#00606b", "1 2"),
];

pub fn style(i: usize) -> (&'static str, &'static str) {
    STYLES[i % STYLES.len()]
}

const WIDTH: i64 = 720;
const HEIGHT: i64 = 300;
const LEFT: i64 = 56;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 40;

/// The smallest of 1, 2, 5 times a power of ten at or above `max`, so the axis reads evenly.
fn axis_top(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max.max(1) {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// SVG elements are written with a closing tag (`{}`, never maud's void `;`): inside HTML an
/// SVG `<line>` without one stays open, and everything after it (tick labels, the day dots)
/// became its children, which a browser does not draw.
pub fn chart(days: &[Timestamp], series: &[Series<'_>]) -> Markup {
    let max = series
        .iter()
        .flat_map(|s| s.calls.iter().copied())
        .max()
        .unwrap_or(0);
    let top = axis_top(max);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = i64::try_from(days.len()).unwrap_or(1).max(2);
    let x = |i: usize| LEFT + i64::try_from(i).unwrap_or(0) * plot_w / (n - 1);
    let y = |v: i64| TOP + plot_h - v * plot_h / top;
    let ticks = [0, top / 2, top];
    let first = days.first().map(|d| time::day(*d)).unwrap_or_default();
    let last = days.last().map(|d| time::day(*d)).unwrap_or_default();
    html! {
        figure class="chart" {
            svg id="calls-chart" role="img" aria-labelledby="calls-chart-title"
                viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) preserveAspectRatio="xMidYMid meet" {
                title id="calls-chart-title" {
                    "Calls per dialect per day, " (first) " to " (last) " (UTC)"
                }
                g class="axes" {
                    @for t in ticks {
                        line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y(t)) y2=(y(t)) stroke="#c8c8c8" stroke-width="1" {}
                        text x=(LEFT - 8) y=(y(t) + 4) text-anchor="end" font-size="12" fill="#1a1a1a" { (t) }
                    }
                    text x=(LEFT) y=(HEIGHT - 12) text-anchor="start" font-size="12" fill="#1a1a1a" { (first) }
                    text x=(WIDTH - RIGHT) y=(HEIGHT - 12) text-anchor="end" font-size="12" fill="#1a1a1a" { (last) }
                }
                @for (i, s) in series.iter().enumerate() {
                    @let (colour, dash) = style(i);
                    g class="series" data-dialect=(s.dialect) {
                        polyline fill="none" stroke=(colour) stroke-width="2" stroke-dasharray=(dash)
                            points=(points(&s.calls, &x, &y)) {}
                        @for (d, v) in s.calls.iter().enumerate() {
                            circle cx=(x(d)) cy=(y(*v)) r="3" fill=(colour) data-day=(days.get(d).map(|t| time::day(*t)).unwrap_or_default()) data-calls=(v) {
                                title { (s.dialect) ", " (days.get(d).map(|t| time::day(*t)).unwrap_or_default()) ": " (v) " calls" }
                            }
                        }
                    }
                }
            }
            figcaption {
                ul class="legend" aria-label="Legend" {
                    @for (i, s) in series.iter().enumerate() {
                        @let (colour, dash) = style(i);
                        li data-dialect=(s.dialect) {
                            svg class="swatch" width="28" height="12" viewBox="0 0 28 12" aria-hidden="true" {
                                line x1="0" x2="28" y1="6" y2="6" stroke=(colour) stroke-width="3" stroke-dasharray=(dash) {}
                            }
                            " " (s.dialect) " (" (s.calls.iter().sum::<i64>()) " calls)"
                        }
                    }
                }
            }
        }
        table id="calls-table" class="visually-hidden" {
            caption { "Calls per dialect per day (UTC)" }
            thead {
                tr {
                    th scope="col" { "Day" }
                    @for s in series { th scope="col" { (s.dialect) } }
                }
            }
            tbody {
                @for (d, day) in days.iter().enumerate() {
                    tr data-day=(time::day(*day)) {
                        th scope="row" { time datetime=(time::day(*day)) { (time::day(*day)) } }
                        @for s in series { td data-dialect=(s.dialect) { (s.calls.get(d).copied().unwrap_or(0)) } }
                    }
                }
            }
        }
    }
}

fn points(calls: &[i64], x: &impl Fn(usize) -> i64, y: &impl Fn(i64) -> i64) -> String {
    calls
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{},{}", x(i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::axis_top;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(1), 1);
        assert_eq!(axis_top(3), 5);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(11), 20);
        assert_eq!(axis_top(499), 500);
    }
}
