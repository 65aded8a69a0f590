package demo

// The design tables of ../shared/oracle/gen_survey.py, copied value for
// value and in the script's order: the order of a weight list is the order
// in which choiceW walks it, so reordering one changes every later row.
// They are built by a function, not held in package variables, so nothing
// can change them between runs.

// oracleInd is one entry of the script's CATEGORIES: an indicator with its
// base importance, base satisfaction and true driver weight.
type oracleInd struct {
	code           string
	imp, sat, drv  float64
	naShare        float64 // NA_SHARE, or NA_DEFAULT
	impCol, satCol int     // column indexes in the header
}

// oracleCat is one category in CAT_ORDER, with its CAT_BASE_PICK weight.
type oracleCat struct {
	code               string
	pick               float64
	inds               []oracleInd
	kano               []oracleKano // KANO items of this category, in KANO order
	overallCol, recCol int
}

// oracleKano is one KANO item and its two columns.
type oracleKano struct {
	id               string
	funcCol, dysfCol int
}

// oracleProvince is a PROVINCES entry with its PROV_TILT (1.0 if none).
type oracleProvince struct {
	code       string
	pct, urban float64
	tilt       float64
}

func oracleCategories() []oracleCat {
	return []oracleCat{
		{code: "food", pick: 3.0, inds: []oracleInd{
			{code: "safety", imp: 4.75, sat: 3.45, drv: 0.3},
			{code: "freshness", imp: 4.3, sat: 3.85, drv: 0.15},
			{code: "labeling", imp: 4.2, sat: 3.7, drv: 0.1},
			{code: "authenticity", imp: 4.45, sat: 3.6, drv: 0.15},
			{code: "taste_quality", imp: 4.1, sat: 3.95, drv: 0.15},
			{code: "price_value", imp: 4.0, sat: 3.55, drv: 0.1},
			{code: "traceability", imp: 3.7, sat: 3.05, drv: 0.05},
		}},
		{code: "drugs", pick: 1.5, inds: []oracleInd{
			{code: "efficacy", imp: 4.7, sat: 3.9, drv: 0.3},
			{code: "safety", imp: 4.8, sat: 3.95, drv: 0.25},
			{code: "instructions", imp: 4.2, sat: 3.05, drv: 0.1},
			{code: "labeling", imp: 4.1, sat: 3.8, drv: 0.05},
			{code: "authenticity", imp: 4.55, sat: 4.0, drv: 0.1},
			{code: "price_value", imp: 4.2, sat: 3.3, drv: 0.15},
			{code: "access", imp: 3.8, sat: 3.85, drv: 0.05},
		}},
		{code: "infant_products", pick: 0.7, inds: []oracleInd{
			{code: "safety", imp: 4.9, sat: 3.25, drv: 0.35},
			{code: "reliability", imp: 4.3, sat: 3.8, drv: 0.1},
			{code: "labeling", imp: 4.4, sat: 3.6, drv: 0.1},
			{code: "authenticity", imp: 4.65, sat: 3.55, drv: 0.15},
			{code: "comfort", imp: 4.2, sat: 3.95, drv: 0.1},
			{code: "price_value", imp: 4.0, sat: 3.35, drv: 0.1},
			{code: "after_sales", imp: 3.9, sat: 3.5, drv: 0.1},
		}},
		{code: "child_student_products", pick: 1.0, inds: []oracleInd{
			{code: "safety", imp: 4.75, sat: 3.5, drv: 0.3},
			{code: "labeling", imp: 4.0, sat: 3.55, drv: 0.05},
			{code: "reliability", imp: 4.1, sat: 3.65, drv: 0.15},
			{code: "comfort", imp: 4.05, sat: 3.3, drv: 0.15},
			{code: "authenticity", imp: 4.2, sat: 3.7, drv: 0.1},
			{code: "price_value", imp: 3.95, sat: 3.45, drv: 0.15},
			{code: "advertising_truth", imp: 3.9, sat: 3.4, drv: 0.1},
		}},
		{code: "elderly_products", pick: 0.8, inds: []oracleInd{
			{code: "safety", imp: 4.7, sat: 3.6, drv: 0.25},
			{code: "ease_of_use", imp: 4.4, sat: 3.35, drv: 0.2},
			{code: "instructions", imp: 4.25, sat: 2.95, drv: 0.1},
			{code: "advertising_truth", imp: 4.3, sat: 2.85, drv: 0.15},
			{code: "reliability", imp: 4.15, sat: 3.65, drv: 0.1},
			{code: "price_value", imp: 4.0, sat: 3.4, drv: 0.1},
			{code: "after_sales", imp: 3.95, sat: 3.3, drv: 0.1},
		}},
		{code: "home_appliances", pick: 2.0, inds: []oracleInd{
			{code: "safety", imp: 4.6, sat: 4.05, drv: 0.2},
			{code: "reliability", imp: 4.45, sat: 3.85, drv: 0.25},
			{code: "performance", imp: 4.3, sat: 3.95, drv: 0.15},
			{code: "energy_efficiency", imp: 3.95, sat: 3.8, drv: 0.1},
			{code: "noise", imp: 3.6, sat: 3.7, drv: 0.05},
			{code: "ease_of_use", imp: 3.85, sat: 3.9, drv: 0.05},
			{code: "after_sales", imp: 4.25, sat: 3.15, drv: 0.2},
		}},
		{code: "online_shopping", pick: 2.5, inds: []oracleInd{
			{code: "description_match", imp: 4.5, sat: 3.2, drv: 0.25},
			{code: "authenticity", imp: 4.55, sat: 3.45, drv: 0.2},
			{code: "delivery", imp: 3.95, sat: 4.1, drv: 0.1},
			{code: "returns", imp: 4.2, sat: 3.1, drv: 0.15},
			{code: "customer_service", imp: 4.0, sat: 3.0, drv: 0.1},
			{code: "price_honesty", imp: 4.15, sat: 3.25, drv: 0.1},
			{code: "privacy", imp: 4.3, sat: 3.05, drv: 0.1},
		}},
	}
}

