// Beast server behind OmsStub, in the shape of Beast's advanced server: one self-owning Session
// per connection on its own strand, do_x/on_x steps, a deadline before every read and write.
// Sessions register themselves (weakly) so DropConnections can reach them.
#include "tools/oms_stub/oms_stub.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

namespace oms_stub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kRequestBodyLimit = 64u << 20;
constexpr std::chrono::seconds kIdleTimeout{300};
constexpr std::chrono::seconds kIoTimeout{30};

std::string Str(beast::string_view v) { return std::string(v.data(), v.size()); }

// "2026-11-20T14:32:00.123Z"
std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// Appends lines to a file and makes each durable before Append returns. Concurrent callers share
// one fdatasync (group commit) so a busy stub is not limited to one request per disk flush.
class DurableLog {
 public:
  ~DurableLog() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool Open(const std::string& path, std::string* error) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      if (error) *error = "cannot open log " + path + ": " + std::strerror(errno);
      return false;
    }
    return true;
  }
  void Append(const std::string& line) {
    std::uint64_t mine;
    {
      std::lock_guard lock(write_mu_);
      std::size_t done = 0;
      while (done < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // a test tool: a full disk shows up as missing lines
        done += static_cast<std::size_t>(n);
      }
      mine = written_.fetch_add(1) + 1;
    }
    std::unique_lock lock(sync_mu_);
    while (synced_ < mine) {
      if (syncing_) {
        sync_cv_.wait(lock);
        continue;
      }
      syncing_ = true;
      const std::uint64_t target = written_.load();
      lock.unlock();
      ::fdatasync(fd_);
      lock.lock();
      synced_ = std::max(synced_, target);
      syncing_ = false;
      sync_cv_.notify_all();
    }
  }

 private:
  int fd_ = -1;
  std::mutex write_mu_;
  std::atomic<std::uint64_t> written_{0};
  std::mutex sync_mu_;
  std::condition_variable sync_cv_;
  bool syncing_ = false;     // guarded by sync_mu_
  std::uint64_t synced_ = 0;  // guarded by sync_mu_
};

}  // namespace

struct SessionBase {
  virtual ~SessionBase() = default;
  // Closes the connection on the session's strand, then calls `done` (there).
  virtual void Close(std::function<void()> done) = 0;
};

// Everything the server shares between sessions; OmsStub::Impl is this under its private name so
// that sessions (outside the class) can reach it.
struct StubCore {
  explicit StubCore(OmsStub::Options o) : options(std::move(o)) {}

  OmsStub::Options options;
  std::unique_ptr<asio::io_context> ioc;
  std::optional<ssl::context> tls;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> bound_port{0};
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> started{false}, stopped{false};
  DurableLog log;
  bool logging = false;

  std::mutex handler_mu;
  std::shared_ptr<const std::function<Response(const Request&)>> handler;  // guarded by handler_mu

  mutable std::mutex mu;
  mutable std::condition_variable arrived;
  std::vector<Request> received;                          // guarded by mu
  std::unordered_map<std::string, std::size_t> key_counts;  // guarded by mu
  std::size_t total = 0;                                  // guarded by mu

  std::mutex sessions_mu;
  std::uint64_t next_session = 0;                                       // guarded by sessions_mu
  std::unordered_map<std::uint64_t, std::weak_ptr<SessionBase>> sessions;  // guarded by sessions_mu

  std::uint64_t Register(std::weak_ptr<SessionBase> s) {
    std::lock_guard lock(sessions_mu);
    sessions.emplace(++next_session, std::move(s));
    return next_session;
  }
  void Unregister(std::uint64_t id) {
    std::lock_guard lock(sessions_mu);
    sessions.erase(id);
  }

  void Record(const Request& r) {
    {
      std::lock_guard lock(mu);
      ++total;
      if (options.record_requests) {
        received.push_back(r);
        ++key_counts[r.idempotency_key];
      }
    }
    arrived.notify_all();
  }

  Response Handle(const Request& r) {
    std::shared_ptr<const std::function<Response(const Request&)>> h;
    {
      std::lock_guard lock(handler_mu);
      h = handler;
    }
    if (!h || !*h) return Response{};
    try {
      return (*h)(r);
    } catch (const std::exception& e) {
      Response res;
      res.status = 500;
      res.body = nlohmann::json{{"error", std::string("stub handler threw: ") + e.what()}}.dump();
      return res;
    }
  }

