package server

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"english hard wraps", "Thank you! Your code is X (quote it if you want\nyour answers deleted). Call 12315.\n",
			[]string{"Thank you! Your code is X (quote it if you want your answers deleted). Call 12315."}},
		{"chinese sentences", "本调查由某局组织。\n目的：了解消费者关心的\n质量问题。\n",
			[]string{"本调查由某局组织。", "目的：了解消费者关心的质量问题。"}},
		{"blank line", "a\n\nb", []string{"a", "b"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, paragraphs(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
