package server

import (
	"strings"
	"time"

	"github.com/qvoice/qvoice/surveys"
)

// complaintsShown is how many free texts the complaints page lists.
const complaintsShown = 30

// pageExtras adds what a page shows besides charts: the overview's top 10
// as sentences, the complaints page's latest texts, footnotes.
func pageExtras(p *pageCtx, page string, data *dashPageData) error {
	switch page {
	case "overview":
		data.Top10 = top10(p)
	case "groups":
		data.Footnotes = append(data.Footnotes, p.m("signif_note"))
	case "complaints":
		for _, c := range p.brd.latestComplaints(p.v.f, complaintsShown) {
			data.Texts = append(data.Texts, complaintView{When: time.UnixMilli(c.At).In(surveys.ChinaTime).Format("2006-01-02 15:04"),
				Where: p.whereOf(c), Text: c.Text})
		}
	}
	return nil
}

// top10 says the ten highest priorities as sentences a regulator can read
// out: category, indicator, priority and its interval.
func top10(p *pageCtx) []string {
	var out []string
	for i, r := range rankedPriorities(p) {
		if i == 10 || r.small() {
			break
		}
		lo, hi := r.ci100()
		out = append(out, p.m("top10_item", p.labels.Category(r.Category), p.labels.Indicator(r.Category, r.Indicator),
			fmt2(r.Priority100), "["+fmt2(lo)+", "+fmt2(hi)+"]"))
	}
	return out
}

// whereOf names where a complaint came from: province and region type.
func (p *pageCtx) whereOf(c complaint) string {
	var parts []string
	for _, x := range []struct{ id, v string }{{surveys.ProvinceID, c.Province}, {surveys.RegionTypeID, c.RegionType}} {
		if label, ok := p.optionLabel(x.id, x.v); ok && x.v != "" {
			parts = append(parts, label)
		}
	}
	return strings.Join(parts, " · ")
}

// optionLabel is the label, in the page's language, of the option value
// of question id; value itself, and false, if the question has no such
// option.
func (p *pageCtx) optionLabel(id, value string) (string, bool) {
	if f := p.d.Field(id); f != nil {
		for _, o := range f.Options {
			if o.Value == value {
				return o.Label.In(p.lang, p.d.DefaultLanguage()), true
			}
		}
	}
	return value, false
}