  void Log(const Request& r, int status) {
    if (!logging) return;
    // ordered_json: "at" first and the body's keys as the sender wrote them, for people reading it.
    nlohmann::ordered_json line;
    line["at"] = UtcNow();
    line["path"] = r.target;
    line["idempotency_key"] = r.idempotency_key;
    line["status"] = status;
    nlohmann::ordered_json body = nlohmann::ordered_json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) {
      line["body"] = r.body;
    } else {
      line["body"] = std::move(body);
    }
    log.Append(line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
  }

  void DoAccept();
};

struct OmsStub::Impl : StubCore {
  using StubCore::StubCore;
};

namespace {

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(StubCore* stub, tcp::socket&& socket, Args&&... args)
      : stub_(stub), stream_(std::move(socket), std::forward<Args>(args)...),
        timer_(stream_.get_executor()) {}
  ~Session() override {
    if (id_ != 0) stub_->Unregister(id_);
  }

  void Run() {
    id_ = stub_->Register(this->weak_from_this());
    // On the strand from here on.
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->DoHandshake(); });
  }

  void Close(std::function<void()> done) override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), done = std::move(done)] {
      error_code ignored;
      self->timer_.cancel();
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(self->stream_).close();
      done();
    });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  void DoHandshake() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (ec) return;  // a client that gave up or distrusts us
                                self->DoRead();
                              });
    } else {
      DoRead();
    }
  }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(kRequestBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(error_code ec) {
    if (ec) {  // end of stream, idle timeout, reset, malformed request: the connection is over
      beast::get_lowest_layer(stream_).close();
      return;
    }
    http::request<http::string_body> req = parser_->release();
    Request r;
    r.method = Str(req.method_string());
    r.target = Str(req.target());
    r.idempotency_key = Str(req["Idempotency-Key"]);
    r.authorization = Str(req[http::field::authorization]);
    r.content_type = Str(req[http::field::content_type]);
    r.body = std::move(req.body());
    r.at = std::chrono::steady_clock::now();
    stub_->Record(r);
    Response answer = stub_->Handle(r);
    stub_->Log(r, answer.close_without_response ? 0 : answer.status);
    if (answer.close_without_response) {
      error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(stream_).close();
      return;
    }
    res_.emplace();
    res_->version(req.version());
    res_->result(static_cast<unsigned>(answer.status));
    res_->set(http::field::server, "edigate-oms-stub");
    res_->set(http::field::content_type, "application/json");
    for (const auto& [name, value] : answer.headers) res_->set(name, value);
    res_->keep_alive(req.keep_alive() && res_->keep_alive());
    // 1xx, 204 and 304 responses have no body by definition (RFC 9110); sending one anyway
    // would desynchronise the client's next response on a kept-alive connection.
    const bool bodiless = answer.status < 200 || answer.status == 204 || answer.status == 304;
    if (!bodiless) res_->body() = std::move(answer.body);
    res_->prepare_payload();
    if (answer.delay.count() > 0) {
      timer_.expires_after(answer.delay);
      timer_.async_wait([self = this->shared_from_this()](error_code wait_ec) {
        if (wait_ec) return;  // closed meanwhile
        self->DoWrite();
      });
    } else {
      DoWrite();
    }
  }

  void DoWrite() {
    beast::get_lowest_layer(stream_).expires_after(kIoTimeout);
    http::async_write(stream_, *res_,
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        self->OnWrite(ec);
                      });
  }

  void OnWrite(error_code ec) {
    if (ec) return;
    if (!res_->keep_alive()) {
      error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    DoRead();
  }

  StubCore* stub_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  std::uint64_t id_ = 0;
};

}  // namespace

