// Delivery of canonical messages (CloudEvents) to the OMS over HTTP or HTTPS (DESIGN.md, "OMS
// contract"). One OmsClient per OMS target; the daemon's worker threads call Deliver() on it
// concurrently. Each call blocks until the OMS answered, the request timed out or the network
// failed, and returns a DeliveryOutcome that says what to do with the message next (delivered,
// dead-letter, pause the target, retry later). Deliver never throws and never retries on its own,
// except for one resend on a fresh connection when a kept-alive connection turns out to have been
// closed by the OMS before any response byte arrived (the request then cannot have been answered).
//
// Model: at most `max_connections` requests are in flight; further callers wait for a slot. Idle
// keep-alive connections (at most max_connections) are reused. Every connection owns a private
// io_context that the calling thread runs for the duration of one call, so timeouts are real
// (beast::tcp_stream expiry) and no background thread exists. The bearer token is read once, when
// the client is made; it lives only in the client's memory and never appears in a detail string,
// error message or log line.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::oms {

// What the daemon does with a message after one delivery attempt.
enum class ResponseClass {
  kDelivered,  // 2xx, 409: the OMS has it; mark delivered
  kPermanent,  // 400/404/422 and unexpected statuses: retrying will not help; dead-letter, alert
  kAuth,       // 401/403, TLS certificate rejected: configuration problem; pause target, alert
  kTransient,  // 408/425/429/5xx, refused, reset, timeout: back off (honour retry_after), retry
};

// "delivered", "permanent", "auth", "transient".
std::string_view Name(ResponseClass response_class);

struct OmsSettings {
  // "http://host[:port][/path]" or "https://...". No user info, query or fragment.
  std::string base_url;
  // Canonical type -> path appended to the base URL's path ("/shipments"). A type that is not
  // listed goes to "/events/<type>".
  std::map<std::string, std::string> paths;
  // Bearer token source (environment variable or file). Not configured = no Authorization header.
  transport::SecretRef token;
  // HTTPS: a PEM bundle of extra trusted CAs, used in addition to the system's default paths.
  std::string ca_file;
  // HTTPS: verify the chain and the host name. Turning it off is logged as a warning when the
  // client is made and is never the default.
  bool verify_tls = true;
  // TCP connect plus TLS handshake of a new connection.
  std::chrono::milliseconds connect_timeout{5000};
  // The whole call: connect (if needed), send, and read the complete response.
  std::chrono::milliseconds request_timeout{30000};
  // Requests in flight at once (and idle connections kept); callers beyond it wait.
  int max_connections = 4;
  // Per-target replacement of the default class of a status code (409 -> kTransient, ...).
  std::map<int, ResponseClass> status_overrides;
  // A larger response body is not read to the end: the status still counts, the connection is
  // closed.
  std::size_t max_response_body = 1 << 20;
};

struct DeliveryRequest {
  std::string type;             // canonical type: selects the path
  std::string idempotency_key;  // sent as Idempotency-Key; required, printable ASCII
  std::string body;             // the CloudEvent JSON
};

struct DeliveryOutcome {
  ResponseClass response_class = ResponseClass::kTransient;
  int http_status = 0;  // 0 = no HTTP response (connect, timeout, reset, TLS, invalid request)
  std::optional<std::chrono::seconds> retry_after;  // the response's Retry-After, if valid
  // Short and safe to log: the status line and the first 200 bytes of the body, or the network
  // error with the operation and host. Never the token.
  std::string detail;
};

// The default class of `status` (see ResponseClass), unless `overrides` names it.
ResponseClass ClassifyStatus(int status, const std::map<int, ResponseClass>& overrides);

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate, RFC 850 or
// asctime form, RFC 9110 section 5.6.7), the latter relative to `now` (a date in the past gives
// 0 s). nullopt when the value is malformed. Huge values are capped at about 68 years.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now);

// Thread-safe: Deliver may be called from several threads at once. The client must outlive all
// calls in progress.
class OmsClient {
 public:
  virtual ~OmsClient() = default;
  // POSTs request.body to the path for request.type. Blocks at most about request_timeout after
  // a connection slot is free (plus name resolution, which the system resolver bounds).
  virtual DeliveryOutcome Deliver(const DeliveryRequest& request) = 0;
};

// Checks the settings (URL, paths, limits, CA file) and reads the token. kInvalidArgument for bad
// settings, kAuthFailed when the token's variable is unset or its file unreadable (the message
// names the variable or file, never the value). Does not connect.
Result<std::unique_ptr<OmsClient>> MakeOmsClient(OmsSettings settings);

}  // namespace gateway::oms
