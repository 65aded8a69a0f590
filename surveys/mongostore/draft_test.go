package mongostore

import (
	"testing"

	"github.com/qvoice/qvoice/surveys"
	"github.com/qvoice/qvoice/surveys/storetest"
)

func TestDraftsEmbeddedFerretDB(t *testing.T) {
	newStore := newStoreFunc(embeddedURI, "drafts")
	storetest.RunDrafts(t, func(t *testing.T) surveys.DraftStore { return newStore(t).(*Store) })
}
