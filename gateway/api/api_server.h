// The HTTP API the OMS calls (POST /v1/fulfillment-orders, GET /v1/messages/{id}) plus the probes
// operations scrape (/healthz, /readyz, /metrics). This layer owns HTTP only: parsing, limits,
// timeouts, bearer auth, routing and the JSON error shape. What an order or a message *means*
// (storage, idempotency replay/422/409, states) belongs to an ApiBackend the daemon implements
// over the spool, so the server can be tested with a fake and the spool without sockets.
//
// Threading: the server runs on the caller's io_context (one strand per connection); the
// io_context may be run by several threads. The backend is called on those threads, possibly
// concurrently, and must answer quickly. The backend and the io_context must outlive every
// connection: destroy the server after io_context::run() has returned (Stop() drains it).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::metrics {
class Registry;
}

namespace gateway::api {

namespace detail {
struct ServerState;
class Listener;
}  // namespace detail

struct ApiSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = any free port (tests); port() tells which
  // The bearer token required on /v1/* (never on /healthz, /readyz, /metrics). Loaded once by
  // Start(); only its SHA-256 is kept, so the token itself is never in a log, response or core.
  transport::SecretRef token;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;  // request line + fields; more -> 431
  // Longest wait for the next request on a keep-alive connection, and for each read or write of
  // one request or response; past it the connection is dropped.
  std::chrono::seconds idle_timeout{30};
  int max_connections = 256;  // more at once get 503 and are closed
};

// One POST /v1/fulfillment-orders that passed the HTTP checks: authenticated, with an
// Idempotency-Key, a JSON media type and a body within the limit. The body is not parsed here.
struct OrderSubmission {
  std::string idempotency_key;  // the header's value (a quoted sf-string already unquoted)
  std::string body;
  std::string content_type;  // as sent, parameters included
};

// The backend's answer: status, a JSON body (null = no body), extra headers (Location,
// Retry-After...). Error answers should use ErrorBody() (request_checks.h) for the common shape.
struct ApiAnswer {
  int status = 200;
  nlohmann::json body;
  std::map<std::string, std::string> headers;
};

// The business side of the API; implemented by the daemon over the spool.
class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  // Stores the order (or finds the earlier submission with this key). Idempotency semantics
  // (202 / the replayed answer / 422 / 409) are the backend's: it owns the storage.
  virtual ApiAnswer SubmitOrder(const OrderSubmission& order) = 0;
  // The message `id` (> 0) and its audit history, or a 404 answer.
  virtual ApiAnswer GetMessage(std::int64_t id) = 0;
  // True when the daemon can take work; otherwise `why` says what is missing (spool, config).
  virtual bool Ready(std::string* why) = 0;
  // The /metrics body in Prometheus text format 0.0.4 (metrics::Registry::Render()).
  virtual std::string Metrics() = 0;
};

class ApiServer {
 public:
  // `registry` (optional, must outlive the server) receives edigate_api_requests_total and the
  // connection counters.
  ApiServer(boost::asio::io_context& ioc, ApiSettings settings, ApiBackend& backend,
            metrics::Registry* registry = nullptr);
  ~ApiServer();  // Stop()s; see the lifetime note at the top of this file
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Loads the token, binds and starts accepting (the io_context serves once it runs).
  // kAuthFailed when no token is configured or it cannot be loaded (the message names the
  // variable or file); kInvalidArgument for a bad address; kUnavailable when the bind fails
  // ("127.0.0.1:8080: address in use"); kInternal when called twice.
  Status Start();
  // The bound port (the chosen one when settings.port was 0); 0 before a successful Start().
  std::uint16_t port() const;
  // Stops accepting, closes idle keep-alive connections and lets requests in progress finish,
  // each answered with "Connection: close". Once they have, the server holds no work on the
  // io_context, so run() returns if nothing else is queued. Any thread; returns at once.
  void Stop();

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<detail::ServerState> state_;
  std::shared_ptr<detail::Listener> listener_;
  std::uint16_t port_ = 0;
};

}  // namespace gateway::api
