package surveys_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

func TestPopulationMargins(t *testing.T) {
	d := demoDefinition(t)
	ms := d.PopulationMargins()
	var vars []string
	for _, m := range ms {
		vars = append(vars, m.Variable)
	}
	// Questionnaire order (profile questions come last in the demo).
	if diff := cmp.Diff([]string{"age_band", "region_type", "province", "gender"}, vars); diff != "" {
		t.Errorf("variables (-want +got):\n%s", diff)
	}
	if ms[0].Levels[0] != "14_17" || ms[0].Totals[0] != 54e6 || len(ms[2].Levels) != 31 {
		t.Errorf("age_band %v %v, %d provinces", ms[0].Levels[:1], ms[0].Totals[:1], len(ms[2].Levels))
	}
	if len(d.Quotas) != 12 {
		t.Errorf("%d quotas, want 12", len(d.Quotas))
	}
}

func TestPopulationProblems(t *testing.T) {
	tests := []struct{ name, old, new, want string }{
		{"unknown level", `"14_17": 54000000`, `"14_99": 54000000`, `population_margins.age_band.14_99: "14_99" is not an option`},
		{"zero total", `"14_17": 54000000`, `"14_17": 0`, "the total must be positive"},
		{"not a question", "  gender:\n    \"female\"", "  sex:\n    \"female\"", `"sex" is not a respondent-level single-choice question`},
		{"unknown group", "{group: has_infant, region_type: urban_core", "{group: babies, region_type: urban_core", `"babies" is not a key group`},
		{"unknown region type", "{group: has_child, region_type: county_town", "{group: has_child, region_type: town", `"town" is not an option of region_type`},
		{"zero target", "region_type: rural_village, target: 300}", "region_type: rural_village, target: 0}", "quotas[3].target: must be at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := string(demo.Source())
			if !strings.Contains(src, tc.old) {
				t.Fatalf("the demo survey lacks %q", tc.old)
			}
			_, err := surveys.Parse([]byte(strings.Replace(src, tc.old, tc.new, 1)))
			var ps surveys.Problems
			if !errors.As(err, &ps) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want a problem %q", err, tc.want)
			}
		})
	}
}
