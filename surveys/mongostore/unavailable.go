package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qvoice/qvoice/surveys"
)

// unavailable marks err with surveys.ErrUnavailable when it says the
// database could not be reached (a network error, a timeout, a disconnected
// client), so callers answer "try again" (503) instead of a server fault.
func unavailable(err error) error {
	if err == nil || errors.Is(err, surveys.ErrUnavailable) {
		return err
	}
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", surveys.ErrUnavailable, err)
	}
	return err
}
