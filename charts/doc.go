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
// never written as NaN.
//
// # Suppressed estimates
//
// An item marked Suppressed (an estimate from fewer than 30 respondents)
// never reaches the output, whatever numbers it carries: the builders
// themselves keep it out, so a caller need not strip it and cannot leak it
// by forgetting to. Its numbers appear nowhere in the option JSON or the
// …Rows table: no bar length, whisker, point, line, cell value, label or
// tooltip, and no axis range, colour scale, crosshair, mean or order is
// computed from them (suppressed items keep the order given). Each
// builder's comment says how it shows one: a grey (#bbb) heatmap cell or
// NPS bar without a number, an empty bar slot reading "n<30", a break in a
// line, or, for an IPA point, nothing; the table says "<30". Only whether
// an item has an estimate at all (NaN or not) decides whether it is listed.
// A builder with nothing to draw, including nothing but suppressed items,
// returns a chart with Empty set and the NoData text instead of an error.
// PriorityRanking, whose Summary carries no such mark, leaves out the
// indicators with fewer than 30 answers itself. TestSuppressedNeverDrawn
// checks all this for random inputs.
//
// Each builder has a …Rows function taking the same inputs that returns
// exactly what the chart draws, in its order, as text ("<30" for
// suppressed, "" for no estimate): the page's accessible table and its CSV
// download. Headers start with column keys ("label", "value", …) for the
// server to translate; grids (heatmaps, the trend) continue with the column
// labels as given.
package charts
