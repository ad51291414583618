// The OMS client against a real HTTP server on loopback (the OMS stub, or a raw socket for
// misbehaviour the stub cannot produce): classes, headers, token handling, Retry-After, network
// failures, timeouts, connection reuse and the concurrency limit.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/oms/oms_client.h"
#include "tests/gateway/oms/oms_test_util.h"
#include "tests/support/run_command.h"

namespace {

using gateway::oms::DeliveryOutcome;
using gateway::oms::ResponseClass;
using namespace std::chrono_literals;
using omstest::Event;
using omstest::MakeClient;
using omstest::SettingsFor;
using omstest::StartStub;

// Distinctive enough that finding it anywhere is a leak, not a coincidence.
constexpr char kToken[] = "tok-7f3a9c-SECRET-e1d2";

oms_stub::Response Status(int status) {
  oms_stub::Response r;
  r.status = status;
  return r;
}

TEST(OmsClient, EveryDefaultStatusClass) {
  auto stub = StartStub();
  std::atomic<int> answer{200};
  stub->SetHandler([&](const oms_stub::Request&) { return Status(answer.load()); });
  auto client = MakeClient(SettingsFor(stub->port()));
  const std::vector<std::pair<int, ResponseClass>> cases = {
      {200, ResponseClass::kDelivered}, {201, ResponseClass::kDelivered},
      {204, ResponseClass::kDelivered}, {409, ResponseClass::kDelivered},
      {400, ResponseClass::kPermanent}, {404, ResponseClass::kPermanent},
      {422, ResponseClass::kPermanent}, {401, ResponseClass::kAuth},
      {403, ResponseClass::kAuth},      {408, ResponseClass::kTransient},
      {425, ResponseClass::kTransient}, {429, ResponseClass::kTransient},
      {500, ResponseClass::kTransient}, {502, ResponseClass::kTransient},
      {503, ResponseClass::kTransient}, {301, ResponseClass::kPermanent},
      {405, ResponseClass::kPermanent}};
  int n = 0;
  for (const auto& [status, expected] : cases) {
    answer = status;
    const DeliveryOutcome out = client->Deliver(Event("key-" + std::to_string(n++)));
    EXPECT_EQ(out.http_status, status);
    EXPECT_EQ(out.response_class, expected)
        << status << " gave " << gateway::oms::Name(out.response_class) << ": " << out.detail;
    EXPECT_NE(out.detail.find(std::to_string(status)), std::string::npos) << out.detail;
  }
  EXPECT_EQ(stub->RequestCount(), cases.size());  // one request per call: no hidden retries
}

TEST(OmsClient, OverrideReplacesTheDefaultClass) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) { return Status(409); });
  auto settings = SettingsFor(stub->port());
  settings.status_overrides[409] = ResponseClass::kTransient;
  const DeliveryOutcome out = MakeClient(settings)->Deliver(Event("k"));
  EXPECT_EQ(out.http_status, 409);
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
}

TEST(OmsClient, DetailHasStatusLineAndBodyExcerpt) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) {
    oms_stub::Response r = Status(422);
    r.body = "{\"error\":\"unknown sku\nX-9\"}" + std::string(1000, 'x');
    return r;
  });
  const DeliveryOutcome out = MakeClient(SettingsFor(stub->port()))->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kPermanent);
  EXPECT_NE(out.detail.find("HTTP 422 Unprocessable Entity"), std::string::npos) << out.detail;
  EXPECT_NE(out.detail.find("unknown sku X-9"), std::string::npos) << out.detail;
  EXPECT_LT(out.detail.size(), 300u);
  EXPECT_EQ(out.detail.find('\n'), std::string::npos);
}

