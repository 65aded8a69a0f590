// Package analysis turns survey answers into the statistics a regulator
// reads: per category × indicator importance and satisfaction, the
// importance-weighted category index Q, overall satisfaction on 0–100, NPS,
// and a ranked list of improvement priorities with delta-method standard
// errors.
//
// # Contract
//
// The package is numeric only. It reads from an io.Reader (ReadCSV) and from
// surveys.Answers values, and returns values; it does no other I/O, never
// logs and knows nothing of HTTP or storage. Programmer misuse (a nil
// definition) panics; problems in the data are returned as errors.
//
// The engine is one streaming pass. An Accumulator holds the sufficient
// statistics of one survey definition; its memory depends on the number of
// categories and indicators (O(K²) per category of K indicators), never on
// the number of responses. Accumulators of the same definition merge
// (Accumulator.Merge), so a pass can be split across goroutines, servers or
// time, and a live server can keep one Accumulator and Add each accepted
// response to it.
//
// # Exactness
//
// Every answer that is accumulated is an integer scale point, so the
// sufficient statistics (counts, sums, sums of squares and cross-products of
// the values shifted by the middle of their scale) are kept as int64 and are
// exact. Merging is integer addition: a merged Accumulator is identical to a
// single-pass one, whatever the split or order. Centred moments are formed
// from them in exact integer arithmetic (int64, or math/big when that could
// overflow) and divided once, correctly rounded, so variances suffer no
// cancellation; the only other roundings are in the last few float64
// operations.
//
// # Estimators
//
// Missing answers (absent fields) and "na" (不了解/未使用) are excluded:
// every mean is available-case, over the n responses that answered that
// field. N is the number of responses added. The formulas, and the R
// reference each one reproduces, are in the doc comments of Estimate,
// IndicatorResult and CategorySummary; the tests check them against the
// oracle in ../shared/oracle (R 4.2.2, survey 4.1.1) to a relative 1e-9.
//
// This first version is unweighted. Design weights, raking and their
// linearisation variances come later, alongside these accumulators.
package analysis
