//! The executive dashboard: headline figures, the funnel against the ideal funnel,
//! close-time and category bars, the week's progress as a waterfall, the 13-week trend and
//! the rep table. Every figure links to the deals behind it.
use super::stage_name;
use crate::api::forecast::{load_dashboard, load_drill};
use crate::components::charts::{use_narrow, BarChart, BarRow, FunnelChart, FunnelRow, LineChart, Point, Step, Waterfall};
use crate::components::money::{DateText, Money};
use crate::components::states::{EmptyState, ErrorNotice, Skeleton};
use crate::domain::dashboard::{Dashboard, Drill, RepRow};
use crate::domain::locale::Locale;
use crate::i18n::{bucket_name, category_name, ramp_metric_name, ramp_phase_name, use_i18n, K};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn drill_href(d: Drill) -> String {
    format!("/forecast/deals?what={}", d.code())
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |p| format!("{p:.0}%"))
}

fn times(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |c| format!("{c:.2}×"))
}

#[component]
pub fn ForecastPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let pipeline = Memo::new(move |_| query.read().get("pipeline").and_then(|s| s.parse::<uuid::Uuid>().ok()));
    let data = Resource::new(move || pipeline.get(), load_dashboard);
    // A large book's history figures are computed in the background: ask again until they are in.
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            if d.history_at.is_none() || !d.trend_complete {
                set_timeout(move || data.refetch(), std::time::Duration::from_secs(3));
            }
        }
    });
    view! {
        <Title text=move || i18n.t(K::ForecastTitle).to_owned()/>
        <Transition fallback=|| view! { <Skeleton rows=8/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(d) => view! { <DashboardView d=d/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let l = move || i18n.locale();
    let narrow = use_narrow();
    let scope = match d.scope.as_str() {
        "all" => K::ScopeAll,
        "teams" => K::ScopeTeams,
        _ => K::ScopeOwn,
    };
    let quarter =
        format!("{}Q{}", d.quarter_start.format("%Y "), (d.quarter_start.format("%m").to_string().parse::<u32>().unwrap_or(1) - 1) / 3 + 1);
    let progress = d.progress.clone();
    let up = progress.total_fen >= 0;
    let pipelines = d.pipelines.clone();
    let current = d.pipeline.id;
    let funnel_src = d.funnel.clone();
    let funnel_rows = move || {
        funnel_src
            .iter()
            .map(|b| FunnelRow {
                label: stage_name(&b.stage, l()),
                count: b.totals.count,
                amount_fen: b.totals.amount_fen,
                weighted_fen: b.totals.weighted_fen,
                ideal: b.ideal,
                href: drill_href(Drill::Stage(b.stage.id)),
            })
            .collect::<Vec<_>>()
    };
    let funnel = d.funnel.clone();
    let buckets = d.buckets.clone();
    let categories = d.categories.clone();
    let trend = d.trend.clone();
    let reps = d.reps.clone();
    let unfunneled = d.unfunneled.clone();
    let (unfunneled_total, unfunneled_shown) = (d.unfunneled_total, d.unfunneled.len() as u64);
    let ramp = d.ramp.clone();
    let history_at = d.history_at;
    let trend_complete = d.trend_complete;
    let history_note = move || match history_at {
        None => view! { <p class="cell-sub" data-testid="history-pending">{move || i18n.t(K::HistoryPending)}</p> }.into_any(),
        Some(t) => {
            let local = chrono::FixedOffset::east_opt(8 * 3600)
                .map_or_else(|| t.format("%H:%M UTC").to_string(), |o| t.with_timezone(&o).format("%H:%M").to_string());
            view! { <p class="cell-sub muted">{move || i18n.t(K::HistoryAsOf)} " " {local.clone()}</p> }.into_any()
        }
    };
    let empty = funnel.iter().all(|b| b.totals.count == 0) && d.won_fen == 0;
    view! {
        <div class="page-head">
            <div>
                <h1>{move || i18n.t(K::ForecastTitle)}</h1>
                <p class="lead" data-testid="forecast-scope">{quarter} " · " {move || i18n.t(scope)} " · " <DateText date=d.today/></p>
            </div>
            <div class="head-actions no-print">
                <form method="GET" action="/forecast" class="inline-form">
                    <select name="pipeline" aria-label=move || i18n.t(K::PipelineLabel) on:change=move |ev| crate::components::auto_submit::submit_own_form(&ev)>
                        {pipelines.into_iter().map(|p| {
                            let (en, zh) = (p.name_en.clone(), p.name_zh.clone());
                            view! { <option value=p.id.to_string() selected=p.id == current>{move || if l() == Locale::ZhCn { zh.clone() } else { en.clone() }}</option> }
                        }).collect_view()}
                    </select>
                    <noscript><button type="submit" class="btn">{move || i18n.t(K::Apply)}</button></noscript>
                </form>
                <a class="btn" href="/objections" data-testid="objection-report-link">{move || i18n.t(K::ObjectionReportTitle)}</a>
                // Managers set their teams' quotas; whoever sees more than their own has the link.
                {(d.scope != "own").then(|| view! { <a class="btn" href="/quotas" data-testid="quotas-link">{move || i18n.t(K::QuotasLink)}</a> })}
                <button type="button" class="btn" on:click=move |_| { let _ = window().print(); }>{move || i18n.t(K::Print)}</button>
            </div>
        </div>
        {empty.then(|| view! { <div class="panel"><EmptyState text=K::DashboardEmpty/></div> })}
        <section class="kpis" data-testid="forecast-kpis">
            <div class="kpi kpi-accent">
                <span class="kpi-label">{move || i18n.t(K::KpiForecastQuarter)}</span>
                <a class="kpi-value" href="/forecast/deals?what=bucket:m3" data-testid="kpi-forecast"><Money fen=d.forecast_fen/></a>
                <span class="kpi-sub">{move || i18n.t(K::KpiForecastQuarterSub)}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{move || i18n.t(K::KpiWonQuarter)}</span>
                <a class="kpi-value" href=drill_href(Drill::Bucket("won".into()))><Money fen=d.won_fen/></a>
                <span class="kpi-sub">{move || i18n.t(K::KpiWonQuarterSub)}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{move || i18n.t(K::KpiQuota)}</span>
                <span class="kpi-value"><Money fen=d.quota_fen/></span>
            </div>
            <div class="kpi" class:kpi-warn=d.coverage.is_some_and(|c| c < 1.0)>
                <span class="kpi-label">{move || i18n.t(K::KpiCoverage)}</span>
                <span class="kpi-value" data-testid="kpi-coverage">{times(d.coverage)}</span>
            </div>
            <div class="kpi" class:kpi-up=up class:kpi-down=!up>
                <span class="kpi-label">{move || i18n.t(K::KpiProgressWeek)}</span>
                <span class="kpi-value" data-testid="kpi-progress">{if up { "▲ " } else { "▼ " }}<Money fen=progress.total_fen.abs()/></span>
            </div>
        </section>
        <div class="grid-2 dash-grid">
            <section class="panel chart-panel">
                <h2 class="panel-title">{move || i18n.t(K::FunnelTitle)}</h2>
                <p class="cell-sub">{move || i18n.t(K::IdealLead)} " " <Money fen=d.ideal_target_fen/> " · " {move || i18n.t(K::AvgDeal)} " " <Money fen=d.avg_won_fen/></p>
                {move || view! { <FunnelChart rows=funnel_rows() locale=l() ideal_label=i18n.t(K::IdealLabel).to_owned() narrow=narrow.get()/> }}
            </section>
            <section class="panel chart-panel">
                <h2 class="panel-title">{move || i18n.t(K::CycleTitle)}</h2>
                {history_note}
                <p class="cell-sub">{move || i18n.t(K::ForecastWinRate)} " " <strong>{pct(d.win_rate_pct)}</strong> " · " {move || i18n.t(K::AvgCycle)} " "
                    <strong>{d.avg_cycle_days.map_or_else(|| "—".into(), |v| format!("{v:.0}"))}</strong> " " {move || i18n.t(K::Days)}</p>
                <table class="table table-compact">
                    <thead><tr>
                        <th>{move || i18n.t(K::ColStage)}</th>
                        <th class="num">{move || i18n.t(K::ColTarget)}</th>
                        <th class="num">{move || i18n.t(K::ColConversion)}</th>
                        <th class="num">{move || i18n.t(K::ColAvgDays)}</th>
                        <th class="num">{move || i18n.t(K::ColStuck)}</th>
                    </tr></thead>
                    <tbody>
                        {funnel.into_iter().map(|b| {
                            let st = b.stage.clone();
                            let below = matches!((b.conversion_pct, b.target_conversion_pct), (Some(a), Some(t)) if a < f64::from(t));
                            view! {
                                <tr>
                                    <td>{move || stage_name(&st, l())}</td>
                                    <td class="num">{b.target_conversion_pct.map_or_else(|| "—".into(), |t| format!("{t}%"))}</td>
                                    <td class="num" class:text-red=below>{pct(b.conversion_pct)}</td>
                                    <td class="num">{b.avg_days.map_or_else(|| "—".into(), |v| format!("{v:.0}"))}</td>
                                    <td class="num" class:text-amber={b.stuck > 0}>{b.stuck}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="panel chart-panel">
                <h2 class="panel-title">{move || i18n.t(K::ByCloseTitle)}</h2>
                {move || view! { <BarChart
                    rows=buckets.iter().map(|b| BarRow { label: bucket_name(l(), &b.code).to_owned(), amount_fen: b.totals.amount_fen, weighted_fen: b.totals.weighted_fen, count: b.totals.count, href: drill_href(Drill::Bucket(b.code.clone())) }).collect()
                    locale=l() amount_label=i18n.t(K::ColAmount).to_owned() weighted_label=i18n.t(K::ColWeighted).to_owned() narrow=narrow.get()/> }}
            </section>
            <section class="panel chart-panel">
                <h2 class="panel-title">{move || i18n.t(K::ByCategoryTitle)}</h2>
                {move || view! { <BarChart
                    rows=categories.iter().map(|b| BarRow { label: category_name(l(), &b.code).to_owned(), amount_fen: b.totals.amount_fen, weighted_fen: b.totals.weighted_fen, count: b.totals.count, href: drill_href(Drill::Category(b.code.clone())) }).collect()
                    locale=l() amount_label=i18n.t(K::ColAmount).to_owned() weighted_label=i18n.t(K::ColWeighted).to_owned() narrow=narrow.get()/> }}
            </section>
        </div>
        <section class="panel chart-panel">
            <h2 class="panel-title">{move || i18n.t(K::ProgressTitle)} " · " <DateText date=progress.from/> " → " <DateText date=progress.to/></h2>
            <p class="cell-sub" data-testid="progress-lead">{move || i18n.t(K::ProgressLead)}</p>
            {move || {
                let p = &progress.parts;
                let parts = [
                    (K::ContribNew, p.new_fen, "new"),
                    (K::ContribUp, p.moved_up_fen, "moved_up"),
                    (K::ContribDown, p.moved_down_fen, "moved_down"),
                    (K::ContribAmount, p.amount_changed_fen, "amount_changed"),
                    (K::ContribWon, p.won_fen, "won"),
                    (K::ContribLost, p.lost_fen, "lost"),
                    (K::ContribSlipped, p.slipped_fen, "slipped"),
                    (K::ContribPulledIn, p.pulled_in_fen, "pulled_in"),
                    (K::ContribOther, p.other_fen, "other"),
                ];
                view! { <Waterfall
                    start=Step { label: i18n.t(K::ProgressStart).to_owned(), fen: progress.value_from_fen, href: None }
                    steps=parts.into_iter().map(|(k, fen, code)| Step { label: i18n.t(k).to_owned(), fen, href: Some(drill_href(Drill::Progress(code.into()))) }).collect()
                    end=Step { label: i18n.t(K::ProgressEnd).to_owned(), fen: progress.value_to_fen, href: None }
                    locale=l() narrow=narrow.get()/> }
            }}
        </section>
        <section class="panel chart-panel">
            <h2 class="panel-title">{move || i18n.t(K::TrendTitle)}</h2>
            <p class="cell-sub">{move || i18n.t(K::TrendLead)}</p>
            {(!trend_complete).then(|| view! { <p class="cell-sub" data-testid="trend-pending">{move || i18n.t(K::HistoryPending)}</p> })}
            {move || view! { <LineChart
                points=trend.iter().map(|t| Point { label: t.week_end.format("%m-%d").to_string(), a: t.forecast_fen, b: t.won_fen }).collect()
                locale=l() a_label=i18n.t(K::TrendForecast).to_owned() b_label=i18n.t(K::TrendWon).to_owned() narrow=narrow.get()/> }}
        </section>
        <RepTable reps=reps/>
        <div class="grid-2 dash-grid">
            <section class="panel table-wrap">
                <h2 class="panel-title">{move || i18n.t(K::UnfunneledTitle)}</h2>
                <p class="cell-sub">{move || i18n.t(K::UnfunneledLead)}</p>
                {if history_at.is_none() {
                    view! { <p class="muted">{move || i18n.t(K::HistoryPending)}</p> }.into_any()
                } else if unfunneled.is_empty() {
                    view! { <p class="muted">{move || i18n.t(K::NothingHere)}</p> }.into_any()
                } else {
                    view! {
                        <table class="table table-compact" data-testid="unfunneled">
                            <thead><tr><th>{move || i18n.t(K::ColName)}</th><th>{move || i18n.t(K::ColOwner)}</th><th class="num">{move || i18n.t(K::ColAmount)}</th><th class="num">{move || i18n.t(K::Days)}</th></tr></thead>
                            <tbody>
                                {unfunneled.into_iter().map(|u| view! {
                                    <tr><td><a href=format!("/deals/{}", u.id)>{u.name}</a></td><td>{u.owner}</td><td class="num"><Money fen=u.amount_fen/></td><td class="num">{u.note}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(unfunneled_total > unfunneled_shown).then(|| view! {
                            <p class="cell-sub">{move || i18n.t(K::UnfunneledAll)} " "
                                <a href=drill_href(Drill::Unfunneled) data-testid="unfunneled-all">{format!("{} →", crate::domain::money::format_count(unfunneled_total))}</a></p>
                        })}
                    }.into_any()
                }}
            </section>
            <section class="panel table-wrap">
                <h2 class="panel-title">{move || i18n.t(K::RampTitle)}</h2>
                <p class="cell-sub">{move || i18n.t(K::RampLead)}</p>
                {if ramp.is_empty() {
                    view! { <p class="muted">{move || i18n.t(K::NothingHere)}</p> }.into_any()
                } else {
                    view! {
                        <div data-testid="ramp">
                            {ramp.into_iter().map(|r| {
                                let phase = r.phase.clone();
                                view! {
                                    <h3 class="ramp-rep">{r.rep} " · " {move || ramp_phase_name(l(), &phase)}</h3>
                                    <table class="table table-compact">
                                        <thead><tr><th></th><th class="num">{move || i18n.t(K::ColTarget)}</th><th class="num">{move || i18n.t(K::ColActual)}</th></tr></thead>
                                        <tbody>
                                            {r.checks.into_iter().map(|c| {
                                                let m = c.metric.clone();
                                                let money_metric = c.metric == "largest_win";
                                                let fmt = move |v: i64| if money_metric { crate::domain::money::format_compact(v, "CNY", l()) } else if m.ends_with("_pct") { format!("{v}%") } else { v.to_string() };
                                                let metric = c.metric.clone();
                                                view! {
                                                    <tr class:row-miss=!c.met>
                                                        <td>{move || ramp_metric_name(l(), &metric)}</td>
                                                        <td class="num">{fmt(c.target)}</td>
                                                        <td class="num">{if c.met { "✓ " } else { "✕ " }}{fmt(c.actual)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
            </section>
        </div>
        <crate::components::receivables::ReceivablesCard/>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Name,
    Team,
    Quota,
    Won,
    Attainment,
    Open,
    Coverage,
    Pipeline,
}

fn sort_key(r: &RepRow, by: SortBy) -> (i64, String) {
    let f = |v: Option<f64>| v.map_or(i64::MIN, |x| (x * 1000.0) as i64);
    match by {
        SortBy::Name => (0, r.name.clone()),
        SortBy::Team => (0, format!("{}{}", r.team, r.name)),
        SortBy::Quota => (r.quota_fen, String::new()),
        SortBy::Won => (r.won_fen, String::new()),
        SortBy::Attainment => (f(r.attainment_pct), String::new()),
        SortBy::Open => (r.open_weighted_fen, String::new()),
        SortBy::Coverage => (if r.quota_met { i64::MAX } else { f(r.coverage) }, String::new()),
        SortBy::Pipeline => (r.pipeline_fen, String::new()),
    }
}

/// Rows of the rep table before "show all": a page an executive can read (at 1M deals there
/// are ~200 reps); the sort still runs over all of them, and the CSV has every row.
const REPS_SHOWN: usize = 25;

/// Reps by any column (click a header; again to reverse). Under 1× coverage is flagged.
#[component]
fn RepTable(reps: Vec<RepRow>) -> impl IntoView {
    let i18n = use_i18n();
    let sort = RwSignal::new((SortBy::Coverage, false));
    let all = RwSignal::new(false);
    let total = reps.len();
    let rows = move || {
        let (by, desc) = sort.get();
        let mut v = reps.clone();
        v.sort_by_key(|r| sort_key(r, by));
        if desc {
            v.reverse();
        }
        if !all.get() {
            v.truncate(REPS_SHOWN);
        }
        v
    };
    let head = move |by: SortBy, k: K, num: bool| {
        view! {
            <th class:num=num aria-sort=move || if sort.get().0 == by { if sort.get().1 { "descending" } else { "ascending" } } else { "none" }>
                <button type="button" class="th-sort" on:click=move |_| sort.update(|s| *s = if s.0 == by { (by, !s.1) } else { (by, num) })>
                    {move || i18n.t(k)} {move || if sort.get().0 == by { if sort.get().1 { " ▼" } else { " ▲" } } else { "" }}
                </button>
            </th>
        }
    };
    view! {
        <section class="panel table-wrap">
            <div class="panel-head">
                <h2 class="panel-title">{move || i18n.t(K::RepsTitle)}</h2>
                <a class="btn btn-sm no-print" href="/export/forecast/reps.csv" download="reps.csv" data-testid="export-reps">{move || i18n.t(K::ExportCsv)}</a>
            </div>
            <table class="table" data-testid="rep-table">
                <thead><tr>
                    {head(SortBy::Name, K::ColRep, false)}
                    {head(SortBy::Team, K::ColTeam, false)}
                    {head(SortBy::Quota, K::ColQuota, true)}
                    {head(SortBy::Won, K::ColWon, true)}
                    {head(SortBy::Attainment, K::ColAttainment, true)}
                    {head(SortBy::Open, K::ColOpenQuarter, true)}
                    {head(SortBy::Coverage, K::ColCoverage, true)}
                    {head(SortBy::Pipeline, K::ColPipeline, true)}
                </tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|r| view! {
                        <tr class:row-miss=r.under_covered data-testid="rep-row">
                            <td><a href=drill_href(Drill::Owner(r.id))>{r.name.clone()}</a></td>
                            <td>{r.team.clone()}</td>
                            <td class="num"><Money fen=r.quota_fen/></td>
                            <td class="num"><Money fen=r.won_fen/></td>
                            <td class="num">{pct(r.attainment_pct)}</td>
                            <td class="num"><Money fen=r.open_weighted_fen/></td>
                            <td class="num">
                                {if r.quota_met { view! { <span class="chip chip-green">"✓ " {move || i18n.t(K::QuotaMet)}</span> }.into_any() }
                                 else if r.under_covered { view! { <span class="chip chip-red" data-testid="under-covered">"⚠ " {times(r.coverage)}</span> }.into_any() }
                                 else { view! { <span>{times(r.coverage)}</span> }.into_any() }}
                            </td>
                            <td class="num"><Money fen=r.pipeline_fen/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(total > REPS_SHOWN).then(|| view! {
                <p class="cell-sub no-print">
                    <span data-testid="reps-shown">{move || format!("{} / {} · ", if all.get() { total } else { REPS_SHOWN }, total)}</span>
                    <button type="button" class="btn btn-sm" data-testid="reps-toggle" on:click=move |_| all.update(|a| *a = !*a)>
                        {move || i18n.t(if all.get() { K::RepsFewer } else { K::RepsAll })}
                    </button>
                </p>
            })}
        </section>
    }
}

/// A progress contribution's name (the waterfall's step labels).
fn contribution_key(code: &str) -> Option<K> {
    Some(match code {
        "new" => K::ContribNew,
        "moved_up" => K::ContribUp,
        "moved_down" => K::ContribDown,
        "amount_changed" => K::ContribAmount,
        "won" => K::ContribWon,
        "lost" => K::ContribLost,
        "slipped" => K::ContribSlipped,
        "pulled_in" => K::ContribPulledIn,
        "other" => K::ContribOther,
        _ => return None,
    })
}

/// What a drill-down shows, in words. Stage and owner names come from the rows, which all
/// share them.
fn drill_label(l: Locale, what: &str, first: Option<&crate::domain::dashboard::DrillRow>) -> String {
    let t = |k: K| crate::i18n::t(l, k).to_owned();
    match Drill::parse(what) {
        Some(Drill::Stage(_)) => first.map(|r| stage_name(&r.stage, l)).unwrap_or_default(),
        Some(Drill::Owner(_)) => first.map(|r| r.owner.clone()).unwrap_or_default(),
        Some(Drill::Bucket(c)) => bucket_name(l, &c).to_owned(),
        Some(Drill::Category(c)) => category_name(l, &c).to_owned(),
        Some(Drill::Progress(c)) => contribution_key(&c).map(t).unwrap_or_default(),
        Some(Drill::Unfunneled) => t(K::UnfunneledTitle),
        None => String::new(),
    }
}

/// The deals behind a figure.
#[component]
pub fn ForecastDealsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let what = Memo::new(move |_| query.read().get("what").unwrap_or_default());
    let rows = Resource::new(move || what.get(), load_drill);
    view! {
        <Title text=move || i18n.t(K::DrillTitle).to_owned()/>
        <div class="page-head">
            <div>
                <p class="crumb"><a href="/forecast">{move || i18n.t(K::DrillBack)}</a></p>
                <h1>{move || i18n.t(K::DrillTitle)}</h1>
                // The subject in words (the URL carries a code such as `stage:<uuid>`).
                <Transition fallback=|| ()>
                    {move || rows.get().map(|r| {
                        let first = r.ok().and_then(|p| p.rows.into_iter().next());
                        view! { <p class="lead" data-testid="drill-what">{move || drill_label(i18n.locale(), &what.get(), first.as_ref())}</p> }
                    })}
                </Transition>
            </div>
            <a class="btn no-print" href=move || format!("/export/forecast/deals.csv?what={}", what.get()) download="deals.csv">{move || i18n.t(K::ExportCsv)}</a>
        </div>
        <Transition fallback=|| view! { <Skeleton rows=6/> }>
            {move || rows.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(page) if page.rows.is_empty() => view! { <div class="panel"><p class="muted">{move || i18n.t(K::NothingHere)}</p></div> }.into_any(),
                Ok(page) => {
                    let rows = page.rows;
                    let shown = rows.len() as u64;
                    let has_delta = rows.iter().any(|r| r.delta_fen.is_some());
                    view! {
                        <section class="panel table-wrap">
                            <p class="cell-sub" data-testid="drill-totals">{page.total} " · " <Money fen=page.amount_fen/> " · " {move || i18n.t(K::ColWeighted)} " " <Money fen=page.weighted_fen/></p>
                            {(shown < page.total).then(|| view! {
                                <p class="cell-sub muted" data-testid="drill-capped">{move || i18n.t(K::DrillCapped)} " " {shown} " / " {page.total}</p>
                            })}
                            <table class="table" data-testid="drill-table">
                                <thead><tr>
                                    <th>{move || i18n.t(K::ColName)}</th><th>{move || i18n.t(K::ColAccount)}</th><th>{move || i18n.t(K::ColOwner)}</th>
                                    <th>{move || i18n.t(K::ColStage)}</th><th class="num">{move || i18n.t(K::ColAmount)}</th><th class="num">{move || i18n.t(K::ColWeighted)}</th>
                                    <th>{move || i18n.t(K::ColCloseDate)}</th><th>{move || i18n.t(K::Category)}</th>
                                    {has_delta.then(|| view! { <th class="num">{move || i18n.t(K::ColDelta)}</th> })}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let st = r.stage.clone();
                                        let cat = r.category.clone();
                                        view! {
                                            <tr data-testid="drill-row">
                                                <td><a href=format!("/deals/{}", r.id)>{r.name}</a></td>
                                                <td>{r.account}</td><td>{r.owner}</td>
                                                <td>{move || stage_name(&st, i18n.locale())}</td>
                                                <td class="num"><Money fen=r.amount_fen/></td><td class="num"><Money fen=r.weighted_fen/></td>
                                                <td><DateText date=r.close_date/></td>
                                                <td>{move || category_name(i18n.locale(), &cat)}</td>
                                                {has_delta.then(|| view! { <td class="num">{r.delta_fen.map(|d| view! { <Money fen=d/> })}</td> })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
