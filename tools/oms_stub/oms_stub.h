// A real HTTP(S) server that plays the OMS for tests, the demo and benchmarks: it accepts any
// POST (or other method) on any path, records every request, and answers what the handler says
// (default 200 "{}"). HTTP/1.1 keep-alive, one strand per connection, Options::threads threads
// running the io_context. A handler that blocks holds one of those threads; Response::delay does
// not (it is a timer).
//
// Thread-safe: every public method may be called from any thread while the server runs. The
// handler is called on the server's threads, possibly concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace oms_stub {

struct Request {
  std::string method, target, body, idempotency_key, authorization, content_type;
  std::chrono::steady_clock::time_point at;  // when the request had been read completely
};

struct Response {
  int status = 200;
  std::string body = "{}";
  std::map<std::string, std::string> headers;  // extra headers (Retry-After, Connection, ...)
  std::chrono::milliseconds delay{0};          // wait this long before answering
  bool close_without_response = false;         // read the request, then close the connection
};

class OmsStub {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    uint16_t port = 0;  // 0 = pick a free port
    std::string tls_cert_file, tls_key_file;  // both set = HTTPS (PEM certificate chain and key)
    int threads = 2;
    // When set: one JSON line per request, appended and fsynced before the response goes out:
    // {"at":"<UTC time>","path":...,"idempotency_key":...,"status":<answered, 0 = closed>,
    //  "body":<the body as JSON, or as a string when it is not JSON>}
    std::string log_file;
    // false: Received() and CountKey() stay empty (a long benchmark run does not grow memory);
    // RequestCount() and WaitForRequests() still work.
    bool record_requests = true;
  };

  explicit OmsStub(Options options);
  ~OmsStub();  // Stop()
  OmsStub(const OmsStub&) = delete;
  OmsStub& operator=(const OmsStub&) = delete;

  // Binds, listens and starts serving on background threads. On failure returns false with a
  // message in *error (if not null). Call at most once.
  bool Start(std::string* error);
  // Stops serving and closes every connection. Idempotent.
  void Stop();
  uint16_t port() const;  // the bound port once Start succeeded

  void SetHandler(std::function<Response(const Request&)> handler);

  std::vector<Request> Received() const;  // every request, in arrival order
  std::size_t CountKey(const std::string& idempotency_key) const;
  std::size_t RequestCount() const;
  std::size_t ConnectionsAccepted() const;
  // True once at least n requests have arrived; false if `timeout` passes first.
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

  // Closes every open connection, idle or not, as an OMS restart or idle timeout would.
  void DropConnections();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms_stub
