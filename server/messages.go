package server

import (
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// messages holds the interface text in every language the server speaks.
// Survey content comes from the definition; this is only the chrome.
var messages = map[string]map[string]string{
	"zh-CN": {
		"err_not_found": "找不到该问卷。", "err_conflict": "该答卷编号已用于另一份不同的答卷，未保存。",
		"err_declined": "未同意个人信息处理规则，未保存任何信息。", "err_invalid": "部分回答需要修改。",
		"err_closed": "该问卷已结束。", "err_unavailable": "暂时无法保存，您的回答没有丢失：请稍等片刻，返回上一页再次提交。", "err_internal": "服务器出错了，请稍后再试。您的回答没有丢失，可返回重新提交。",
		"err_not_yet_open": "该问卷将于 %s（北京时间）开始，请到时再来。", "err_full": "该问卷已收满所需答卷，感谢您的关注！", "closed_title": "问卷暂不接受答卷",
		"err_already_responded": "这台手机已经填写过这份问卷，感谢参与！每台设备只能提交一次。", "already_title": "已经填写过",
		"err_token_required": "这份问卷需要邀请：请扫描工作人员发给您的二维码。", "err_token_forged": "邀请二维码无效，请重新扫描工作人员发给您的二维码。",
		"err_token_expired": "邀请二维码已过期。", "err_token_used": "这个邀请二维码已经使用过了，每个二维码只能填写一次。",
		"err_rate_limited": "提交太频繁了，请稍等一分钟再提交。您的回答没有丢失。", "err_too_large": "提交的内容太长（超过 64 KB），未保存。",
		"err_media_type": "请以 JSON 格式提交（Content-Type: application/json）。", "invite_title": "无法使用该邀请",
		"required": "请回答此题。", "unknown_question": "问卷中没有这道题。", "not_an_option": "所选答案不在选项中。",
		"out_of_range": "请选择 %v 到 %v 之间的分数。", "not_a_number": "请填写整数分数。",
		"too_long": "最多 %v 个字。", "too_many": "最多选 %v 项。", "too_few": "至少选 %v 项。",
		"exclusive": "“以上都没有”不能和其他选项同时选。", "wrong_type": "答案格式不对。",
		"bad_submission_id": "答卷编号无效，请重新打开问卷。",
		"needs_guardian":    "未满14周岁的同学需要父母或其他监护人阅读规则、表示同意并陪同填写：请监护人在“个人信息告知与同意”中选择监护人同意的选项。",
		"page":              "第 %d 页，共 %d 页", "elder_on": "大字长辈模式", "elder_off": "退出大字模式",
		"draft_gone_title": "答卷已过期", "draft_gone": "这份未完成的答卷已过期或已提交。可以重新开始填写。", "start_again": "重新开始",
		"conflict_notice": "这份问卷编号已经提交过另一份答卷。您的回答都还在，已换用新的编号：请检查后再次提交。",
		"kept_notice":     "暂时无法保存：网络或服务器繁忙。您的回答没有丢失，还在本页上：请稍等片刻，再点一次「下一步」或「提交」。",
		"next":            "下一步", "back": "上一步", "submit": "提交", "optional": "（选填）", "required_mark": "必答",
		"errors_summary": "有 %d 处需要修改，已在题目旁标出。",
		"thanks_title":   "提交成功", "response_code": "答卷编号", "declined_title": "已退出",
		"hotline": "遇到产品质量问题，可拨打 12315 投诉举报。", "na_hint": "不了解或没用过，请选“不了解/未使用”。",
		"dash_title": "质量提升优先级", "priority_chart": "优先改进的质量指标（前 %d 项，0–100）",
		"col_rank": "排名", "col_category": "产品类别", "col_indicator": "质量指标", "col_priority": "优先度",
		"col_ci": "95% 置信区间", "col_importance": "重要性", "col_satisfaction": "满意度", "col_n": "样本量",
		"col_q": "质量指数 Q", "col_overall": "总体满意度", "col_nps": "推荐值 NPS", "col_raters": "评价人数",
		"responses": "已收到答卷 %d 份（未加权）。", "no_responses": "还没有答卷。",
		"categories_table": "各类别指数", "method_note": "优先度 = 重要性权重 × (5 − 满意度均值) × 25；区间为德尔塔法 95% 置信区间。",
		"error_title": "出错了",
	},
	"en": {
		"err_not_found": "Survey not found.", "err_conflict": "This submission id was already used for different answers; nothing was saved.",
		"err_declined": "Consent was declined; nothing was saved.", "err_invalid": "Some answers need attention.",
		"err_closed": "This survey is closed.", "err_unavailable": "Your answers could not be saved just now, and are not lost: wait a moment, go back and submit again.", "err_internal": "Something went wrong on the server. Your answers are not lost: go back and submit again.",
		"err_not_yet_open": "This survey opens on %s (Beijing time). Please come back then.", "err_full": "This survey has all the responses it needs. Thank you for your interest!", "closed_title": "Survey not taking answers",
		"err_already_responded": "This device already answered this survey. Thank you! Each device can answer once.", "already_title": "Already answered",
		"err_token_required": "This survey is by invitation: please scan the QR code you were given.", "err_token_forged": "This invitation is not valid: please scan the QR code you were given again.",
		"err_token_expired": "This invitation has expired.", "err_token_used": "This invitation was already used; each QR code answers once.",
		"err_rate_limited": "Too many submissions from your network: please wait a minute and submit again. Your answers are not lost.", "err_too_large": "The submission is too large (over 64 KB); nothing was saved.",
		"err_media_type": "Send JSON (Content-Type: application/json).", "invite_title": "Invitation not accepted",
		"required": "Please answer this question.", "unknown_question": "This question is not in the survey.",
		"not_an_option": "That answer is not one of the options.", "out_of_range": "Choose a score from %v to %v.",
		"not_a_number": "Enter a whole number.", "too_long": "At most %v characters.", "too_many": "Choose at most %v.",
		"too_few": "Choose at least %v.", "exclusive": "\"None of these\" cannot be combined with other answers.",
		"wrong_type": "The answer has the wrong format.", "bad_submission_id": "Invalid submission id; please reopen the survey.",
		"needs_guardian": "Respondents under 14 need a parent or guardian to read the rules, agree and be present: the guardian should choose the guardian option under \"Notice and consent\".",
		"page":           "Page %d of %d", "elder_on": "Large-text mode", "elder_off": "Leave large-text mode",
		"draft_gone_title": "Survey expired", "draft_gone": "This unfinished survey has expired or was already submitted. You can start again.", "start_again": "Start again",
		"conflict_notice": "This form was already submitted with other answers. Your answers are kept under a new submission id: check them and submit again.",
		"kept_notice":     "Your answers could not be saved just now: the network or the server is busy. They are not lost and are still on this page: wait a moment, then press “Next” or “Submit” again.",
		"next":            "Next", "back": "Back", "submit": "Submit", "optional": " (optional)", "required_mark": "required",
		"errors_summary": "%d answer(s) need attention; they are marked below.",
		"thanks_title":   "Thank you", "response_code": "Response code", "declined_title": "You have left the survey",
		"hotline": "To report a product-quality problem, call 12315.", "na_hint": "If you don't know or haven't used it, choose \"Don't know / not used\".",
		"dash_title": "Quality improvement priorities", "priority_chart": "Indicators to improve first (top %d, 0–100)",
		"col_rank": "Rank", "col_category": "Category", "col_indicator": "Indicator", "col_priority": "Priority",
		"col_ci": "95% CI", "col_importance": "Importance", "col_satisfaction": "Satisfaction", "col_n": "n",
		"col_q": "Quality index Q", "col_overall": "Overall satisfaction", "col_nps": "NPS", "col_raters": "Raters",
		"responses": "%d responses received (unweighted).", "no_responses": "No responses yet.",
		"categories_table": "Category indices", "method_note": "Priority = importance weight × (5 − mean satisfaction) × 25; intervals are delta-method 95% CIs.",
		"error_title": "Error",
	},
}

// languages the server chrome speaks, default first.
var serverLanguages = []string{"zh-CN", "en"}

// otherLanguage is the first of langs that is not lang, which a page's
// language switch offers; "" if there is none.
func otherLanguage(lang string, langs []string) string {
	for _, l := range langs {
		if l != lang {
			return l
		}
	}
	return ""
}

func (v *views) msg(lang, key string, args ...any) string {
	m, ok := messages[lang][key]
	if !ok {
		m, ok = messages["zh-CN"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

func (v *views) fieldMsg(lang string, fe surveys.FieldError) string {
	n := strings.Count(messages["en"][fe.Key], "%v")
	args := fe.Args
	for len(args) < n {
		args = append(args, "?")
	}
	return v.msg(lang, fe.Key, args[:n]...)
}

// pickLanguage chooses the page language: ?lang= (or the form's _lang),
// then Accept-Language, then the survey's default. Only languages the survey
// (or, without one, the server) has are chosen.
func pickLanguage(c echo.Context, d *surveys.Definition) string {
	langs, def := serverLanguages, serverLanguages[0]
	if d != nil {
		langs, def = d.Languages, d.DefaultLanguage()
	}
	for _, want := range []string{c.QueryParam("lang"), c.FormValue("_lang")} {
		if l := matchLanguage(want, langs); l != "" {
			return l
		}
	}
	for _, part := range strings.Split(c.Request().Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag == "" || tag == "*" {
			continue
		}
		if l := matchLanguage(tag, langs); l != "" {
			return l
		}
	}
	return def
}

// matchLanguage matches a requested tag to an available one by exact tag,
// then by primary language ("zh-Hans-CN" → "zh-CN", "en-GB" → "en").
func matchLanguage(want string, langs []string) string {
	if want == "" {
		return ""
	}
	for _, l := range langs {
		if strings.EqualFold(l, want) {
			return l
		}
	}
	primary, _, _ := strings.Cut(strings.ToLower(want), "-")
	for _, l := range langs {
		p, _, _ := strings.Cut(strings.ToLower(l), "-")
		if p == primary {
			return l
		}
	}
	return ""
}
