// The API server end to end on loopback: a real server on port 0, a fake backend that records
// what reached it, and real HTTP clients (Beast for well-formed requests, raw bytes for the rest).
#include "gateway/api/api_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "gateway/metrics/registry.h"

namespace gateway::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Json = nlohmann::json;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr const char* kToken = "tok-9f86d081884c7d659a2feaa0c55ad015";
constexpr const char* kTokenEnv = "EDIGATE_API_TEST_TOKEN";

class FakeBackend : public ApiBackend {
 public:
  ApiAnswer SubmitOrder(const OrderSubmission& order) override {
    {
      std::lock_guard lock(mu);
      orders.push_back(order);
    }
    if (entered) entered->set_value();
    if (release) release->wait();
    if (throw_on_submit) throw std::runtime_error("database is locked");
    return ApiAnswer{202, {{"id", 7}, {"state", "received"}, {"idempotency_key", order.idempotency_key}},
                     {{"Location", "/v1/messages/7"}}};
  }
  ApiAnswer GetMessage(std::int64_t id) override {
    std::lock_guard lock(mu);
    message_ids.push_back(id);
    if (id != 42) return ApiAnswer{404, {{"error", {{"code", "not_found"}, {"message", "no such message"}}}}, {}};
    return ApiAnswer{200, {{"id", 42}, {"state", "awaiting_ack"}}, {}};
  }
  bool Ready(std::string* why) override {
    if (!ready) *why = "spool not open";
    return ready;
  }
  std::string Metrics() override { return "# HELP up Up.\n# TYPE up gauge\nup 1\n"; }

  std::size_t order_count() {
    std::lock_guard lock(mu);
    return orders.size();
  }

  std::mutex mu;
  std::vector<OrderSubmission> orders;
  std::vector<std::int64_t> message_ids;
  bool ready = true;
  bool throw_on_submit = false;
  std::promise<void>* entered = nullptr;   // set when a submission reaches the backend
  std::shared_future<void>* release = nullptr;  // a submission waits for this
};