TEST(OmsClient, SendsTheContractHeadersAndBody) {
  auto stub = StartStub();
  auto settings = SettingsFor(stub->port(), "http", "/api/");
  settings.paths["shipment_confirmation"] = "/v2/shipments";
  auto client = MakeClient(settings);
  const auto event = Event("acme:945:W1:S1");
  ASSERT_EQ(client->Deliver(event).response_class, ResponseClass::kDelivered);
  ASSERT_EQ(client->Deliver(Event("acme:856:X", "ship_notice")).response_class,
            ResponseClass::kDelivered);
  const auto got = stub->Received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/api/v2/shipments");
  EXPECT_EQ(got[0].content_type, "application/cloudevents+json");
  EXPECT_EQ(got[0].idempotency_key, "acme:945:W1:S1");
  EXPECT_EQ(got[0].body, event.body);
  EXPECT_EQ(got[0].authorization, "");  // no token configured: no header at all
  EXPECT_EQ(got[1].target, "/api/events/ship_notice");
  EXPECT_EQ(got[1].idempotency_key, "acme:856:X");
}

TEST(OmsClient, BearerTokenFromEnvironmentVariable) {
  auto stub = StartStub();
  ASSERT_EQ(::setenv("EDIGATE_OMS_TEST_TOKEN_ENV", kToken, 1), 0);
  auto settings = SettingsFor(stub->port());
  settings.token.env = "EDIGATE_OMS_TEST_TOKEN_ENV";
  auto client = MakeClient(settings);
  ::unsetenv("EDIGATE_OMS_TEST_TOKEN_ENV");  // read once, at creation
  ASSERT_EQ(client->Deliver(Event("k")).response_class, ResponseClass::kDelivered);
  ASSERT_EQ(stub->Received().size(), 1u);
  EXPECT_EQ(stub->Received()[0].authorization, std::string("Bearer ") + kToken);
}

TEST(OmsClient, BearerTokenFromFileWithoutTrailingNewline) {
  auto stub = StartStub();
  x12test::TempDir dir;
  auto settings = SettingsFor(stub->port());
  settings.token.file = dir.Write("oms.token", std::string(kToken) + "\n");
  ASSERT_EQ(MakeClient(settings)->Deliver(Event("k")).response_class, ResponseClass::kDelivered);
  ASSERT_EQ(stub->Received().size(), 1u);
  EXPECT_EQ(stub->Received()[0].authorization, std::string("Bearer ") + kToken);
}

TEST(OmsClient, MissingTokenSourceIsNamedInTheError) {
  auto settings = SettingsFor(1);
  settings.token.env = "EDIGATE_OMS_TEST_TOKEN_UNSET";
  ::unsetenv("EDIGATE_OMS_TEST_TOKEN_UNSET");
  auto r = gateway::oms::MakeOmsClient(settings);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), gateway::Code::kAuthFailed);
  EXPECT_NE(r.status().message().find("EDIGATE_OMS_TEST_TOKEN_UNSET"), std::string::npos);

  settings.token = {};
  settings.token.file = "/nonexistent/oms.token";
  r = gateway::oms::MakeOmsClient(settings);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/oms.token"), std::string::npos);
}

TEST(OmsClient, TokenNeverAppearsInDetailsOrErrors) {
  auto stub = StartStub();
  // An OMS that echoes the Authorization header back, in the body of an error.
  stub->SetHandler([](const oms_stub::Request& r) {
    oms_stub::Response res = Status(500);
    res.body = "bad auth " + r.authorization;
    return res;
  });
  x12test::TempDir dir;
  auto settings = SettingsFor(stub->port());
  settings.token.file = dir.Write("oms.token", kToken);
  auto client = MakeClient(settings);
  std::vector<std::string> texts;
  texts.push_back(client->Deliver(Event("k")).detail);
  ASSERT_EQ(stub->Received().size(), 1u);
  ASSERT_NE(stub->Received()[0].authorization.find(kToken), std::string::npos);
  texts.push_back(client->Deliver(Event("")).detail);  // invalid request
  stub->Stop();
  texts.push_back(client->Deliver(Event("k2")).detail);  // connection refused

  // A token that cannot go in a header: the error names the file, not the content.
  settings.token.file = dir.Write("bad.token", std::string(kToken) + "\nsecond line");
  auto bad = gateway::oms::MakeOmsClient(settings);
  ASSERT_FALSE(bad.ok());
  texts.push_back(bad.status().ToString());
  ASSERT_EQ(::setenv("EDIGATE_OMS_TEST_TOKEN_BAD", (std::string(kToken) + "\r\n").c_str(), 1), 0);
  settings.token = {};
  settings.token.env = "EDIGATE_OMS_TEST_TOKEN_BAD";
  bad = gateway::oms::MakeOmsClient(settings);
  ::unsetenv("EDIGATE_OMS_TEST_TOKEN_BAD");
  ASSERT_FALSE(bad.ok());
  texts.push_back(bad.status().ToString());

  for (const std::string& text : texts) {
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find("tok-7f3a9c"), std::string::npos) << text;
    EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
  }
}

