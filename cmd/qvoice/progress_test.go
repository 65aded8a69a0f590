package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestProgressOnlyOnTerminal checks that a progress bar draws nothing on
// a buffer, a file or /dev/null (a character device, but no terminal).
func TestProgressOnlyOnTerminal(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	tests := []struct {
		name string
		w    io.Writer
	}{
		{"buffer", &bytes.Buffer{}},
		{"file", file},
		{"/dev/null", devNull},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if isTerminal(tc.w) {
				t.Errorf("isTerminal(%s) = true", tc.name)
			}
			p := newProgress(tc.w, "reading", 10)
			p.start = time.Now().Add(-time.Minute) // as if running long
			p.Add(5)
			p.AddRows(3)
			time.Sleep(300 * time.Millisecond)
			p.Finish()
			if b, ok := tc.w.(*bytes.Buffer); ok && b.Len() > 0 {
				t.Errorf("drew %q", b.String())
			}
			if fi, _ := file.Stat(); fi.Size() > 0 {
				t.Errorf("drew %d bytes into a file", fi.Size())
			}
		})
	}
}
