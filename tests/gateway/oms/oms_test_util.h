// Shared pieces of the OMS client tests: the in-process stub on loopback, settings pointing at
// it, and a raw TCP server for behaviour the stub deliberately cannot produce (never answering,
// answering half a response).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "gateway/oms/oms_client.h"
#include "tools/oms_stub/oms_stub.h"

namespace omstest {

// A started stub on 127.0.0.1 and a free port; throws (the test fails) when it cannot start.
inline std::unique_ptr<oms_stub::OmsStub> StartStub(oms_stub::OmsStub::Options options = {}) {
  auto stub = std::make_unique<oms_stub::OmsStub>(std::move(options));
  std::string error;
  if (!stub->Start(&error)) throw std::runtime_error("oms stub did not start: " + error);
  return stub;
}

inline gateway::oms::OmsSettings SettingsFor(std::uint16_t port, const std::string& scheme = "http",
                                             const std::string& base_path = "/api") {
  gateway::oms::OmsSettings s;
  s.base_url = scheme + "://127.0.0.1:" + std::to_string(port) + base_path;
  s.connect_timeout = std::chrono::milliseconds(2000);
  s.request_timeout = std::chrono::milliseconds(5000);
  return s;
}

inline std::unique_ptr<gateway::oms::OmsClient> MakeClient(gateway::oms::OmsSettings settings) {
  auto client = gateway::oms::MakeOmsClient(std::move(settings));
  if (!client.ok()) throw std::runtime_error("MakeOmsClient: " + client.status().ToString());
  return std::move(client).value();
}

inline gateway::oms::DeliveryRequest Event(const std::string& key,
                                           const std::string& type = "shipment_confirmation") {
  return {type, key,
          R"({"specversion":"1.0","id":")" + key + R"(","type":")" + type +
              R"(","data":{"order_id":"SO-1","lines":[{"sku":"A"},{"sku":"B"}]}})"};
}

// A listening TCP socket on 127.0.0.1. With no session function it never accepts: connections
// complete in the kernel backlog and requests are never read or answered (a hung OMS). With one,
// a thread accepts a single connection and runs `session(fd)` on it.
class RawServer {
 public:
  explicit RawServer(std::function<void(int fd)> session = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("raw server: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    if (session) {
      thread_ = std::thread([this, session = std::move(session)] {
        const int conn = ::accept(fd_, nullptr, nullptr);
        if (conn < 0) return;
        session(conn);
        ::close(conn);
      });
    }
  }
  ~RawServer() {
    ::shutdown(fd_, SHUT_RDWR);  // wakes a pending accept()
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;
  std::uint16_t port() const { return port_; }

  // Reads one HTTP request with a Content-Length body from `fd`; false on EOF or error.
  static bool ReadRequest(int fd, std::string* pending) {
    for (;;) {
      const std::size_t header_end = pending->find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::size_t length = 0;
        const std::size_t cl = pending->find("Content-Length: ");
        if (cl != std::string::npos && cl < header_end) length = std::stoul(pending->substr(cl + 16));
        if (pending->size() >= header_end + 4 + length) {
          pending->erase(0, header_end + 4 + length);
          return true;
        }
      }
      char buf[4096];
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return false;
      pending->append(buf, static_cast<std::size_t>(n));
    }
  }
  static void WriteAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace omstest
