package surveys_test

import (
	"errors"
	"testing"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

func TestParseMoment(t *testing.T) {
	cst := surveys.ChinaTime
	tests := []struct {
		name     string
		in       string
		endOfDay bool
		want     time.Time
		wantErr  bool
	}{
		{"date is the start of the day in China", "2026-09-01", false, time.Date(2026, 9, 1, 0, 0, 0, 0, cst), false},
		{"closing date includes the whole day", "2026-09-30", true, time.Date(2026, 10, 1, 0, 0, 0, 0, cst), false},
		{"RFC 3339 is exact", "2026-09-01T08:30:00+08:00", true, time.Date(2026, 9, 1, 0, 30, 0, 0, time.UTC), false},
		{"RFC 3339 in UTC", "2026-09-01T00:00:00Z", false, time.Date(2026, 9, 1, 8, 0, 0, 0, cst), false},
		{"date and time without a zone", "2026-09-01 08:00", false, time.Time{}, true},
		{"day out of range", "2026-02-30", false, time.Time{}, true},
		{"empty", "", false, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := surveys.ParseMoment(tc.in, tc.endOfDay)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseMoment(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if !got.Equal(tc.want) {
				t.Errorf("ParseMoment(%q, %v) = %v, want %v", tc.in, tc.endOfDay, got, tc.want)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	d := &surveys.Definition{OpensAt: "2026-09-01", ClosesAt: "2026-09-30", MaxResponses: 3}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	closedByHand := d.WithState(&surveys.SurveyState{Closed: true, At: at("2026-09-10T09:00:00+08:00")})
	openedByHand := d.WithState(&surveys.SurveyState{At: at("2026-10-05T09:00:00+08:00")})
	tests := []struct {
		name      string
		d         *surveys.Definition
		now       time.Time
		responses int
		want      surveys.ClosedReason // "" for open
	}{
		{"closed by hand inside the dates", closedByHand, at("2026-09-10T09:00:00+08:00"), 0, surveys.PastClose},
		{"before the manual close, the dates rule", closedByHand, at("2026-09-10T08:59:59+08:00"), 0, ""},
		{"reopened by hand after closes_at", openedByHand, at("2026-10-06T00:00:00+08:00"), 0, ""},
		{"reopened by hand, the cap still holds", openedByHand, at("2026-10-06T00:00:00+08:00"), 3, surveys.Full},
		{"a second before opening", nil, at("2026-08-31T23:59:59+08:00"), 0, surveys.NotYetOpen},
		{"at opening", nil, at("2026-09-01T00:00:00+08:00"), 0, ""},
		{"opening is in China time, not UTC", nil, at("2026-08-31T20:00:00Z"), 0, ""},
		{"last second of the closing day", nil, at("2026-09-30T23:59:59+08:00"), 2, ""},
		{"the day after closing", nil, at("2026-10-01T00:00:00+08:00"), 0, surveys.PastClose},
		{"one below the cap", nil, at("2026-09-15T12:00:00+08:00"), 2, ""},
		{"cap reached", nil, at("2026-09-15T12:00:00+08:00"), 3, surveys.Full},
		{"closed wins over full", nil, at("2026-10-02T12:00:00+08:00"), 3, surveys.PastClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dd := tc.d
			if dd == nil {
				dd = d
			}
			err := dd.Accepts(tc.now, tc.responses)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Accepts = %v, want nil", err)
				}
				return
			}
			var ce *surveys.ClosedError
			if !errors.As(err, &ce) || !errors.Is(err, surveys.ErrClosed) {
				t.Fatalf("Accepts = %v, want a *ClosedError wrapping ErrClosed", err)
			}
			if ce.Reason != tc.want {
				t.Errorf("reason %q, want %q", ce.Reason, tc.want)
			}
		})
	}
	if err := (&surveys.Definition{}).Accepts(time.Now(), 1e6); err != nil {
		t.Errorf("a definition without dates or cap: Accepts = %v, want nil", err)
	}
}

func TestParseLifecycleProblems(t *testing.T) {
	tests := []struct {
		name  string
		extra string // appended to the minimal definition
		old   string // optional edit of minimal
		new   string
		path  string
		msg   string
	}{
		{name: "opens_at not a date", extra: "opens_at: next monday\n", path: "opens_at", msg: "neither a date"},
		{name: "closes_at not a date", extra: "closes_at: 2026-13-01\n", path: "closes_at", msg: "neither a date"},
		{name: "closes before it opens", extra: "opens_at: 2026-09-30\ncloses_at: 2026-09-01\n", path: "closes_at", msg: "after opens_at"},
		{name: "negative cap", extra: "max_responses: -1\n", path: "max_responses", msg: "0 (no cap) or more"},
		{name: "question id is the honeypot", old: "      - id: problem_text", new: "      - id: website",
			path: "sections[3].questions[2].id", msg: "reserved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := minimal
			if tc.old != "" {
				src = edit(t, src, tc.old, tc.new)
			}
			_, err := surveys.Parse([]byte(src + tc.extra))
			var ps surveys.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Parse error = %v, want Problems", err)
			}
			if _, ok := find(ps, tc.path, tc.msg); !ok {
				t.Errorf("no problem at %s containing %q in:\n%v", tc.path, tc.msg, err)
			}
		})
	}
}

func TestParseLifecycleFields(t *testing.T) {
	src := minimal + "opens_at: 2026-09-01\ncloses_at: 2026-09-30T18:00:00+08:00\nmax_responses: 500\none_per_device: true\ninvite_only: true\n"
	d, err := surveys.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	opens, closes := d.Window()
	if want := time.Date(2026, 9, 1, 0, 0, 0, 0, surveys.ChinaTime); !opens.Equal(want) {
		t.Errorf("opens %v, want %v", opens, want)
	}
	if want := time.Date(2026, 9, 30, 10, 0, 0, 0, time.UTC); !closes.Equal(want) {
		t.Errorf("closes %v, want %v", closes, want)
	}
	if d.MaxResponses != 500 || !d.OnePerDevice || !d.InviteOnly {
		t.Errorf("MaxResponses %d, OnePerDevice %v, InviteOnly %v; want 500, true, true", d.MaxResponses, d.OnePerDevice, d.InviteOnly)
	}
}
