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
// # Two engines
//
// The Accumulator above is the live engine: unweighted, streaming and
// mergeable, for a dashboard that adds each accepted response.
//
// The researcher's engine reproduces every table of the oracle (oracle.R):
// Analyze runs the sections on a Sample and returns Tables in the oracle's
// layout. Designs are unweighted (UnweightedDesign), base-weighted
// (BaseWeightDesign), raked to population margins (Rake, Raking.Design:
// svyrecvar's raking-branch variance) and calibrated (CalibrationDesign:
// the GREG linearisation variance). JointMeans gives the available-case
// means and their joint linearisation covariance under any design; the
// sections build on it: indices and priorities with delta-method SEs
// (Indices), key groups (KeyGroups), IPA, reliability (CronbachAlpha),
// drivers (Drivers: r, standardised betas, Johnson's relative weights,
// exact LMG), group tests with Holm and BH (TestsTable) and Kano.
//
// Some of these statistics need rows, so the Sample keeps them, compactly
// (one byte per scale answer, about 130 bytes per response): the raked
// weights are a fixed point over the whole sample; the raked and
// calibrated variances project each response's influence; reliability and
// drivers use complete cases across items; Welch and rank tests regroup
// responses by region and age. Raking itself, the variance projections and
// the means run on weighting cells or per-scale-point sums, so time is a
// few passes over the compact columns: about 4.5 s for a million responses
// on two cores, against 11 minutes for R.
//
// Estimates that the data leave undefined (a category nobody rated, a
// constant total score, collinear drivers) are NA in the tables and
// reported in Report.Undefined, never silently.
package analysis
