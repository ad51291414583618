// The daemon end to end, with real components: `edigate run` as a separate process (so tests
// can SIGTERM and SIGKILL it), a real OpenSSH sshd on loopback as the partner's SFTP server
// (or a local folder), the OMS stub (a real HTTP server) in the test process, and the real
// SQLite spool. Header-only: only the daemon tests include it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/sshd.h"
#include "tools/oms_stub/oms_stub.h"

namespace daemontest {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline bool WaitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 20s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (cond()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return cond();
}

// curl is the HTTP client of these tests (independent of our own code); scripts/bootstrap
// installs it. Missing: the tests fail loudly.
inline std::string CurlPath() {
  for (const char* p : {"/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"}) {
    if (access(p, X_OK) == 0) return p;
  }
  throw std::runtime_error("curl is not installed (scripts/bootstrap installs it)");
}

struct HarnessOptions {
  bool sftp = true;
  bool wrong_host_key = false;
  std::string stable_for = "1s";
  std::string poll_interval = "1s";
  std::string ack_deadline = "4h";
  std::string ship_deadline = "48h";
  std::string retry = "{initial_delay: 1s, max_delay: 2s, window: 1h, jitter: 0}";
  std::string extra_transport;  // more transport lines ("  key: value\n")
  std::string deadline_check = "1s";
  std::string log_level = "debug";
  bool record_requests = true;  // the stub keeps every request (bodies too); off for benchmarks
};

struct HttpReply {
  int status = 0;
  std::string body;
};

class Harness {
 public:
  explicit Harness(HarnessOptions o = {}) : o_(std::move(o)) {
    if (o_.sftp) sshd_ = std::make_unique<x12test::Sshd>();
    root_ = dir_.path();
    drop_root_ = o_.sftp ? sshd_->data_dir() : root_ + "/drop";
    fs::create_directories(drop_root_ + "/to-oms");
    fs::create_directories(drop_root_ + "/from-oms");
    fs::create_directories(root_ + "/partners");
    oms_stub::OmsStub::Options so;
    so.record_requests = o_.record_requests;
    stub_ = std::make_unique<oms_stub::OmsStub>(so);
    std::string error;
    if (!stub_->Start(&error)) throw std::runtime_error("OMS stub: " + error);
    WriteConfig();
    WriteProfile();
  }
  ~Harness() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    stub_->Stop();
  }

  const std::string& root() const { return root_; }
  std::string inbound() const { return drop_root_ + "/to-oms"; }
  std::string outbound() const { return drop_root_ + "/from-oms"; }
  std::string archive() const { return drop_root_ + "/to-oms/archive"; }
  oms_stub::OmsStub& oms() { return *stub_; }
  x12test::Sshd* sshd() { return sshd_.get(); }
  std::string spool_path() const { return root_ + "/var/spool.db"; }
  std::string config_path() const { return root_ + "/config.yaml"; }
  std::string profile_path() const { return root_ + "/partners/acme.yaml"; }
  const std::string& token() const { return token_; }
  pid_t pid() const { return pid_; }

