#include "tests/support/sshd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace x12test {
namespace {

constexpr const char* kSshd = "/usr/sbin/sshd";
constexpr const char* kKeygen = "/usr/bin/ssh-keygen";

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error("sshd test fixture: " + what);
}

void Run(const std::vector<std::string>& argv) {
  const CommandResult r = RunCommand(argv);
  if (r.exit_code != 0) Fail(argv[0] + " " + argv[1] + " failed: " + r.err + r.out);
}

// Binds port 0 on loopback to let the kernel pick a free port, then releases it for sshd.
std::uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Fail("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool PortAccepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Pids whose parent is `pid`, then theirs, and so on (read from /proc).
std::vector<int> Descendants(int pid) {
  std::vector<int> out;
  std::vector<int> frontier{pid};
  while (!frontier.empty()) {
    const int parent = frontier.back();
    frontier.pop_back();
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
      const std::string name = e.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream stat(e.path() / "stat");
      std::string line;
      std::getline(stat, line);
      const std::size_t close = line.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(line.substr(close + 2));
      char state = 0;
      int ppid = 0;
      rest >> state >> ppid;
      if (ppid == parent && state != 'Z') {
        out.push_back(std::stoi(name));
        frontier.push_back(std::stoi(name));
      }
    }
  }
  return out;
}

bool Alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const std::size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

std::string RandomWord() {
  std::random_device rd;
  std::ostringstream s;
  s << std::hex << rd() << rd();
  return s.str();
}

}  // namespace

Sshd::Sshd() {
  for (const char* tool : {kSshd, kKeygen}) {
    if (::access(tool, X_OK) != 0) {
      Fail(std::string(tool) + " not found: install openssh-server and openssh-client "
                               "(scripts/bootstrap)");
    }
  }
  const passwd* pw = ::getpwuid(::geteuid());
  if (pw == nullptr) Fail("cannot determine the current user");
  user_ = pw->pw_name;
  const std::string& d = dir_.path();
  data_dir_ = d + "/data";
  scratch_dir_ = d + "/scratch";
  std::filesystem::create_directories(data_dir_);
  std::filesystem::create_directories(scratch_dir_);
  // Privilege separation needs /run/sshd (root only; a non-root sshd runs without it).
  ::mkdir("/run/sshd", 0755);

  const std::string host_key = d + "/host_ed25519";
  client_key_ = d + "/client_ed25519";
  encrypted_client_key_ = d + "/client_encrypted_ed25519";
  passphrase_ = "fixture-pass-" + RandomWord();
  Run({kKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "edigate-test-host", "-f", host_key});
  Run({kKeygen, "-q", "-t", "ed25519", "-N", "", "-C", "edigate-test-client", "-f", client_key_});
  Run({kKeygen, "-q", "-t", "ed25519", "-N", passphrase_, "-C", "edigate-test-client-enc", "-f",
       encrypted_client_key_});
  const std::string authorized = d + "/authorized_keys";
  {
    std::ofstream a(authorized);
    a << ReadFile(client_key_ + ".pub") << ReadFile(encrypted_client_key_ + ".pub");
  }

  const CommandResult fp = RunCommand({kKeygen, "-l", "-E", "sha256", "-f", host_key + ".pub"});
  std::istringstream fields(fp.out);
  std::string bits;
  fields >> bits >> host_fingerprint_;
  if (fp.exit_code != 0 || host_fingerprint_.rfind("SHA256:", 0) != 0) {
    Fail("cannot read the host key fingerprint: " + fp.err);
  }

  std::istringstream pub(ReadFile(host_key + ".pub"));
  std::string type, key;
  pub >> type >> key;
  pid_file_ = d + "/sshd.pid";
  log_file_ = d + "/sshd.log";
  const std::string config = d + "/sshd_config";

  // The port found by FreePort can be taken by someone else before sshd binds it (tests run in
  // parallel): then sshd logs a bind error and exits, and we try again with a new port.
  std::string failures;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    known_hosts_line_ = "[127.0.0.1]:" + std::to_string(port_) + " " + type + " " + key;
    {
      std::ofstream c(config);
      c << "Port " << port_ << "\n"
        << "ListenAddress 127.0.0.1\n"
        << "HostKey " << host_key << "\n"
        << "PidFile " << pid_file_ << "\n"
        << "AuthorizedKeysFile " << authorized << "\n"
        << "PubkeyAuthentication yes\n"
        << "PasswordAuthentication no\n"
        << "KbdInteractiveAuthentication no\n"
        << "UsePAM no\n"
        << "StrictModes no\n"
        << "PermitRootLogin yes\n"
        << "AllowUsers " << user_ << "\n"
        << "ChrootDirectory none\n"
        << "UseDNS no\n"
        << "PrintMotd no\n"
        << "LogLevel VERBOSE\n"
        << "Subsystem sftp internal-sftp\n";
    }
    std::filesystem::remove(log_file_);
    std::filesystem::remove(pid_file_);
    if (Start(config)) return;
    failures += Log();
  }
  Fail("sshd did not start after 5 attempts: " + failures);
}

bool Sshd::Start(const std::string& config) {
  const CommandResult started = RunCommand({kSshd, "-f", config, "-E", log_file_});
  if (started.exit_code != 0) {
    Fail("sshd did not start (exit " + std::to_string(started.exit_code) + "): " + started.err +
         Log());
  }
  // Ours is up when it says it listens on the port, has written its pid, and accepts.
  const std::string listening = "Server listening on 127.0.0.1 port " + std::to_string(port_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = Log();
    if (log.find(listening) != std::string::npos && MasterPid() > 0 && PortAccepts(port_)) {
      return true;
    }
    if (log.find("Cannot bind any address") != std::string::npos ||
        log.find("fatal") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Stop();
  return false;
}

void Sshd::Stop() {
  const int pid = MasterPid();
  if (pid <= 0) return;
  for (const int child : Descendants(pid)) {
    ::kill(child, SIGCONT);
    ::kill(child, SIGTERM);
  }
  ::kill(pid, SIGTERM);
  // sshd is not our child (it daemonized), so wait for it to vanish rather than waitpid.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (Alive(pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (Alive(pid)) ::kill(pid, SIGKILL);
}

Sshd::~Sshd() { Stop(); }

int Sshd::MasterPid() const {
  std::ifstream f(pid_file_);
  int pid = 0;
  if (!(f >> pid)) return 0;
  return pid;
}

std::string Sshd::OtherHostKey() const {
  const std::string path = scratch_dir_ + "/other_" + RandomWord();
  Run({kKeygen, "-q", "-t", "ed25519", "-N", "", "-f", path});
  std::istringstream pub(ReadFile(path + ".pub"));
  std::string type, key;
  pub >> type >> key;
  return type + " " + key;
}

void Sshd::PauseSessions() const {
  for (const int pid : Descendants(MasterPid())) ::kill(pid, SIGSTOP);
}

void Sshd::ResumeSessions() const {
  for (const int pid : Descendants(MasterPid())) ::kill(pid, SIGCONT);
}

std::string Sshd::Log() const { return ReadFile(log_file_); }

}  // namespace x12test
