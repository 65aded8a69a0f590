// Package charts builds ECharts options from analysis results with
// go-echarts. It does no HTTP and no storage.
//
// Every builder is pure and deterministic: fixed element ids, no random
// chart ids, labels in the requested language. A Chart carries its option as
// JSON produced by encoding/json (which escapes <, > and &), to be placed in
// a <script type="application/json"> element and drawn by the server's
// static dash.js. go-echarts' own templates write options as raw JavaScript
// with HTML escaping turned off, so respondent-supplied labels could break
// out of a <script>; this package never uses that path.
package charts
