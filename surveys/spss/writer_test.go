package spss

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the fixture files byte for byte, so any change to the
// output shows up in review; PSPP reads the same files in pspp_test.go.
// Run with -update after checking a change with PSPP.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		opts []Option
	}{
		{"fixture.sav", nil},
		{"fixture-compressed.sav", []Option{WithCompression()}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := os.ReadFile(writeFixture(t, filepath.Join(t.TempDir(), tc.file), tc.opts...))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s differs from %s (%d bytes, want %d); run go test -update after checking with PSPP", tc.file, golden, len(got), len(want))
			}
		})
	}
}

// TestBadCasesWriteNothing interleaves rejected cases with the fixture's
// and expects the very same file: a rejected case leaves no trace.
func TestBadCasesWriteNothing(t *testing.T) {
	good := fixtureCases()
	row := func(i int, v Value) []Value {
		c := append([]Value(nil), good[0]...)
		c[i] = v
		return c
	}
	bad := []struct {
		name string
		c    []Value
	}{
		{"too few values", good[0][:3]},
		{"too many values", append(append([]Value(nil), good[0]...), Num(1))},
		{"string for a number", row(0, Str("1"))},
		{"number for a string", row(4, Num(1))},
		{"string wider than its variable", row(4, Str(strings.Repeat("城", 7)))}, // 21 bytes > 20
		{"very long string one byte too long", row(6, Str(strings.Repeat("x", 601)))},
		{"string not UTF-8", row(4, Str("\xe5\x8c"))},
	}
	for _, compress := range []bool{false, true} {
		var opts []Option
		if compress {
			opts = []Option{WithCompression()}
		}
		var want, got bytes.Buffer
		writeCases(t, onlyWriter{&want}, fixtureVars(), good, opts...)

		w, err := NewWriter(onlyWriter{&got}, fixtureVars(), append([]Option{WithCreated(fixtureCreated()), WithFileLabel("质量调查 2025")}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range good {
			for _, b := range bad {
				if err := w.WriteCase(b.c); !errors.Is(err, ErrValue) {
					t.Errorf("%s: WriteCase = %v, want ErrValue", b.name, err)
				}
			}
			if err := w.WriteCase(c); err != nil {
				t.Fatalf("case %d: %v", i+1, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if w.Cases() != int64(len(good)) {
			t.Errorf("Cases() = %d, want %d", w.Cases(), len(good))
		}
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("compress=%v: rejected cases changed the file", compress)
		}
	}
}

func TestNaNIsSysMis(t *testing.T) {
	vars := []Variable{{Name: "x"}}
	var nan, sys bytes.Buffer
	writeCases(t, onlyWriter{&nan}, vars, [][]Value{{Num(math.NaN())}})
	writeCases(t, onlyWriter{&sys}, vars, [][]Value{{SysMis()}})
	if !bytes.Equal(nan.Bytes(), sys.Bytes()) {
		t.Error("Num(NaN) is not written as system-missing")
	}
	if !Num(math.NaN()).IsSysMis() || Num(0).IsSysMis() {
		t.Error("IsSysMis is wrong for NaN or 0")
	}
}

func TestCloseAndCount(t *testing.T) {
	vars := []Variable{{Name: "x"}}
	w, err := NewWriter(io.Discard, vars, WithCaseCount(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteCase([]Value{Num(1)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, ErrCaseCount) {
		t.Errorf("Close after 1 of 2 promised cases = %v, want ErrCaseCount", err)
	}
	if err := w.WriteCase([]Value{Num(1)}); !errors.Is(err, ErrClosed) {
		t.Errorf("WriteCase after Close = %v, want ErrClosed", err)
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}

func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Option
		want error
	}{
		{"negative case count", WithCaseCount(-1), ErrCaseCount},
		{"case count over int32", WithCaseCount(math.MaxInt32 + 1), ErrCaseCount},
		{"document line over 80 bytes", WithDocument(strings.Repeat("x", 81)), ErrValue},
		{"document line not UTF-8", WithDocument("\xff"), ErrValue},
		{"file label not UTF-8", WithFileLabel("\xff"), ErrValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewWriter(io.Discard, []Variable{{Name: "x"}}, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("NewWriter = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestPatchCountAtOffset writes a file after other bytes in the same
// io.WriteSeeker: Close patches the count relative to where the header
// began and leaves the position at the end.
func TestPatchCountAtOffset(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const prefix = "prefix"
	if _, err := f.WriteString(prefix); err != nil {
		t.Fatal(err)
	}
	writeCases(t, f, []Variable{{Name: "x"}}, [][]Value{{Num(1)}, {Num(2)}})
	if _, err := f.WriteString("END"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(binary.LittleEndian.Uint32(b[len(prefix)+caseCountOffset:])); got != 2 {
		t.Errorf("case count in header = %d, want 2", got)
	}
	if !strings.HasSuffix(string(b), string(le(1.0, 2.0))+"END") {
		t.Errorf("file does not end with the cases and what followed them: % x", b[len(b)-24:])
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errDisk = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errDisk
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriteErrorsStick(t *testing.T) {
	if _, err := NewWriter(&failWriter{}, []Variable{{Name: "x"}}); !errors.Is(err, errDisk) {
		t.Fatalf("NewWriter on a full disk = %v", err)
	}
	// Room for the dictionary, not for 10,000 cases of 8 KiB.
	w, err := NewWriter(&failWriter{n: 1 << 20}, []Variable{{Name: "s", Width: 8192}})
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 10000 && werr == nil; i++ {
		werr = w.WriteCase([]Value{Str("x")})
	}
	if !errors.Is(werr, errDisk) {
		t.Fatalf("WriteCase on a full disk = %v", werr)
	}
	if err := w.WriteCase([]Value{Str("x")}); !errors.Is(err, errDisk) {
		t.Errorf("WriteCase after a failure = %v, want the same failure", err)
	}
	if err := w.Close(); !errors.Is(err, errDisk) {
		t.Errorf("Close after a failure = %v, want the same failure", err)
	}
}

func TestMeasureString(t *testing.T) {
	got := []string{MeasureDefault.String(), Nominal.String(), Ordinal.String(), Scale.String(), Measure(7).String()}
	if diff := cmp.Diff([]string{"Default", "Nominal", "Ordinal", "Scale", "Measure(7)"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBrokenPromiseOnFile: on a seekable file the header gets the true
// count even when WithCaseCount promised another; Close still reports it.
func TestBrokenPromiseOnFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x.sav"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWriter(f, []Variable{{Name: "x"}}, WithCaseCount(5))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteCase([]Value{Num(1)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, ErrCaseCount) {
		t.Errorf("Close = %v, want ErrCaseCount", err)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(binary.LittleEndian.Uint32(b[caseCountOffset:])); got != 1 {
		t.Errorf("case count in header = %d, want 1", got)
	}
}
