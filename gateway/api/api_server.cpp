#include "gateway/api/api_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "gateway/api/request_checks.h"
#include "gateway/metrics/registry.h"
#include "gateway/transport/secret.h"

namespace gateway::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::string_view kOrdersPath = "/v1/fulfillment-orders";
constexpr std::string_view kMessagesPrefix = "/v1/messages/";
constexpr std::chrono::seconds kMaxLinger{5};
constexpr std::size_t kReadChunk = 4096;

enum class Route { kNone, kOrders, kMessage, kHealth, kReady, kMetrics };

Route MatchRoute(std::string_view path) {
  if (path == kOrdersPath) return Route::kOrders;
  if (path.substr(0, kMessagesPrefix.size()) == kMessagesPrefix &&
      path.find('/', kMessagesPrefix.size()) == std::string_view::npos) {
    return Route::kMessage;
  }
  if (path == "/healthz") return Route::kHealth;
  if (path == "/readyz") return Route::kReady;
  if (path == "/metrics") return Route::kMetrics;
  return Route::kNone;
}

// The label for request metrics: the route template, never the raw path (unbounded cardinality).
const char* RouteLabel(Route r) {
  switch (r) {
    case Route::kOrders: return "/v1/fulfillment-orders";
    case Route::kMessage: return "/v1/messages/{id}";
    case Route::kHealth: return "/healthz";
    case Route::kReady: return "/readyz";
    case Route::kMetrics: return "/metrics";
    case Route::kNone: break;
  }
  return "other";
}

bool IsV1(Route r) { return r == Route::kOrders || r == Route::kMessage; }

std::string FormatEndpoint(const std::string& address, std::uint16_t port) {
  if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
  return address + ":" + std::to_string(port);
}

std::string Dump(const nlohmann::json& j) {
  // `replace`: a backend string with invalid UTF-8 must not throw on the io_context thread.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool SafeHeaderText(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

}  // namespace

namespace detail {

class Session;

// Shared by the listener and every session, so a connection that outlives the ApiServer object
// (draining after Stop) still has its settings.
struct ServerState {
  ApiSettings settings;
  ApiBackend* backend;
  metrics::Registry* registry;
  TokenMatcher token;
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::uint64_t next_session = 0;                           // guarded by mu

  metrics::CounterHandle rejected_connections;
  metrics::GaugeHandle open_connections;

  void CountRequest(Route route, int status) {
    if (registry == nullptr) return;
    auto c = registry->Counter("edigate_api_requests_total",
                               "HTTP API requests answered, by route and status.",
                               {{"route", RouteLabel(route)}, {"status", std::to_string(status)}});
    if (c.ok()) c->Inc();
  }
};

using State = ServerState;

// One connection. It keeps itself alive through the handlers it has queued (shared_from_this)
// and runs on its own strand. States: idle (waiting for the first byte of the next request,
// the only state Stop() interrupts), reading, answering, writing, closing.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<State> state, std::uint64_t id, bool reject)
      : state_(std::move(state)), stream_(std::move(socket)), id_(id), reject_(reject) {}

