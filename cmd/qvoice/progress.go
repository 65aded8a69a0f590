package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// progress shows a one-line progress bar on a terminal for work that runs
// longer than two seconds; elsewhere (pipes, CI logs) it prints nothing.
type progress struct {
	w     io.Writer
	label string
	total int64 // bytes or rows expected; 0 if unknown
	done  atomic.Int64
	rows  atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
	shown bool
}

// newProgress starts a progress line on w if w is a terminal.
func newProgress(w io.Writer, label string, total int64) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now(), stop: make(chan struct{})}
	if !isTerminal(w) {
		return p
	}
	p.wg.Add(1)
	go p.loop()
	return p
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			if p.shown {
				p.draw()
				fmt.Fprintln(p.w)
			}
			return
		case <-t.C:
			if time.Since(p.start) >= 2*time.Second {
				p.shown = true
				p.draw()
			}
		}
	}
}

func (p *progress) draw() {
	el := time.Since(p.start).Round(100 * time.Millisecond)
	rows := p.rows.Load()
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%s: %d rows, %s", p.label, rows, el)
		return
	}
	frac := min(float64(p.done.Load())/float64(p.total), 1)
	const width = 30
	n := int(frac * width)
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < n {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(p.w, "\r%s [%s] %3.0f%% %d rows, %s", p.label, bar, 100*frac, rows, el)
}

// Finish stops the line.
func (p *progress) Finish() {
	close(p.stop)
	p.wg.Wait()
}

// countingReader counts bytes read into a progress.
type countingReader struct {
	r io.Reader
	p *progress
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.done.Add(int64(n))
	return n, err
}
