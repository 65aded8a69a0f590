package mongostore

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qvoice/qvoice/surveys"
)

// TestDecodeAnswers checks the normalisation of documents another client
// (the mongo shell, a migration) may have written with other number types.
func TestDecodeAnswers(t *testing.T) {
	doc := bson.D{
		{Key: "i32", Value: int32(4)},
		{Key: "i64", Value: int64(1 << 40)},
		{Key: "dbl", Value: 5.0},
		{Key: "s", Value: "na"},
		{Key: "arr", Value: bson.A{"a", "b"}},
		{Key: "empty", Value: bson.A{}},
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeAnswers(raw)
	if err != nil {
		t.Fatalf("decodeAnswers: %v", err)
	}
	want := surveys.Answers{"i32": 4, "i64": 1 << 40, "dbl": 5, "s": "na", "arr": []string{"a", "b"}, "empty": []string{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decodeAnswers (-want +got):\n%s", diff)
	}
}

func TestDecodeAnswersRejects(t *testing.T) {
	for name, v := range map[string]any{
		"fraction":     2.5,
		"bool":         true,
		"null":         nil,
		"number array": bson.A{"a", int32(1)},
		"document":     bson.D{{Key: "x", Value: 1}},
	} {
		raw, err := bson.Marshal(bson.D{{Key: "q", Value: v}})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := decodeAnswers(raw); err == nil {
			t.Errorf("%s: decodeAnswers = %v, want an error", name, got)
		}
	}
}

func TestEncodeAnswers(t *testing.T) {
	raw, err := encodeAnswers(surveys.Answers{"small": 3, "big": 1 << 40, "multi": []string(nil)})
	if err != nil {
		t.Fatalf("encodeAnswers: %v", err)
	}
	types := map[string]bson.Type{}
	elems, _ := raw.Elements()
	for _, e := range elems {
		types[e.Key()] = e.Value().Type
	}
	want := map[string]bson.Type{"small": bson.TypeInt32, "big": bson.TypeInt64, "multi": bson.TypeArray}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("BSON types (-want +got):\n%s", diff)
	}
	for _, bad := range []any{3.5, int64(3), true, nil, []any{"a"}} {
		if _, err := encodeAnswers(surveys.Answers{"q": bad}); !errors.Is(err, surveys.ErrInvalid) {
			t.Errorf("encodeAnswers(%#v): err = %v, want ErrInvalid", bad, err)
		}
	}
}
