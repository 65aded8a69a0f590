package surveys_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

func TestNewParadata(t *testing.T) {
	d := demoDefinition(t)
	start := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	flat := surveys.Answers{}
	varied := surveys.Answers{}
	for i, ind := range d.Category("food").Indicators {
		flat[surveys.ImportanceID("food", ind.Code)], flat[surveys.SatisfactionID("food", ind.Code)] = 5, 3
		varied[surveys.ImportanceID("food", ind.Code)], varied[surveys.SatisfactionID("food", ind.Code)] = 5, 1+i%5
	}
	tests := []struct {
		name    string
		answers surveys.Answers
		took    time.Duration
		want    surveys.Paradata
	}{
		{"straight-lined and fast", flat, 45 * time.Second, surveys.Paradata{TotalSeconds: 45, StraightLined: []string{"food"}, TooFast: true}},
		{"varied and slow enough", varied, 6 * time.Minute, surveys.Paradata{TotalSeconds: 360}},
		{"nothing rated", surveys.Answers{}, 2 * time.Minute, surveys.Paradata{TotalSeconds: 120}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := surveys.NewParadata(d, tc.answers, start, start.Add(tc.took), nil, false)
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