// A blocking client connection with a receive timeout, so a server bug fails a test instead of
// hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::address_v4::loopback(), port));
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  Response Send(Request req) {
    req.prepare_payload();
    http::write(socket_, req);
    return Read();
  }
  void SendRaw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  Response Read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    parser.skip(head);
    beast::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    if (ec) throw std::runtime_error("read: " + ec.message());
    return parser.release();
  }
  // True when the server has closed the connection (EOF or reset) and sent nothing more.
  bool Closed() {
    char c;
    beast::error_code ec;
    if (buffer_.size() > 0) return false;
    const auto n = socket_.read_some(net::buffer(&c, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Request Get(const std::string& target, bool auth = true) {
  Request req(http::verb::get, target, 11);
  req.set(http::field::host, "localhost");
  if (auth) req.set(http::field::authorization, std::string("Bearer ") + kToken);
  return req;
}

Request PostOrder(std::string body = R"({"order_id":"PO-1"})", bool auth = true) {
  Request req(http::verb::post, "/v1/fulfillment-orders", 11);
  req.set(http::field::host, "localhost");
  if (auth) req.set(http::field::authorization, std::string("Bearer ") + kToken);
  req.set("Idempotency-Key", "acme:PO-1");
  req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  return req;
}

Json BodyJson(const Response& res) { return Json::parse(res.body(), nullptr, false); }

std::string ErrorCode(const Response& res) {
  const Json j = BodyJson(res);
  if (!j.is_object() || !j.contains("error")) return "<no error body: " + res.body() + ">";
  EXPECT_TRUE(j["error"]["message"].is_string());
  return j["error"]["code"].get<std::string>();
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv(kTokenEnv, kToken, 1);
    settings_.port = 0;
    settings_.token.env = kTokenEnv;
  }
  void TearDown() override { StopAndJoin(); }

  void StartServer(int threads = 1) {
    server_ = std::make_unique<ApiServer>(ioc_, settings_, backend_, &registry_);
    const Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
  }

  // Stop() must drain: once it is called and clients are gone, run() returns by itself.
  void StopAndJoin() {
    if (!server_) return;
    server_->Stop();
    JoinIo();
  }

  // Joins the io threads; a server that never drains fails the test instead of hanging it.
  void JoinIo() {
    auto done = std::async(std::launch::async, [this] {
      for (auto& t : threads_) t.join();
    });
    if (done.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
      ADD_FAILURE() << "the io_context did not run out of work after Stop()";
      ioc_.stop();
    }
    done.wait();
    threads_.clear();
  }

  std::uint16_t port() const { return server_->port(); }

  ApiSettings settings_;
  FakeBackend backend_;
  metrics::Registry registry_;
  net::io_context ioc_;
  std::unique_ptr<ApiServer> server_;
  std::vector<std::thread> threads_;
};

TEST_F(ApiServerTest, HealthzAnswersWithoutToken) {
  StartServer();
  Client c(port());
  const Response res = c.Send(Get("/healthz", false));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(BodyJson(res), Json({{"status", "ok"}}));
}

TEST_F(ApiServerTest, ReadyzReportsBothStates) {
  StartServer();
  Client c(port());
  Response res = c.Send(Get("/readyz", false));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(BodyJson(res), Json({{"ready", true}}));
  backend_.ready = false;
  res = c.Send(Get("/readyz", false));
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_EQ(BodyJson(res), Json({{"ready", false}, {"reason", "spool not open"}}));
}

TEST_F(ApiServerTest, MetricsIsPrometheusText) {
  StartServer();
  Client c(port());
  const Response res = c.Send(Get("/metrics", false));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(res.body(), "# HELP up Up.\n# TYPE up gauge\nup 1\n");
}

TEST_F(ApiServerTest, HeadAnswersHeadersOnly) {
  StartServer();
  Client c(port());
  c.SendRaw("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const Response res = c.Read(/*head=*/true);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_length], std::to_string(Json({{"status", "ok"}}).dump().size()));
  EXPECT_EQ(res.body(), "");
  // Nothing but the header was sent: the next answer on the connection parses cleanly.
  EXPECT_EQ(c.Send(Get("/healthz", false)).result_int(), 200);
}

TEST_F(ApiServerTest, OrdersWithoutTokenAre401AndNeverReachTheBackend) {
  StartServer();
  Client c(port());
  const Response res = c.Send(PostOrder(R"({"a":1})", /*auth=*/false));
  EXPECT_EQ(res.result_int(), 401);
  EXPECT_EQ(ErrorCode(res), "unauthorized");
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res[http::field::www_authenticate].substr(0, 6), "Bearer");
  EXPECT_EQ(backend_.order_count(), 0u);

  const Response get = c.Send(Get("/v1/messages/42", /*auth=*/false));
  EXPECT_EQ(get.result_int(), 401);
  EXPECT_TRUE(backend_.message_ids.empty());
}

TEST_F(ApiServerTest, WrongTokensAre401) {
  StartServer();
  Client c(port());
  const std::string token = kToken;
  for (const std::string& auth : std::vector<std::string>{"Bearer " + token.substr(0, token.size() - 1), "Bearer " + token + "x", "Bearer",
        "Basic " + token, token, "Bearer  " + token + " extra"}) {
    Request req = PostOrder();
    req.set(http::field::authorization, auth);
    const Response res = c.Send(req);
    EXPECT_EQ(res.result_int(), 401) << auth;
    EXPECT_EQ(res[http::field::www_authenticate].substr(0, 6), "Bearer");
  }
  // Two Authorization headers are refused even when one is right.
  Request twice = PostOrder();
  twice.insert(http::field::authorization, "Bearer nope");
  EXPECT_EQ(c.Send(twice).result_int(), 401);
  EXPECT_EQ(backend_.order_count(), 0u);
}

TEST_F(ApiServerTest, RightTokenFromEnvReachesTheBackend) {
  StartServer();
  Client c(port());
  Request req = PostOrder(R"({"order_id":"PO-1"})");
  req.set(http::field::authorization, std::string("bearer ") + kToken);  // scheme is case-insensitive
  req.set("Idempotency-Key", "\"acme:940:PO-1\"");
  req.set(http::field::content_type, "application/cloudevents+json; charset=utf-8");
  const Response res = c.Send(req);
  EXPECT_EQ(res.result_int(), 202);
  EXPECT_EQ(res[http::field::location], "/v1/messages/7");
  EXPECT_EQ(BodyJson(res),
            Json({{"id", 7}, {"state", "received"}, {"idempotency_key", "acme:940:PO-1"}}));
  ASSERT_EQ(backend_.order_count(), 1u);
  EXPECT_EQ(backend_.orders[0].idempotency_key, "acme:940:PO-1");
  EXPECT_EQ(backend_.orders[0].body, R"({"order_id":"PO-1"})");
  EXPECT_EQ(backend_.orders[0].content_type, "application/cloudevents+json; charset=utf-8");
}

TEST_F(ApiServerTest, TokenFromFile) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("edigate-api-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "token";
  std::ofstream(file) << "file-token-123\n";
  settings_.token = {};
  settings_.token.file = file.string();
  StartServer();
  Client c(port());
  Request req = PostOrder();
  EXPECT_EQ(c.Send(req).result_int(), 401) << "the env token is not the configured one";
  req.set(http::field::authorization, "Bearer file-token-123");
  EXPECT_EQ(c.Send(req).result_int(), 202) << "the trailing newline is not part of the token";
  std::filesystem::remove_all(dir);
}

TEST_F(ApiServerTest, MissingIdempotencyKeyIs400) {
  StartServer();
  Client c(port());
  Request req = PostOrder();
  req.erase("Idempotency-Key");
  Response res = c.Send(req);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(ErrorCode(res), "missing_idempotency_key");
  req.set("Idempotency-Key", "has space");
  res = c.Send(req);
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(ErrorCode(res), "invalid_idempotency_key");
  EXPECT_EQ(backend_.order_count(), 0u);
}

TEST_F(ApiServerTest, WrongContentTypeIs415) {
  StartServer();
  Client c(port());
  Request req = PostOrder();
  req.set(http::field::content_type, "text/plain");
  Response res = c.Send(req);
  EXPECT_EQ(res.result_int(), 415);
  EXPECT_EQ(ErrorCode(res), "unsupported_media_type");
  req.erase(http::field::content_type);
  EXPECT_EQ(c.Send(req).result_int(), 415);
  EXPECT_EQ(backend_.order_count(), 0u);
}

TEST_F(ApiServerTest, BodyOverTheLimitIs413) {
  settings_.max_body_bytes = 64;
  StartServer();
  {
    Client c(port());
    const Response res = c.Send(PostOrder(std::string(65, 'x')));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(ErrorCode(res), "payload_too_large");
    EXPECT_FALSE(res.keep_alive()) << "the unread body leaves the connection unusable";
  }
  {
    // Chunked: the size is only known while reading.
    Client c(port());
    c.SendRaw(std::string("POST /v1/fulfillment-orders HTTP/1.1\r\nHost: x\r\n") +
              "Authorization: Bearer " + kToken + "\r\nIdempotency-Key: k\r\n" +
              "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
              "28\r\n" + std::string(40, 'a') + "\r\n28\r\n" + std::string(40, 'b') +
              "\r\n0\r\n\r\n");
    const Response res = c.Read();
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(ErrorCode(res), "payload_too_large");
  }
  {
    Client c(port());
    EXPECT_EQ(c.Send(PostOrder(std::string(64, 'x'))).result_int(), 202) << "the limit itself is fine";
  }
  EXPECT_EQ(backend_.order_count(), 1u);
}

TEST_F(ApiServerTest, MalformedHttpIs400Json) {
  StartServer();
  for (const std::string& raw : {std::string("GARBAGE\r\n\r\n"),
                                std::string("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"),
                                std::string("GET /healthz HTTP/9.9\r\n\r\n"),
                                std::string("POST /v1/fulfillment-orders HTTP/1.1\r\n"
                                            "Content-Length: 5\r\nContent-Length: 6\r\n\r\n")}) {
    Client c(port());
    c.SendRaw(raw);
    const Response res = c.Read();
    EXPECT_EQ(res.result_int(), 400) << raw;
    EXPECT_EQ(ErrorCode(res), "bad_request") << raw;
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_TRUE(c.Closed());
  }
}

TEST_F(ApiServerTest, OversizedHeaderIs431) {
  settings_.max_header_bytes = 1024;
  StartServer();
  Client c(port());
  Request req = Get("/healthz", false);
  req.set("X-Padding", std::string(2000, 'p'));
  const Response res = c.Send(req);
  EXPECT_EQ(res.result_int(), 431);
  EXPECT_EQ(ErrorCode(res), "header_too_large");
}

TEST_F(ApiServerTest, UnknownPathIs404AndWrongMethodIs405) {
  StartServer();
  Client c(port());
  Response res = c.Send(Get("/v2/orders"));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(ErrorCode(res), "not_found");
  EXPECT_EQ(c.Send(Get("/v1/messages/1/history")).result_int(), 404);
  EXPECT_EQ(c.Send(Get("/healthz/")).result_int(), 404);

  res = c.Send(Get("/v1/fulfillment-orders"));
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(ErrorCode(res), "method_not_allowed");
  EXPECT_EQ(res[http::field::allow], "POST");

  Request del = Get("/healthz", false);
  del.method(http::verb::delete_);
  res = c.Send(del);
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[http::field::allow], "GET, HEAD");

  Request post_msg = Get("/v1/messages/42");
  post_msg.method(http::verb::post);
  post_msg.body() = "{}";
  res = c.Send(post_msg);
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_TRUE(res.keep_alive()) << "the small body was read and discarded";
  EXPECT_EQ(c.Send(Get("/healthz", false)).result_int(), 200);
}

TEST_F(ApiServerTest, MessageIdsAreValidated) {
  StartServer();
  Client c(port());
  for (const char* bad : {"abc", "0", "-1", "+1", "1.0", "99999999999999999999", "", "%31"}) {
    const Response res = c.Send(Get(std::string("/v1/messages/") + bad));
    EXPECT_EQ(res.result_int(), 400) << bad;
    EXPECT_EQ(ErrorCode(res), "invalid_message_id") << bad;
  }
  EXPECT_TRUE(backend_.message_ids.empty());
  Response res = c.Send(Get("/v1/messages/42?fields=all"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(BodyJson(res), Json({{"id", 42}, {"state", "awaiting_ack"}}));
  res = c.Send(Get("/v1/messages/43"));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(backend_.message_ids, (std::vector<std::int64_t>{42, 43}));
}

TEST_F(ApiServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client c(port());
  EXPECT_EQ(c.Send(Get("/healthz", false)).result_int(), 200);
  EXPECT_EQ(c.Send(PostOrder(R"({"x":1})", false)).result_int(), 401);  // body discarded
  EXPECT_EQ(c.Send(PostOrder()).result_int(), 202);
  const Response last = c.Send(Get("/v1/messages/42"));
  EXPECT_EQ(last.result_int(), 200);
  EXPECT_TRUE(last.keep_alive());

  // Two pipelined requests in one write.
  c.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(BodyJson(c.Read()), Json({{"status", "ok"}}));
  EXPECT_EQ(BodyJson(c.Read()), Json({{"ready", true}}));
}

TEST_F(ApiServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  StartServer();
  {
    Client c(port());
    c.SendRaw("GET /healthz HTTP/1.0\r\n\r\n");
    const Response res = c.Read();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.version(), 10u);
    EXPECT_TRUE(c.Closed());
  }
  {
    Client c(port());
    c.SendRaw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    const Response res = c.Read();
    EXPECT_TRUE(res.keep_alive());
    c.SendRaw("GET /readyz HTTP/1.0\r\n\r\n");
    EXPECT_EQ(c.Read().result_int(), 200);
    EXPECT_TRUE(c.Closed());
  }
}

TEST_F(ApiServerTest, ExpectContinueGetsInterimResponse) {
  StartServer();
  Client c(port());
  const std::string body = R"({"order_id":"PO-9"})";
  c.SendRaw(std::string("POST /v1/fulfillment-orders HTTP/1.1\r\nHost: x\r\n") +
            "Authorization: Bearer " + kToken + "\r\nIdempotency-Key: k9\r\n" +
            "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(c.Read().result_int(), 100);
  c.SendRaw(body);
  EXPECT_EQ(c.Read().result_int(), 202);
  ASSERT_EQ(backend_.order_count(), 1u);
  EXPECT_EQ(backend_.orders[0].body, body);
}

TEST_F(ApiServerTest, IdleConnectionsTimeOut) {
  settings_.idle_timeout = std::chrono::seconds(1);
  StartServer();
  Client c(port());
  EXPECT_EQ(c.Send(Get("/healthz", false)).result_int(), 200);
  EXPECT_TRUE(c.Closed());  // blocks until the server drops the idle connection
}

TEST_F(ApiServerTest, ConnectionsOverTheCapGet503) {
  settings_.max_connections = 1;
  StartServer();
  Client first(port());
  EXPECT_EQ(first.Send(Get("/healthz", false)).result_int(), 200);  // accepted and counted
  {
    Client second(port());
    const Response res = second.Read();
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_EQ(ErrorCode(res), "too_many_connections");
    EXPECT_EQ(res[http::field::retry_after], "1");
  }
  EXPECT_EQ(first.Send(Get("/healthz", false)).result_int(), 200);
  EXPECT_NE(registry_.Render().find("edigate_api_connections_rejected_total 1\n"),
            std::string::npos);
}

TEST_F(ApiServerTest, BackendExceptionsBecome500) {
  backend_.throw_on_submit = true;
  StartServer();
  Client c(port());
  const Response res = c.Send(PostOrder());
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(ErrorCode(res), "internal_error");
  EXPECT_EQ(res.body().find("database is locked"), std::string::npos) << "internals stay in the log";
}

TEST_F(ApiServerTest, RequestsAreCountedByRouteTemplate) {
  StartServer();
  Client c(port());
  (void)c.Send(Get("/v1/messages/42"));
  (void)c.Send(Get("/v1/messages/43"));
  (void)c.Send(Get("/nope"));
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("edigate_api_requests_total{route=\"/v1/messages/{id}\",status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("edigate_api_requests_total{route=\"/v1/messages/{id}\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("edigate_api_requests_total{route=\"other\",status=\"404\"} 1\n"),
            std::string::npos);
}

TEST_F(ApiServerTest, StopLetsTheRequestInFlightFinishAndClosesIdleConnections) {
  std::promise<void> entered;
  std::promise<void> release_promise;
  std::shared_future<void> release = release_promise.get_future().share();
  backend_.entered = &entered;
  backend_.release = &release;
  StartServer(/*threads=*/2);  // one thread stays blocked in the backend

  Client idle(port());
  EXPECT_EQ(idle.Send(Get("/healthz", false)).result_int(), 200);

  std::optional<Response> slow_answer;
  std::thread slow([&] {
    Client c(port());
    slow_answer = c.Send(PostOrder());
  });
  if (entered.get_future().wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    release_promise.set_value();
    slow.join();
    FAIL() << "the order never reached the backend";
  }
  server_->Stop();
  EXPECT_TRUE(idle.Closed()) << "the idle keep-alive connection is closed at once";

  release_promise.set_value();
  slow.join();
  ASSERT_TRUE(slow_answer.has_value());
  EXPECT_EQ(slow_answer->result_int(), 202);
  EXPECT_FALSE(slow_answer->keep_alive()) << "answered with Connection: close";

  JoinIo();  // run() returned: nothing of the server is left on the io_context
  beast::error_code ec;
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(net::ip::address_v4::loopback(), port()), ec);
  EXPECT_EQ(ec, net::error::connection_refused);
}

TEST_F(ApiServerTest, TheTokenNeverAppearsInResponsesOrLogs) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>(
      "api-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  capture->set_level(spdlog::level::debug);
  spdlog::set_default_logger(capture);

  StartServer();
  std::string seen;
  {
    Client c(port());
    std::vector<Request> requests = {PostOrder(), PostOrder("{}", false), Get("/v1/messages/42"),
                                     Get("/v1/messages/x"), Get("/healthz"), Get("/nope")};
    Request wrong = PostOrder();
    wrong.set(http::field::authorization, std::string("Bearer ") + kToken + "0");
    requests.push_back(wrong);
    Request no_key = PostOrder();
    no_key.erase("Idempotency-Key");
    requests.push_back(no_key);
    for (auto& req : requests) {
      const Response res = c.Send(req);
      std::ostringstream all;
      all << res;
      seen += all.str();
    }
  }
  StopAndJoin();
  capture->flush();
  spdlog::set_default_logger(previous);

  EXPECT_EQ(seen.find(kToken), std::string::npos) << seen;
  EXPECT_EQ(log.str().find(kToken), std::string::npos) << log.str();
  // Requests are logged: method, path, status, duration and idempotency key.
  EXPECT_NE(log.str().find("POST /v1/fulfillment-orders 202"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("idempotency_key=acme:PO-1"), std::string::npos);
}

TEST(ApiServerStart, AddressInUseNamesTheEndpoint) {
  ::setenv(kTokenEnv, kToken, 1);
  net::io_context ioc;
  FakeBackend backend;
  ApiSettings s;
  s.port = 0;
  s.token.env = kTokenEnv;
  ApiServer first(ioc, s, backend);
  ASSERT_TRUE(first.Start().ok());
  s.port = first.port();
  ApiServer second(ioc, s, backend);
  const Status st = second.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(st.message(), "127.0.0.1:" + std::to_string(s.port) + ": address in use");
}

TEST(ApiServerStart, TokenProblemsStopTheStart) {
  net::io_context ioc;
  FakeBackend backend;
  ApiSettings s;
  s.port = 0;
  {
    ApiServer server(ioc, s, backend);
    const Status st = server.Start();
    EXPECT_EQ(st.code(), Code::kAuthFailed) << "an API without a token is not started";
  }
  {
    ::unsetenv("EDIGATE_API_TEST_UNSET");
    s.token.env = "EDIGATE_API_TEST_UNSET";
    ApiServer server(ioc, s, backend);
    const Status st = server.Start();
    EXPECT_EQ(st.code(), Code::kAuthFailed);
    EXPECT_NE(st.message().find("EDIGATE_API_TEST_UNSET"), std::string::npos);
  }
  {
    ::setenv("EDIGATE_API_TEST_EMPTY", "", 1);
    s.token.env = "EDIGATE_API_TEST_EMPTY";
    ApiServer server(ioc, s, backend);
    EXPECT_EQ(server.Start().code(), Code::kAuthFailed);
  }
  {
    ::setenv(kTokenEnv, kToken, 1);
    s.token.env = kTokenEnv;
    s.address = "not-an-address";
    ApiServer server(ioc, s, backend);
    const Status st = server.Start();
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_EQ(st.message().find(kToken), std::string::npos);
  }
}

}  // namespace
}  // namespace gateway::api
