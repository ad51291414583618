// Host key verification for SSH sessions. The server's key is checked against a known_hosts
// file and/or a pinned SHA256 fingerprint before any credential is sent. An unknown host, a
// changed key or a missing verification setting refuses the connection: there is no fallback
// and no "accept new key", because files moved over the connection are orders and shipments.
#pragma once

#include <libssh2.h>

#include <string>

#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::transport {

// The "SHA256:<base64 without padding>" fingerprint of the session's host key (as ssh-keygen -l
// prints it), or an empty string if the session has no key yet.
std::string HostKeyFingerprint(LIBSSH2_SESSION* session);

// Checks the host key of a session that has completed the handshake. OK only if every
// configured check passes; kHostKeyRejected otherwise (kInvalidArgument if nothing is
// configured). `where` ("user@host:port") prefixes the messages.
Status VerifyHostKey(LIBSSH2_SESSION* session, const SftpSettings& settings,
                     const std::string& where);

}  // namespace gateway::transport
