package server_test

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/qvoice/qvoice/surveys/demo"
)

// eachElement calls fn for every element under n, in document order.
func eachElement(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		eachElement(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// ancestor is the nearest enclosing element named tag, or nil.
func ancestor(n *html.Node, tag string) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return p
		}
	}
	return nil
}

// textOf is the text a screen reader reads for n: its text nodes, with
// whitespace collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// visuallyHidden reports whether n or an ancestor is hidden from sight
// (but not from screen readers) by the stylesheet.
func visuallyHidden(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (hasClass(p, "visually-hidden") || hasClass(p, "hp")) {
			return true
		}
	}
	return false
}

// a11yProblems lists what keeps a page from working with a screen reader:
// no lang, a control without a label, a radio or checkbox group without a
// fieldset and legend, an option without visible text, a button without
// text, duplicate ids, a dangling aria-describedby.
func a11yProblems(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"parse: " + err.Error()}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	ids := map[string]int{}
	labelFor := map[string]*html.Node{}
	eachElement(doc, func(n *html.Node) {
		if id, ok := attr(n, "id"); ok {
			ids[id]++
		}
		if n.Data == "label" {
			if f, ok := attr(n, "for"); ok {
				labelFor[f] = n
			}
		}
	})
	for id, k := range ids {
		if k > 1 {
			bad("id %q is used %d times", id, k)
		}
	}
	eachElement(doc, func(n *html.Node) {
		switch n.Data {
		case "html":
			if l, _ := attr(n, "lang"); strings.TrimSpace(l) == "" {
				bad("<html> has no lang")
			}
		case "button":
			if textOf(n) == "" {
				bad("a button has no text")
			}
		case "input", "select", "textarea":
			bad2 := controlProblem(n, labelFor)
			if bad2 != "" {
				name, _ := attr(n, "name")
				typ, _ := attr(n, "type")
				bad("<%s type=%q name=%q>: %s", n.Data, typ, name, bad2)
			}
		}
		if ref, ok := attr(n, "aria-describedby"); ok {
			for _, id := range strings.Fields(ref) {
				if ids[id] == 0 {
					bad("aria-describedby=%q names no element", id)
				}
			}
		}
	})
	return out
}

// controlProblem says why a form control has no accessible name, or "".
func controlProblem(n *html.Node, labelFor map[string]*html.Node) string {
	typ, _ := attr(n, "type")
	typ = strings.ToLower(typ)
	if n.Data == "input" && (typ == "hidden" || typ == "submit" || typ == "button" || typ == "reset") {
		return ""
	}
	lbl := ancestor(n, "label")
	if lbl == nil {
		if id, ok := attr(n, "id"); ok {
			lbl = labelFor[id]
		}
	}
	if lbl == nil {
		return "no <label> (neither around it nor for its id)"
	}
	if textOf(lbl) == "" {
		return "its <label> is empty"
	}
	if typ != "radio" && typ != "checkbox" {
		return ""
	}
	if visuallyHidden(lbl) {
		return "the option's text is not visible"
	}
	fs := ancestor(n, "fieldset")
	if fs == nil {
		return "the option group is not in a <fieldset>"
	}
	for c := fs.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "legend" {
			if textOf(c) == "" {
				return "the group's <legend> is empty"
			}
			return ""
		}
	}
	return "the group's <fieldset> has no <legend>"
}

