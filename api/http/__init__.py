"""HTTP plumbing shared by every room: `responses` (language, JSON with ETags), `etag`,
`middleware` (security headers, HEAD, hosts, body limits, the access log) and `cache` (the
in-process cache of public GET responses)."""
