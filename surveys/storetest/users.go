package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qvoice/qvoice/surveys"
)

// RunUsers runs the contract suite of surveys.Accounts (accounts, the
// audit log and sessions), one subtest per property, each on stores
// returned by newStores, which must be empty and closed with t.Cleanup.
func RunUsers(t *testing.T, newStores func(t *testing.T) surveys.Accounts) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st surveys.Accounts)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"UserDuplicate", testUserDuplicate},
		{"UserNotFound", testUserNotFound},
		{"UsersSortedByName", testUsersSorted},
		{"UpdateUser", testUpdateUser},
		{"UpdateUserConflict", testUpdateUserConflict},
		{"ConcurrentPutUser", testConcurrentPutUser},
		{"AuditOrderSinceLimit", testAuditEvents},
		{"SessionRoundTrip", testSessionRoundTrip},
		{"RefreshSession", testRefreshSession},
		{"DeleteSessions", testDeleteSessions},
		{"PurgeSessions", testPurgeSessions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStores(t)) })
	}
}

// newUser returns a valid account; times have sub-millisecond parts, which
// a store drops.
func newUser(name string, role surveys.Role, provinces ...string) *surveys.User {
	return &surveys.User{Name: name, Role: role, Provinces: provinces,
		PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
		CreatedAt:    t0.Add(123456 * time.Nanosecond), UpdatedAt: t0.Add(time.Hour + 789*time.Nanosecond)}
}

// storedUser is u as a store gives it back: times to the millisecond, UTC.
func storedUser(u *surveys.User) *surveys.User {
	c := *u
	c.CreatedAt, c.UpdatedAt = u.CreatedAt.Truncate(time.Millisecond).UTC(), u.UpdatedAt.Truncate(time.Millisecond).UTC()
	return &c
}

func putUsers(t *testing.T, st surveys.UserStore, us ...*surveys.User) {
	t.Helper()
	for _, u := range us {
		if err := st.PutUser(t.Context(), u); err != nil {
			t.Fatalf("PutUser(%s): %v", u.Name, err)
		}
	}
}

func testUserRoundTrip(t *testing.T, st surveys.Accounts) {
	for _, u := range []*surveys.User{
		newUser("regulator.js", surveys.RoleRegulator, "32", "44"),
		newUser("王监管", surveys.RoleAdmin),
		newUser("r@example.gov.cn", surveys.RoleResearcher),
	} {
		putUsers(t, st, u)
		got, err := st.User(t.Context(), u.Name)
		if err != nil {
			t.Fatalf("User(%s): %v", u.Name, err)
		}
		if diff := cmp.Diff(storedUser(u), got); diff != "" {
			t.Errorf("User(%s) (-want +got):\n%s", u.Name, diff)
		}
	}
}

