// End-to-end benchmark of the daemon (issue 5, section 9), with the real components of the
// integration tests: `edigate run` as its own process, a real OpenSSH sshd on loopback as the
// partner's SFTP server, the OMS stub (a real HTTP server) and the SQLite spool on disk.
//
//   e2e_bench [--files N] [--latency-files M] [--rate R] [--gigabytes G] [--local]
//
// 1. burst: N small 945 files (one shipment each) appear in the partner's folder at once;
//    reported: files/s from the first file to the last event accepted by the OMS.
// 2. latency: M files appear at R files/s (below the burst rate); for each, the time from the
//    file becoming stable (its rename into the folder; stable_for is 0) to its event at the OMS:
//    median and p99.
// 3. with --gigabytes G: one G GB 945 file (bench/generate_x12) end to end; reported: seconds,
//    MB/s, events/s and the daemon's peak RSS (VmHWM).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include "tests/gateway/daemon/daemon_harness.h"
#include "tests/support/x12_text.h"

namespace fs = std::filesystem;
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Arrivals {
  std::mutex mu;
  std::unordered_map<std::string, Clock::time_point> first;
  void Record(const std::string& key, Clock::time_point at) {
    std::lock_guard lock(mu);
    first.emplace(key, at);
  }
  size_t size() {
    std::lock_guard lock(mu);
    return first.size();
  }
  std::optional<Clock::time_point> At(const std::string& key) {
    std::lock_guard lock(mu);
    auto it = first.find(key);
    if (it == first.end()) return std::nullopt;
    return it->second;
  }
};

std::string ShipmentFile(int n) {
  x12test::IsaFields isa;
  char control[16];
  std::snprintf(control, sizeof control, "%09d", n);
  isa.control = control;
  return x12test::Interchange({x12test::Set945("0001", "SO-" + std::to_string(n), "SHP-" + std::to_string(n), 2)}, "SW", isa,
                              std::to_string(n));
}

std::string Key(int n) { return "acme:945:SO-" + std::to_string(n) + ":SHP-" + std::to_string(n); }

long PeakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 10000, latency_files = 1000, rate = 0;
  double gigabytes = 0;
  bool local = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--files") files = std::stoi(next());
    else if (a == "--latency-files") latency_files = std::stoi(next());
    else if (a == "--rate") rate = std::stoi(next());
    else if (a == "--gigabytes") gigabytes = std::stod(next());
    else if (a == "--local") local = true;
    else {
      std::cerr << "usage: e2e_bench [--files N] [--latency-files M] [--rate R] [--gigabytes G] [--local]\n";
      return 2;
    }
  }
  daemontest::HarnessOptions o;
  o.sftp = !local;
  o.stable_for = "0s";
  o.poll_interval = "1s";
  o.log_level = "info";  // the production default
  o.extra_transport = "  max_files_per_poll: 1000\n";
  o.record_requests = false;  // the handler below keeps what the benchmark needs
  daemontest::Harness h(o);
  Arrivals arrivals;
  h.oms().SetHandler([&](const oms_stub::Request& r) {
    arrivals.Record(r.idempotency_key, Clock::now());
    return oms_stub::Response{};
  });
  h.Start();
  std::cout << "transport: " << (local ? "local folder" : "SFTP (OpenSSH sshd on loopback)") << "\n";

  // 1. burst
  const std::string staging = h.root() + "/staging";
  fs::create_directories(staging);
  for (int n = 1; n <= files; ++n) {
    std::ofstream(staging + "/f" + std::to_string(n) + ".edi", std::ios::binary) << ShipmentFile(n);
  }
  const auto t0 = Clock::now();
  for (int n = 1; n <= files; ++n) {
    fs::rename(staging + "/f" + std::to_string(n) + ".edi", h.inbound() + "/f" + std::to_string(n) + ".edi");
  }
  if (!daemontest::WaitFor([&] { return arrivals.size() >= static_cast<size_t>(files); }, std::chrono::minutes(30))) {
    std::cerr << "burst: only " << arrivals.size() << " of " << files << " events arrived\n";
    return 1;
  }
  const double burst_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double burst_rate = files / burst_s;
  std::printf("burst: %d files (one 945 each) -> %d events at the OMS in %.1f s = %.0f files/s\n", files, files, burst_s,
              burst_rate);

  // Baseline in the same run: the OpenSSH sftp client only fetching the same number of files of
  // the same size from the same server (no spool, no parsing, no 997, no OMS).
  if (!local) {
    const std::string base_dir = h.sshd()->data_dir() + "/baseline";
    fs::create_directories(base_dir);
    for (int n = 1; n <= files; ++n) std::ofstream(base_dir + "/f" + std::to_string(n) + ".edi", std::ios::binary) << ShipmentFile(n);
    const std::string batch = h.root() + "/sftp-batch";
    fs::create_directories(h.root() + "/fetched");
    std::ofstream(batch) << "lcd " << h.root() << "/fetched\ncd " << base_dir << "\nget *\n";
    const auto b0 = Clock::now();
    const auto r = x12test::RunCommand({"/usr/bin/sftp", "-q", "-b", batch, "-i", h.sshd()->client_key(), "-P",
                                        std::to_string(h.sshd()->port()), "-o", "StrictHostKeyChecking=no", "-o",
                                        "UserKnownHostsFile=/dev/null", h.sshd()->user() + "@127.0.0.1"});
    const double base_s = std::chrono::duration<double>(Clock::now() - b0).count();
    if (r.exit_code != 0) {
      std::cerr << "sftp baseline failed: " << r.err << "\n";
    } else {
      std::printf("baseline: OpenSSH sftp fetching the same %d files only: %.1f s = %.0f files/s; edigate end to end "
                  "runs at %.2fx that rate\n",
                  files, base_s, files / base_s, burst_rate / (files / base_s));
    }
  }

  // 2. latency at a steady rate below capacity
  if (rate <= 0) rate = std::max(1, static_cast<int>(burst_rate / 2));
  std::vector<std::pair<int, Clock::time_point>> dropped;
  const int base = files + 1;
  for (int n = base; n < base + latency_files; ++n) {
    std::ofstream(staging + "/f" + std::to_string(n) + ".edi", std::ios::binary) << ShipmentFile(n);
  }
  const auto start = Clock::now();
  for (int i = 0; i < latency_files; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long long>(1e6 * i / rate)));
    const int n = base + i;
    fs::rename(staging + "/f" + std::to_string(n) + ".edi", h.inbound() + "/f" + std::to_string(n) + ".edi");
    dropped.emplace_back(n, Clock::now());
  }
  if (!daemontest::WaitFor([&] { return arrivals.size() >= static_cast<size_t>(files + latency_files); }, std::chrono::minutes(10))) {
    std::cerr << "latency: events missing\n";
    return 1;
  }
  std::vector<double> ms;
  for (const auto& [n, at] : dropped) ms.push_back(std::chrono::duration<double, std::milli>(*arrivals.At(Key(n)) - at).count());
  std::sort(ms.begin(), ms.end());
  if (!ms.empty()) {  // --latency-files 0 skips this part
    std::printf("latency at %d files/s (%d files, poll interval 1 s): stable -> delivered median %.0f ms, p99 %.0f ms, max %.0f ms\n",
                rate, latency_files, ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back());
  }

  // 3. one big file
  if (gigabytes > 0) {
    const std::string big = staging + "/big.edi";
    const std::string gen = std::string(EDIGATE_BENCH_DIR) + "/generate_x12";
    const auto g = x12test::RunCommand({gen, "--type", "945", "--megabytes", std::to_string(static_cast<int>(gigabytes * 1000)), "--out", big});
    if (g.exit_code != 0) {
      std::cerr << "generate_x12 failed: " << g.err << "\n";
      return 1;
    }
    const double mb = static_cast<double>(fs::file_size(big)) / 1e6;
    const size_t before = arrivals.size();
    const size_t parsed_before = h.Count("file parsed");
    const auto b0 = Clock::now();
    fs::rename(big, h.inbound() + "/big.edi");
    if (!daemontest::WaitFor([&] { return h.Count("file parsed") > parsed_before; }, std::chrono::minutes(60))) {
      std::cerr << "big file: not parsed\n" << h.Log();
      return 1;
    }
    const double parsed_s = std::chrono::duration<double>(Clock::now() - b0).count();
    std::smatch m;
    const std::string log = h.Log();
    std::regex mapped_re("file parsed .*mapped=([0-9]+)");
    size_t mapped = 0;
    for (std::sregex_iterator it(log.begin(), log.end(), mapped_re), end; it != end; ++it) mapped = std::stoul((*it)[1]);
    if (!daemontest::WaitFor([&] { return arrivals.size() >= before + mapped; }, std::chrono::minutes(120))) {
      std::cerr << "big file: only " << arrivals.size() - before << " of " << mapped << " events arrived\n";
      return 1;
    }
    const double total_s = std::chrono::duration<double>(Clock::now() - b0).count();
    std::printf("big file: %.0f MB, %zu sets: spooled+validated+mapped in %.1f s (%.0f MB/s), all %zu events delivered in %.1f s "
                "(%.0f events/s); edigate peak RSS %.0f MB\n",
                mb, mapped, parsed_s, mb / parsed_s, mapped, total_s, mapped / total_s, PeakRssKb(h.pid()) / 1024.0);
  }
  h.Stop();
  return 0;
}