  ~Session() {
    if (reject_) return;
    std::lock_guard lock(state_->mu);
    state_->sessions.erase(id_);
    state_->open_connections.Set(static_cast<double>(state_->sessions.size()));
  }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Begin, shared_from_this()));
  }

  // Posted by ApiServer::Stop().
  void ServerStopping() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.cancel();
    });
  }

 private:
  void Begin() {
    if (reject_) {
      http::response<http::string_body> res;
      res.version(11);
      state_->rejected_connections.Inc();
      res.set(http::field::retry_after, "1");
      Respond(std::move(res), 503, "too_many_connections",
              "the server has too many open connections; retry shortly", Close::kLinger);
      return;
    }
    WaitForRequest();
  }

  // Idle until the client sends something. Done by hand (not inside async_read_header) so
  // Stop() can tell a connection with no request started from one mid-request.
  void WaitForRequest() {
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    if (state_->stopping) return Shutdown();
    idle_ = true;
    stream_.expires_after(state_->settings.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
  }

  void OnFirstBytes(beast::error_code ec, std::size_t n) {
    idle_ = false;
    // Timeout, client closed, or Stop(): nothing was started, nothing to answer.
    if (ec) return Shutdown();
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(state_->settings.max_header_bytes, UINT32_MAX)));
    // The body limit is applied once the route is known (Preflight): an unauthenticated or
    // misrouted request gets 401/404, not 413.
    // (Not boost::none: Beast 1.74 compares Content-Length against the optional itself, and any
    // length is "greater" than an empty optional.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    route_ = Route::kNone;
    idempotency_key_.clear();
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(state_->settings.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec == http::error::header_limit) {
      return RespondEarly(431, "header_too_large", "the request header is larger than the limit");
    }
    if (ec == beast::error::timeout) return Shutdown();  // the stream already closed the socket
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Shutdown();
    }
    if (ec) return RespondEarly(400, "bad_request", "malformed HTTP request: " + ec.message());
    Preflight();
  }

  // Everything decided from the header alone, before any body byte is read.
  void Preflight() {
    const auto& req = parser_->get();
    const std::string_view target(req.target().data(), req.target().size());
    path_ = std::string(target.substr(0, target.find('?')));
    method_ = std::string(req.method_string());
    route_ = MatchRoute(path_);
    if (route_ == Route::kNone) {
      return Reject(404, "not_found", "no such resource");
    }
    const bool is_post = route_ == Route::kOrders;
    const bool method_ok = is_post ? req.method() == http::verb::post
                                   : (req.method() == http::verb::get ||
                                      req.method() == http::verb::head);
    if (!method_ok) {
      http::response<http::string_body> res;
      res.set(http::field::allow, is_post ? "POST" : "GET, HEAD");
      return Reject(405, "method_not_allowed", "method " + method_ + " is not allowed here",
                    std::move(res));
    }
    if (IsV1(route_) && !Authorized(req)) {
      http::response<http::string_body> res;
      const bool presented = req.count(http::field::authorization) > 0;
      res.set(http::field::www_authenticate,
              presented ? "Bearer realm=\"edigate\", error=\"invalid_token\""
                        : "Bearer realm=\"edigate\"");
      return Reject(401, "unauthorized",
                    presented ? "the bearer token is not valid" : "a bearer token is required",
                    std::move(res));
    }
    if (route_ == Route::kOrders) {
      const auto length = parser_->content_length();
      if (length && *length > state_->settings.max_body_bytes) {
        return Reject(413, "payload_too_large",
                      "the body is larger than " +
                          std::to_string(state_->settings.max_body_bytes) + " bytes");
      }
      const auto keys = req.count("Idempotency-Key");
      if (keys == 0) {
        return Reject(400, "missing_idempotency_key", "the Idempotency-Key header is required");
      }
      if (keys > 1) {
        return Reject(400, "invalid_idempotency_key", "Idempotency-Key is given more than once");
      }
      const auto raw = req["Idempotency-Key"];
      auto key = ParseIdempotencyKey(std::string_view(raw.data(), raw.size()));
      if (!key.ok()) return Reject(400, "invalid_idempotency_key", key.status().message());
      idempotency_key_ = std::move(*key);
      const auto type = req[http::field::content_type];
      if (!IsOrderMediaType(std::string_view(type.data(), type.size()))) {
        return Reject(415, "unsupported_media_type",
                      "Content-Type must be application/json or application/cloudevents+json");
      }
    }
    if (route_ == Route::kMessage && !ParseMessageId(path_.substr(kMessagesPrefix.size()))) {
      return Reject(400, "invalid_message_id", "the message id must be a positive integer");
    }
    if (parser_->is_done()) return Dispatch();
    parser_->body_limit(state_->settings.max_body_bytes);
    if (ExpectsContinue()) {
      continue_.emplace(http::status::continue_, req.version());
      stream_.expires_after(state_->settings.idle_timeout);
      http::async_write(stream_, *continue_,
                        beast::bind_front_handler(&Session::OnContinueSent, shared_from_this()));
      return;
    }
    ReadBody();
  }

  bool Authorized(const http::request<http::string_body>& req) const {
    if (req.count(http::field::authorization) != 1) return false;
    const auto value = req[http::field::authorization];
    const auto token = BearerCredential(std::string_view(value.data(), value.size()));
    return token && state_->token.Matches(*token);
  }

  bool ExpectsContinue() const {
    const auto& req = parser_->get();
    const auto expect = req[http::field::expect];
    return req.version() >= 11 && beast::iequals(expect, "100-continue");
  }

  void OnContinueSent(beast::error_code ec, std::size_t) {
    continue_.reset();
    if (ec) return Shutdown();
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(state_->settings.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (pending_) {
      // A rejection decided from the header, sent once the body is out of the way so the
      // connection stays usable; if the body cannot be read the connection ends with it.
      auto res = std::move(*pending_);
      pending_.reset();
      if (ec == beast::error::timeout) return Shutdown();
      return Send(std::move(res), ec ? Close::kLinger : Close::kIfRequested);
    }
    if (ec == http::error::body_limit) {
      return RespondEarly(413, "payload_too_large",
                          "the body is larger than " +
                              std::to_string(state_->settings.max_body_bytes) + " bytes");
    }
    if (ec == beast::error::timeout) return Shutdown();
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      return Shutdown();
    }
    if (ec) return RespondEarly(400, "bad_request", "malformed HTTP request: " + ec.message());
    Dispatch();
  }

  void Dispatch() {
    const auto& req = parser_->get();
    if (route_ == Route::kMetrics) return SendMetrics();
    ApiAnswer answer;
    try {
      answer = Call(req);
    } catch (const std::exception& e) {
      spdlog::error("api {} {}: backend failed: {}", method_, path_, e.what());
      answer = ApiAnswer{500, ErrorBody("internal_error", "the request could not be processed"), {}};
    }
    if (answer.status < 200 || answer.status > 599) {
      spdlog::error("api {} {}: backend answered status {}", method_, path_, answer.status);
      answer = ApiAnswer{500, ErrorBody("internal_error", "the request could not be processed"), {}};
    }
    http::response<http::string_body> res;
    res.result(static_cast<unsigned>(answer.status));
    if (!answer.body.is_null()) {
      res.set(http::field::content_type, "application/json");
      res.body() = Dump(answer.body);
    }
    for (const auto& [name, value] : answer.headers) {
      if (name.empty() || !SafeHeaderText(name) || !SafeHeaderText(value)) continue;
      res.set(name, value);
    }
    Send(std::move(res), Close::kIfRequested);
  }

  ApiAnswer Call(const http::request<http::string_body>& req) {
    ApiBackend& backend = *state_->backend;
    switch (route_) {
      case Route::kOrders: {
        const auto type = req[http::field::content_type];
        return backend.SubmitOrder(
            OrderSubmission{idempotency_key_, req.body(), std::string(type.data(), type.size())});
      }
      case Route::kMessage:
        return backend.GetMessage(*ParseMessageId(path_.substr(kMessagesPrefix.size())));
      case Route::kHealth:
        return ApiAnswer{200, {{"status", "ok"}}, {}};
      case Route::kReady: {
        std::string why;
        if (backend.Ready(&why)) return ApiAnswer{200, {{"ready", true}}, {}};
        return ApiAnswer{503, {{"ready", false}, {"reason", why}}, {}};
      }
      case Route::kMetrics:  // SendMetrics()
      case Route::kNone:
        break;
    }
    return ApiAnswer{404, ErrorBody("not_found", "no such resource"), {}};
  }

  void SendMetrics() {
    http::response<http::string_body> res;
    try {
      res.body() = state_->backend->Metrics();
    } catch (const std::exception& e) {
      spdlog::error("api {} {}: backend failed: {}", method_, path_, e.what());
      return Respond(std::move(res), 500, "internal_error", "the metrics could not be rendered",
                     Close::kIfRequested);
    }
    res.result(http::status::ok);
    res.set(http::field::content_type, std::string(metrics::kTextContentType));
    Send(std::move(res), Close::kIfRequested);
  }

  enum class Close { kIfRequested, kLinger };

  // A header-level rejection. When the body has not been read yet, read and discard it first
  // (within the limit) so a keep-alive client can go on, unless the client waits for
  // 100-continue or the body is over the limit: then answer and close.
  void Reject(int status, std::string_view code, const std::string& message,
              http::response<http::string_body> res = {}) {
    PrepareError(res, status, code, message);
    if (parser_->is_done()) return Send(std::move(res), Close::kIfRequested);
    const auto length = parser_->content_length();
    if (ExpectsContinue() || (length && *length > state_->settings.max_body_bytes)) {
      return Send(std::move(res), Close::kLinger);
    }
    pending_ = std::move(res);
    parser_->body_limit(state_->settings.max_body_bytes);
    ReadBody();
  }

  // An error found while reading: the rest of the input cannot be trusted, so close after it.
  void RespondEarly(int status, std::string_view code, const std::string& message) {
    http::response<http::string_body> res;
    PrepareError(res, status, code, message);
    Send(std::move(res), Close::kLinger);
  }

  void Respond(http::response<http::string_body> res, int status, std::string_view code,
               const std::string& message, Close close) {
    PrepareError(res, status, code, message);
    Send(std::move(res), close);
  }

  static void PrepareError(http::response<http::string_body>& res, int status,
                           std::string_view code, const std::string& message) {
    res.result(static_cast<unsigned>(status));
    res.set(http::field::content_type, "application/json");
    res.body() = Dump(ErrorBody(code, message));
  }

  void Send(http::response<http::string_body> res, Close close) {
    const bool have_request = parser_.has_value() && parser_->is_header_done();
    const unsigned version = have_request ? parser_->get().version() : 11;
    const bool head = have_request && parser_->get().method() == http::verb::head;
    const bool keep_alive = close == Close::kIfRequested && have_request &&
                            parser_->get().keep_alive() && !state_->stopping;
    res.version(version);
    res.set(http::field::server, "edigate");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (head) {
      // HEAD: the headers GET would send, Content-Length included, and no body.
      const auto length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }
    const int status = res.result_int();
    Log(status);
    state_->CountRequest(route_, status);
    linger_ = close == Close::kLinger;
    res_ = std::move(res);
    stream_.expires_after(state_->settings.idle_timeout);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void Log(int status) const {
    if (!spdlog::default_logger()->should_log(spdlog::level::debug)) return;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    constexpr std::size_t kMaxLoggedPath = 200;
    spdlog::debug("api {} {} {} {}ms idempotency_key={}", method_.empty() ? "-" : method_,
                  path_.empty() ? "-" : path_.substr(0, kMaxLoggedPath), status, ms,
                  idempotency_key_.empty() ? "-" : idempotency_key_);
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    if (ec) return Shutdown();
    if (linger_) return Linger();
    if (!res_.keep_alive()) return Shutdown();
    res_ = {};
    method_.clear();
    path_.clear();
    WaitForRequest();
  }

  // Half-close and read whatever the client still sends, for a bounded time, before closing:
  // closing a socket with unread input makes the kernel send a reset, which can destroy the
  // error response before the client has read it.
  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<std::chrono::seconds>(state_->settings.idle_timeout, kMaxLinger));
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Shutdown();
                              self->DrainSome();
                            });
  }

  void Shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  std::shared_ptr<State> state_;
  beast::tcp_stream stream_;
  const std::uint64_t id_;
  const bool reject_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> pending_;
  http::response<http::string_body> res_;
  std::array<char, 4096> drain_{};
  bool idle_ = false;
  bool linger_ = false;
  Route route_ = Route::kNone;
  std::string method_;
  std::string path_;
  std::string idempotency_key_;
  std::chrono::steady_clock::time_point started_{};
};

