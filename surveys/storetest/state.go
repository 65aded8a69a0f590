package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

func testSurveyState(t *testing.T, st surveys.Store) {
	if _, err := st.SurveyState(t.Context(), "s"); err == nil {
		t.Fatal("SurveyState of a survey never opened or closed: want ErrNotFound")
	} else {
		wantErr(t, "SurveyState", err, surveys.ErrNotFound)
	}
	closed := &surveys.SurveyState{Slug: "s", Closed: true, At: t0, Note: "停止收集 <b>"}
	reopened := &surveys.SurveyState{Slug: "s", At: t0.Add(time.Hour)}
	other := &surveys.SurveyState{Slug: "other", Closed: true, At: t0.Add(2 * time.Hour)}
	// Inserted out of time order: the latest by At wins, not the last insert.
	for _, s := range []*surveys.SurveyState{reopened, closed, other} {
		if err := st.PutSurveyState(t.Context(), s); err != nil {
			t.Fatalf("PutSurveyState: %v", err)
		}
	}
	got, err := st.SurveyState(t.Context(), "s")
	if err != nil {
		t.Fatalf("SurveyState: %v", err)
	}
	if diff := cmp.Diff(reopened, got); diff != "" {
		t.Errorf("SurveyState (-want +got):\n%s", diff)
	}
	closed2 := &surveys.SurveyState{Slug: "s", Closed: true, At: t0.Add(3 * time.Hour), Note: "done"}
	if err := st.PutSurveyState(t.Context(), closed2); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.SurveyState(t.Context(), "s"); !cmp.Equal(closed2, got) {
		t.Errorf("SurveyState after closing again = %+v, want %+v", got, closed2)
	}
}