TEST(OmsClient, RetryAfterDeltaSeconds) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) {
    oms_stub::Response r = Status(503);
    r.headers["Retry-After"] = "7";
    return r;
  });
  const DeliveryOutcome out = MakeClient(SettingsFor(stub->port()))->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.retry_after, 7s);
}

TEST(OmsClient, RetryAfterHttpDate) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) {
    oms_stub::Response r = Status(429);
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + 120s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    r.headers["Retry-After"] = buf;
    return r;
  });
  const DeliveryOutcome out = MakeClient(SettingsFor(stub->port()))->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  ASSERT_TRUE(out.retry_after.has_value()) << out.detail;
  EXPECT_GE(*out.retry_after, 100s);
  EXPECT_LE(*out.retry_after, 121s);
}

TEST(OmsClient, ConnectionRefusedIsTransientWithoutStatus) {
  std::uint16_t port = 0;
  {
    auto stub = StartStub();
    port = stub->port();
  }  // stopped: nothing listens on the port any more
  const DeliveryOutcome out = MakeClient(SettingsFor(port))->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.http_status, 0);
  EXPECT_NE(out.detail.find("connect"), std::string::npos) << out.detail;
  EXPECT_NE(out.detail.find(std::to_string(port)), std::string::npos) << out.detail;
}

TEST(OmsClient, ServerThatNeverAnswersTimesOut) {
  omstest::RawServer hung;  // accepts in the kernel, never reads, never answers
  auto settings = SettingsFor(hung.port());
  settings.request_timeout = 300ms;
  auto client = MakeClient(settings);
  const auto start = std::chrono::steady_clock::now();
  const DeliveryOutcome out = client->Deliver(Event("k"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.http_status, 0);
  EXPECT_NE(out.detail.find("timed out"), std::string::npos) << out.detail;
  EXPECT_LT(elapsed, 3s);  // a bound, not a benchmark
}

TEST(OmsClient, SequentialDeliveriesReuseOneConnection) {
  auto stub = StartStub();
  auto client = MakeClient(SettingsFor(stub->port()));
  for (int i = 0; i < 100; ++i) {
    const auto out = client->Deliver(Event("seq-" + std::to_string(i)));
    ASSERT_EQ(out.response_class, ResponseClass::kDelivered) << i << ": " << out.detail;
  }
  EXPECT_LE(stub->ConnectionsAccepted(), 2u);
  EXPECT_EQ(stub->RequestCount(), 100u);
  EXPECT_EQ(stub->CountKey("seq-42"), 1u);
}

TEST(OmsClient, NoMoreThanMaxConnectionsRequestsInFlight) {
  oms_stub::OmsStub::Options options;
  options.threads = 8;  // the stub could serve all eight callers at once
  auto stub = StartStub(options);
  std::mutex mu;
  int in_flight = 0, most = 0;
  stub->SetHandler([&](const oms_stub::Request&) {
    {
      std::lock_guard lock(mu);
      most = std::max(most, ++in_flight);
    }
    std::this_thread::sleep_for(20ms);  // the OMS's processing time
    std::lock_guard lock(mu);
    --in_flight;
    return oms_stub::Response{};
  });
  auto settings = SettingsFor(stub->port());
  settings.max_connections = 2;
  auto client = MakeClient(settings);
  std::atomic<int> delivered{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        const auto out = client->Deliver(Event("c-" + std::to_string(t) + "-" + std::to_string(i)));
        if (out.response_class == ResponseClass::kDelivered) ++delivered;
      }
    });
  }
  for (auto& c : callers) c.join();
  EXPECT_EQ(delivered.load(), 32);
  EXPECT_EQ(stub->RequestCount(), 32u);
  EXPECT_LE(most, 2);
  EXPECT_GE(most, 1);
  EXPECT_LE(stub->ConnectionsAccepted(), 2u);
}

