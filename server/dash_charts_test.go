package server_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// countCharts draw exact counts, which are not suppressed.
var countCharts = map[string]bool{"chart-complaint-types": true, "chart-complaint-categories": true}

var (
	optionRE = regexp.MustCompile(`<script type="application/json" data-chart="([^"]+)">([^<]*)</script>`)
	csvIDRE  = regexp.MustCompile(`/data/([^/.]+)\.csv`)
)

// TestDashboardSmallCells: with 20 responses every estimate rests on fewer
// than 30 answers, and the server hands the chart builders the estimates
// as they are, marked suppressed. Every chart of estimates must then be
// empty (no series), and its CSV must hold nothing but labels, "<30" and
// "": no suppressed number reaches the page or a download.
func TestDashboardSmallCells(t *testing.T) {
	e := newEnv(t)
	e.seed(t, 20, 5)
	e.signIn(t)
	small, estimates := 0, 0
	for _, p := range dashPaths[1:] { // dashPaths[0], the survey list, draws quota counts
		t.Run(p, func(t *testing.T) {
			e.t = t
			resp, page := e.get(p)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d: %.300s", resp.StatusCode, page)
			}
			for _, m := range optionRE.FindAllStringSubmatch(page, -1) {
				var o struct {
					Series []json.RawMessage `json:"series"`
				}
				if err := json.Unmarshal([]byte(m[2]), &o); err != nil {
					t.Fatalf("%s: %v", m[1], err)
				}
				if countCharts[m[1]] {
					continue
				}
				estimates++
				if len(o.Series) != 0 {
					t.Errorf("%s draws estimates from fewer than 30 answers: %s", m[1], m[2])
				}
			}
			for _, l := range csvRE.FindAllStringSubmatch(page, -1) {
				id := csvIDRE.FindStringSubmatch(l[1])
				if id == nil || countCharts["chart-"+id[1]] {
					continue
				}
				_, body := e.get(strings.ReplaceAll(l[1], "&amp;", "&"))
				recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
				if err != nil || len(recs) == 0 {
					t.Fatalf("%s: %v", l[1], err)
				}
				for _, rec := range recs[1:] {
					for _, cell := range rec[1:] {
						switch cell {
						case "<30":
							small++
						case "":
						default:
							t.Errorf("%s: %q in %q, want only <30 or nothing", id[1], cell, rec)
						}
					}
				}
			}
		})
	}
	if small == 0 {
		t.Errorf("no table says <30: the test proves nothing")
	}
	if estimates == 0 {
		t.Errorf("no chart of estimates found: the test proves nothing")
	}
}