  // Starts `edigate run`; waits until it says it started (throws if it does not).
  void Start(const std::map<std::string, std::string>& env = {}) {
    const std::string log = root_ + "/edigate.log";
    pid_ = fork();
    if (pid_ == 0) {
      if (chdir(root_.c_str()) != 0) _exit(127);
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      setenv("EDIGATE_TEST_API_TOKEN", token_.c_str(), 1);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      execl(EDIGATE_BINARY, EDIGATE_BINARY, "run", "--config", "config.yaml", static_cast<char*>(nullptr));
      _exit(127);
    }
    const size_t starts = Count("edigate started");
    if (!WaitFor([&] { return Count("edigate started") > starts || !Running(); }, 30s) || !Running()) {
      throw std::runtime_error("edigate run did not start:\n" + Log());
    }
    std::smatch m;
    const std::string text = Log();
    std::regex port_re("HTTP API listening address=[^ ]+ port=([0-9]+)");
    for (std::sregex_iterator it(text.begin(), text.end(), port_re), end; it != end; ++it) api_port_ = std::stoi((*it)[1]);
  }
  bool Running() {
    if (pid_ <= 0) return false;
    int st = 0;
    const pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      exit_status_ = st;
      pid_ = -1;
      return false;
    }
    return true;
  }
  // Sends `sig` and waits for the exit; returns the exit code (or 128 + signal).
  int Stop(int sig = SIGTERM, std::chrono::seconds timeout = 30s) {
    if (pid_ <= 0) return Decode(exit_status_);
    kill(pid_, sig);
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (Running() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
    if (Running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &exit_status_, 0);
      pid_ = -1;
      throw std::runtime_error("edigate did not stop within the timeout after signal " + std::to_string(sig));
    }
    return Decode(exit_status_);
  }
  // Waits for a crash the daemon was told to cause (EDIGATE_CRASH_AT).
  bool WaitForExit(std::chrono::seconds timeout = 30s) {
    return WaitFor([&] { return !Running(); }, timeout);
  }
  int exit_code() const { return Decode(exit_status_); }
  void Signal(int sig) { if (pid_ > 0) kill(pid_, sig); }

  std::string Log() const { return fs::exists(root_ + "/edigate.log") ? x12test::ReadFile(root_ + "/edigate.log") : ""; }
  size_t Count(const std::string& needle) const {
    const std::string text = Log();
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  // Puts a file in the partner's inbound folder the way a careful partner does: temp name
  // (hidden, so never picked up), then rename.
  void Drop(const std::string& name, const std::string& content) {
    const std::string tmp = inbound() + "/." + name + ".part";
    { std::ofstream(tmp, std::ios::binary) << content; }
    fs::rename(tmp, inbound() + "/" + name);
  }
  static std::vector<std::string> Files(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.is_regular_file()) out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // An HTTP call to the daemon's API (curl: a client independent of our own code).
  HttpReply Http(const std::string& method, const std::string& path, const std::string& body = "",
                 const std::vector<std::string>& headers = {}) {
    std::vector<std::string> argv = {CurlPath(), "-s", "-S", "-o", "-", "-w", "\n%{http_code}", "-X", method};
    for (const auto& h : headers) {
      argv.push_back("-H");
      argv.push_back(h);
    }
    if (!body.empty()) {
      const std::string f = dir_.Write("body-" + std::to_string(++bodies_) + ".json", body);
      argv.push_back("--data-binary");
      argv.push_back("@" + f);
    }
    argv.push_back("http://127.0.0.1:" + std::to_string(api_port_) + path);
    const x12test::CommandResult r = x12test::RunCommand(argv);
    HttpReply reply;
    const size_t nl = r.out.rfind('\n');
    if (r.exit_code != 0 || nl == std::string::npos) throw std::runtime_error("curl failed: " + r.err);
    reply.body = r.out.substr(0, nl);
    reply.status = std::stoi(r.out.substr(nl + 1));
    return reply;
  }
  HttpReply PostOrder(const std::string& body, const std::string& key) {
    return Http("POST", "/v1/fulfillment-orders", body,
                {"Authorization: Bearer " + token_, "Idempotency-Key: " + key, "Content-Type: application/json"});
  }
  std::string Metrics() { return Http("GET", "/metrics").body; }
  // The value of one sample in the /metrics text ("name{labels}"), or -1 if absent.
  double Metric(const std::string& series) {
    const std::string text = Metrics();
    const size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }
  // `edigate spool ...` on this daemon's spool (JSON output).
  x12test::CommandResult Spool(std::vector<std::string> args) {
    std::vector<std::string> argv = {EDIGATE_BINARY, "spool"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--spool");
    argv.push_back(spool_path());
    return x12test::RunCommand(argv);
  }

  // Rewrites the partner profile (for reload tests).
  void WriteProfile(const std::string& extra_top = "") {
    std::string base = x12test::ReadFile(std::string(EDIGATE_SOURCE_DIR) + "/partners/example-3pl.yaml");
    base = base.substr(0, base.find("\ntransport:"));
    base = std::regex_replace(base, std::regex("id: example-3pl"), "id: acme");
    base = std::regex_replace(base, std::regex("ack_997: 4h"), "ack_997: " + o_.ack_deadline);
    base = std::regex_replace(base, std::regex("ship_945: 48h"), "ship_945: " + o_.ship_deadline);
    std::string t = "\nwarehouses: [RENO1]\n" + extra_top + "transport:\n";
    if (o_.sftp) {
      const std::string kh = root_ + "/known_hosts";
      std::string line = sshd_->known_hosts_line();
      if (o_.wrong_host_key) line = "[127.0.0.1]:" + std::to_string(sshd_->port()) + " " + sshd_->OtherHostKey();
      { std::ofstream(kh) << line << "\n"; }
      t += "  kind: sftp\n  host: 127.0.0.1\n  port: " + std::to_string(sshd_->port()) + "\n  user: " + sshd_->user() +
           "\n  auth: {private_key_file: " + sshd_->client_key() + "}\n  known_hosts_file: " + kh +
           "\n  root: " + sshd_->data_dir() + "\n  connect_timeout: 5s\n  io_timeout: 10s\n";
    } else {
      t += "  kind: local\n  root: drop\n";
    }
    t += "  inbound_dir: to-oms\n  outbound_dir: from-oms\n  poll_interval: " + o_.poll_interval +
         "\n  stable_for: " + o_.stable_for + "\n" + o_.extra_transport;
    std::ofstream(profile_path()) << base << t;
  }

 private:
  static int Decode(int st) {
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return -1;
  }
  void WriteConfig() {
    std::ofstream(config_path()) << "partners_dir: partners\nmappings_dir: " << EDIGATE_SOURCE_DIR << "/mappings\n"
                                 << "spool: {path: var/spool.db, deadline_check: " << o_.deadline_check << "}\n"
                                 << "oms:\n  base_url: http://127.0.0.1:" << stub_->port() << "\n  request_timeout: 5s\n"
                                 << "  retry: " << o_.retry << "\n"
                                 << "http: {port: 0, token_env: EDIGATE_TEST_API_TOKEN}\n"
                                 << "log: {level: " << o_.log_level << "}\n";
  }

  HarnessOptions o_;
  x12test::TempDir dir_;
  std::unique_ptr<x12test::Sshd> sshd_;
  std::unique_ptr<oms_stub::OmsStub> stub_;
  std::string root_, drop_root_;
  std::string token_ = "test-token-4d1f9c";
  pid_t pid_ = -1;
  int exit_status_ = 0;
  int api_port_ = 0;
  int bodies_ = 0;
};

}  // namespace daemontest
