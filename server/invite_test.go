package server_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qvoice/qvoice/server"
	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/mongostore"
)

// TestInvite: an invite_only survey takes a valid token once; a forged
// token is 403, an expired one 410, a used one 409, and a retry of the
// submission that used it is answered as already received.
func TestInvite(t *testing.T) {
	e, _ := newEnvWith(t, server.Config{Now: fixedClock}, nil, variant("by-invite", "invite_only: true\n"))
	path := apiPathOf("by-invite")
	valid := surveys.NewInvite(testSecret, "by-invite", "venue-017", fixedClock().Add(24*time.Hour))
	expired := surveys.NewInvite(testSecret, "by-invite", "venue-017", fixedClock().Add(-time.Minute))
	otherSurvey := surveys.NewInvite(testSecret, "another-survey", "", fixedClock().Add(time.Hour))
	otherSecret := surveys.NewInvite([]byte("not the server's secret, 32 byte"), "by-invite", "", fixedClock().Add(time.Hour))
	id1, id2 := "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c01", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c02"
	en := []string{"Accept-Language", "en"}
	runAPICases(t, e, []apiCase{
		{name: "no token", path: path, body: body(id1, validAnswers()), header: en,
			wantStatus: http.StatusForbidden, wantField: "token", wantText: "by invitation"},
		{name: "forged: signed by another secret", path: path, body: bodyWith(id1, validAnswers(), otherSecret), header: en,
			wantStatus: http.StatusForbidden, wantField: "token", wantText: "not valid"},
		{name: "forged: for another survey", path: path, body: bodyWith(id1, validAnswers(), otherSurvey),
			wantStatus: http.StatusForbidden, wantField: "token"},
		{name: "forged: garbage", path: path, body: bodyWith(id1, validAnswers(), "AAAA"),
			wantStatus: http.StatusForbidden, wantField: "token"},
		{name: "expired", path: path, body: bodyWith(id1, validAnswers(), expired), header: en,
			wantStatus: http.StatusGone, wantField: "token", wantText: "expired"},
		{name: "valid", path: path, body: bodyWith(id1, validAnswers(), valid), wantStatus: http.StatusCreated},
		{name: "retry of the same submission", path: path, body: bodyWith(id1, validAnswers(), valid),
			wantStatus: http.StatusOK, wantText: "already_received"},
		{name: "reused by another submission", path: path, body: bodyWith(id2, validAnswers(), valid), header: en,
			wantStatus: http.StatusConflict, wantField: "token", wantText: "already used"},
	})
	if n := e.countOf("by-invite"); n != 1 {
		t.Fatalf("survey holds %d responses, want 1", n)
	}
	r, err := e.store.Response(context.Background(), "by-invite", id1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Src != "venue-017" {
		t.Errorf("stored src %q, want the invite's venue-017", r.Src)
	}
	fresh := surveys.NewInvite(testSecret, "by-invite", "", fixedClock().Add(time.Hour))
	runPageCases(t, e, []pageCase{
		{"form without a token", "/s/by-invite/admit", nil, http.StatusForbidden, []string{"无法使用该邀请", "请扫描工作人员发给您的二维码"}},
		{"form with a forged token", "/s/by-invite/admit?t=" + otherSecret, nil, http.StatusForbidden, []string{"邀请二维码无效"}},
		{"form with an expired token", "/s/by-invite/admit?t=" + expired, nil, http.StatusGone, []string{"邀请二维码已过期"}},
		{"form with a used token", "/s/by-invite/admit?t=" + valid, nil, http.StatusConflict, []string{"已经使用过了"}},
		{"form of the submission that used it", "/s/by-invite/admit?t=" + valid + "&sid=" + id1, nil, http.StatusOK, []string{"admitted"}},
		{"form with a fresh token", "/s/by-invite/admit?t=" + fresh, nil, http.StatusOK, []string{"admitted"}},
	})
}

// flakyStore fails the next response inserts, one by one or in a batch
// (the server's group commit writes batches), as a database that drops
// its connection between the token's claim and the response.
type flakyStore struct {
	*mongostore.Store
	fail atomic.Int32
}

func (f *flakyStore) InsertResponse(ctx context.Context, r *surveys.Response) error {
	if f.fail.Add(-1) >= 0 {
		return errors.New("injected: connection lost")
	}
	return f.Store.InsertResponse(ctx, r)
}

func (f *flakyStore) InsertResponses(ctx context.Context, rs []*surveys.Response) ([]error, error) {
	if f.fail.Add(-1) >= 0 {
		return nil, errors.New("injected: connection lost")
	}
	return f.Store.InsertResponses(ctx, rs)
}

// TestInviteRetryAfterFailure: nothing is half-stored. The token is
// claimed, the response insert fails (500); the retry of the same
// submission succeeds, and the token stays single-use.
func TestInviteRetryAfterFailure(t *testing.T) {
	flaky := &flakyStore{}
	e, _ := newEnvWith(t, server.Config{Now: fixedClock}, func(st *mongostore.Store) surveys.Store {
		flaky.Store = st
		return flaky
	}, variant("by-invite", "invite_only: true\none_per_device: true\n"))
	path := apiPathOf("by-invite")
	token := surveys.NewInvite(testSecret, "by-invite", "", fixedClock().Add(time.Hour))
	id1, id2 := "2b3c4d5e-6f70-4a81-9c2d-3e4f5a6b7c01", "2b3c4d5e-6f70-4a81-9c2d-3e4f5a6b7c02"
	flaky.fail.Store(1)
	runAPICases(t, e, []apiCase{
		{name: "insert fails after the claims", path: path, body: bodyWith(id1, validAnswers(), token), wantStatus: http.StatusInternalServerError},
		{name: "retry of the same submission", path: path, body: bodyWith(id1, validAnswers(), token), wantStatus: http.StatusCreated},
		{name: "identical retry", path: path, body: bodyWith(id1, validAnswers(), token), wantStatus: http.StatusOK},
		{name: "another submission from the same phone", path: path, body: bodyWith(id2, validAnswers(), token),
			wantStatus: http.StatusConflict, wantText: "这台手机已经填写过"},
	})
	e.http.Jar = nil // another phone with the same QR code
	runAPICases(t, e, []apiCase{
		{name: "another phone with the used token", path: path, body: bodyWith(id2, validAnswers(), token),
			wantStatus: http.StatusConflict, wantField: "token"},
	})
	if n := e.countOf("by-invite"); n != 1 {
		t.Errorf("survey holds %d responses, want 1", n)
	}
}
