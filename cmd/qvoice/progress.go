package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
)

// progress shows a one-line progress bar on a terminal for work that runs
// longer than two seconds; elsewhere (pipes, files, CI logs) it prints
// nothing. Add counts the units of total (bytes, surveys, …); AddRows and
// SetRows count rows, shown beside the bar. Its methods are safe to call
// from several goroutines. Call Finish when the work ends.
type progress struct {
	w     io.Writer
	label string
	total int64 // units expected; 0 if unknown
	done  atomic.Int64
	rows  atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
	shown bool
}

// newProgress starts a progress line on w if w is a terminal; total is
// the number of units expected, 0 if unknown. Commands use app.progress,
// which draws on standard error.
func newProgress(w io.Writer, label string, total int64) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now(), stop: make(chan struct{})}
	if !isTerminal(w) {
		return p
	}
	p.wg.Add(1)
	go p.loop()
	return p
}

// isTerminal says whether w is a terminal: not a pipe, a file or a
// character device such as /dev/null.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// Add counts n more units done of the total.
func (p *progress) Add(n int64) { p.done.Add(n) }

// AddRows counts n more rows.
func (p *progress) AddRows(n int64) { p.rows.Add(n) }

// SetRows sets the number of rows done.
func (p *progress) SetRows(n int64) { p.rows.Store(n) }

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
		if rows == 0 {
			rows = p.done.Load()
		}
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
	c.p.Add(int64(n))
	return n, err
}