void StubCore::DoAccept() {
  acceptor->async_accept(asio::make_strand(*ioc), [this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {
      // Out of descriptors or similar: try again shortly instead of spinning.
      accept_retry->expires_after(std::chrono::milliseconds(10));
      accept_retry->async_wait([this](error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    connections.fetch_add(1);
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(this, std::move(socket), *tls)
          ->Run();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(this, std::move(socket))->Run();
    }
    DoAccept();
  });
}

OmsStub::OmsStub(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

OmsStub::~OmsStub() { Stop(); }

bool OmsStub::Start(std::string* error) {
  auto fail = [error](std::string message) {
    if (error) *error = std::move(message);
    return false;
  };
  Impl& s = *impl_;
  if (s.started.exchange(true)) return fail("oms stub: Start called twice");
  try {
    if (!s.options.log_file.empty()) {
      if (!s.log.Open(s.options.log_file, error)) return false;
      s.logging = true;
    }
    if (!s.options.tls_cert_file.empty() || !s.options.tls_key_file.empty()) {
      if (s.options.tls_cert_file.empty() || s.options.tls_key_file.empty()) {
        return fail("oms stub: TLS needs both a certificate and a key file");
      }
      s.tls.emplace(ssl::context::tls_server);
      error_code ec;
      s.tls->use_certificate_chain_file(s.options.tls_cert_file, ec);
      if (ec) return fail("oms stub: certificate " + s.options.tls_cert_file + ": " + ec.message());
      s.tls->use_private_key_file(s.options.tls_key_file, ssl::context::pem, ec);
      if (ec) return fail("oms stub: key " + s.options.tls_key_file + ": " + ec.message());
    }
    error_code ec;
    const auto address = asio::ip::make_address(s.options.address, ec);
    if (ec) return fail("oms stub: bad address " + s.options.address + ": " + ec.message());
    s.ioc = std::make_unique<asio::io_context>(std::max(1, s.options.threads));
    s.acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(*s.ioc));
    s.accept_retry = std::make_unique<asio::steady_timer>(s.acceptor->get_executor());
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor->open(endpoint.protocol(), ec);
    if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) s.acceptor->bind(endpoint, ec);
    if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return fail("oms stub: cannot listen on " + s.options.address + ":" +
                  std::to_string(s.options.port) + ": " + ec.message());
    }
    s.bound_port = s.acceptor->local_endpoint().port();
    s.DoAccept();
    for (int i = 0; i < std::max(1, s.options.threads); ++i) {
      s.threads.emplace_back([&s] { s.ioc->run(); });
    }
    return true;
  } catch (const std::exception& e) {
    return fail(std::string("oms stub: ") + e.what());
  }
}

void OmsStub::Stop() {
  Impl& s = *impl_;
  if (!s.started.load() || s.stopped.exchange(true)) return;
  if (s.ioc) s.ioc->stop();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  s.accept_retry.reset();
  s.acceptor.reset();
  // Destroying the io_context destroys the pending handlers and with them every session and its
  // socket: clients see their connections closed.
  s.ioc.reset();
}

uint16_t OmsStub::port() const { return impl_->bound_port.load(); }

void OmsStub::SetHandler(std::function<Response(const Request&)> handler) {
  auto h = std::make_shared<const std::function<Response(const Request&)>>(std::move(handler));
  std::lock_guard lock(impl_->handler_mu);
  impl_->handler = std::move(h);
}

std::vector<Request> OmsStub::Received() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

std::size_t OmsStub::CountKey(const std::string& idempotency_key) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->key_counts.find(idempotency_key);
  return it == impl_->key_counts.end() ? 0 : it->second;
}

std::size_t OmsStub::RequestCount() const {
  std::lock_guard lock(impl_->mu);
  return impl_->total;
}

std::size_t OmsStub::ConnectionsAccepted() const { return impl_->connections.load(); }

bool OmsStub::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->total >= n; });
}

void OmsStub::DropConnections() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(impl_->sessions_mu);
    for (auto& [id, weak] : impl_->sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  // Wait until every close has happened, so the caller's next step sees closed connections.
  struct Pending {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t left;
  };
  auto pending = std::make_shared<Pending>();
  pending->left = live.size();
  for (auto& s : live) {
    s->Close([pending] {
      std::lock_guard lock(pending->mu);
      if (--pending->left == 0) pending->cv.notify_all();
    });
  }
  std::unique_lock lock(pending->mu);
  // Bounded: a stopped server never runs the posted closes.
  pending->cv.wait_for(lock, std::chrono::seconds(10), [&] { return pending->left == 0; });
}

}  // namespace oms_stub
