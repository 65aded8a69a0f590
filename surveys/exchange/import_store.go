package exchange

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/qvoice/qvoice/surveys"
)

// pending is a decoded row waiting for its batch insert.
type pending struct {
	row int
	rec []string
	r   *surveys.Response
}

// store reads the file once and inserts the good rows in batches.
func (im *importer) store(open func() (RecordReader, error)) error {
	batch := make([]pending, 0, im.opts.BatchSize)
	err := im.rows(open, func(row int, rec []string, r *surveys.Response) error {
		batch = append(batch, pending{row, append([]string(nil), rec...), r})
		if len(batch) < im.opts.BatchSize {
			return nil
		}
		err := im.flush(batch)
		batch = batch[:0]
		return err
	})
	if err != nil {
		return err
	}
	return im.flush(batch)
}

func (im *importer) flush(batch []pending) error {
	if len(batch) == 0 {
		return nil
	}
	if err := im.ctx.Err(); err != nil {
		return err
	}
	rs := make([]*surveys.Response, len(batch))
	for i, p := range batch {
		rs[i] = p.r
	}
	errs, err := im.st.InsertResponses(im.ctx, rs)
	if err != nil {
		return fmt.Errorf("storing rows %d to %d: %w", batch[0].row, batch[len(batch)-1].row, err)
	}
	for i, p := range batch {
		switch {
		case errs[i] == nil:
			im.sum.Stored++
			if im.known != nil {
				im.known[p.r.Code] = fingerprint(p.r)
			}
		case errors.Is(errs[i], surveys.ErrDuplicate):
			if err := im.loadKnown(); err != nil {
				return err
			}
			if im.known[p.r.Code] == fingerprint(p.r) {
				im.sum.AlreadyStored++
				continue
			}
			if im.opts.Strict {
				// Checked before storing, yet stored meanwhile by someone
				// else: strict cannot undo the rows already stored.
				return fmt.Errorf("%w: row %d: response code %s was stored with other answers while this import ran; the rows before it are stored", ErrRejected, p.row, p.r.Code)
			}
			if err := im.reject(p.row, p.rec, conflict(p.row, p.r.Code)); err != nil {
				return err
			}
		default:
			return fmt.Errorf("row %d: %w", p.row, errs[i])
		}
	}
	return nil
}

// loadKnown reads the stored codes and digests of the survey, once.
func (im *importer) loadKnown() error {
	if im.known != nil {
		return nil
	}
	im.known = map[string]string{}
	err := im.st.ScanResponses(im.ctx, im.l.def.Slug, surveys.Filter{}, func(r *surveys.Response) error {
		im.known[r.Code] = fingerprint(r)
		return nil
	})
	if err != nil {
		im.known = nil
		return fmt.Errorf("reading the stored response codes: %w", err)
	}
	return nil
}

// check reads the file once and stores nothing: it counts what an import
// would store, and finds every bad row, including codes repeated in the
// file with other answers and codes stored before with other answers.
func (im *importer) check(open func() (RecordReader, error)) error {
	if err := im.loadKnown(); err != nil {
		return err
	}
	inFile := map[string]string{}
	return im.rows(open, func(row int, rec []string, r *surveys.Response) error {
		if d, ok := im.known[r.Code]; ok {
			if d != fingerprint(r) {
				return im.reject(row, rec, conflict(row, r.Code))
			}
			im.sum.AlreadyStored++
			return nil
		}
		if d, ok := inFile[r.Code]; ok {
			if d != fingerprint(r) {
				return im.reject(row, rec, []RowError{{Row: row, Column: ColCode, Value: r.Code, Reason: "this response code appears earlier in the file with different answers or design weight"}})
			}
			im.sum.AlreadyStored++
			return nil
		}
		inFile[r.Code] = fingerprint(r)
		im.sum.Stored++
		return nil
	})
}

// fingerprint is what must match for a row to be the response stored
// under its code: the answers and QR fields (the digest) and the design
// weight, which an analysis uses as much as the answers.
func fingerprint(r *surveys.Response) string {
	return r.Digest + "|" + strconv.FormatFloat(r.Weight, 'g', -1, 64)
}
