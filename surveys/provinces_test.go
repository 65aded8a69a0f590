package surveys

import (
	"cmp"
	"slices"
	"testing"
)

func TestProvinceByCode(t *testing.T) {
	if !slices.IsSortedFunc(provinces, func(a, b Province) int { return cmp.Compare(a.Code, b.Code) }) {
		t.Fatal("the province table is not sorted by code: ProvinceByCode searches it")
	}
	tests := []struct {
		code, lang, want string
		ok               bool
	}{
		{"11", "zh-CN", "北京", true},
		{"32", "en", "Jiangsu", true},
		{"82", "zh-CN", "澳门", true},
		{"99", "en", "", false},
		{"3", "en", "", false},
		{"", "en", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			p, ok := ProvinceByCode(tc.code)
			if ok != tc.ok || ok && p.Name(tc.lang) != tc.want {
				t.Errorf("ProvinceByCode(%q) = %v %v, want %q %v", tc.code, p, ok, tc.want, tc.ok)
			}
		})
	}
	if n := len(Provinces()); n != 34 {
		t.Errorf("%d provinces, want GB/T 2260's 34", n)
	}
}