TEST(OmsClient, IdleConnectionClosedByServerIsReplaced) {
  auto stub = StartStub();
  auto client = MakeClient(SettingsFor(stub->port()));
  ASSERT_EQ(client->Deliver(Event("a")).response_class, ResponseClass::kDelivered);
  stub->DropConnections();  // the OMS's idle timeout, or a restart
  const auto out = client->Deliver(Event("b"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;
  EXPECT_EQ(stub->ConnectionsAccepted(), 2u);
  EXPECT_EQ(stub->CountKey("b"), 1u);
}

TEST(OmsClient, ReusedConnectionClosedBeforeAnswerIsRetriedOnceOnAFreshOne) {
  auto stub = StartStub();
  std::atomic<int> seen_b{0};
  stub->SetHandler([&](const oms_stub::Request& r) {
    oms_stub::Response res;
    // The first "b" arrives on the kept-alive connection; the OMS drops it unanswered.
    if (r.idempotency_key == "b" && seen_b++ == 0) res.close_without_response = true;
    return res;
  });
  auto client = MakeClient(SettingsFor(stub->port()));
  ASSERT_EQ(client->Deliver(Event("a")).response_class, ResponseClass::kDelivered);
  const auto out = client->Deliver(Event("b"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;
  EXPECT_EQ(stub->CountKey("b"), 2u);
  EXPECT_EQ(stub->ConnectionsAccepted(), 2u);
}

TEST(OmsClient, FreshConnectionClosedBeforeAnswerIsNotResent) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) {
    oms_stub::Response res;
    res.close_without_response = true;
    return res;
  });
  auto client = MakeClient(SettingsFor(stub->port()));
  const auto out = client->Deliver(Event("once"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.http_status, 0);
  EXPECT_EQ(stub->CountKey("once"), 1u);
}

TEST(OmsClient, NeverResentOnceTheResponseStarted) {
  std::atomic<int> requests{0};
  omstest::RawServer server([&](int fd) {
    std::string pending;
    if (!omstest::RawServer::ReadRequest(fd, &pending)) return;
    ++requests;
    omstest::RawServer::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    if (!omstest::RawServer::ReadRequest(fd, &pending)) return;
    ++requests;
    // Half a response on the reused connection, then the connection dies.
    omstest::RawServer::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"par");
  });
  auto client = MakeClient(SettingsFor(server.port()));
  ASSERT_EQ(client->Deliver(Event("a")).response_class, ResponseClass::kDelivered);
  const auto out = client->Deliver(Event("b"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient) << out.detail;
  EXPECT_EQ(out.http_status, 0);
  EXPECT_EQ(requests.load(), 2);  // and the raw server accepts only one connection
}

TEST(OmsClient, InterimResponsesAreSkipped) {
  omstest::RawServer server([](int fd) {
    std::string pending;
    if (!omstest::RawServer::ReadRequest(fd, &pending)) return;
    omstest::RawServer::WriteAll(fd,
                                 "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                                 "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
  });
  const auto out = MakeClient(SettingsFor(server.port()))->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;
  EXPECT_EQ(out.http_status, 201);
}

TEST(OmsClient, OversizedResponseBodyStillCountsItsStatus) {
  auto stub = StartStub();
  stub->SetHandler([](const oms_stub::Request&) {
    oms_stub::Response r = Status(202);
    r.body = std::string(4096, 'z');
    return r;
  });
  auto settings = SettingsFor(stub->port());
  settings.max_response_body = 1024;
  auto client = MakeClient(settings);
  const auto out = client->Deliver(Event("big"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered);
  EXPECT_EQ(out.http_status, 202);
  EXPECT_NE(out.detail.find("not read"), std::string::npos) << out.detail;
  // The half-read connection is not reused.
  ASSERT_EQ(client->Deliver(Event("next")).response_class, ResponseClass::kDelivered);
  EXPECT_EQ(stub->ConnectionsAccepted(), 2u);
}

TEST(OmsClient, OversizedChunkedResponseBodyStillCountsItsStatus) {
  omstest::RawServer server([](int fd) {
    std::string pending;
    if (!omstest::RawServer::ReadRequest(fd, &pending)) return;
    omstest::RawServer::WriteAll(fd, "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                                     "1000\r\n" + std::string(4096, 'z') + "\r\n0\r\n\r\n");
  });
  auto settings = SettingsFor(server.port());
  settings.max_response_body = 1024;
  const auto out = MakeClient(settings)->Deliver(Event("big"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.http_status, 503);
  EXPECT_NE(out.detail.find("not read"), std::string::npos) << out.detail;
}

TEST(OmsClient, InvalidRequestsArePermanentAndNotSent) {
  auto stub = StartStub();
  auto client = MakeClient(SettingsFor(stub->port()));
  for (const auto& bad : {Event(""), Event("a\r\nX-Injected: 1"), Event("k", "ship notice"),
                          Event("k", "")}) {
    const auto out = client->Deliver(bad);
    EXPECT_EQ(out.response_class, ResponseClass::kPermanent) << out.detail;
    EXPECT_EQ(out.http_status, 0);
  }
  EXPECT_EQ(stub->RequestCount(), 0u);
}

TEST(OmsClient, SettingsAreValidated) {
  auto error_for = [](auto change) {
    gateway::oms::OmsSettings s = SettingsFor(8080);
    change(s);
    auto r = gateway::oms::MakeOmsClient(s);
    return r.ok() ? std::string() : r.status().ToString();
  };
  EXPECT_NE(error_for([](auto& s) { s.base_url = "ftp://oms.example/x"; }), "");
  EXPECT_NE(error_for([](auto& s) { s.base_url = "http://"; }), "");
  EXPECT_NE(error_for([](auto& s) { s.base_url = "http://oms.example:99999"; }), "");
  EXPECT_NE(error_for([](auto& s) { s.base_url = "http://oms.example/x?y=1"; }), "");
  EXPECT_NE(error_for([](auto& s) { s.max_connections = 0; }), "");
  EXPECT_NE(error_for([](auto& s) { s.request_timeout = 0ms; }), "");
  EXPECT_NE(error_for([](auto& s) { s.paths["x"] = "no-slash"; }), "");
  const std::string with_user = error_for([](auto& s) { s.base_url = "https://u:pw-xyz@oms.example"; });
  EXPECT_NE(with_user, "");
  EXPECT_EQ(with_user.find("pw-xyz"), std::string::npos) << with_user;
  const std::string ca = error_for([](auto& s) {
    s.base_url = "https://oms.example";
    s.ca_file = "/nonexistent/ca.pem";
  });
  EXPECT_NE(ca.find("/nonexistent/ca.pem"), std::string::npos) << ca;
  EXPECT_EQ(error_for([](auto& s) { s.base_url = "http://[::1]:8080/api"; }), "");
  EXPECT_EQ(error_for([](auto& s) { s.base_url = "HTTPS://oms.example"; }), "");
}

}  // namespace
