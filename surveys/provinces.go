package surveys

import (
	"cmp"
	"slices"
)

// Province is a province-level division of GB/T 2260, by its two-digit
// code, with its short name in Chinese and English.
type Province struct {
	Code, Zh, En string
}

// Name is the province's name in lang: Chinese for zh-CN (and any zh
// tag), English otherwise.
func (p Province) Name(lang string) string {
	if len(lang) >= 2 && lang[:2] == "zh" {
		return p.Zh
	}
	return p.En
}

// provinces are the 34 province-level divisions of GB/T 2260, by code.
var provinces = []Province{
	{"11", "北京", "Beijing"}, {"12", "天津", "Tianjin"}, {"13", "河北", "Hebei"}, {"14", "山西", "Shanxi"},
	{"15", "内蒙古", "Inner Mongolia"}, {"21", "辽宁", "Liaoning"}, {"22", "吉林", "Jilin"},
	{"23", "黑龙江", "Heilongjiang"}, {"31", "上海", "Shanghai"}, {"32", "江苏", "Jiangsu"},
	{"33", "浙江", "Zhejiang"}, {"34", "安徽", "Anhui"}, {"35", "福建", "Fujian"}, {"36", "江西", "Jiangxi"},
	{"37", "山东", "Shandong"}, {"41", "河南", "Henan"}, {"42", "湖北", "Hubei"}, {"43", "湖南", "Hunan"},
	{"44", "广东", "Guangdong"}, {"45", "广西", "Guangxi"}, {"46", "海南", "Hainan"}, {"50", "重庆", "Chongqing"},
	{"51", "四川", "Sichuan"}, {"52", "贵州", "Guizhou"}, {"53", "云南", "Yunnan"}, {"54", "西藏", "Xizang (Tibet)"},
	{"61", "陕西", "Shaanxi"}, {"62", "甘肃", "Gansu"}, {"63", "青海", "Qinghai"}, {"64", "宁夏", "Ningxia"},
	{"65", "新疆", "Xinjiang"}, {"71", "台湾", "Taiwan"}, {"81", "香港", "Hong Kong"}, {"82", "澳门", "Macao"},
}

// Provinces lists the province-level divisions of GB/T 2260, by code.
func Provinces() []Province { return slices.Clone(provinces) }

// ProvinceByCode returns the province with the two-digit code, and
// whether there is one.
func ProvinceByCode(code string) (Province, bool) {
	i, ok := slices.BinarySearchFunc(provinces, code, func(p Province, c string) int { return cmp.Compare(p.Code, c) })
	if !ok {
		return Province{}, false
	}
	return provinces[i], true
}