func testUserDuplicate(t *testing.T, st surveys.Accounts) {
	first := newUser("a", surveys.RoleAdmin)
	putUsers(t, st, first)
	second := newUser("a", surveys.RoleRegulator, "11")
	wantErr(t, "second PutUser", st.PutUser(t.Context(), second), surveys.ErrDuplicate)
	got, err := st.User(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(storedUser(first), got); diff != "" {
		t.Errorf("a duplicate PutUser changed the account (-want +got):\n%s", diff)
	}
}

func testUserNotFound(t *testing.T, st surveys.Accounts) {
	_, err := st.User(t.Context(), "nobody")
	wantErr(t, "User(nobody)", err, surveys.ErrNotFound)
	wantErr(t, "UpdateUser(nobody)", st.UpdateUser(t.Context(), newUser("nobody", surveys.RoleAdmin)), surveys.ErrNotFound)
	if _, err := st.User(t.Context(), "nobody"); !errors.Is(err, surveys.ErrNotFound) {
		t.Errorf("UpdateUser of an unknown name stored it: User err = %v", err)
	}
}

func testUsersSorted(t *testing.T, st surveys.Accounts) {
	if us, err := st.Users(t.Context()); err != nil || len(us) != 0 {
		t.Fatalf("Users of an empty store = %d users, %v", len(us), err)
	}
	putUsers(t, st, newUser("c", surveys.RoleAdmin), newUser("a", surveys.RoleRegulator, "32"), newUser("b", surveys.RoleResearcher))
	us, err := st.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []*surveys.User{storedUser(newUser("a", surveys.RoleRegulator, "32")), storedUser(newUser("b", surveys.RoleResearcher)),
		storedUser(newUser("c", surveys.RoleAdmin))}
	if diff := cmp.Diff(want, us); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
}

func testUpdateUser(t *testing.T, st surveys.Accounts) {
	u := newUser("a", surveys.RoleRegulator, "32")
	putUsers(t, st, u, newUser("b", surveys.RoleAdmin))
	changed := *u
	changed.PasswordHash, changed.Disabled, changed.UpdatedAt = "$argon2id$new", true, t0.Add(2*time.Hour)
	if err := st.UpdateUser(t.Context(), &changed); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	got, err := st.User(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(storedUser(&changed), got); diff != "" {
		t.Errorf("User after UpdateUser (-want +got):\n%s", diff)
	}
	if b, _ := st.User(t.Context(), "b"); b == nil || b.Disabled {
		t.Errorf("UpdateUser of a changed b too: %+v", b)
	}
}

// testUpdateUserConflict: a change made from an account as read before
// another change is refused with ErrConflict and leaves the newer change
// standing; a copy read again applies. (Two writes racing within the same
// moment are not checked: FerretDB v1 runs a filtered replace as a find
// then a write, so both can pass unless the store has SerialWrites; see
// mongostore.Store.UpdateUser.)
func testUpdateUserConflict(t *testing.T, st surveys.Accounts) {
	putUsers(t, st, newUser("a", surveys.RoleRegulator, "32"))
	read := func() *surveys.User {
		t.Helper()
		u, err := st.User(t.Context(), "a")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	first, stale := read(), read()
	first.PasswordHash, first.Disabled = "$argon2id$newer", true
	if err := st.UpdateUser(t.Context(), first); err != nil {
		t.Fatalf("first UpdateUser: %v", err)
	}
	if first.Version != stale.Version+1 {
		t.Errorf("UpdateUser set Version %d, want %d", first.Version, stale.Version+1)
	}
	stale.Provinces = []string{"44"}
	wantErr(t, "UpdateUser of a stale copy", st.UpdateUser(t.Context(), stale), surveys.ErrConflict)
	if diff := cmp.Diff(first, read()); diff != "" {
		t.Errorf("the stale UpdateUser changed the account (-want +got):\n%s", diff)
	}
	again := read()
	again.Provinces = []string{"44"}
	if err := st.UpdateUser(t.Context(), again); err != nil {
		t.Fatalf("UpdateUser of a copy read again: %v", err)
	}

}

// testConcurrentPutUser races the creation of one name: one wins.
func testConcurrentPutUser(t *testing.T, st surveys.Accounts) {
	const workers = 8
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			errs[i] = st.PutUser(t.Context(), newUser("same", surveys.RoleRegulator, fmt.Sprintf("%02d", 11+i)))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, surveys.ErrDuplicate):
			t.Errorf("PutUser: %v, want nil or ErrDuplicate", err)
		}
	}
	if won != 1 {
		t.Errorf("%d racing PutUser calls won, want 1", won)
	}
}

func testAuditEvents(t *testing.T, st surveys.Accounts) {
	ev := func(min int, action surveys.AuditAction) surveys.AuditEvent {
		return surveys.AuditEvent{At: t0.Add(time.Duration(min) * time.Minute), User: "u", Action: action,
			Survey: "s", Detail: `csv; "</script>"`, ClientHash: "abc"}
	}
	// Inserted out of time order; two at one instant keep their insertion order.
	in := []surveys.AuditEvent{ev(2, surveys.AuditExport), ev(0, surveys.AuditLogin), ev(1, surveys.AuditLoginFailed),
		ev(3, surveys.AuditLogout), ev(3, surveys.AuditLogin), {At: t0.Add(4 * time.Minute), User: "v", Action: surveys.AuditReport}}
	for _, e := range in {
		if err := st.Audit(t.Context(), e); err != nil {
			t.Fatalf("Audit: %v", err)
		}
	}
	want := []surveys.AuditEvent{in[1], in[2], in[0], in[3], in[4], in[5]}
	for i := range want {
		want[i].At = want[i].At.UTC()
	}
	tests := []struct {
		name string
		q    surveys.AuditQuery
		want []surveys.AuditEvent
	}{
		{"all", surveys.AuditQuery{}, want},
		{"since is inclusive", surveys.AuditQuery{Since: t0.Add(2 * time.Minute)}, want[2:]},
		{"limit keeps the newest", surveys.AuditQuery{Limit: 3}, want[3:]},
		{"since and limit", surveys.AuditQuery{Since: t0.Add(time.Minute), Limit: 10}, want[1:]},
		{"nothing after", surveys.AuditQuery{Since: t0.Add(time.Hour)}, nil},
		// The filters apply before the limit: v's one event is not
		// crowded out by u's newer ones, nor u's by v's.
		{"user before limit", surveys.AuditQuery{User: "u", Limit: 2}, want[3:5]},
		{"user", surveys.AuditQuery{User: "v", Limit: 1}, want[5:]},
		{"action before limit", surveys.AuditQuery{Action: surveys.AuditLogin, Limit: 5}, []surveys.AuditEvent{want[0], want[4]}},
		{"user and action", surveys.AuditQuery{User: "u", Action: surveys.AuditLogin, Limit: 1}, want[4:5]},
		{"user and action, none", surveys.AuditQuery{User: "v", Action: surveys.AuditLogin}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.AuditEvents(t.Context(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("AuditEvents (-want +got):\n%s", diff)
			}
		})
	}
}

