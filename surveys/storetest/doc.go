// Package storetest is the contract suite of surveys.Store. Every backend's
// tests call Run with a function that returns a new, empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) surveys.Store {
//			st := openEmptyStore(t)
//			t.Cleanup(func() { st.Close(context.Background()) })
//			return st
//		})
//	}
//
// The suite checks round trips (answers of every normalised type, text that
// would break HTML or JSON, times stored to the millisecond in UTC), the
// sentinel errors ErrNotFound and ErrDuplicate, the order and isolation of
// EachResponse, and concurrent inserts, including racing inserts of one
// submission id of which exactly one may win. Claims (single-use keys of
// devices and invite tokens) are checked the same way: a duplicate names
// the first holder, kinds are separate, and of racing claims one wins.
package storetest
