package server

// SetAuditReadLimit lowers how many audit events an admin page reads
// (auditReadLimit), so a test can reach the limit with a few events.
func (s *Server) SetAuditReadLimit(n int) { s.auth.auditRead = n }