// TestAccessibility checks every page of the walk in standard, English and
// large-text mode, a page with an error, then the stylesheet: contrast of
// every text colour, text size and tap-target sizes (适老化, domain.md §5).
func TestAccessibility(t *testing.T) {
	t.Run("checker", testA11yChecker)
	e := newEnv(t)
	// The stylesheet as served, through the hashed URL the pages link.
	_, first := e.get("/s/" + demo.Slug)
	m := regexp.MustCompile(`href="(/static/[0-9a-f]{12}/qvoice\.css)"`).FindStringSubmatch(first)
	if m == nil {
		t.Fatal("the first page links no /static/HASH/qvoice.css")
	}
	resp, css := e.get(m[1])
	if resp.StatusCode != http.StatusOK || css == "" {
		t.Fatalf("GET %s: %d", m[1], resp.StatusCode)
	}
	for _, mode := range []struct{ name, query, lang string }{
		{"standard", "", "zh-CN"}, {"English", "?lang=en", "en"}, {"large text", "?big=1", "zh-CN"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			n := 0
			walkPages(e, mode.query, twoCategoryAnswers(), func(path, page string) {
				n++
				if !strings.Contains(page, `<html lang="`+mode.lang+`">`) {
					t.Errorf("%s: want <html lang=%q>", path, mode.lang)
				}
				for _, p := range a11yProblems(page) {
					t.Errorf("%s: %s", path, p)
				}
			})
			t.Logf("%s: %d pages checked", mode.name, n)
		})
	}
	t.Run("error page", func(t *testing.T) {
		w := e.startForm("")
		a := formAnswers()
		w.post(a, "next")
		a.Del("age_band")
		w.post(a, "next")
		if w.resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", w.resp.StatusCode)
		}
		for _, p := range a11yProblems(w.page) {
			t.Errorf("%s", p)
		}
		// Colour is never the only cue: the error is text, and the page says
		// so in an alert.
		if !strings.Contains(w.page, `role="alert"`) || !strings.Contains(w.page, `aria-invalid="true"`) {
			t.Errorf("the error page has no role=alert summary or aria-invalid field")
		}
	})
	rules := parseCSS(css)
	t.Run("contrast", func(t *testing.T) { checkContrast(t, rules) })
	t.Run("text size", func(t *testing.T) { checkTextSize(t, rules) })
	t.Run("tap targets", func(t *testing.T) { checkTapTargets(t, rules, e) })
}

// cssRule is one style rule: its selectors and declarations.
type cssRule struct {
	selectors []string
	decls     map[string]string
}

var (
	cssCommentRE = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssRuleRE    = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`) // innermost rules; @media preludes fall away
)

// parseCSS reads the style rules of a stylesheet, in order.
func parseCSS(css string) []cssRule {
	css = cssCommentRE.ReplaceAllString(css, "")
	var out []cssRule
	for _, m := range cssRuleRE.FindAllStringSubmatch(css, -1) {
		r := cssRule{decls: map[string]string{}}
		for _, s := range strings.Split(m[1], ",") {
			r.selectors = append(r.selectors, strings.Join(strings.Fields(s), " "))
		}
		for _, d := range strings.Split(m[2], ";") {
			k, v, ok := strings.Cut(d, ":")
			if ok {
				v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
				r.decls[strings.ToLower(strings.TrimSpace(k))] = v
			}
		}
		out = append(out, r)
	}
	return out
}

// cssVars are the custom properties set on :root.
func cssVars(rules []cssRule) map[string]string {
	vars := map[string]string{}
	for _, r := range rules {
		for _, s := range r.selectors {
			if s == ":root" || s == "html" {
				for k, v := range r.decls {
					if strings.HasPrefix(k, "--") {
						vars[k] = v
					}
				}
			}
		}
	}
	return vars
}

var cssVarRE = regexp.MustCompile(`var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)`)

// resolve replaces var(--x) with the value from :root.
func resolve(v string, vars map[string]string) string {
	for range 5 {
		v = cssVarRE.ReplaceAllStringFunc(v, func(s string) string {
			m := cssVarRE.FindStringSubmatch(s)
			if x, ok := vars[m[1]]; ok {
				return x
			}
			return m[2]
		})
	}
	return v
}

type rgb [3]float64

var (
	hexColorRE = regexp.MustCompile(`#([0-9a-fA-F]{3,8})\b`)
	namedColor = map[string]string{"white": "#fff", "black": "#000"}
)

