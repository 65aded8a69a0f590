package exchange

import (
	"context"

	"github.com/qvoice/qvoice/surveys"
)

// RecordWriter takes an export's records, the header first. Close
// finishes the file; it does not close the underlying writer.
type RecordWriter interface {
	Write(rec []string) error
	Close() error
}

// Export writes the header and then every response of l's survey that f
// matches to w, in storage order, one response in memory at a time, and
// closes w. progress, if not nil, is called with the count so far. It
// returns the number of responses written.
func Export(ctx context.Context, st surveys.Store, l *Layout, f surveys.Filter, w RecordWriter, progress func(int)) (int, error) {
	if err := w.Write(l.Header()); err != nil {
		return 0, err
	}
	n := 0
	rec := make([]string, 0, len(l.cols))
	err := st.ScanResponses(ctx, l.def.Slug, f, func(r *surveys.Response) error {
		rec = l.Encode(r, rec)
		if err := w.Write(rec); err != nil {
			return err
		}
		n++
		if progress != nil {
			progress(n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, w.Close()
}
