// Package charts builds ECharts options from analysis results. It does no
// HTTP and no storage.
//
// Every builder is pure and deterministic: fixed element ids, no random
// chart ids, labels in the requested language. A Chart carries its option as
// JSON produced by encoding/json (which escapes <, > and &), to be placed in
// a <script type="application/json"> element and drawn by the server's
// static dash.js. go-echarts' own templates write options as raw JavaScript
// with HTML escaping turned off, so respondent-supplied labels could break
// out of a <script>; this package never uses that path.
//
// # The regulator dashboard
//
// PriorityRanking draws from an analysis.Summary with go-echarts. The other
// builders take plain structs, so the package does not depend on how the
// server computes them, and write options with the package's own structs:
//
//   - PriorityWhiskers and CategoryIndex: bars with 95% CI whiskers
//   - IPAQuadrant: importance–performance scatter with named quadrants
//   - GapHeatmap and QuotaFill: category × indicator gaps, quota fill
//   - WeeklyTrend: the index by week, one line per category
//   - GroupComparison: key groups against everyone else
//   - ComplaintCounts and NPSBars: counts, promoter/passive/detractor splits
//
// Options are pure JSON: formatters are ECharts string templates and every
// number in a tooltip or label is written here, because a function could
// not pass through JSON and a strict Content-Security-Policy. Tooltips are
// HTML in ECharts, so labels reach them only through {a} and {b}, which
// ECharts escapes, never inside a template.
//
// NaN means "no estimate": such items are left out, or drawn as null, and
// never written as NaN. Suppressed items (n < 30) are never drawn as precise
// numbers: each builder's comment says whether they are grey (#bbb) without
// a number or left out. A builder with nothing to draw returns a chart with
// Empty set and the NoData text instead of an error.
//
// Each builder has a …Rows function taking the same inputs that returns
// exactly what the chart draws, in its order, as text ("<30" for
// suppressed, "" for no estimate): the page's accessible table and its CSV
// download. Headers start with column keys ("label", "value", …) for the
// server to translate; grids (heatmaps, the trend) continue with the column
// labels as given.
package charts
