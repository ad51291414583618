#include "gateway/transport/host_key.h"

#include <openssl/evp.h>

#include <memory>

namespace gateway::transport {
namespace {

int KnownHostKeyBits(int hostkey_type) {
  switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
    default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
  }
}

std::string LastError(LIBSSH2_SESSION* session) {
  char* msg = nullptr;
  int len = 0;
  libssh2_session_last_error(session, &msg, &len, 0);
  return msg != nullptr ? std::string(msg, static_cast<std::size_t>(len)) : "unknown error";
}

std::string StripPadding(std::string s) {
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Status CheckKnownHosts(LIBSSH2_SESSION* session, const SftpSettings& s, const std::string& where) {
  std::unique_ptr<LIBSSH2_KNOWNHOSTS, void (*)(LIBSSH2_KNOWNHOSTS*)> hosts(
      libssh2_knownhost_init(session), &libssh2_knownhost_free);
  if (!hosts) return Status(Code::kInternal, where + ": cannot allocate known_hosts");
  if (libssh2_knownhost_readfile(hosts.get(), s.known_hosts_file.c_str(),
                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
    return Status(Code::kHostKeyRejected, where + ": cannot read known_hosts file " +
                                              s.known_hosts_file + ": " + LastError(session) +
                                              "; refusing to connect");
  }
  std::size_t len = 0;
  int type = 0;
  const char* key = libssh2_session_hostkey(session, &len, &type);
  if (key == nullptr) return Status(Code::kHostKeyRejected, where + ": server sent no host key");
  libssh2_knownhost* match = nullptr;
  const int check = libssh2_knownhost_checkp(
      hosts.get(), s.host.c_str(), s.port, key, len,
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | KnownHostKeyBits(type), &match);
  const std::string fp = HostKeyFingerprint(session);
  switch (check) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH: return Status::Ok();
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return Status(Code::kHostKeyRejected,
                    where + ": host key " + fp + " does NOT match the key in " +
                        s.known_hosts_file +
                        " (changed server key or man-in-the-middle); refusing to connect");
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      return Status(Code::kHostKeyRejected, where + ": host (key " + fp + ") is not in " +
                                                s.known_hosts_file + "; refusing to connect");
    default:
      return Status(Code::kHostKeyRejected, where + ": known_hosts check failed: " +
                                                LastError(session) + "; refusing to connect");
  }
}

Status CheckFingerprint(LIBSSH2_SESSION* session, const SftpSettings& s, const std::string& where) {
  static constexpr std::string_view kPrefix = "SHA256:";
  const std::string& pinned = s.host_key_fingerprint;
  if (pinned.compare(0, kPrefix.size(), kPrefix) != 0) {
    return Status(Code::kInvalidArgument,
                  where + ": host key fingerprint must look like SHA256:<base64>, got '" + pinned +
                      "'");
  }
  const std::string actual = HostKeyFingerprint(session);
  if (actual.empty()) return Status(Code::kHostKeyRejected, where + ": server sent no host key");
  if (StripPadding(pinned) != actual) {
    return Status(Code::kHostKeyRejected, where + ": host key " + actual +
                                              " does NOT match the pinned fingerprint " + pinned +
                                              "; refusing to connect");
  }
  return Status::Ok();
}

}  // namespace

std::string HostKeyFingerprint(LIBSSH2_SESSION* session) {
  const char* hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
  if (hash == nullptr) return "";
  unsigned char b64[64] = {};
  const int n = EVP_EncodeBlock(b64, reinterpret_cast<const unsigned char*>(hash), 32);
  return "SHA256:" + StripPadding(std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n)));
}

Status VerifyHostKey(LIBSSH2_SESSION* session, const SftpSettings& settings,
                     const std::string& where) {
  if (settings.known_hosts_file.empty() && settings.host_key_fingerprint.empty()) {
    return Status(Code::kInvalidArgument,
                  where + ": no known_hosts file and no host key fingerprint configured; "
                          "refusing to connect to an unverified host");
  }
  if (!settings.host_key_fingerprint.empty()) {
    GATEWAY_RETURN_IF_ERROR(CheckFingerprint(session, settings, where));
  }
  if (!settings.known_hosts_file.empty()) {
    GATEWAY_RETURN_IF_ERROR(CheckKnownHosts(session, settings, where));
  }
  return Status::Ok();
}

}  // namespace gateway::transport
