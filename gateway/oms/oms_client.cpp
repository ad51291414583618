// The Beast implementation of OmsClient. See oms_client.h for the model; the notes here are about
// why the pieces look the way they do.
//
// Every Connection owns its io_context. A call takes a connection (idle or new), and the calling
// thread runs that io_context for each asynchronous step, so beast::tcp_stream's expiry bounds
// every step and a hung OMS costs the caller at most the request deadline. Connections move
// between threads only through the idle list, under the client's mutex.
#include "gateway/oms/oms_client.h"

#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "gateway/transport/secret.h"

namespace gateway::oms {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kDetailBodyBytes = 200;
constexpr std::size_t kResponseHeaderLimit = 16 * 1024;
// A connection idle longer than this is closed rather than reused: a NAT or load balancer may
// have forgotten it without telling either side, and a dead connection costs a full timeout.
constexpr std::chrono::seconds kMaxIdle{30};
constexpr char kUserAgent[] = "edigate/0.1";
constexpr char kContentType[] = "application/cloudevents+json";

std::string_view Std(beast::string_view v) { return {v.data(), v.size()}; }

struct Url {
  bool tls = false;
  std::string host;         // without brackets: what we resolve and verify
  std::uint16_t port = 0;
  std::string host_header;  // as written in the URL (brackets, explicit port)
  std::string path;         // no trailing '/'
};

bool IsPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

Result<Url> ParseBaseUrl(const std::string& url) {
  // Credentials in the URL would end up in logs and error messages: refuse without echoing it.
  if (url.find('@') != std::string::npos) {
    return Status(Code::kInvalidArgument,
                  "oms base_url must not contain user info; configure the token instead");
  }
  const std::string quoted = "oms base_url \"" + url + "\"";
  if (!IsPrintableAscii(url) || url.find(' ') != std::string::npos) {
    return Status(Code::kInvalidArgument, "oms base_url contains spaces or control characters");
  }
  if (url.find_first_of("?#") != std::string::npos) {
    return Status(Code::kInvalidArgument, quoted + ": query and fragment are not allowed");
  }
  Url out;
  std::string_view rest(url);
  auto starts_with_nocase = [&](std::string_view prefix) {
    if (rest.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      const char c = rest[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != prefix[i]) return false;
    }
    return true;
  };
  if (starts_with_nocase("https://")) {
    out.tls = true;
    out.port = 443;
    rest.remove_prefix(8);
  } else if (starts_with_nocase("http://")) {
    out.port = 80;
    rest.remove_prefix(7);
  } else {
    return Status(Code::kInvalidArgument, quoted + ": scheme must be http:// or https://");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  out.host_header = std::string(authority);
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status(Code::kInvalidArgument, quoted + ": unterminated IPv6 address");
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status(Code::kInvalidArgument, quoted + ": bad authority");
      port_text = after.substr(1);
      if (port_text.empty()) return Status(Code::kInvalidArgument, quoted + ": empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return Status(Code::kInvalidArgument, quoted + ": empty port");
    }
  }
  if (out.host.empty()) return Status(Code::kInvalidArgument, quoted + ": no host");
  if (!port_text.empty()) {
    unsigned long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        return Status(Code::kInvalidArgument, quoted + ": bad port");
      }
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return Status(Code::kInvalidArgument, quoted + ": bad port");
    out.port = static_cast<std::uint16_t>(port);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.path = std::string(path);
  return out;
}

bool IsValidType(std::string_view type) {
  return !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
}

// The first `limit` bytes of `s` for a log line: control characters become spaces, and a UTF-8
// sequence is not cut in half.
std::string Excerpt(std::string_view s, std::size_t limit) {
  std::size_t n = std::min(limit, s.size());
  if (n < s.size()) {
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  }
  std::string out(s.substr(0, n));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (n < s.size()) out += "...";
  return out;
}

// The token must not leave the process through a detail string, even when the OMS echoes it.
void Redact(std::string* text, std::string_view secret) {
  if (secret.empty()) return;
  for (std::size_t at = text->find(secret); at != std::string::npos;
       at = text->find(secret, at)) {
    text->replace(at, secret.size(), "[redacted]");
    at += 10;
  }
}

bool IsCertificateVerifyFailure(const error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() &&
         ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED;
}

// Errors that mean "the server closed this connection": on a reused connection before any
// response byte they mean the request was not processed and may be sent again.
bool IsClosedByPeer(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

// Runs one asynchronous operation to completion on `ioc` in the calling thread. `initiate`
// receives the completion handler.
template <class Initiate>
error_code RunOp(asio::io_context& ioc, Initiate&& initiate) {
  error_code result = asio::error::operation_aborted;
  initiate([&result](error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

// One connection to the OMS and the io_context its operations run on. Used by one thread at a
// time. Member order matters: the streams are declared after the io_context so that they are
// destroyed before it.
struct Connection {
  asio::io_context ioc{1};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::string verify_error;  // why the certificate was rejected, set during the handshake
  SteadyClock::time_point idle_since{};

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // False if the server closed the idle connection (or sent something unasked).
  bool LooksAlive() {
    char byte;
    const ssize_t n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
};

struct ExchangeResult {
  DeliveryOutcome outcome;
  bool closed_before_response = false;  // the connection was dead; nothing was answered
  bool reusable = false;
};

std::string Millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

class BeastOmsClient final : public OmsClient {
 public:
  BeastOmsClient(OmsSettings settings, Url url, transport::Secret token,
                 std::shared_ptr<ssl::context> tls_context)
      : settings_(std::move(settings)),
        url_(std::move(url)),
        token_(std::move(token)),
        tls_context_(std::move(tls_context)),
        endpoint_name_(url_.host_header) {}

  DeliveryOutcome Deliver(const DeliveryRequest& request) override {
    try {
      return DeliverOrThrow(request);
    } catch (const std::exception& e) {
      // Beast and Asio throw only for resource exhaustion here (allocation, thread or file
      // limits): a retry later is the right reaction.
      DeliveryOutcome out;
      out.detail = std::string("internal error delivering to ") + endpoint_name_ + ": " + e.what();
      Redact(&out.detail, token_view());
      return out;
    }
  }

 private:
  // Holds one of the max_connections slots for the duration of a call.
  class Slot {
   public:
    explicit Slot(BeastOmsClient* c) : c_(c) {
      std::unique_lock lock(c_->mu_);
      c_->slot_free_.wait(lock, [this] { return c_->in_flight_ < c_->settings_.max_connections; });
      ++c_->in_flight_;
    }
    ~Slot() {
      {
        std::lock_guard lock(c_->mu_);
        --c_->in_flight_;
      }
      c_->slot_free_.notify_one();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    BeastOmsClient* c_;
  };

  std::string_view token_view() const { return {token_.c_str(), token_.size()}; }

  DeliveryOutcome Invalid(std::string what) const {
    DeliveryOutcome out;
    out.response_class = ResponseClass::kPermanent;
    out.detail = "invalid delivery request: " + std::move(what);
    return out;
  }

  DeliveryOutcome Transient(std::string detail) const {
    DeliveryOutcome out;
    out.response_class = ResponseClass::kTransient;
    out.detail = std::move(detail);
    Redact(&out.detail, token_view());
    return out;
  }

  DeliveryOutcome DeliverOrThrow(const DeliveryRequest& request) {
    if (request.idempotency_key.empty() || !IsPrintableAscii(request.idempotency_key)) {
      return Invalid("idempotency key is empty or not printable ASCII");
    }
    std::string target = url_.path;
    if (auto it = settings_.paths.find(request.type); it != settings_.paths.end()) {
      target += it->second;
    } else if (IsValidType(request.type)) {
      target += "/events/" + request.type;
    } else {
      return Invalid("type \"" + Excerpt(request.type, 64) + "\" is not a valid type name");
    }

    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, url_.host_header);
    req.set(http::field::user_agent, kUserAgent);
    req.set(http::field::content_type, kContentType);
    req.set("Idempotency-Key", request.idempotency_key);
    if (!token_.empty()) req.set(http::field::authorization, authorization_value());
    req.keep_alive(true);
    req.body() = request.body;
    req.prepare_payload();

    Slot slot(this);
    const auto deadline = SteadyClock::now() + settings_.request_timeout;
    std::unique_ptr<Connection> conn = TakeIdle();
    bool reused = conn != nullptr;
    for (;;) {
      if (!conn) {
        DeliveryOutcome failure;
        conn = Connect(deadline, &failure);
        if (!conn) return failure;
      }
      ExchangeResult r = Exchange(*conn, req, deadline);
      if (r.closed_before_response && reused) {
        // The OMS closed the kept-alive connection before it answered (typically its idle
        // timeout raced our request). Once, on a fresh connection.
        conn.reset();
        reused = false;
        continue;
      }
      if (r.reusable) PutIdle(std::move(conn));
      Redact(&r.outcome.detail, token_view());
      return std::move(r.outcome);
    }
  }

  std::string authorization_value() const {
    std::string v = "Bearer ";
    v.append(token_.c_str(), token_.size());
    return v;
  }

  std::unique_ptr<Connection> TakeIdle() {
    for (;;) {
      std::unique_ptr<Connection> conn;
      {
        std::lock_guard lock(mu_);
        if (idle_.empty()) return nullptr;
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
      if (SteadyClock::now() - conn->idle_since < kMaxIdle && conn->LooksAlive()) return conn;
    }
  }

  void PutIdle(std::unique_ptr<Connection> conn) {
    conn->idle_since = SteadyClock::now();
    std::lock_guard lock(mu_);
    if (idle_.size() < static_cast<std::size_t>(settings_.max_connections)) {
      idle_.push_back(std::move(conn));
    }
  }

  std::string Describe(const error_code& ec, std::string_view operation,
                       std::chrono::milliseconds budget) const {
    if (ec == beast::error::timeout) {
      return std::string(operation) + " " + endpoint_name_ + ": timed out after " + Millis(budget);
    }
    return std::string(operation) + " " + endpoint_name_ + ": " + ec.message();
  }

  // A new connection (TCP, and TLS for https) within min(connect_timeout, deadline), or nullptr
  // with *failure set.
  std::unique_ptr<Connection> Connect(SteadyClock::time_point deadline, DeliveryOutcome* failure) {
    auto conn = std::make_unique<Connection>();
    error_code ec;
    std::vector<tcp::endpoint> endpoints;
    const asio::ip::address literal = asio::ip::make_address(url_.host, ec);
    const bool is_literal = !ec;
    if (is_literal) {
      endpoints.emplace_back(literal, url_.port);
    } else {
      tcp::resolver resolver(conn->ioc);
      const auto results = resolver.resolve(url_.host, std::to_string(url_.port), ec);
      if (ec) {
        *failure = Transient("resolve " + url_.host + ": " + ec.message());
        return nullptr;
      }
      for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    }
    const auto now = SteadyClock::now();
    const auto connect_deadline = std::min(deadline, now + settings_.connect_timeout);
    const auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(connect_deadline - now);
    if (budget.count() <= 0) {
      *failure = Transient("connect " + endpoint_name_ + ": no time left before the deadline");
      return nullptr;
    }
    if (url_.tls) {
      conn->tls.emplace(conn->ioc, *tls_context_);
    } else {
      conn->plain.emplace(conn->ioc);
    }
    beast::tcp_stream& stream = conn->tcp();
    stream.expires_at(connect_deadline);
    ec = RunOp(conn->ioc, [&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec) {
      *failure = Transient(Describe(ec, "connect", budget));
      return nullptr;
    }
    error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);
    if (!url_.tls) return conn;

    SSL* ssl_handle = conn->tls->native_handle();
    if (!is_literal) {  // SNI carries names only, never address literals (RFC 6066)
      if (SSL_set_tlsext_host_name(ssl_handle, url_.host.c_str()) != 1) {
        *failure = Transient("TLS setup for " + endpoint_name_ + ": cannot set SNI host name");
        return nullptr;
      }
    }
    if (settings_.verify_tls) {
      conn->tls->set_verify_mode(ssl::verify_peer, ignored);
      Connection* c = conn.get();
      const std::string host = url_.host;
      conn->tls->set_verify_callback(
          [c, host](bool preverified, ssl::verify_context& vctx) {
            const bool ok = ssl::host_name_verification(host)(preverified, vctx);
            if (!ok && c->verify_error.empty()) {
              const int err = X509_STORE_CTX_get_error(vctx.native_handle());
              c->verify_error = (!preverified && err != X509_V_OK)
                                    ? X509_verify_cert_error_string(err)
                                    : "certificate does not match host " + host;
            }
            return ok;
          },
          ignored);
    }
    ec = RunOp(conn->ioc, [&](auto handler) {
      conn->tls->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) {
      if (!conn->verify_error.empty() || IsCertificateVerifyFailure(ec)) {
        // Not a network hiccup: the OMS presents a certificate we do not trust. Retrying soon will
        // not change that; someone has to fix the CA bundle or the certificate.
        failure->response_class = ResponseClass::kAuth;
        failure->http_status = 0;
        failure->detail = "TLS handshake with " + endpoint_name_ + ": certificate verification failed: " +
                          (conn->verify_error.empty() ? ec.message() : conn->verify_error);
        return nullptr;
      }
      *failure = Transient(Describe(ec, "TLS handshake with", budget));
      return nullptr;
    }
    return conn;
  }

  template <class Stream>
  ExchangeResult ExchangeOn(Connection& conn, Stream& stream,
                            http::request<http::string_body>& req,
                            SteadyClock::time_point deadline) {
    ExchangeResult r;
    const auto budget = settings_.request_timeout;
    if (SteadyClock::now() >= deadline) {
      r.outcome = Transient("send to " + endpoint_name_ + ": no time left before the deadline");
      return r;
    }
    conn.tcp().expires_at(deadline);
    error_code ec = RunOp(conn.ioc, [&](auto handler) {
      http::async_write(stream, req, std::move(handler));
    });
    if (ec) {
      r.closed_before_response = IsClosedByPeer(ec);
      r.outcome = Transient(Describe(ec, "send to", budget));
      return r;
    }
    // Header first, then the body: Beast 1.74 does not report body_limit for a Content-Length
    // body when the parser is in eager mode (which async_read turns on), so the declared length
    // is checked here, before any body byte is read. Interim 1xx responses (103 Early Hints)
    // are skipped; a few at most.
    std::optional<http::response_parser<http::string_body>> parser;
    bool interim_seen = false;
    for (int interim = 0;; ++interim) {
      parser.emplace();
      parser->header_limit(kResponseHeaderLimit);
      parser->body_limit(settings_.max_response_body);
      ec = RunOp(conn.ioc, [&](auto handler) {
        http::async_read_header(stream, conn.buffer, *parser, std::move(handler));
      });
      const unsigned status = parser->is_header_done() ? parser->get().result_int() : 0;
      if (ec || status / 100 != 1 || status == 101 || interim == 4) break;
      interim_seen = true;
    }
    if (!ec && parser->content_length() &&
        *parser->content_length() > settings_.max_response_body) {
      ec = http::error::body_limit;
    }
    if (!ec && !parser->is_done()) {
      ec = RunOp(conn.ioc, [&](auto handler) {
        http::async_read(stream, conn.buffer, *parser, std::move(handler));
      });
    }
    const bool body_too_large = ec == http::error::body_limit && parser->is_header_done();
    if (ec && !body_too_large) {
      r.closed_before_response = IsClosedByPeer(ec) && !interim_seen && !parser->got_some() &&
                                 conn.buffer.size() == 0;
      r.outcome = Transient(Describe(ec, "waiting for the response from", budget));
      return r;
    }
    const auto& res = parser->get();
    const int status = static_cast<int>(res.result_int());
    r.outcome.http_status = status;
    r.outcome.response_class = ClassifyStatus(status, settings_.status_overrides);
    if (auto it = res.find(http::field::retry_after); it != res.end()) {
      r.outcome.retry_after = ParseRetryAfter(Std(it->value()), std::chrono::system_clock::now());
    }
    std::string_view reason = Std(res.reason());
    if (reason.empty()) reason = Std(http::obsolete_reason(res.result()));
    r.outcome.detail = "HTTP " + std::to_string(status) + " " + Excerpt(reason, 64);
    if (body_too_large) {
      r.outcome.detail += " (body over " + std::to_string(settings_.max_response_body) +
                          " bytes, not read)";
    } else if (!res.body().empty()) {
      r.outcome.detail += ": " + Excerpt(res.body(), kDetailBodyBytes);
    }
    r.reusable = !body_too_large && res.keep_alive() && parser->is_done() && conn.buffer.size() == 0;
    return r;
  }

  ExchangeResult Exchange(Connection& conn, http::request<http::string_body>& req,
                          SteadyClock::time_point deadline) {
    if (conn.tls) return ExchangeOn(conn, *conn.tls, req, deadline);
    return ExchangeOn(conn, *conn.plain, req, deadline);
  }

  const OmsSettings settings_;
  const Url url_;
  const transport::Secret token_;
  const std::shared_ptr<ssl::context> tls_context_;  // shared by all connections; set up once
  const std::string endpoint_name_;                  // "host:port" for messages

  std::mutex mu_;
  std::condition_variable slot_free_;
  int in_flight_ = 0;                               // guarded by mu_
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_; most recently used last
};

Result<std::shared_ptr<ssl::context>> MakeTlsContext(const OmsSettings& settings) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  error_code ec;
  ctx->set_default_verify_paths(ec);
  if (ec) {
    return Status(Code::kInvalidArgument, "oms: cannot load the system CA paths: " + ec.message());
  }
  if (!settings.ca_file.empty()) {
    ctx->load_verify_file(settings.ca_file, ec);
    if (ec) {
      return Status(Code::kInvalidArgument,
                    "oms ca_file " + settings.ca_file + ": cannot load: " + ec.message());
    }
  }
  if (settings.verify_tls) {
    ctx->set_verify_mode(ssl::verify_peer, ec);
  } else {
    ctx->set_verify_mode(ssl::verify_none, ec);
    spdlog::warn("oms {}: TLS certificate verification is OFF (verify_tls: false)",
                 settings.base_url);
  }
  return ctx;
}

Result<std::unique_ptr<OmsClient>> MakeOmsClientOrThrow(OmsSettings settings) {
  GATEWAY_ASSIGN_OR_RETURN(Url url, ParseBaseUrl(settings.base_url));
  if (settings.max_connections < 1) {
    return Status(Code::kInvalidArgument, "oms max_connections must be at least 1");
  }
  if (settings.connect_timeout.count() <= 0 || settings.request_timeout.count() <= 0) {
    return Status(Code::kInvalidArgument, "oms connect_timeout and request_timeout must be > 0");
  }
  if (settings.max_response_body == 0) {
    return Status(Code::kInvalidArgument, "oms max_response_body must be > 0");
  }
  for (const auto& [type, path] : settings.paths) {
    if (path.empty() || path.front() != '/' || !IsPrintableAscii(path) ||
        path.find_first_of(" #") != std::string::npos) {
      return Status(Code::kInvalidArgument,
                    "oms path for " + type + " \"" + Excerpt(path, 64) +
                        "\": must start with '/' and contain no spaces or control characters");
    }
  }
  if (!url.tls && (!settings.ca_file.empty())) {
    return Status(Code::kInvalidArgument, "oms ca_file is set but base_url is not https://");
  }
  GATEWAY_ASSIGN_OR_RETURN(transport::Secret token, transport::LoadSecret(settings.token, "oms token"));
  if (!IsPrintableAscii(std::string_view(token.c_str(), token.size()))) {
    const std::string source = !settings.token.env.empty()
                                   ? "environment variable " + settings.token.env
                                   : "file " + settings.token.file;
    return Status(Code::kInvalidArgument,
                  "oms token from " + source + " contains characters not allowed in a header");
  }
  if (settings.token.configured() && token.empty()) {
    const std::string source = !settings.token.env.empty()
                                   ? "environment variable " + settings.token.env
                                   : "file " + settings.token.file;
    return Status(Code::kAuthFailed, "oms token: " + source + " is empty");
  }
  std::shared_ptr<ssl::context> tls_context;
  if (url.tls) {
    GATEWAY_ASSIGN_OR_RETURN(tls_context, MakeTlsContext(settings));
  }
  return std::unique_ptr<OmsClient>(std::make_unique<BeastOmsClient>(
      std::move(settings), std::move(url), std::move(token), std::move(tls_context)));
}

}  // namespace

Result<std::unique_ptr<OmsClient>> MakeOmsClient(OmsSettings settings) {
  try {
    return MakeOmsClientOrThrow(std::move(settings));
  } catch (const std::exception& e) {
    // ssl::context throws when OpenSSL cannot allocate a context.
    return Status(Code::kInternal, std::string("oms client setup: ") + e.what());
  }
}

}  // namespace gateway::oms
