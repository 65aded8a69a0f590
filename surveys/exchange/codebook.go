package exchange

import (
	"strconv"
	"strings"

	"github.com/qvoice/qvoice/surveys"
)

// Variable is one entry of a codebook: a column of an export, what it
// asked, how its values are written, and what its missing codes mean.
type Variable struct {
	Name    string
	Label   surveys.Text // zh-CN and en
	Type    string       // e.g. "integer 1–5", "code", "codes, ;-joined", "text"
	Values  []ValueLabel
	Missing surveys.Text
}

// ValueLabel is one code of a variable and what it means.
type ValueLabel struct {
	Code  string
	Label surveys.Text
}

// Missing-value meanings shared by many variables.
var (
	missingAnswer   = surveys.Text{"zh-CN": "空 = 未回答或未问到", "en": "empty = not answered, or not asked"}
	missingAnswerNA = surveys.Text{"zh-CN": "空 = 未回答或未问到；na = 不了解/未使用", "en": "empty = not answered, or not asked; na = don't know / not used"}
	roleLabels      = map[string]surveys.Text{
		surveys.RoleImportance:   {"zh-CN": "重要程度", "en": "importance"},
		surveys.RoleSatisfaction: {"zh-CN": "满意程度", "en": "satisfaction"},
	}
)

// Codebook describes every column of l, in order.
func (l *Layout) Codebook() []Variable {
	out := make([]Variable, 0, len(l.cols))
	for _, c := range l.cols {
		if c.Field == nil {
			out = append(out, metaVariable(c.Name))
			continue
		}
		out = append(out, l.fieldVariable(c.Field))
	}
	return out
}

func (l *Layout) fieldVariable(f *surveys.Field) Variable {
	v := Variable{Name: f.ID, Label: FieldLabel(l.def, f), Missing: missingAnswer}
	if f.AllowNA {
		v.Missing = missingAnswerNA
	}
	switch f.Kind {
	case surveys.KindScale:
		lo, hi := f.Scale.Range()
		v.Type = "integer " + strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		v.Values = scaleLabels(f.Scale)
	case surveys.KindMulti:
		v.Type = "codes, ;-joined"
		v.Values = optionLabels(f.Options)
	case surveys.KindText:
		v.Type = "text"
		if f.Max > 0 {
			v.Type += ", at most " + strconv.Itoa(f.Max) + " characters"
		}
	default:
		v.Type = "code"
		v.Values = optionLabels(f.Options)
	}
	return v
}

// FieldLabel is a field's label for data files: a per-category question is
// prefixed by its category and, for importance and satisfaction, followed
// by which of the two it is ("食品 · 新鲜度 · 满意程度").
func FieldLabel(d *surveys.Definition, f *surveys.Field) surveys.Text {
	c := d.Category(f.Category)
	if c == nil {
		return f.Label
	}
	out := surveys.Text{}
	for _, lang := range d.Languages {
		parts := []string{c.Label.In(lang, d.DefaultLanguage()), f.Label.In(lang, d.DefaultLanguage())}
		if r, ok := roleLabels[f.Role]; ok {
			parts = append(parts, r.In(lang, "en"))
		}
		out[lang] = strings.Join(parts, " · ")
	}
	return out
}

func optionLabels(opts []surveys.Option) []ValueLabel {
	out := make([]ValueLabel, len(opts))
	for i, o := range opts {
		out[i] = ValueLabel{Code: o.Value, Label: o.Label}
	}
	return out
}

// scaleLabels lists a scale's labelled points (or anchors), then na.
func scaleLabels(s *surveys.Scale) []ValueLabel {
	if s == nil {
		return nil
	}
	out := optionLabels(s.Points)
	if s.Type == "numeric" {
		out = optionLabels(s.Anchors)
	}
	if s.NA != nil {
		out = append(out, ValueLabel{Code: surveys.NAValue, Label: s.NA.Label})
	}
	return out
}

// venueLabels name the venue codes (the spec's 进社区, 进校园, 进乡镇, 线上).
var venueLabels = []ValueLabel{
	{"community", surveys.Text{"zh-CN": "进社区", "en": "Community events"}},
	{"school", surveys.Text{"zh-CN": "进校园", "en": "Schools"}},
	{"township", surveys.Text{"zh-CN": "进乡镇", "en": "Townships"}},
	{"online", surveys.Text{"zh-CN": "线上", "en": "Online"}},
	{"other", surveys.Text{"zh-CN": "其他", "en": "Other"}},
}

func metaVariable(name string) Variable {
	t := func(zh, en string) surveys.Text { return surveys.Text{"zh-CN": zh, "en": en} }
	none := t("空 = 无", "empty = none")
	switch name {
	case ColCode:
		return Variable{name, t("答卷编号（每份答卷唯一）", "response code (unique per response)"), "id", nil, t("从不为空", "never empty")}
	case ColSrc:
		return Variable{name, t("来源/活动编码（二维码链接）", "source or activity code (from the QR link)"), "code", nil, none}
	case ColVenue:
		return Variable{name, t("场所类型（二维码链接）", "venue type (from the QR link)"), "code", venueLabels, none}
	case ColWeight:
		return Variable{name, t("设计权重", "design (base) weight"), "number > 0", nil, t("空 = 无权重（按1计）", "empty = no weight (counts as 1)")}
	case ColReceivedAt:
		return Variable{name, t("收到时间（UTC）", "time received (UTC)"), "time, RFC 3339", nil, t("从不为空", "never empty")}
	case ColLang:
		return Variable{name, t("答题语言", "language answered in"), "code", nil, none}
	case ColChannel:
		return Variable{name, t("渠道", "channel"), "code", []ValueLabel{
			{"form", t("手机问卷", "phone form")}, {"api", t("接口", "API")}, {ChannelImport, t("文件导入", "file import")},
		}, none}
	case ColDuration:
		return Variable{name, t("答题用时（秒）", "time taken to answer (seconds)"), "number ≥ 0", nil, t("空 = 未记录", "empty = not recorded")}
	case ColFlags:
		return Variable{name, t("质量标记", "quality flags"), "codes, ;-joined", []ValueLabel{
			{surveys.FlagTooFast, t("答题过快（少于90秒）", "answered too fast (under 90 s)")},
			{surveys.FlagStraightLined + ":CATEGORY", t("该类别矩阵题答案一致（直线作答）", "straight-lined the category's matrices")},
		}, t("空 = 无标记", "empty = no flag")}
	}
	return Variable{Name: name}
}