// Accepts connections on its own strand. Kept alive by its pending accept, so Stop() and the
// ApiServer destructor never race a completion handler.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<State> state)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), retry_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  tcp::acceptor& acceptor() { return acceptor_; }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void Close() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || state_->stopping) return;
    if (ec) {
      // Out of descriptors and the like: spinning on accept would burn the CPU the
      // connections need to finish; try again shortly.
      spdlog::warn("api: accept failed: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec && self->acceptor_.is_open()) self->Accept();
      });
      return;
    }
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(state_->mu);
      const bool full =
          static_cast<long>(state_->sessions.size()) >= state_->settings.max_connections;
      const std::uint64_t id = state_->next_session++;
      session = std::make_shared<Session>(std::move(socket), state_, id, full);
      if (!full) {
        state_->sessions.emplace(id, session);
        state_->open_connections.Set(static_cast<double>(state_->sessions.size()));
      }
    }
    session->Run();
    Accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<State> state_;
};

}  // namespace detail

ApiServer::ApiServer(net::io_context& ioc, ApiSettings settings, ApiBackend& backend,
                     metrics::Registry* registry)
    : ioc_(ioc), state_(std::make_shared<detail::ServerState>()) {
  state_->settings = std::move(settings);
  state_->backend = &backend;
  state_->registry = registry;
  if (registry != nullptr) {
    if (auto c = registry->Counter("edigate_api_connections_rejected_total",
                                   "API connections refused because max_connections were open.");
        c.ok()) {
      state_->rejected_connections = *c;
    }
    if (auto g = registry->Gauge("edigate_api_open_connections", "Open API connections.");
        g.ok()) {
      state_->open_connections = *g;
    }
  }
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Start() {
  if (listener_) return Status(Code::kInternal, "api server started twice");
  const ApiSettings& s = state_->settings;
  const std::string endpoint = FormatEndpoint(s.address, s.port);
  if (!s.token.configured()) {
    return Status(Code::kAuthFailed, "api token: not configured (set an environment variable or file)");
  }
  {
    GATEWAY_ASSIGN_OR_RETURN(auto token, transport::LoadSecret(s.token, "api token"));
    if (token.empty()) return Status(Code::kAuthFailed, "api token: the configured token is empty");
    state_->token = TokenMatcher(std::string_view(token.c_str(), token.size()));
  }
  if (s.max_connections < 1) {
    return Status(Code::kInvalidArgument, "api max_connections must be at least 1");
  }

  beast::error_code ec;
  const auto address = net::ip::make_address(s.address, ec);
  if (ec) return Status(Code::kInvalidArgument, endpoint + ": invalid address");
  auto listener = std::make_shared<detail::Listener>(ioc_, state_);
  tcp::acceptor& acceptor = listener->acceptor();
  const tcp::endpoint ep(address, s.port);
  auto fail = [&endpoint](const char* what, const beast::error_code& e) {
    const std::string reason =
        e == net::error::address_in_use ? std::string("address in use") : e.message();
    return Status(Code::kUnavailable, endpoint + ": " + what + reason);
  };
  if (acceptor.open(ep.protocol(), ec)) return fail("open: ", ec);
  // Restarting the daemon must not wait for old connections in TIME_WAIT.
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec)) return fail("", ec);
  if (acceptor.bind(ep, ec)) return fail("", ec);
  if (acceptor.listen(net::socket_base::max_listen_connections, ec)) return fail("listen: ", ec);
  port_ = acceptor.local_endpoint(ec).port();
  if (ec) return fail("", ec);
  listener_ = std::move(listener);
  spdlog::info("api listening on {}", FormatEndpoint(s.address, port_));
  net::post(listener_->acceptor().get_executor(), [l = listener_] { l->Accept(); });
  return Status::Ok();
}

std::uint16_t ApiServer::port() const { return port_; }

void ApiServer::Stop() {
  if (!listener_ || state_->stopping.exchange(true)) return;
  net::post(listener_->acceptor().get_executor(), [l = listener_] { l->Close(); });
  std::vector<std::shared_ptr<detail::Session>> sessions;
  {
    std::lock_guard lock(state_->mu);
    for (auto& [id, weak] : state_->sessions) {
      if (auto s = weak.lock()) sessions.push_back(std::move(s));
    }
  }
  for (auto& s : sessions) s->ServerStopping();
}

}  // namespace gateway::api
