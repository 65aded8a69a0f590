package server

import "fmt"

// dashMessages is the dashboard's interface text. Survey content (titles,
// categories, indicators) comes from the definition.
var dashMessages = map[string]map[string]string{
	"zh-CN": {
		"nav_surveys": "问卷列表", "nav_overview": "总览", "nav_groups": "重点群体", "nav_heatmap": "差距热力图",
		"nav_trend": "每周趋势", "nav_complaints": "投诉与问题", "nav_report": "导出报告", "logout": "退出登录",
		"filters": "筛选", "f_from": "开始日期", "f_to": "结束日期", "f_province": "省份", "f_region_type": "地区类型",
		"f_venue": "场所", "f_src": "来源编码", "f_group": "重点群体", "f_weight": "加权", "f_flagged": "排除质量标记答卷",
		"f_apply": "应用", "f_reset": "清除", "any": "全部",
		"w_none": "不加权", "w_design": "设计权重", "w_raked": "按人口边际校准（raking）",
		"g_age_60plus": "60岁及以上", "g_has_infant": "家有婴幼儿", "g_has_child": "家有中小学生", "g_student": "学生",
		"g_urban_rural_fringe": "城乡结合部", "g_rural_village": "农村", "g_all": "全体", "rest": "其他受访者",
		"responses_n": "%d 份答卷", "no_data": "所选范围内还没有答卷。",
		"note_no_margins": "问卷未提供人口边际，已改用设计权重。", "note_rake_failed": "无法按人口边际校准（所选范围样本不足），已改用设计权重。",
		"note_rake_partial": "部分答卷缺少某个校准变量的回答，该变量未参与校准。",
		"small_cell":        "少于 30 人的格子以灰色显示，不给出精确数值。",
		"c_index":           "各类产品质量指数（0–100，95% 置信区间）", "c_priority": "优先改进的质量指标（前 %d 项，0–100，95%% 置信区间）",
		"top10": "最需要改进的 10 项（可直接宣读）", "top10_item": "%s的“%s”：优先度 %s（95%% 置信区间 %s）",
		"c_ipa": "重要性–满意度四象限", "c_gap": "各指标的差距（重要性 − 满意度）", "c_drivers": "总体满意度的关键驱动因素（相对权重）",
		"c_nps": "净推荐值（NPS）", "c_groups": "重点群体与其他受访者的质量指数对比", "c_heatmap": "满意度差距热力图（类别 × 指标，0–100）",
		"c_trend": "各类产品质量指数的每周趋势（0–100）", "c_complaint_types": "遇到的问题类型（人数）", "c_complaint_cats": "遇到问题的受访者（按产品类别）",
		"c_quota": "配额完成情况（重点群体 × 地区类型）",
		"q_focus": "重点改进", "q_keep": "继续保持", "q_low": "次要", "q_over": "可能过度",
		"latest_texts": "最新的文字反馈（已去除个人信息）", "no_texts": "暂无文字反馈。",
		"table": "数据表", "download_csv": "下载 CSV", "categories": "产品类别",
		"col_survey": "问卷", "col_total": "答卷总数", "col_today": "今日", "col_slug": "标识",
		"signif_note": "* 表示经 Benjamini–Hochberg 校正后 p < 0.05（双侧 z 检验，线性化标准误）。",
		"method":      "方法说明", "method_text": "样本 %d 份；加权：%s；置信区间：线性化（delta 法）标准误，95%%；优先度 = 重要性权重 ×（5 − 满意度），换算为 0–100。",
		"report_title": "消费者质量需求调查报告", "generated": "生成时间", "filter_used": "筛选条件", "none": "无",
		"forbidden_province": "该账号不能查看所选省份的数据。",
		"promoters":          "推荐者（9–10）", "passives": "中立者（7–8）", "detractors": "贬损者（0–6）", "group_series": "该群体",
		"col_importance": "重要性", "col_satisfaction": "满意度",
		"h_label": "项目", "h_value": "数值", "h_lo": "95% 下限", "h_hi": "95% 上限", "h_n": "人数", "h_count": "人数",
		"h_promoters": "推荐者 %", "h_passives": "中立者 %", "h_detractors": "贬损者 %", "h_nps": "NPS", "h_group": "该群体",
		"h_rest": "其他受访者", "h_significant": "显著", "h_x": "重要性", "h_y": "满意度", "h_quadrant": "象限", "h_week": "周（周一）",
	},
	"en": {
		"nav_surveys": "Surveys", "nav_overview": "Overview", "nav_groups": "Key groups", "nav_heatmap": "Gap heatmap",
		"nav_trend": "Weekly trend", "nav_complaints": "Complaints", "nav_report": "Report", "logout": "Log out",
		"filters": "Filters", "f_from": "From", "f_to": "To", "f_province": "Province", "f_region_type": "Region type",
		"f_venue": "Venue", "f_src": "Source code", "f_group": "Key group", "f_weight": "Weighting", "f_flagged": "Exclude flagged responses",
		"f_apply": "Apply", "f_reset": "Clear", "any": "All",
		"w_none": "Unweighted", "w_design": "Design weights", "w_raked": "Raked to population margins",
		"g_age_60plus": "Aged 60+", "g_has_infant": "Households with infants", "g_has_child": "Households with pupils", "g_student": "Students",
		"g_urban_rural_fringe": "Urban–rural fringe", "g_rural_village": "Rural villages", "g_all": "Everyone", "rest": "Everyone else",
		"responses_n": "%d responses", "no_data": "No responses in the selected range yet.",
		"note_no_margins": "The survey has no population margins; design weights are used.", "note_rake_failed": "Raking to the population margins was not possible for this selection; design weights are used.",
		"note_rake_partial": "Some responses lack an answer to a raking variable; that variable was left out of the raking.",
		"small_cell":        "Cells with fewer than 30 respondents are grey and show no precise number.",
		"c_index":           "Quality index by product category (0–100, 95% CI)", "c_priority": "Indicators to improve first (top %d, 0–100, 95%% CI)",
		"top10": "The 10 indicators that most need improvement (to read out)", "top10_item": "%s — %s: priority %s (95%% CI %s)",
		"c_ipa": "Importance–performance quadrants", "c_gap": "Gap per indicator (importance − satisfaction)", "c_drivers": "Key drivers of overall satisfaction (relative weights)",
		"c_nps": "Net promoter score (NPS)", "c_groups": "Key groups against everyone else: quality index", "c_heatmap": "Satisfaction gap heatmap (category × indicator, 0–100)",
		"c_trend": "Weekly quality index by category (0–100)", "c_complaint_types": "Problems met (respondents)", "c_complaint_cats": "Respondents who met a problem, by category",
		"c_quota": "Quota fill (key group × region type)",
		"q_focus": "Concentrate here", "q_keep": "Keep up the good work", "q_low": "Low priority", "q_over": "Possible overkill",
		"latest_texts": "Latest free-text feedback (personal data removed)", "no_texts": "No free-text feedback yet.",
		"table": "Data table", "download_csv": "Download CSV", "categories": "Categories",
		"col_survey": "Survey", "col_total": "Responses", "col_today": "Today", "col_slug": "Slug",
		"signif_note": "* Benjamini–Hochberg adjusted p < 0.05 (two-sided z test on linearisation SEs).",
		"method":      "Methods", "method_text": "%d responses; weighting: %s; 95%% confidence intervals from linearisation (delta-method) standard errors; priority = importance weight × (5 − satisfaction), on 0–100.",
		"report_title": "Consumer quality needs survey report", "generated": "Generated", "filter_used": "Filters", "none": "none",
		"forbidden_province": "This account may not see the selected provinces.",
		"promoters":          "Promoters (9–10)", "passives": "Passives (7–8)", "detractors": "Detractors (0–6)", "group_series": "Group",
		"col_importance": "Importance", "col_satisfaction": "Satisfaction",
		"h_label": "Item", "h_value": "Value", "h_lo": "95% lower", "h_hi": "95% upper", "h_n": "n", "h_count": "Count",
		"h_promoters": "Promoters %", "h_passives": "Passives %", "h_detractors": "Detractors %", "h_nps": "NPS", "h_group": "Group",
		"h_rest": "Everyone else", "h_significant": "Significant", "h_x": "Importance", "h_y": "Satisfaction", "h_quadrant": "Quadrant", "h_week": "Week (Monday)",
	},
}

// dmsg is a dashboard text in lang (zh-CN if lang lacks it), formatted
// with args if any.
func dmsg(lang, key string, args ...any) string {
	m, ok := dashMessages[lang][key]
	if !ok {
		m, ok = dashMessages["zh-CN"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// tableHeader translates a chart table's column keys for the page; keys
// without a translation (category and indicator names of grids) stay.
func tableHeader(lang string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if m, ok := dashMessages[lang]["h_"+k]; ok {
			out[i] = m
		}
	}
	return out
}