// parseColor finds the colour in a color or background value. ok is false
// for none, transparent, inherit and the like.
func parseColor(v string) (c rgb, ok bool) {
	for _, tok := range strings.Fields(strings.ToLower(v)) {
		if h, found := namedColor[tok]; found {
			tok = h
		}
		m := hexColorRE.FindStringSubmatch(tok)
		if m == nil {
			continue
		}
		h := m[1]
		if len(h) == 3 || len(h) == 4 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) < 6 {
			continue
		}
		for i := range 3 {
			x, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			c[i] = float64(x) / 255
		}
		return c, true
	}
	return c, false
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b rgb) float64 {
	lum := func(c rgb) float64 {
		var l [3]float64
		for i, x := range c {
			if x <= 0.04045 {
				l[i] = x / 12.92
			} else {
				l[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// checkContrast fails every text colour under 4.5:1 against its
// background: the background of the same rule, else the body's. A rule
// that sets only a background is checked with the body's text colour.
func checkContrast(t *testing.T, rules []cssRule) {
	vars := cssVars(rules)
	bodyFG, bodyBG := rgb{0, 0, 0}, rgb{1, 1, 1}
	for _, r := range rules {
		for _, s := range r.selectors {
			if s == "body" {
				if c, ok := parseColor(resolve(r.decls["color"], vars)); ok {
					bodyFG = c
				}
				for _, k := range []string{"background-color", "background"} {
					if c, ok := parseColor(resolve(r.decls[k], vars)); ok {
						bodyBG = c
					}
				}
			}
		}
	}
	minRatio, minRule, pairs := math.Inf(1), "", 0
	for _, r := range rules {
		fgVal, hasFG := r.decls["color"]
		bgVal, hasBG := r.decls["background-color"]
		if !hasBG {
			bgVal, hasBG = r.decls["background"]
		}
		if !hasFG && !hasBG {
			continue
		}
		fg, bg := bodyFG, bodyBG
		if hasFG {
			c, ok := parseColor(resolve(fgVal, vars))
			if !ok {
				continue // inherit, currentColor
			}
			fg = c
		}
		if hasBG {
			if c, ok := parseColor(resolve(bgVal, vars)); ok {
				bg = c
			}
		}
		ratio := contrast(fg, bg)
		pairs++
		sel := strings.Join(r.selectors, ", ")
		t.Logf("%-50.50s %5.2f:1", sel, ratio)
		if ratio < minRatio {
			minRatio, minRule = ratio, sel
		}
		if ratio < 4.5 {
			t.Errorf("%s { color: %s; background: %s }: contrast %.2f:1, want ≥ 4.5:1", sel, fgVal, bgVal, ratio)
		}
	}
	if pairs == 0 {
		t.Fatal("no colour found in the stylesheet")
	}
	t.Logf("contrast: %d colour pairs, minimum %.2f:1 (%s)", pairs, minRatio, minRule)
}

// lengthPx converts a CSS length in rem or px to pixels at an 18 px root.
func lengthPx(v string, rootPx float64) (float64, bool) {
	v = strings.TrimSpace(v)
	for unit, k := range map[string]float64{"rem": rootPx, "px": 1} {
		if s, ok := strings.CutSuffix(v, unit); ok && !strings.HasSuffix(s, "r") {
			x, err := strconv.ParseFloat(s, 64)
			return x * k, err == nil
		}
	}
	return 0, false
}

// rootPx is the root font size the stylesheet sets on html (a percentage
// of the browser's 16 px).
func rootPx(rules []cssRule) float64 {
	for _, r := range rules {
		for _, s := range r.selectors {
			if s == "html" {
				if p, ok := strings.CutSuffix(r.decls["font-size"], "%"); ok {
					if x, err := strconv.ParseFloat(p, 64); err == nil {
						return 16 * x / 100
					}
				}
			}
		}
	}
	return 16
}

// declared is the last value of prop in a rule listing selector.
func declared(rules []cssRule, selector, prop string) (string, bool) {
	val, found := "", false
	for _, r := range rules {
		for _, s := range r.selectors {
			if s == selector {
				if v, ok := r.decls[prop]; ok {
					val, found = v, true
				}
			}
		}
	}
	return val, found
}

// checkTextSize: body text ≥ 18 px with line height ≥ 1.3; large-text
// mode ≥ 22 px (domain.md §5).
func checkTextSize(t *testing.T, rules []cssRule) {
	root := rootPx(rules)
	if root < 18 {
		t.Errorf("root font size %.1f px, want ≥ 18", root)
	}
	if lh, _ := declared(rules, "body", "line-height"); lh == "" {
		t.Errorf("body sets no line-height")
	} else if x, err := strconv.ParseFloat(lh, 64); err != nil || x < 1.3 {
		t.Errorf("body line-height %q, want a unitless ≥ 1.3", lh)
	}
	fs, ok := declared(rules, "main.elder", "font-size")
	px, ok2 := lengthPx(fs, root)
	if !ok || !ok2 || px < 22 {
		t.Errorf("main.elder font-size %q (%.1f px), want ≥ 22 px", fs, px)
	}
	t.Logf("text: root %.1f px, large-text %.1f px", root, px)
}

// checkTapTargets: every control's min-height is ≥ 44 px (2.75rem at a
// 16 px root), and ≥ 60 px (3.75rem) in large-text mode, where every one
// of these controls appears too (the language link on the first page,
// when that page shows one).
// The browser tests measure the rendered boxes; this checks what the
// stylesheet declares, for controls the browser tests do not reach.
func checkTapTargets(t *testing.T, rules []cssRule, e *env) {
	root := rootPx(rules)
	_, elderFirst := e.get("/s/" + demo.Slug + "?big=1")
	langLinkInElder := strings.Contains(elderFirst, `<p class="lang"><a `)
	controls := []struct {
		name, selector string
		elder          bool // also on large-text pages
	}{
		{"answer option", ".opts label", true},
		{"button", "button", true},
		{"dropdown", "select", true},
		{"text box", "textarea", false}, // four rows: far taller than any minimum
		{"language link", ".lang a", langLinkInElder},
		{"link button", "a.button", false}, // message pages only, never in large-text mode
	}
	for _, c := range controls {
		v, ok := declared(rules, c.selector, "min-height")
		px, ok2 := lengthPx(v, root)
		if !ok || !ok2 || px < 44 || px < 2.75*16 {
			t.Errorf("%s (%s): min-height %q = %.1f px, want ≥ 2.75rem (44 px)", c.name, c.selector, v, px)
		}
		if !c.elder {
			continue
		}
		if ev, ok := declared(rules, "main.elder "+c.selector, "min-height"); ok {
			v = ev
		}
		px, ok2 = lengthPx(v, root)
		if !ok2 || px < 60 || px < 3.75*16 {
			t.Errorf("%s in large-text mode (main.elder %s): min-height %q = %.1f px, want ≥ 3.75rem (60 px)", c.name, c.selector, v, px)
		}
	}
}

// testA11yChecker makes sure the checks above can fail: each snippet has
// exactly the problem named.
func testA11yChecker(t *testing.T) {
	const ok = `<html lang="zh-CN"><body><form>`
	tests := []struct{ name, page, want string }{
		{"no lang", `<html><body></body></html>`, "no lang"},
		{"bare input", ok + `<input type="text" name="x">`, "no <label>"},
		{"label for another id", ok + `<label for="b">X</label><input id="a" name="x">`, "no <label>"},
		{"empty label", ok + `<label>  <input name="x"></label>`, "is empty"},
		{"radio without fieldset", ok + `<label><input type="radio" name="r"><span>Yes</span></label>`, "not in a <fieldset>"},
		{"radio without legend", ok + `<fieldset><label><input type="radio" name="r">Yes</label></fieldset>`, "no <legend>"},
		{"radio with hidden text", ok + `<fieldset><legend>Q</legend><label class="visually-hidden"><input type="radio" name="r">Yes</label></fieldset>`, "not visible"},
		{"empty button", ok + `<button name="_nav" value="next"></button>`, "button has no text"},
		{"duplicate id", ok + `<p id="a"></p><p id="a"></p>`, "used 2 times"},
		{"dangling describedby", ok + `<fieldset aria-describedby="err-x"><legend>Q</legend></fieldset>`, "names no element"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := a11yProblems(tc.page)
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Errorf("problems %q, want one containing %q", got, tc.want)
			}
		})
	}
	good := ok + `<input type="hidden" name="_sid" value="1"><fieldset><legend>Q</legend>` +
		`<label><input type="radio" name="r" value="1"><span>1 很不满意</span></label></fieldset>` +
		`<label class="visually-hidden" for="f-t">T</label><textarea id="f-t" name="t"></textarea><button>下一页</button>`
	if got := a11yProblems(good); len(got) != 0 {
		t.Errorf("a labelled form: problems %q", got)
	}
	// WCAG 2 reference values: black on white is 21:1; #767676 on white is
	// the lightest grey that passes 4.5:1 (WebAIM contrast checker).
	if r := contrast(rgb{0, 0, 0}, rgb{1, 1, 1}); math.Abs(r-21) > 1e-9 {
		t.Errorf("contrast(black, white) = %v, want 21", r)
	}
	grey, _ := parseColor("#767676")
	if r := contrast(grey, rgb{1, 1, 1}); math.Abs(r-4.54) > 0.01 {
		t.Errorf("contrast(#767676, white) = %.3f, want 4.54", r)
	}
}
