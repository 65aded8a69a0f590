package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qvoice/qvoice/surveys"
)

// RunDrafts runs the DraftStore contract: newStore returns an empty store.
func RunDrafts(t *testing.T, newStore func(t *testing.T) surveys.DraftStore) {
	ctx := context.Background()
	now := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	draft := func(id string) *surveys.Draft {
		return &surveys.Draft{ID: id, Survey: "s1", Values: map[string][]string{"age_band": {"60_69"}, "household": {"a", "b"}},
			Lang: "zh-CN", Src: "x-1", Venue: "school", Elder: true, PageMs: map[string]int64{"s:s_screen": 5300},
			Started: now, Updated: now.Add(time.Minute), ExpiresAt: now.Add(24 * time.Hour)}
	}
	t.Run("round trip and replace", func(t *testing.T) {
		st := newStore(t)
		d := draft("00000000-0000-4000-8000-000000000001")
		if err := st.PutDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
		d.Values["food_imp_safety"] = []string{"5"}
		d.PageMs["c:food"] = 12000
		if err := st.PutDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, err := st.Draft(ctx, "s1", d.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, got); diff != "" {
			t.Errorf("draft (-want +got):\n%s", diff)
		}
	})
	t.Run("other survey, expired, deleted", func(t *testing.T) {
		st := newStore(t)
		d := draft("00000000-0000-4000-8000-000000000002")
		if err := st.PutDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Draft(ctx, "s2", d.ID, now); !errors.Is(err, surveys.ErrNotFound) {
			t.Errorf("other survey: %v, want ErrNotFound", err)
		}
		if _, err := st.Draft(ctx, "s1", d.ID, d.ExpiresAt); !errors.Is(err, surveys.ErrNotFound) {
			t.Errorf("expired: %v, want ErrNotFound", err)
		}
		if err := st.DeleteDraft(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Draft(ctx, "s1", d.ID, now); !errors.Is(err, surveys.ErrNotFound) {
			t.Errorf("deleted: %v, want ErrNotFound", err)
		}
		if err := st.DeleteDraft(ctx, d.ID); err != nil {
			t.Errorf("deleting a missing draft: %v", err)
		}
	})
	t.Run("purge", func(t *testing.T) {
		st := newStore(t)
		old, fresh := draft("00000000-0000-4000-8000-000000000003"), draft("00000000-0000-4000-8000-000000000004")
		old.ExpiresAt = now.Add(-time.Hour)
		for _, d := range []*surveys.Draft{old, fresh} {
			if err := st.PutDraft(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		n, err := st.PurgeDrafts(ctx, now)
		if err != nil || n != 1 {
			t.Errorf("PurgeDrafts = %d, %v; want 1", n, err)
		}
		if _, err := st.Draft(ctx, "s1", fresh.ID, now); err != nil {
			t.Errorf("fresh draft purged: %v", err)
		}
	})
}
