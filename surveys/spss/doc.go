// Package spss writes SPSS system files (.sav), so researchers can open
// survey exports in SPSS, PSPP, R (haven) or Stata with variable labels,
// value labels, missing values and measurement levels intact.
//
// NewWriter takes the variables up front and writes the dictionary;
// WriteCase then streams one case at a time and Close finishes the file.
// The Writer holds one case in memory, so its memory does not grow with
// the number of cases. On a seekable destination (a file) Close writes the
// case count into the header; on a stream (a pipe, an HTTP response) the
// count is either promised with WithCaseCount or written as -1, "unknown",
// which SPSS and PSPP accept.
//
// # What is written
//
// Files are little-endian, layout code 2, UTF-8 (character encoding record
// subtype 20 and character code 65001 in the machine integer info record),
// uncompressed or, with WithCompression, bytecode-compressed with bias 100.
// In order:
//
//   - the file header ("$FL2"): product name, case size in 8-byte units,
//     compression flag, case count, bias, creation date and time, label;
//   - a variable record (type 2) per variable, with label and discrete
//     missing values, followed by continuation records for strings wider
//     than 8 bytes; strings wider than 255 bytes take one such record per
//     segment (see below);
//   - value label records (types 3 and 4), one pair per distinct set;
//   - an optional document record (type 6, WithDocument);
//   - extension records (type 7): machine integer info (subtype 3), machine
//     floating-point info (4), variable display parameters (11: measure,
//     display width, alignment), long variable names (13, when a name is not
//     its own 8-byte upper-case short name), very long string lengths (14),
//     and the character encoding (20);
//   - the dictionary termination record (999), then the cases.
//
// Short names are generated: the name upper-cased and cut to 8 bytes, or a
// prefix with a number when that is taken. A string of width w > 255 is
// stored as (w+251)/252 segments, all but the last 255 bytes wide, with the
// value packed 255 bytes per segment.
//
// # Limits
//
// Value labels and user-missing values are written for numeric variables
// only; a string variable with either is rejected (long string labels need
// subtypes 21 and 22). Missing-value ranges, weights, multiple-response
// sets, attributes and zlib compression (.zsav) are not written. Variable
// labels are cut to 256 bytes and value labels to 120, at a UTF-8 character
// boundary; a string value longer than its variable is an error, never cut.
//
// # References
//
// The authority is the "System File Format" chapter of the GNU PSPP
// Developers Guide:
// https://www.gnu.org/software/pspp/pspp-dev/html_node/System-File-Format.html
// (sections File Header Record, Variable Record, Value Labels Records,
// Document Record, Machine Integer Info Record, Machine Floating-Point Info
// Record, Variable Display Parameter Record, Long Variable Names Record,
// Very Long String Record, Character Encoding Record, Dictionary
// Termination Record, Data Record). The tests read every file back with
// PSPP's pspp-convert and pspp, an independent reader that reports any
// oddity as a warning; a warning fails the tests.
package spss
