package server

import "fmt"

// authMessages is the text of the sign-in pages and of account details
// shown on the dashboard (roles, "signed in as"), merged into messages
// when the package starts. A key that messages.go already has is a
// programming error.
var authMessages = map[string]map[string]string{
	"zh-CN": {
		"login_title": "登录", "login_heading": "登录监管看板",
		"login_name": "用户名", "login_password": "密码", "login_submit": "登录",
		"login_failed":       "用户名或密码错误，或该账号已被暂时锁定。请稍后再试。",
		"login_rate_limited": "登录尝试太频繁，请一分钟后再试。",
		"login_signed_out":   "您已退出登录。",
		"login_required":     "请先登录。",
		"csrf_title":         "无法完成操作",
		"csrf_failed":        "表单已过期，或不是从本网站提交的，操作未执行。请返回，刷新页面后再试。",
		"back_to_login":      "返回登录页",
		"logout":             "退出登录", "signed_in_as": "当前用户：%s（%s）", "all_provinces": "全部省份",
		"role_admin": "管理员", "role_regulator": "监管人员", "role_researcher": "研究人员",
	},
	"en": {
		"login_title": "Sign in", "login_heading": "Sign in to the dashboard",
		"login_name": "User name", "login_password": "Password", "login_submit": "Sign in",
		"login_failed":       "Wrong name or password, or the account is locked for a while. Please try again later.",
		"login_rate_limited": "Too many sign-in attempts: please wait a minute and try again.",
		"login_signed_out":   "You have signed out.",
		"login_required":     "Please sign in.",
		"csrf_title":         "Not done",
		"csrf_failed":        "This form has expired or was not sent from this site, so nothing was done. Go back, reload the page and try again.",
		"back_to_login":      "Back to sign-in",
		"logout":             "Sign out", "signed_in_as": "Signed in as %s (%s)", "all_provinces": "all provinces",
		"role_admin": "administrator", "role_regulator": "regulator", "role_researcher": "researcher",
	},
}

func init() {
	for lang, m := range authMessages {
		table, ok := messages[lang]
		if !ok {
			panic("server: authMessages has language " + lang + ", which messages lacks")
		}
		for k, v := range m {
			if _, dup := table[k]; dup {
				panic(fmt.Sprintf("server: message key %q is in messages.go and messages_auth.go", k))
			}
			table[k] = v
		}
	}
}
