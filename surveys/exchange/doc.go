// Package exchange moves survey responses in and out of qvoice as files:
// the wide CSV of ../shared/oracle/README.md §3 (one row per response, one
// column per answer field, stable codes, never labels), the same table as
// XLSX or JSON, and SPSS .sav with variable and value labels, each with a
// codebook and an R loader script.
//
// A Layout fixes the columns of one questionnaire: response_code, src and
// venue, then every answer field in questionnaire order, then design_wt
// (the oracle's 130 columns for the demo survey), then the columns that make
// an export lossless: received_at, lang, channel, duration_s and flags.
//
// Import validates every row exactly as a web submission is validated
// (surveys.ParseAnswers) and keys it by its response code, so importing a
// file twice stores nothing twice. Export streams a Store scan through a
// RecordWriter in constant memory.
package exchange
