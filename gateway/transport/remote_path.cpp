#include "gateway/transport/remote_path.h"

#include <cstdint>
#include <random>

namespace gateway::transport {

Result<std::string> NormalizeRelative(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "path contains a NUL byte");
  }
  if (!path.empty() && path.front() == '/') {
    return Status(Code::kInvalidArgument, "absolute path not allowed: " + std::string(path));
  }
  std::string out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view part = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      return Status(Code::kInvalidArgument, "'..' not allowed in path: " + std::string(path));
    }
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

std::string JoinRoot(std::string_view root, std::string_view relative) {
  std::string out(root);
  if (relative.empty()) return out.empty() ? std::string("/") : out;
  if (out.empty() || out.back() != '/') out += '/';
  out += relative;
  return out;
}

std::string ParentOf(std::string_view relative) {
  const std::size_t slash = relative.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(relative.substr(0, slash));
}

std::string BaseName(std::string_view relative) {
  const std::size_t slash = relative.rfind('/');
  return std::string(slash == std::string_view::npos ? relative : relative.substr(slash + 1));
}

std::string TempNameFor(std::string_view relative) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t r = rng();
  static const char kHex[] = "0123456789abcdef";
  std::string suffix(16, '0');
  for (int i = 0; i < 16; ++i) suffix[static_cast<std::size_t>(i)] = kHex[(r >> (4 * i)) & 0xF];
  std::string temp = "." + BaseName(relative) + "." + suffix + ".part";
  const std::string parent = ParentOf(relative);
  return parent.empty() ? temp : parent + "/" + temp;
}

bool IsTempName(std::string_view name) {
  constexpr std::string_view kSuffix = ".part";
  constexpr size_t kRandom = 16;
  if (name.size() < 1 + 1 + 1 + kRandom + kSuffix.size() || name.front() != '.' || !name.ends_with(kSuffix)) return false;
  const std::string_view random = name.substr(name.size() - kSuffix.size() - kRandom, kRandom);
  if (name[name.size() - kSuffix.size() - kRandom - 1] != '.') return false;
  return random.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace gateway::transport