// oracleNAShare is NA_SHARE: the share of "na" per satisfaction indicator.
func oracleNAShare(ind string) float64 {
	switch ind {
	case "after_sales":
		return 0.18
	case "returns":
		return 0.15
	case "customer_service":
		return 0.10
	case "traceability":
		return 0.12
	case "access":
		return 0.05
	case "privacy":
		return 0.08
	}
	return 0.03 // NA_DEFAULT
}

func oracleProvinces() []oracleProvince {
	return []oracleProvince{
		{"11", 1.55, 0.87, 1.5}, {"12", 0.98, 0.85, 1}, {"13", 5.28, 0.61, 1}, {"14", 2.47, 0.63, 1},
		{"15", 1.71, 0.68, 1}, {"21", 3.02, 0.72, 1}, {"22", 1.7, 0.63, 1}, {"23", 2.27, 0.66, 1},
		{"31", 1.76, 0.89, 1.5}, {"32", 6.01, 0.74, 1.2}, {"33", 4.57, 0.72, 1.2}, {"34", 4.31, 0.58, 1},
		{"35", 2.94, 0.69, 1}, {"36", 3.2, 0.6, 1}, {"37", 7.19, 0.63, 1}, {"41", 7.04, 0.55, 1},
		{"42", 4.09, 0.63, 1}, {"43", 4.71, 0.59, 1}, {"44", 8.93, 0.74, 1.3}, {"45", 3.56, 0.54, 1},
		{"46", 0.72, 0.6, 1}, {"50", 2.28, 0.69, 1}, {"51", 5.93, 0.57, 1}, {"52", 2.74, 0.53, 1},
		{"53", 3.34, 0.5, 1}, {"54", 0.26, 0.36, 0.5}, {"61", 2.8, 0.63, 1}, {"62", 1.77, 0.52, 1},
		{"63", 0.42, 0.6, 0.6}, {"64", 0.51, 0.65, 1}, {"65", 1.83, 0.57, 1},
	}
}

// oracleComplaints is COMPLAINTS: free-text complaints per worst indicator.
func oracleComplaints() map[string][]string {
	return map[string][]string{
		"safety":            {"产品有安全隐患，孩子差点受伤", "质量不过关，担心安全问题", "发现\"三无\"产品，安全没保障"},
		"labeling":          {"标签看不清，生产日期找不到", "配料表和宣传不一致", "标识不全, 没有中文说明"},
		"instructions":      {"说明书字太小，老人看不清", "说明书看不懂，专业术语太多", "没有大字版说明书"},
		"authenticity":      {"买到假货，和正品差别很大", "怀疑是假冒伪劣产品，商家不承认", "网上买的\"正品\"是仿冒的"},
		"after_sales":       {"售后电话打不通，维修等了两周", "保修期内维修还要收费", "售后服务态度差，推来推去"},
		"returns":           {"七日无理由退货被拒绝", "退货运费太贵，商家拖延退款", "退换货流程麻烦"},
		"customer_service":  {"客服只会机器人回复，问题解决不了", "客服响应太慢"},
		"description_match": {"实物与描述不符，颜色尺寸都不对", "图片和实物差距大，\"货不对板\""},
		"advertising_truth": {"宣传夸大功效，保健品没有效果", "讲座推销，价格虚高，说能治病"},
		"price_value":       {"价格太高，质价不符", "促销价格不真实，先涨后降"},
		"price_honesty":     {"促销价格不透明，先涨价再打折", "结账价格和标价不一致"},
		"privacy":           {"买完东西后经常接到推销电话", "个人信息被泄露"},
		"traceability":      {"扫码查不到产地信息", "追溯码是假的"},
		"ease_of_use":       {"按键太小，老人不会用", "操作复杂，功能太多用不上"},
		"reliability":       {"用了不到一个月就坏了", "质量差，很快就坏, 不耐用"},
		"comfort":           {"校服不透气，孩子穿着不舒服", "纸尿裤引起红屁股"},
		"freshness":         {"买到的水果已经变质", "牛奶快过期了还在卖"},
		"taste_quality":     {"口感差，和以前不一样"},
		"efficacy":          {"药效不明显", "吃了没效果"},
		"access":            {"药店买不到常用药", "没有药师指导"},
		"performance":       {"制冷效果差", "性能和宣传不符"},
		"energy_efficiency": {"能效标识虚标，很费电"},
		"noise":             {"噪音太大，晚上睡不着"},
		"delivery":          {"快递太慢，包装破损"},
	}
}
