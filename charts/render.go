package charts

import (
	"encoding/json"
	"fmt"
)

// Chart is one chart ready for a page: the id of the element it is drawn
// into and its ECharts option as escaped JSON.
type Chart struct {
	ElementID string
	Title     string
	Option    json.RawMessage
	Height    int // pixels, so long rankings are not squashed
	// Empty reports a chart with nothing to draw (no items, or none with
	// an estimate): its option only shows the NoData text, and a page may
	// put its own message in its place.
	Empty bool
}

// jsonOption is the part of a go-echarts chart this package uses.
type jsonOption interface {
	Validate()
	JSON() map[string]any
}

// render marshals a go-echarts chart's options with encoding/json.
func render(id, title string, height int, c jsonOption) (Chart, error) {
	c.Validate()
	opt := c.JSON()
	// go-echarts adds these for its own templates; ECharts ignores them,
	// and they would make golden files depend on go-echarts internals.
	delete(opt, "ChartID")
	b, err := json.Marshal(opt)
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ElementID: id, Title: title, Option: b, Height: height}, nil
}
