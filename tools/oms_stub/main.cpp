// edigate-oms-stub: the OMS receiver that prints what arrives. Used by the README demo, by
// integration and crash tests that run edigate in another process, and by benchmarks.
//
// The answer can be flipped from a shell while it runs: with --status-file F, the content of F
// ("503", or "503 5" for status 503 with Retry-After: 5) is re-read on every request; no file or
// an empty file means 200. Replace F atomically (write a temp file, mv it) to avoid a request
// seeing it half-written.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tools/oms_stub/oms_stub.h"

namespace {

constexpr char kUsage[] =
    "usage: edigate-oms-stub [--address A] [--port N] [--port-file F] [--status-file F]\n"
    "                        [--log F] [--quiet] [--threads N] [--tls-cert F --tls-key F]\n"
    "  --address A      listen address (default 127.0.0.1)\n"
    "  --port N         listen port (default 0: any free port; see --port-file)\n"
    "  --port-file F    write the bound port to F (atomically) once listening\n"
    "  --status-file F  answer the status in F (\"503\" or \"503 <retry-after seconds>\"),\n"
    "                   re-read on every request; missing or empty file = 200\n"
    "  --log F          append one JSON line per request (fsynced before the answer):\n"
    "                   {\"at\",\"path\",\"idempotency_key\",\"status\",\"body\"}\n"
    "  --quiet          do not print a line per request on stdout\n"
    "  --threads N      server threads (default 2)\n"
    "  --tls-cert F, --tls-key F  serve HTTPS with this PEM certificate chain and key\n";

struct Answer {
  int status = 200;
  std::string retry_after;
  std::string problem;  // the status file could not be understood
};

// Reads the status file; a missing or empty file means 200.
Answer ReadStatusFile(const std::string& path) {
  Answer a;
  if (path.empty()) return a;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return a;
  char buf[128];
  ssize_t n;
  do {
    n = ::read(fd, buf, sizeof buf - 1);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  if (n <= 0) return a;
  std::string_view text(buf, static_cast<std::size_t>(n));
  auto skip_space = [&] {
    while (!text.empty() && std::strchr(" \t\r\n", text.front()) != nullptr) text.remove_prefix(1);
  };
  auto digits = [&] {
    std::size_t k = 0;
    while (k < text.size() && text[k] >= '0' && text[k] <= '9') ++k;
    std::string d(text.substr(0, k));
    text.remove_prefix(k);
    return d;
  };
  skip_space();
  if (text.empty()) return a;
  const std::string status = digits();
  skip_space();
  const std::string retry = digits();
  skip_space();
  if (status.size() != 3 || status[0] < '1' || status[0] > '5' || !text.empty() ||
      retry.size() > 9) {
    a.status = 500;
    a.problem = "cannot parse status file " + path + " (want \"<status>\" or \"<status> <seconds>\")";
    return a;
  }
  a.status = std::atoi(status.c_str());
  a.retry_after = retry;
  return a;
}

// "type=shipment_confirmation order_id=SO-1 lines=3": what a person watching the demo wants.
std::string Summary(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "body=" + std::to_string(body.size()) + "B (not JSON)";
  std::string out;
  if (auto t = j.find("type"); t != j.end() && t->is_string()) out += "type=" + t->get<std::string>();
  const auto data = j.find("data");
  if (data == j.end() || !data->is_object()) return out;
  for (const char* id : {"order_id", "shipment_id", "receipt_id", "report_id",
                         "partner_group_control", "group_status", "mode"}) {
    if (auto v = data->find(id); v != data->end() && v->is_string()) {
      out += std::string(" ") + id + "=" + v->get<std::string>();
    }
  }
  for (const char* list : {"lines", "items", "orders", "sets", "packages"}) {
    if (auto v = data->find(list); v != data->end() && v->is_array()) {
      out += std::string(" ") + list + "=" + std::to_string(v->size());
    }
  }
  return out;
}

std::string LocalTime() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms));
  return buf;
}

