// HTTPS delivery against the stub serving a certificate from a throw-away CA that the test makes
// with the openssl command line tool. No openssl: the tests fail (they never skip).
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "gateway/oms/oms_client.h"
#include "tests/gateway/oms/oms_test_util.h"
#include "tests/support/run_command.h"

namespace {

using gateway::oms::ResponseClass;
using omstest::Event;
using omstest::MakeClient;
using omstest::SettingsFor;

std::string FindOpenssl() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/openssl";
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error("the openssl command is not installed; the TLS tests need it");
}

// Two CAs and two server certificates in a temporary directory:
//   ca.pem signs server.pem (SAN IP:127.0.0.1, DNS:localhost) and wrong-host.pem (DNS:oms.example);
//   other-ca.pem is unrelated.
class TestPki {
 public:
  TestPki() : openssl_(FindOpenssl()) {
    MakeCa("ca");
    MakeCa("other-ca");
    MakeServer("server", "IP:127.0.0.1,DNS:localhost");
    MakeServer("wrong-host", "DNS:oms.example");
  }
  std::string File(const std::string& name) const { return dir_.path() + "/" + name; }

 private:
  void Run(std::vector<std::string> args) const {
    args.insert(args.begin(), openssl_);
    const auto r = x12test::RunCommand(args);
    if (r.exit_code != 0) throw std::runtime_error("openssl " + args[1] + " failed: " + r.err);
  }
  void MakeCa(const std::string& name) const {
    Run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", File(name + ".key"), "-out", File(name + ".pem"), "-days", "2", "-subj",
         "/CN=edigate test " + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
         "keyUsage=critical,keyCertSign,cRLSign"});
  }
  void MakeServer(const std::string& name, const std::string& san) const {
    Run({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         File(name + ".key"), "-out", File(name + ".csr"), "-subj", "/CN=edigate test server"});
    const std::string ext = dir_.Write(name + ".ext",
                                       "subjectAltName=" + san +
                                           "\nbasicConstraints=CA:FALSE"
                                           "\nkeyUsage=digitalSignature"
                                           "\nextendedKeyUsage=serverAuth\n");
    Run({"x509", "-req", "-in", File(name + ".csr"), "-CA", File("ca.pem"), "-CAkey",
         File("ca.key"), "-CAcreateserial", "-out", File(name + ".pem"), "-days", "2", "-extfile",
         ext});
  }

  std::string openssl_;
  x12test::TempDir dir_;
};

std::unique_ptr<oms_stub::OmsStub> StartTlsStub(const TestPki& pki, const std::string& server) {
  oms_stub::OmsStub::Options options;
  options.tls_cert_file = pki.File(server + ".pem");
  options.tls_key_file = pki.File(server + ".key");
  return omstest::StartStub(options);
}

TEST(OmsTls, DeliversWhenTheCaFileTrustsTheServer) {
  TestPki pki;
  auto stub = StartTlsStub(pki, "server");
  x12test::TempDir dir;
  auto settings = SettingsFor(stub->port(), "https");
  settings.ca_file = pki.File("ca.pem");
  settings.token.file = dir.Write("token", "tls-token-123");
  auto client = MakeClient(settings);
  for (int i = 0; i < 20; ++i) {
    const auto out = client->Deliver(Event("tls-" + std::to_string(i)));
    ASSERT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;
    EXPECT_EQ(out.http_status, 200);
  }
  const auto got = stub->Received();
  ASSERT_EQ(got.size(), 20u);
  EXPECT_EQ(got[0].authorization, "Bearer tls-token-123");
  EXPECT_EQ(got[0].target, "/api/events/shipment_confirmation");
  EXPECT_LE(stub->ConnectionsAccepted(), 2u);  // kept-alive TLS connections are reused too
}

TEST(OmsTls, UntrustedCertificateIsAnAuthProblemNamedInTheDetail) {
  TestPki pki;
  auto stub = StartTlsStub(pki, "server");
  auto settings = SettingsFor(stub->port(), "https");
  settings.ca_file = pki.File("other-ca.pem");
  const auto out = MakeClient(settings)->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kAuth) << out.detail;
  EXPECT_EQ(out.http_status, 0);
  EXPECT_NE(out.detail.find("certificate verification failed"), std::string::npos) << out.detail;
  EXPECT_EQ(stub->RequestCount(), 0u);
}

TEST(OmsTls, CertificateForAnotherHostIsRejected) {
  TestPki pki;
  auto stub = StartTlsStub(pki, "wrong-host");
  auto settings = SettingsFor(stub->port(), "https");
  settings.ca_file = pki.File("ca.pem");
  const auto out = MakeClient(settings)->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kAuth) << out.detail;
  EXPECT_NE(out.detail.find("certificate"), std::string::npos) << out.detail;
  EXPECT_NE(out.detail.find("127.0.0.1"), std::string::npos) << out.detail;
  EXPECT_EQ(stub->RequestCount(), 0u);
}

TEST(OmsTls, PlainHttpToATlsServerIsTransient) {
  TestPki pki;
  auto stub = StartTlsStub(pki, "server");
  auto settings = SettingsFor(stub->port(), "http");
  settings.request_timeout = std::chrono::milliseconds(2000);
  const auto out = MakeClient(settings)->Deliver(Event("k"));
  EXPECT_EQ(out.response_class, ResponseClass::kTransient) << out.detail;
}

}  // namespace
