// Package demo holds the demonstration questionnaire of qvoice: the 质量月
// consumer quality-demand survey of ../shared/reference/demo-survey.yaml,
// written in the format of package surveys.
//
// Its field ids and option codes are the columns and values of the oracle's
// CSV exchange format, so responses collected with it can be checked against
// the R reference numbers. The YAML is embedded; Source returns it for
// surveys.Parse or for storing with surveys.Store.PutSurvey.
//
// WriteOracleCSV and OracleMargins are a port of the oracle's data
// generator, ../shared/oracle/gen_survey.py, including CPython's Mersenne
// Twister: the same n and seed give the same bytes as the script, so the R
// reference numbers' input can be made without Python.
//
// Generate makes synthetic responses to any questionnaire: deterministic
// for a seed, valid for surveys.ParseAnswers, with planted weak spots, a
// 60+ key-group effect and a trend over the survey window (see Plan), for
// demos and dashboards of surveys other than the oracle's.
package demo

import (
	_ "embed"
)

// Slug is the slug of the demo questionnaire.
const Slug = "quality-month-demo"

//go:embed quality-month-demo.yaml
var source []byte

// Source returns a copy of the demo questionnaire's YAML source.
func Source() []byte {
	return append([]byte(nil), source...)
}
