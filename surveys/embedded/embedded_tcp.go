package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
)

// ErrRemote means a TCP address other processes on other machines could
// reach was refused: the embedded FerretDB has no authentication.
var ErrRemote = errors.New("not a loopback address")

// OpenTCP is Open that also serves the MongoDB wire protocol on the TCP
// address addr ("127.0.0.1:27017"; port 0 picks a free one), so that
// several qvoice processes can share the database the way servers share a
// MongoDB. URI then returns mongodb://HOST:PORT/ and the endpoint file
// names it. FerretDB here has no authentication and no TLS: anyone who
// reaches the port reads and writes everything, so addr must be a
// loopback address (127.0.0.0/8, ::1, localhost) unless allowRemote.
func OpenTCP(ctx context.Context, dir, addr string, allowRemote bool, logger *slog.Logger) (*DB, error) {
	if err := CheckTCPAddr(addr, allowRemote); err != nil {
		return nil, err
	}
	return openDB(ctx, dir, addr, logger)
}

// CheckTCPAddr checks addr as OpenTCP does: host:port, and a loopback
// host unless allowRemote. An empty host (":27017") means every interface.
func CheckTCPAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("embedded: listen address %q: %w", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && ip.Unmap().IsLoopback() {
		return nil
	}
	return fmt.Errorf("embedded: listen address %q: %w (the embedded database has no authentication)", addr, ErrRemote)
}
