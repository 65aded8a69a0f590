package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// maxFormPages bounds a phone's walk through the form: more pages than
// any survey has means the server keeps sending it back.
const maxFormPages = 200

// hiddenInputRE finds the form's hidden inputs as form.html writes them.
var hiddenInputRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// formValues turns generated answers into what a phone's form posts.
func formValues(a surveys.Answers) url.Values {
	v := url.Values{}
	for k, x := range a {
		switch x := x.(type) {
		case string:
			v.Set(k, x)
		case int:
			v.Set(k, strconv.Itoa(x))
		case float64:
			v.Set(k, strconv.FormatFloat(x, 'f', -1, 64))
		case []string:
			v[k] = x
		}
	}
	return v
}

// formPage is what a phone reads from a page of the form: its hidden
// fields and whether it is the last (it has the submit button).
type formPage struct {
	hidden url.Values
	last   bool
}

// walkForm plays a phone that answers through the phone form, as people
// do: it loads the first page, then posts each page and follows the 303
// to the next, until the redirect to the thanks page acknowledges the
// submission. Each post carries all the answers (the server keeps those
// of the posted page) and the page's hidden fields. An abandoning phone
// stops after a few pages (its draft stays behind, as a real one's does);
// a retrying phone posts the last page again after its thanks; a double
// tapping phone posts the last page twice at once.
func (p *phone) walkForm(ctx context.Context, s submission) {
	pg, ok := p.page(ctx, p.cfg.base+"/s/"+p.cfg.def.Slug)
	if !ok {
		return
	}
	behaviour := p.behaviour()
	quitAt := 1 + p.rng.IntN(4)
	switch behaviour {
	case phoneRetry:
		p.res.retries++
	case phoneDoubleTap:
		p.res.taps++
	}
	for n := 0; n < maxFormPages; n++ {
		if behaviour == phoneAbandon && n == quitAt {
			p.res.abandoned++
			return
		}
		if pg.last && behaviour == phoneDoubleTap {
			var wg sync.WaitGroup
			q := &phone{cfg: p.cfg, client: p.client, form: p.form, res: newLoadResult()}
			wg.Go(func() { q.postPage(ctx, s, pg) })
			p.postPage(ctx, s, pg)
			wg.Wait()
			p.res.merge(q.res)
			// Both taps are thanked; one submission was acknowledged.
			if sid := pg.hidden.Get("_sid"); p.res.acked[sid] > 1 {
				p.res.created--
				p.res.duplicate++
				p.res.acked[sid] = 1
			}
			return
		}
		next, thanks, ok := p.postPage(ctx, s, pg)
		if !ok {
			return
		}
		if thanks {
			if behaviour == phoneRetry {
				p.postPage(ctx, s, pg) // the same last page again: the same thanks
			}
			return
		}
		if pg, ok = p.page(ctx, next); !ok {
			return
		}
	}
	p.res.errors["form: too many pages"]++
}

// page loads a page of the form.
func (p *phone) page(ctx context.Context, u string) (formPage, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		p.res.errors["request: "+err.Error()]++
		return formPage{}, false
	}
	t0 := time.Now()
	resp, err := p.form.Do(req)
	if err != nil {
		p.res.errors[netErrorKind(err)]++
		return formPage{}, false
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		p.res.errors[netErrorKind(err)]++
		return formPage{}, false
	}
	if resp.StatusCode != http.StatusOK {
		p.res.errors["form page: HTTP "+strconv.Itoa(resp.StatusCode)]++
		return formPage{}, false
	}
	p.res.formLoads++
	p.res.formLatency = append(p.res.formLatency, time.Since(t0))
	pg := formPage{hidden: url.Values{}, last: strings.Contains(string(body), `name="_nav" value="submit"`)}
	for _, m := range hiddenInputRE.FindAllStringSubmatch(string(body), -1) {
		pg.hidden.Set(m[1], html.UnescapeString(m[2]))
	}
	if pg.hidden.Get("_sid") == "" || pg.hidden.Get("_page") == "" {
		p.res.errors["form page: no _sid or _page"]++
		return formPage{}, false
	}
	return pg, true
}

// postPage posts pg with the answers of s and returns where the 303 leads;
// thanks is true when it leads to the thanks page, which acknowledges the
// submission (counted under the page's submission id).
func (p *phone) postPage(ctx context.Context, s submission, pg formPage) (next string, thanks, ok bool) {
	v := url.Values{}
	for k, vs := range s.form {
		v[k] = vs
	}
	for k := range pg.hidden {
		v.Set(k, pg.hidden.Get(k))
	}
	v.Set("_nav", "next")
	if pg.last {
		v.Set("_nav", "submit")
	}
	u := p.cfg.base + "/s/" + p.cfg.def.Slug
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(v.Encode()))
	if err != nil {
		p.res.errors["request: "+err.Error()]++
		return "", false, false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p.res.posts++
	t0 := time.Now()
	resp, err := p.form.Do(req)
	if err != nil {
		p.res.errors[netErrorKind(err)]++
		return "", false, false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		p.res.errors["form post: HTTP "+strconv.Itoa(resp.StatusCode)]++
		return "", false, false
	}
	p.res.postLatency = append(p.res.postLatency, time.Since(t0))
	loc, err := resp.Location()
	if err != nil {
		p.res.errors["form post: no Location"]++
		return "", false, false
	}
	if !strings.HasSuffix(loc.Path, "/thanks") {
		return loc.String(), false, true
	}
	// A form cannot tell a new response from one stored before (both are
	// thanked): the first thanks of a phone counts as created.
	if sid := pg.hidden.Get("_sid"); p.res.acked[sid] > 0 {
		p.res.duplicate++
	} else {
		p.res.created++
		p.res.acked[sid] = 1
	}
	return "", true, true
}
