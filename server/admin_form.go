package server

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/qvoice/qvoice/surveys"
)

// accountForm is what the add and change forms post: the name (add
// only), the role (radio buttons) and the provinces (check boxes; none
// means every province).
type accountForm struct {
	Name      string
	Role      string
	Provinces []string
	// Version is the account's version the change form was shown at
	// (surveys.User.Version); "" on the add form.
	Version string
}

// bindAccountForm reads an account form from the request.
func bindAccountForm(c echo.Context) (accountForm, error) {
	params, err := c.FormParams()
	if err != nil {
		return accountForm{}, err
	}
	return accountForm{Name: strings.TrimSpace(params.Get("name")), Role: params.Get("role"), Provinces: params["province"],
		Version: params.Get("version")}, nil
}

// inputError is a refused form value: the field at fault and a message
// key with its arguments. It wraps a kind (surveys.ErrInvalid: 422,
// surveys.ErrDuplicate: 409) for the status table.
type inputError struct {
	field, key string
	args       []any
	kind       error
}

func (e *inputError) Error() string {
	return fmt.Sprintf("%s: %s %v: %v", e.field, e.key, e.args, e.kind)
}

func (e *inputError) Unwrap() error { return e.kind }

func invalidInput(field, key string, args ...any) error {
	return &inputError{field: field, key: key, args: args, kind: surveys.ErrInvalid}
}

// checkName checks the name of a new account, with a message for each
// way it can be wrong.
func checkName(name string) error {
	switch {
	case name == "":
		return invalidInput("name", "adm_err_name_empty")
	case utf8.RuneCountInString(name) > surveys.MaxUserName:
		return invalidInput("name", "adm_err_name_long", surveys.MaxUserName)
	case surveys.CheckUserName(name) != nil:
		return invalidInput("name", "adm_err_name_chars")
	}
	return nil
}

// scope checks the role and provinces of f and returns them, the
// provinces sorted and distinct. Only codes of GB/T 2260's table are
// taken: a mistyped code would hide every response from the account.
func (f accountForm) scope() (surveys.Role, []string, error) {
	role, err := surveys.ParseRole(f.Role)
	if err != nil || f.Role == "" {
		return "", nil, invalidInput("role", "adm_err_role")
	}
	var provinces []string
	for _, p := range f.Provinces {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, ok := surveys.ProvinceByCode(p); !ok {
			if utf8.RuneCountInString(p) > 8 {
				p = string([]rune(p)[:8]) + "…"
			}
			return "", nil, invalidInput("province", "adm_err_province", p)
		}
		provinces = append(provinces, p)
	}
	slices.Sort(provinces)
	return role, slices.Compact(provinces), nil
}

// scopeDetail is an account's role and provinces for the audit log, as
// the CLI writes them.
func scopeDetail(role surveys.Role, provinces []string) string {
	if len(provinces) == 0 {
		return "role " + string(role) + ", every province"
	}
	return "role " + string(role) + ", provinces " + strings.Join(provinces, ",")
}
