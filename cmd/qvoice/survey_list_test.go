package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/demo"
)

// TestSurveyListAndShow stores two surveys, one with three responses, at
// fixed times, then lists and shows them in both languages.
func TestSurveyListAndShow(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	st, closeStore, err := openStore(ctx, storeConfig{dataDir: data, dbName: "qvoice"}, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	stored := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	other := strings.Replace(string(demo.Source()), "slug: "+demo.Slug, "slug: a-second-survey", 1)
	for _, s := range []*surveys.StoredSurvey{
		{Slug: demo.Slug, Source: demo.Source(), AddedAt: stored},
		{Slug: "a-second-survey", Source: []byte(other), AddedAt: stored.Add(26 * time.Hour)},
	} {
		if err := st.PutSurvey(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		r := &surveys.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i), Survey: demo.Slug, SurveyVersion: 1,
			Code: fmt.Sprintf("C%d", i), Answers: surveys.Answers{"consent": "adult_agree"}, Channel: "api", ReceivedAt: stored.Add(time.Duration(i) * time.Hour)}
		if err := st.InsertResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	closeStore()

	for _, lang := range []string{"en", "zh-CN"} {
		t.Run("list "+lang, func(t *testing.T) {
			code, out, errOut := runEnv(nil, "survey", "list", "--data", data, "--lang", lang)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, "survey_list_"+lang+".golden", out)
		})
	}
	t.Run("list json", func(t *testing.T) {
		code, out, errOut := runEnv(map[string]string{"QVOICE_DATA": data, "QVOICE_FORMAT": "json"}, "survey", "list")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got []surveyListItem
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		want := []surveyListItem{
			{Slug: "a-second-survey", Title: "Consumer product quality - consumer needs survey (demo)", Version: 1, StoredAt: stored.Add(26 * time.Hour)},
			{Slug: demo.Slug, Title: "Consumer product quality - consumer needs survey (demo)", Version: 1, StoredAt: stored, Responses: 3},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("survey list --format json (-want +got):\n%s", diff)
		}
	})
	t.Run("show stored", func(t *testing.T) {
		code, out, errOut := runEnv(nil, "survey", "show", demo.Slug, "--data", data, "--lang", "zh-CN")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		golden(t, "survey_show_zh-CN.golden", out) // the same as from the file
	})
	t.Run("show unknown", func(t *testing.T) {
		code, _, errOut := runEnv(nil, "survey", "show", "no-such-survey", "--data", data)
		if code != exitFailure || !strings.Contains(errOut, "not found") {
			t.Errorf("exit %d, stderr %q; want 1 and not found", code, errOut)
		}
	})
}
