package surveys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"time"
)

// Answers maps field ids to normalised values: int for a scale point,
// string for a code ("na" included) or text, []string for a multi-choice.
// Fields that were not answered, or do not apply, are absent.
type Answers map[string]any

// Response is one stored, immutable set of answers.
type Response struct {
	ID            string    // the submission id chosen when the form was served; the _id
	Survey        string    // survey slug
	SurveyVersion int       // Definition.Version at submission
	Code          string    // response code shown to the respondent (for deletion requests)
	Answers       Answers   // validated and normalised
	Lang          string    // language the form was answered in
	Src           string    // activity / site code from the QR URL
	Venue         string    // venue type from the QR URL
	Channel       string    // "form" or "api"
	IPHash        string    // IPHash of the client address and User-Agent; a soft duplicate flag, never the address
	ReceivedAt    time.Time // server clock, UTC
	Digest        string    // sha256 of the answers; tells a retry from a conflicting reuse
	Paradata      *Paradata // how the form was filled in; nil for the API
	// Weight is the design (base) weight when the response came with one,
	// as imported files' design_wt column does; 0 means none (weight 1).
	Weight float64
}

// Int returns a scale answer and whether it is a number (not absent, not "na").
func (a Answers) Int(id string) (int, bool) {
	v, ok := a[id].(int)
	return v, ok
}

// Codes returns a multi-choice answer.
func (a Answers) Codes(id string) []string {
	v, _ := a[id].([]string)
	return v
}

// Code returns a single-choice or text answer.
func (a Answers) Code(id string) string {
	v, _ := a[id].(string)
	return v
}

// Digest is a hex SHA-256 over the canonical JSON of the answers and the
// hidden fields (encoding/json sorts map keys, so equal answers hash equal).
func Digest(survey string, a Answers, src, venue string) string {
	b, _ := json.Marshal(struct {
		S string  `json:"s"`
		A Answers `json:"a"`
		R string  `json:"r"`
		V string  `json:"v"`
	}{survey, a, src, venue})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// codeAlphabet leaves out 0/O, 1/I/L and U, so codes read aloud over the
// phone are not misheard.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewResponseCode returns a random code like "K7Q2-9XHD" (about 39 bits).
func NewResponseCode() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := make([]byte, 0, 9)
	for i, x := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return string(out)
}

var submissionIDRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidSubmissionID reports whether id is a UUID in canonical text form.
func ValidSubmissionID(id string) bool { return submissionIDRE.MatchString(id) }

// NewSubmissionID returns a random (version 4) UUID.
func NewSubmissionID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
