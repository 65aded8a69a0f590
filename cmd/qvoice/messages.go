package main

import (
	"fmt"

	"github.com/qvoice/qvoice/surveys"
)

// zhMessages translates the English words of human output (table
// headers, headings) into Chinese. The key is the English text, a
// fmt format where the text has arguments. A key missing here prints in
// English.
var zhMessages = map[string]string{
	// analyze
	"%s: %d responses (unweighted)": "%s：%d 份答卷（未加权）",
	"Top %d improvement priorities (priority = w·(5 − P), ×25 on 0–100; 95%% delta-method CI)": "改进优先事项前 %d 项（优先度 = w·(5 − P)，×25 换算到 0–100；95%% 置信区间，delta 法）",
	"%s (%s): %d raters, Q = %s, overall = %s, NPS = %s":                                       "%s（%s）：%d 人评价，Q = %s，总体满意度 = %s，NPS = %s",
	"%s: %d responses, design %s":                                                              "%s：%d 份答卷，设计 %s",
	"Top %d improvement priorities (priority100 = 25·w·(5 − P); 95%% delta-method CI)":         "改进优先事项前 %d 项（优先度100 = 25·w·(5 − P)；95%% 置信区间，delta 法）",
	"rank":         "排名",
	"category":     "类别",
	"indicator":    "指标",
	"priority100":  "优先度100",
	"95% CI":       "95% 置信区间",
	"importance":   "重要性",
	"satisfaction": "满意度",
	"n(I)":         "n(重要性)",
	"n(P)":         "n(满意度)",
	"code":         "代码",
	"overall100":   "总体满意度100",
	"raters":       "评价人数",
	// survey list and show
	"slug":           "标识",
	"title":          "标题",
	"version":        "版本",
	"stored at":      "存入时间",
	"responses":      "答卷数",
	"opens":          "开始时间",
	"closes":         "截止时间",
	"languages":      "语言",
	"categories":     "类别数",
	"answer fields":  "答题字段数",
	"max responses":  "答卷上限",
	"invite only":    "仅限邀请",
	"one per device": "每台设备限答一份",
	"label":          "名称",
	"yes":            "是",
	"no":             "否",
	"no limit":       "不限",
	// import and export
	"rows read":                    "读取行数",
	"stored":                       "已存入",
	"would be stored":              "将存入",
	"already stored":               "此前已存",
	"refused":                      "拒收",
	"row":                          "行",
	"column":                       "列",
	"value":                        "值",
	"reason":                       "原因",
	"… more problems%s":            "……还有更多问题%s",
	"exported %d responses of %s:": "已导出 %[2]s 的 %[1]d 份答卷：",
	"wrote %d responses to %s":     "已将 %d 份答卷写入 %s",
	"stored %d responses to %s (%d already stored)": "已向 %[2]s 存入 %[1]d 份答卷（%[3]d 份此前已存）",
	"wrote the report of %s to %s (%d KB)":          "已将 %s 的报告写入 %s（%d KB）",
	"survey %s opened at %s":                        "问卷 %s 已于 %s 开放",
	"survey %s closed at %s":                        "问卷 %s 已于 %s 关闭",
	// plan
	"key group":          "重点群体",
	"region type":        "地区类型",
	"population":         "总体规模",
	"moe":                "误差范围",
	"complete":           "需完成",
	"invite":             "发放数",
	"achieved moe":       "实际误差范围",
	"total":              "合计",
	"age_60plus":         "60岁及以上",
	"has_infant":         "家有婴幼儿",
	"student":            "学生",
	"general":            "其他",
	"urban_core":         "城市市区",
	"urban_rural_fringe": "城乡结合部",
	"county_town":        "县城或乡镇镇区",
	"rural_village":      "农村",
	// user
	"name":               "用户名",
	"role":               "角色",
	"provinces":          "省份",
	"status":             "状态",
	"created":            "创建时间",
	"changed":            "修改时间",
	"all":                "全部",
	"active":             "启用",
	"disabled":           "已停用",
	"admin":              "管理员",
	"regulator":          "监管人员",
	"researcher":         "研究人员",
	"time":               "时间",
	"user":               "账号",
	"action":             "操作",
	"survey":             "问卷",
	"detail":             "详情",
	"client":             "客户端（哈希）",
	"added user %s (%s)": "已添加账号 %s（%s）",
	"password of %s changed; its sessions have ended": "已修改 %s 的密码，其所有登录会话已结束",
	"disabled user %s; its sessions have ended":       "已停用账号 %s，其所有登录会话已结束",
	"New password for %s: ":                           "%s 的新密码：",
	"Again: ":                                         "再输入一次：",
}

// msg translates an English text of human output into the chosen language.
func (a *app) msg(key string) string {
	if a.lang == langZH {
		if s, ok := zhMessages[key]; ok {
			return s
		}
	}
	return key
}

// msgf formats a translated text.
func (a *app) msgf(key string, args ...any) string {
	return fmt.Sprintf(a.msg(key), args...)
}

// table starts a human table whose header is translated.
func (a *app) table(header ...string) *table {
	h := make([]string, len(header))
	for i, k := range header {
		h[i] = a.msg(k)
	}
	return newTable(h...)
}

// yesNo is a translated yes or no.
func (a *app) yesNo(b bool) string {
	if b {
		return a.msg("yes")
	}
	return a.msg("no")
}

// labeler names a definition's categories and indicators in one language,
// falling back to the definition's default language, then to the code.
type labeler struct {
	d    *surveys.Definition
	lang string
}

func (a *app) labels(d *surveys.Definition) labeler { return labeler{d, string(a.lang)} }

func (l labeler) category(code string) string {
	if c := l.d.Category(code); c != nil {
		if s := c.Label.In(l.lang, l.d.DefaultLanguage()); s != "" {
			return s
		}
	}
	return code
}

func (l labeler) indicator(category, code string) string {
	c := l.d.Category(category)
	if c == nil {
		return code
	}
	for _, ind := range c.Indicators {
		if ind.Code == code {
			if s := l.d.IndicatorLabel(c, ind).In(l.lang, l.d.DefaultLanguage()); s != "" {
				return s
			}
		}
	}
	return code
}

// title is the definition's title.
func (l labeler) title() string {
	return l.d.Title.In(l.lang, l.d.DefaultLanguage())
}