func newSession(id, user string, expires time.Time) *surveys.Session {
	return &surveys.Session{IDHash: surveys.SessionIDHash(id), User: user, CreatedAt: t0, ExpiresAt: expires}
}

func testSessionRoundTrip(t *testing.T, st surveys.Accounts) {
	s := newSession("token-1", "a", t0.Add(12*time.Hour+456*time.Microsecond))
	if err := st.PutSession(t.Context(), s); err != nil {
		t.Fatalf("PutSession: %v", err)
	}
	wantErr(t, "second PutSession", st.PutSession(t.Context(), newSession("token-1", "b", t0)), surveys.ErrDuplicate)
	got, err := st.Session(t.Context(), s.IDHash)
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	want := *s
	want.ExpiresAt = s.ExpiresAt.Truncate(time.Millisecond)
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("Session (-want +got):\n%s", diff)
	}
	_, err = st.Session(t.Context(), surveys.SessionIDHash("token-2"))
	wantErr(t, "Session of an unknown id", err, surveys.ErrNotFound)
}

func testRefreshSession(t *testing.T, st surveys.Accounts) {
	s := newSession("t", "a", t0.Add(time.Hour))
	if err := st.PutSession(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(13 * time.Hour)
	if err := st.RefreshSession(t.Context(), s.IDHash, later); err != nil {
		t.Fatalf("RefreshSession: %v", err)
	}
	if got, err := st.Session(t.Context(), s.IDHash); err != nil || !got.ExpiresAt.Equal(later) {
		t.Errorf("Session after refresh = %+v, %v; want it to expire at %v", got, err, later)
	}
	if err := st.DeleteSession(t.Context(), s.IDHash); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "RefreshSession of a deleted session", st.RefreshSession(t.Context(), s.IDHash, later), surveys.ErrNotFound)
	if _, err := st.Session(t.Context(), s.IDHash); !errors.Is(err, surveys.ErrNotFound) {
		t.Errorf("RefreshSession brought a deleted session back: err = %v", err)
	}
}

func testDeleteSessions(t *testing.T, st surveys.Accounts) {
	ss := []*surveys.Session{newSession("1", "a", t0), newSession("2", "a", t0), newSession("3", "b", t0), newSession("4", "c", t0)}
	for _, s := range ss {
		if err := st.PutSession(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.DeleteSession(t.Context(), ss[3].IDHash); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if err := st.DeleteSession(t.Context(), ss[3].IDHash); err != nil {
		t.Errorf("DeleteSession of a missing session: %v, want nil", err)
	}
	if err := st.DeleteUserSessions(t.Context(), "a"); err != nil {
		t.Fatalf("DeleteUserSessions: %v", err)
	}
	for i, wantKept := range []bool{false, false, true, false} {
		_, err := st.Session(t.Context(), ss[i].IDHash)
		if kept := err == nil; kept != wantKept {
			t.Errorf("session %d of %s kept = %v (err %v), want %v", i+1, ss[i].User, kept, err, wantKept)
		}
	}
}

func testPurgeSessions(t *testing.T, st surveys.Accounts) {
	for i := range 5 {
		if err := st.PutSession(t.Context(), newSession(fmt.Sprint(i), "a", t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	n, err := st.PurgeSessions(t.Context(), t0.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Errorf("PurgeSessions = %d, %v; want 2 expired before the cut", n, err)
	}
	for i := range 5 {
		_, err := st.Session(t.Context(), surveys.SessionIDHash(fmt.Sprint(i)))
		if kept := err == nil; kept != (i >= 2) {
			t.Errorf("session expiring at +%dh kept = %v, want %v", i, kept, i >= 2)
		}
	}
}
