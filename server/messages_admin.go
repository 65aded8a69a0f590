package server

import "fmt"

// adminMessages is the text of the account administration pages
// (/admin), merged into messages when the package starts, like
// authMessages. Keys start with adm_.
var adminMessages = map[string]map[string]string{
	"zh-CN": {
		"adm_nav_accounts": "账户管理", "adm_nav_audit": "审计日志", "adm_nav_dash": "返回看板", "adm_nav": "管理", "adm_colon": "：",
		"adm_users_title": "账户管理", "adm_users_count": "共 %d 个账户，其中 %d 个已停用。",
		"adm_col_name": "用户名", "adm_col_role": "角色", "adm_col_provinces": "省份", "adm_col_status": "状态",
		"adm_col_created": "创建时间", "adm_col_last_login": "最近登录（90 天内）", "adm_col_actions": "操作",
		"adm_active": "正常", "adm_disabled": "已停用", "adm_never": "—",
		"adm_edit": "管理", "adm_edit_label": "管理账户 %s", "adm_disable": "停用", "adm_enable": "启用",
		"adm_disable_label": "停用账户 %s", "adm_enable_label": "启用账户 %s",
		"adm_add_heading": "新增账户", "adm_add_submit": "新增账户并生成密码",
		"adm_add_hint":         "不需要填写密码：系统会生成一个随机密码，只在下一页显示一次。",
		"adm_name_hint":        "1–64 个字符：字母（可用中文）、数字及 . _ @ -，以字母或数字开头。",
		"adm_provinces_legend": "可查看的省份", "adm_provinces_hint": "不勾选任何省份，表示可查看全部省份的数据。",
		"adm_role_legend": "角色", "adm_role_admin_hint": "管理账户，查看全部数据。",
		"adm_role_regulator_hint": "查看所负责省份的看板。", "adm_role_researcher_hint": "查看看板并导出数据。",
		"adm_user_title": "账户 %s", "adm_save": "保存角色和省份", "adm_edit_heading": "角色和省份",
		"adm_state_heading": "停用或启用", "adm_state_disabled": "该账户已停用，不能登录。",
		"adm_state_active":  "该账户正常使用中。停用后立即退出所有登录，账户和审计记录保留。",
		"adm_reset_heading": "重置密码", "adm_reset_hint": "生成新的随机密码（只显示一次），并让该账户在所有设备上退出登录。",
		"adm_reset_submit": "重置密码", "adm_user_audit": "查看该账户的审计记录",
		"adm_password_title": "新密码", "adm_password_added": "已新增账户 %s（%s）。", "adm_password_reset": "已重置账户 %s 的密码，该账户已在所有设备上退出登录。",
		"adm_password_label": "%s 的密码", "adm_password_once": "此密码只显示这一次，离开本页后无法再查看。请通过安全的渠道当面或电话告知本人，不要通过聊天群或邮件发送。",
		"adm_password_back": "返回账户列表",
		"adm_done_changed":  "已保存账户 %s 的角色和省份。", "adm_done_disabled": "已停用账户 %s，并结束其所有登录。",
		"adm_done_enabled": "已启用账户 %s。", "adm_done_unchanged": "账户 %s 没有变化。",
		"adm_err_name_empty": "请填写用户名。", "adm_err_name_long": "用户名最多 %d 个字符。",
		"adm_err_name_chars": "用户名只能包含字母（可用中文）、数字及 . _ @ -，并以字母或数字开头。",
		"adm_err_role":       "请选择角色：管理员、监管人员或研究人员。", "adm_err_province": "省份代码 %s 不是 GB/T 2260 的省级代码。",
		"adm_err_duplicate": "已存在名为 %s 的账户。", "err_duplicate": "该记录已存在。",
		"adm_err_last_admin":  "这是最后一个启用的管理员账户，不能停用或改为其他角色，否则将无人能管理账户。请先新增或启用另一个管理员。",
		"adm_err_own_account": "不能停用自己的账户，也不能取消自己的管理员角色。请由另一位管理员操作。",
		"adm_err_no_user":     "找不到该账户。", "adm_err_since": "时间范围无效。",
		"adm_err_changed":     "账户 %s 在此期间已被修改（另一位管理员或命令行），本次修改未保存。请查看下面的当前状态后重试。",
		"adm_err_self_reset":  "不能在网页上重置自己的密码（无需旧密码即可更改）。请在服务器上运行 qvoice user passwd %s。",
		"adm_forbidden_title": "无权访问", "adm_forbidden_body": "账户管理仅限管理员使用。您的账号角色是：%s。如需开通，请联系本单位的系统管理员。",
		"adm_form_errors": "未保存：",
		"adm_audit_title": "审计日志", "adm_audit_since": "时间范围", "adm_audit_user": "账户", "adm_audit_show": "显示",
		"adm_audit_count": "%s内共 %d 条记录，最新的在前。", "adm_audit_truncated": "只显示最新的 %d 条。",
		"adm_audit_none":        "该时间范围内没有记录。",
		"adm_audit_read_limit":  "该时间范围内的记录超过 %d 条，只读取了最新的 %[1]d 条：更早的记录未列出，也未计入总数。请缩短时间范围或按账户筛选。",
		"adm_logins_read_limit": "近 90 天的登录超过 %d 次，只读取了最新的 %[1]d 次：标为“未读取”的账户可能在更早时登录过，请在其账户页面查看。",
		"adm_login_not_read":    "未读取",
		"adm_since_24h":         "最近 24 小时", "adm_since_168h": "最近 7 天", "adm_since_720h": "最近 30 天", "adm_since_2160h": "最近 90 天",
		"adm_col_time": "时间（北京时间）", "adm_col_user": "账户", "adm_col_action": "事件", "adm_col_survey": "问卷",
		"adm_col_detail": "详情", "adm_col_client": "客户端（哈希）",
		"adm_act_login": "登录", "adm_act_login_failed": "登录失败", "adm_act_locked_out": "锁定", "adm_act_logout": "退出",
		"adm_act_export": "导出数据", "adm_act_report": "导出报告", "adm_act_user_added": "新增账户",
		"adm_act_password_changed": "更改密码", "adm_act_user_disabled": "停用账户", "adm_act_user_enabled": "启用账户",
		"adm_act_user_changed": "更改角色或省份",
	},
	"en": {
		"adm_nav_accounts": "Accounts", "adm_nav_audit": "Audit log", "adm_nav_dash": "Back to the dashboard", "adm_nav": "Administration", "adm_colon": ": ",
		"adm_users_title": "Accounts", "adm_users_count": "%d accounts, %d of them disabled.",
		"adm_col_name": "Name", "adm_col_role": "Role", "adm_col_provinces": "Provinces", "adm_col_status": "Status",
		"adm_col_created": "Created", "adm_col_last_login": "Last sign-in (90 days)", "adm_col_actions": "Actions",
		"adm_active": "Active", "adm_disabled": "Disabled", "adm_never": "—",
		"adm_edit": "Manage", "adm_edit_label": "Manage the account %s", "adm_disable": "Disable", "adm_enable": "Enable",
		"adm_disable_label": "Disable the account %s", "adm_enable_label": "Enable the account %s",
		"adm_add_heading": "Add an account", "adm_add_submit": "Add the account and make a password",
		"adm_add_hint":         "No password to type: a random one is made and shown once, on the next page.",
		"adm_name_hint":        "1–64 letters (Chinese too), digits, '.', '_', '@' or '-', starting with a letter or digit.",
		"adm_provinces_legend": "Provinces it may see", "adm_provinces_hint": "Tick none for every province.",
		"adm_role_legend": "Role", "adm_role_admin_hint": "manages the accounts and sees everything.",
		"adm_role_regulator_hint": "reads the dashboards of its provinces.", "adm_role_researcher_hint": "reads the dashboards and exports data.",
		"adm_user_title": "Account %s", "adm_save": "Save the role and provinces", "adm_edit_heading": "Role and provinces",
		"adm_state_heading": "Disable or enable", "adm_state_disabled": "This account is disabled and cannot sign in.",
		"adm_state_active":  "This account is active. Disabling it signs it out everywhere at once; the account and its audit entries stay.",
		"adm_reset_heading": "Reset the password", "adm_reset_hint": "Makes a new random password (shown once) and signs the account out everywhere.",
		"adm_reset_submit": "Reset the password", "adm_user_audit": "This account's audit entries",
		"adm_password_title": "New password", "adm_password_added": "Added the account %s (%s).", "adm_password_reset": "Reset the password of %s; it is signed out everywhere.",
		"adm_password_label": "Password of %s", "adm_password_once": "This password is shown this once and cannot be seen again after you leave the page. Give it to the person in person or by phone, not in a chat group or an e-mail.",
		"adm_password_back": "Back to the accounts",
		"adm_done_changed":  "Saved the role and provinces of %s.", "adm_done_disabled": "Disabled %s and ended its sessions.",
		"adm_done_enabled": "Enabled %s.", "adm_done_unchanged": "Nothing changed for %s.",
		"adm_err_name_empty": "Please enter a user name.", "adm_err_name_long": "A user name has at most %d characters.",
		"adm_err_name_chars": "A user name has only letters (Chinese too), digits, '.', '_', '@' or '-', and starts with a letter or digit.",
		"adm_err_role":       "Please choose a role: administrator, regulator or researcher.", "adm_err_province": "%s is not a GB/T 2260 province code.",
		"adm_err_duplicate": "There is already an account named %s.", "err_duplicate": "This already exists.",
		"adm_err_last_admin":  "This is the last enabled administrator: it cannot be disabled or given another role, or nobody could manage the accounts. Add or enable another administrator first.",
		"adm_err_own_account": "You cannot disable your own account or take away your own administrator role. Ask another administrator.",
		"adm_err_no_user":     "There is no such account.", "adm_err_since": "Not a valid time range.",
		"adm_err_changed":     "The account %s was changed meanwhile (by another administrator or on the command line), so this change was not saved. Reload: the page below shows it as it is now; then try again.",
		"adm_err_self_reset":  "You cannot reset your own password on the web (it would change it without the current one). Run qvoice user passwd %s on the server.",
		"adm_forbidden_title": "No access", "adm_forbidden_body": "Account administration is for administrators only. Your account's role is %s. Ask your organisation's administrator if you need it.",
		"adm_form_errors": "Not saved:",
		"adm_audit_title": "Audit log", "adm_audit_since": "Period", "adm_audit_user": "Account", "adm_audit_show": "Show",
		"adm_audit_count": "%s: %d entries, newest first.", "adm_audit_truncated": "Only the newest %d are shown.",
		"adm_audit_none":        "No entries in this period.",
		"adm_audit_read_limit":  "The period has more than %d entries: only the newest %[1]d were read, so older ones are neither listed nor counted. Choose a shorter period or one account.",
		"adm_logins_read_limit": "There were more than %d sign-ins in the last 90 days: only the newest %[1]d were read, so an account marked “not read” may have signed in before them; its own page shows its last sign-in.",
		"adm_login_not_read":    "not read",
		"adm_since_24h":         "Last 24 hours", "adm_since_168h": "Last 7 days", "adm_since_720h": "Last 30 days", "adm_since_2160h": "Last 90 days",
		"adm_col_time": "Time (China)", "adm_col_user": "Account", "adm_col_action": "Event", "adm_col_survey": "Survey",
		"adm_col_detail": "Detail", "adm_col_client": "Client (hash)",
		"adm_act_login": "Sign-in", "adm_act_login_failed": "Failed sign-in", "adm_act_locked_out": "Locked out", "adm_act_logout": "Sign-out",
		"adm_act_export": "Data export", "adm_act_report": "Report export", "adm_act_user_added": "Account added",
		"adm_act_password_changed": "Password changed", "adm_act_user_disabled": "Account disabled", "adm_act_user_enabled": "Account enabled",
		"adm_act_user_changed": "Role or provinces changed",
	},
}

func init() {
	for lang, m := range adminMessages {
		table, ok := messages[lang]
		if !ok {
			panic("server: adminMessages has language " + lang + ", which messages lacks")
		}
		for k, v := range m {
			if _, dup := table[k]; dup {
				panic(fmt.Sprintf("server: message key %q is in adminMessages and another table", k))
			}
			table[k] = v
		}
	}
}
