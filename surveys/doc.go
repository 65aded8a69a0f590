// Package surveys is the domain of qvoice: questionnaire definitions, the
// indicator catalogue of each product category, respondents' answers, and the
// one validation that the phone form and the JSON intake share.
//
// A Definition is loaded from a YAML file with Load or Parse. Loading reports
// every problem with its field path (and YAML line), never just the first.
// A loaded Definition is expanded into Fields: one per stored answer column,
// with stable ids such as "food_imp_safety" that become export column names.
//
// ParseAnswers turns raw submitted values (form strings or JSON values) into
// normalised Answers, or returns FieldErrors that carry translation keys, not
// prose, so the server can show them next to each field in the respondent's
// language.
//
// Store is the storage contract. Responses are immutable: inserted once with
// the submission id as their key, so a retry is ErrDuplicate, never a second
// copy. This package imports no database driver; see surveys/mongostore.
//
// Submit is the one insert path of the phone form and the JSON intake; the
// server gives it a GroupCommit, which lets concurrent submissions share
// one batch insert and acknowledges each only when its batch is written.
package surveys
