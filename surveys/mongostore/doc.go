// Package mongostore implements surveys.Store on MongoDB, or on the
// embedded FerretDB started by surveys/embedded. It is the only package of
// qvoice that imports the MongoDB driver; driver errors are translated here
// into surveys.ErrNotFound and surveys.ErrDuplicate (wrapped with %w).
//
// These collections are used:
//
//	surveys    {_id: slug, source: string (the YAML), added_at: datetime}
//	responses  {_id: submission id, survey, survey_version, code,
//	            answers: {field id: int32|int64|string|[string]},
//	            lang, src, venue, channel, ip_hash (optional),
//	            received_at: datetime, digest, paradata (optional)}
//	devices    {_id: device key, survey, submission, at: datetime}
//	token_uses {_id: invite id, survey, submission, at: datetime}
//	slots      {_id: "slug#k" (a place under max_responses), "slug@submission id"
//	            (a ticket) or "slug~submission id" (the record of the place it
//	            took, with place: k), survey, submission, at: datetime}
//	drafts     {_id: submission id, survey, values, …, expires_at}
//
// Responses and claims (devices, token_uses, slots) are inserted once and never
// updated; a second insert of the same _id is ErrDuplicate, and a claim's
// holder is read back by _id. Only drafts are replaced (each by its one
// respondent) and deleted. Open creates the index {survey: 1,
// received_at: 1, _id: 1}, which serves EachResponse on MongoDB (FerretDB
// creates it but scans the whole collection anyway).
//
// Open creates every collection up front, so that embedded.DB.IndexIDs
// finds them all. With SerialWrites (the embedded database's owner) the
// store sends one write at a time; SQLite admits one writer anyway.
//
// Only operations that FerretDB v1 gets right are used: single and
// unordered batch inserts, finds with equality filters and sorts, FindOne by _id, and for drafts
// ReplaceOne and deletes. There are no $inc or other field updates,
// aggregations, transactions or Decimal128 values.
//
// Times are stored as BSON datetimes, which hold milliseconds: ReceivedAt
// and AddedAt are truncated to the millisecond and read back in UTC.
package mongostore
