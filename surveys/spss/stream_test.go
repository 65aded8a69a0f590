package spss

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// countWriter counts and discards what is written, like a pipe to a
// client that is always ready.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// surveyVars is a typical questionnaire export: an id, forty coded items,
// a score, and two open answers.
func surveyVars() []Variable {
	vars := []Variable{{Name: "id"}}
	for i := 1; i <= 40; i++ {
		vars = append(vars, Variable{Name: fmt.Sprintf("item_%02d", i), Measure: Ordinal, ValueLabels: satisfaction(), Missing: []float64{99}})
	}
	return append(vars,
		Variable{Name: "score", Decimals: 2},
		Variable{Name: "city", Width: 40},
		Variable{Name: "comment", Width: 1000})
}

// surveyCase returns case i of a survey export: mostly small codes, some
// missing, a short and a long answer.
func surveyCase(i int, comment string) []Value {
	c := []Value{Num(float64(i))}
	for j := 1; j <= 40; j++ {
		switch (i + j) % 13 {
		case 0:
			c = append(c, Num(99))
		case 1:
			c = append(c, SysMis())
		default:
			c = append(c, Num(float64(1+(i*j)%5)))
		}
	}
	return append(c, Num(float64(i%500)/100), Str("上海"), Str(comment))
}

// TestStreamingMemory writes 200,000 cases and checks that the heap does
// not grow with them and that WriteCase allocates nothing: the writer
// holds one case, whatever the file's size.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200,000 cases")
	}
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compress=%v", compress), func(t *testing.T) {
			var opts []Option
			if compress {
				opts = append(opts, WithCompression())
			}
			var out countWriter
			w, err := NewWriter(&out, surveyVars(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			c := surveyCase(1, strings.Repeat("意见, \"ok\" ", 50))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range 200_000 {
				if err := w.WriteCase(c); err != nil {
					t.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 1<<20 {
				t.Errorf("heap grew by %d bytes over 200,000 cases (%d bytes written)", grew, out.n)
			}
			if mallocs := after.Mallocs - before.Mallocs; mallocs > 1000 {
				t.Errorf("%d allocations for 200,000 cases; WriteCase should allocate nothing", mallocs)
			}
		})
	}
}

// BenchmarkWriter reports the size and speed of a 44-variable survey
// export. Compression pays most where answers are small codes.
func BenchmarkWriter(b *testing.B) {
	comment := strings.Repeat("质量不错, 但是价格太高。", 10)
	for _, compress := range []bool{false, true} {
		b.Run(fmt.Sprintf("compress=%v", compress), func(b *testing.B) {
			var opts []Option
			if compress {
				opts = append(opts, WithCompression())
			}
			cases := make([][]Value, 64)
			for i := range cases {
				cases[i] = surveyCase(i, comment[:len(comment)*(i%4)/4])
			}
			var out countWriter
			w, err := NewWriter(&out, surveyVars(), opts...)
			if err != nil {
				b.Fatal(err)
			}
			start := out.n
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := w.WriteCase(cases[i%len(cases)]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(out.n-start)/float64(b.N), "bytes/case")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
	}
}
