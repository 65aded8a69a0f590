package spss_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/qvoice/qvoice/surveys/spss"
)

func ExampleNewWriter() {
	likert := []spss.ValueLabel{{Value: 1, Label: "非常不满意"}, {Value: 5, Label: "非常满意"}, {Value: 99, Label: "不了解"}}
	vars := []spss.Variable{
		{Name: "q1_overall", Label: "总体满意度", Measure: spss.Ordinal, ValueLabels: likert, Missing: []float64{99}},
		{Name: "comment", Label: "意见", Width: 300},
	}
	// A file would do as well; a bytes.Buffer cannot seek, so the header
	// says the case count is unknown unless WithCaseCount promises it.
	var out bytes.Buffer
	w, err := spss.NewWriter(&out, vars, spss.WithFileLabel("质量调查"), spss.WithCaseCount(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = w.WriteCase([]spss.Value{spss.Num(5), spss.Str("很好, \"满意\"")})
	_ = w.WriteCase([]spss.Value{spss.SysMis(), spss.Str("")})

	// A string wider than its variable is rejected, never cut.
	err = w.WriteCase([]spss.Value{spss.Num(1), spss.Str(string(make([]byte, 301)))})
	fmt.Println(errors.Is(err, spss.ErrValue))

	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Cases(), "cases")
	// Output:
	// true
	// 2 cases
}
