// The edigate-oms-stub program as other processes use it: the port file, flipping the answer with
// the status file, the fsynced JSON delivery log, the line per request on stdout, and a clean exit
// on SIGTERM.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "gateway/oms/oms_client.h"
#include "tests/gateway/oms/oms_test_util.h"
#include "tests/support/run_command.h"

extern char** environ;

namespace {

using gateway::oms::ResponseClass;
using namespace std::chrono_literals;
using omstest::Event;
using omstest::MakeClient;
using omstest::SettingsFor;

// edigate-oms-stub running in the background; stdout goes to a file, stderr to a pipe the test
// reads. Killed (if still running) when the object goes away.
class StubProcess {
 public:
  StubProcess(const std::vector<std::string>& args, const std::string& stdout_file) {
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    std::vector<std::string> argv{EDIGATE_OMS_STUB};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_args;
    for (std::string& a : argv) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, c_args[0], &fa, nullptr, c_args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(err[1]);
    err_fd_ = err[0];
    if (rc != 0) throw std::runtime_error(std::string("cannot start ") + EDIGATE_OMS_STUB);
  }
  ~StubProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(err_fd_);
  }
  StubProcess(const StubProcess&) = delete;
  StubProcess& operator=(const StubProcess&) = delete;

  // Reads stderr until `text` appears or `timeout` passes (or the process closes stderr).
  bool WaitForStderr(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (stderr_.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{err_fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(err_fd_, buf, sizeof buf);
      if (n <= 0) return false;
      stderr_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Sends `sig` and returns the exit code (-1 when it did not exit normally).
  int Stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    // The process is gone: read what is left up to end of file.
    char buf[4096];
    for (ssize_t n; (n = ::read(err_fd_, buf, sizeof buf)) > 0;) {
      stderr_.append(buf, static_cast<std::size_t>(n));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& stderr_text() const { return stderr_; }

 private:
  pid_t pid_ = -1;
  int err_fd_ = -1;
  std::string stderr_;
};

// Replaces `path` atomically, as the README tells people to do.
void WriteAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(content.c_str(), f);
  std::fclose(f);
  ASSERT_EQ(std::rename(tmp.c_str(), path.c_str()), 0);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::uint16_t PortFrom(const std::string& port_file) {
  return static_cast<std::uint16_t>(std::stoi(x12test::ReadFile(port_file)));
}

TEST(OmsStubBinary, PortFileStatusFileLogAndCleanExit) {
  x12test::TempDir dir;
  const std::string port_file = dir.path() + "/port";
  const std::string status_file = dir.path() + "/status";
  const std::string log_file = dir.path() + "/deliveries.jsonl";
  StubProcess stub({"--port-file", port_file, "--status-file", status_file, "--log", log_file},
                   dir.path() + "/stdout");
  ASSERT_TRUE(stub.WaitForStderr("listening on", 10s)) << stub.stderr_text();
  // The port file is complete before the program says it listens.
  const std::string port_text = x12test::ReadFile(port_file);
  ASSERT_FALSE(port_text.empty());
  EXPECT_EQ(port_text.back(), '\n');
  const int port = std::stoi(port_text);
  ASSERT_GT(port, 0);

  auto client = MakeClient(SettingsFor(static_cast<std::uint16_t>(port)));
  auto out = client->Deliver(Event("k1"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;

  WriteAtomically(status_file, "503 5\n");
  out = client->Deliver(Event("k2"));
  EXPECT_EQ(out.http_status, 503);
  EXPECT_EQ(out.response_class, ResponseClass::kTransient);
  EXPECT_EQ(out.retry_after, 5s);

  WriteAtomically(status_file, "422");
  out = client->Deliver(Event("k3"));
  EXPECT_EQ(out.http_status, 422);
  EXPECT_EQ(out.response_class, ResponseClass::kPermanent);

  std::filesystem::remove(status_file);
  out = client->Deliver(Event("k2"));
  EXPECT_EQ(out.response_class, ResponseClass::kDelivered) << out.detail;

  // Every answered request is in the log by the time the client has the answer.
  const auto log = Lines(x12test::ReadFile(log_file));
  ASSERT_EQ(log.size(), 4u);
  const std::vector<std::pair<std::string, int>> expected = {
      {"k1", 200}, {"k2", 503}, {"k3", 422}, {"k2", 200}};
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto j = nlohmann::json::parse(log[i]);
    EXPECT_EQ(j.at("idempotency_key"), expected[i].first);
    EXPECT_EQ(j.at("status"), expected[i].second);
    EXPECT_EQ(j.at("path"), "/api/events/shipment_confirmation");
    EXPECT_TRUE(j.at("at").is_string());
    EXPECT_EQ(j.at("body"), nlohmann::json::parse(Event(expected[i].first).body));
  }

  EXPECT_EQ(stub.Stop(SIGTERM), 0) << stub.stderr_text();
  const auto printed = Lines(x12test::ReadFile(dir.path() + "/stdout"));
  ASSERT_EQ(printed.size(), 4u);
  EXPECT_NE(printed[0].find("/api/events/shipment_confirmation"), std::string::npos) << printed[0];
  EXPECT_NE(printed[0].find("k1"), std::string::npos) << printed[0];
  EXPECT_NE(printed[0].find("type=shipment_confirmation"), std::string::npos) << printed[0];
  EXPECT_NE(printed[0].find("order_id=SO-1"), std::string::npos) << printed[0];
  EXPECT_NE(printed[0].find("lines=2"), std::string::npos) << printed[0];
  EXPECT_NE(printed[1].find("503"), std::string::npos) << printed[1];
}

TEST(OmsStubBinary, QuietPrintsNothingAndSigintExitsCleanly) {
  x12test::TempDir dir;
  const std::string port_file = dir.path() + "/port";
  StubProcess stub({"--quiet", "--port-file", port_file}, dir.path() + "/stdout");
  ASSERT_TRUE(stub.WaitForStderr("listening on", 10s)) << stub.stderr_text();
  auto client = MakeClient(SettingsFor(PortFrom(port_file)));
  EXPECT_EQ(client->Deliver(Event("q")).response_class, ResponseClass::kDelivered);
  EXPECT_EQ(stub.Stop(SIGINT), 0);
  EXPECT_EQ(x12test::ReadFile(dir.path() + "/stdout"), "");
}

TEST(OmsStubBinary, UnparsableStatusFileAnswers500AndSaysWhy) {
  x12test::TempDir dir;
  const std::string port_file = dir.path() + "/port";
  const std::string status_file = dir.path() + "/status";
  WriteAtomically(status_file, "down please");
  StubProcess stub({"--port-file", port_file, "--status-file", status_file}, dir.path() + "/stdout");
  ASSERT_TRUE(stub.WaitForStderr("listening on", 10s)) << stub.stderr_text();
  auto client = MakeClient(SettingsFor(PortFrom(port_file)));
  EXPECT_EQ(client->Deliver(Event("x")).http_status, 500);
  EXPECT_TRUE(stub.WaitForStderr("cannot parse status file", 5s)) << stub.stderr_text();
}

TEST(OmsStubBinary, BadArgumentsExitWithUsage) {
  auto r = x12test::RunCommand({EDIGATE_OMS_STUB, "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage:"), std::string::npos) << r.err;
  r = x12test::RunCommand({EDIGATE_OMS_STUB, "--port", "70000"});
  EXPECT_EQ(r.exit_code, 2);
  r = x12test::RunCommand({EDIGATE_OMS_STUB, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--status-file"), std::string::npos);
}

}  // namespace
