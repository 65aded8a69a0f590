// Package embedded runs FerretDB with its SQLite backend inside the qvoice
// process, so a single binary can store surveys and responses in a local
// data directory without a MongoDB server.
//
// Open creates the data directory (mode 0700), takes an exclusive lock on
// DIR/.lock and starts FerretDB on a Unix socket inside the directory. A
// second process (or a second Open in the same process) gets an error that
// wraps ErrLocked instead of sharing the files: two FerretDB instances on one
// directory corrupt each other's metadata and lose acknowledged writes.
//
// The caller connects with URI (see surveys/mongostore), closes its client,
// then calls Close, which stops FerretDB and releases the lock. FerretDB gives
// connected clients up to 3 seconds to disconnect, so closing the client
// first keeps Close fast.
//
// The data directory holds one DIR/<database>.sqlite file per database
// (WAL mode). FerretDB uses none of its indexes: every query is a full
// collection scan, except that IndexIDs adds the SQLite index FerretDB's
// finds by _id can use; see storage-notes.md for what FerretDB v1 gets
// wrong and what the store must avoid.
package embedded