// Writes the port so that a reader polling the file sees either nothing or the whole number.
bool WritePortFile(const std::string& path, uint16_t port, std::string* error) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + tmp + ": " + std::strerror(errno);
    return false;
  }
  const std::string text = std::to_string(port) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  oms_stub::OmsStub::Options options;
  options.record_requests = false;  // a long run must not grow memory
  std::string port_file, status_file;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "edigate-oms-stub: %s needs a value\n%s", arg.c_str(), kUsage);
        std::exit(2);
      }
      *out = argv[++i];
    };
    std::string v;
    if (arg == "--address") {
      value(&options.address);
    } else if (arg == "--port" || arg == "--threads") {
      value(&v);
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      const long max = arg == "--port" ? 65535 : 256;
      if (v.empty() || *end != '\0' || n < (arg == "--port" ? 0 : 1) || n > max) {
        std::fprintf(stderr, "edigate-oms-stub: bad %s value \"%s\"\n", arg.c_str(), v.c_str());
        return 2;
      }
      if (arg == "--port") {
        options.port = static_cast<uint16_t>(n);
      } else {
        options.threads = static_cast<int>(n);
      }
    } else if (arg == "--port-file") {
      value(&port_file);
    } else if (arg == "--status-file") {
      value(&status_file);
    } else if (arg == "--log") {
      value(&options.log_file);
    } else if (arg == "--tls-cert") {
      value(&options.tls_cert_file);
    } else if (arg == "--tls-key") {
      value(&options.tls_key_file);
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "edigate-oms-stub: unknown argument \"%s\"\n%s", arg.c_str(), kUsage);
      return 2;
    }
  }

  // Signals are taken by sigwait below; the server threads inherit this mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::mutex out_mu;
  oms_stub::OmsStub stub(options);
  stub.SetHandler([&](const oms_stub::Request& r) {
    const Answer a = ReadStatusFile(status_file);
    oms_stub::Response res;
    res.status = a.status;
    if (!a.retry_after.empty()) res.headers["Retry-After"] = a.retry_after;
    if (!a.problem.empty()) {
      res.body = nlohmann::json{{"error", a.problem}}.dump();
    } else if (a.status >= 300) {
      res.body = nlohmann::json{{"error", "edigate-oms-stub answers " + std::to_string(a.status)}}
                     .dump();
    }
    if (!quiet || !a.problem.empty()) {
      std::string line = LocalTime() + " " + r.method + " " + r.target + " key=" +
                         (r.idempotency_key.empty() ? "-" : r.idempotency_key) + " " +
                         Summary(r.body) + " -> " + std::to_string(res.status);
      if (!a.retry_after.empty()) line += " (Retry-After " + a.retry_after + ")";
      line += "\n";
      std::lock_guard lock(out_mu);
      if (!a.problem.empty()) std::fprintf(stderr, "edigate-oms-stub: %s\n", a.problem.c_str());
      if (!quiet) {
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout);
      }
    }
    return res;
  });
  std::string error;
  if (!stub.Start(&error)) {
    std::fprintf(stderr, "edigate-oms-stub: %s\n", error.c_str());
    return 1;
  }
  if (!port_file.empty() && !WritePortFile(port_file, stub.port(), &error)) {
    std::fprintf(stderr, "edigate-oms-stub: %s\n", error.c_str());
    stub.Stop();
    return 1;
  }
  const bool v6 = options.address.find(':') != std::string::npos;
  std::fprintf(stderr, "edigate-oms-stub: listening on %s://%s%s%s:%u\n",
               options.tls_cert_file.empty() ? "http" : "https", v6 ? "[" : "",
               options.address.c_str(), v6 ? "]" : "", static_cast<unsigned>(stub.port()));

  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
  }
  stub.Stop();
  std::fprintf(stderr, "edigate-oms-stub: stopped (signal %d) after %zu requests\n", sig,
               stub.RequestCount());
  return 0;
}
