// Path handling shared by the RemoteDir implementations: relative paths are checked once, then
// joined to the root, so a configured path or a name from a listing can never escape the root.
#pragma once

#include <string>
#include <string_view>

#include "gateway/status.h"

namespace gateway::transport {

// Normalizes a root-relative path: "a//b/./c/" -> "a/b/c", "" and "." -> "".
// kInvalidArgument for absolute paths, ".." components and NUL bytes.
Result<std::string> NormalizeRelative(std::string_view path);

// `root` + "/" + `relative` (relative already normalized); the root alone when relative is "".
std::string JoinRoot(std::string_view root, std::string_view relative);

// "a/b/c" -> "a/b"; "c" -> "".
std::string ParentOf(std::string_view relative);
// "a/b/c" -> "c".
std::string BaseName(std::string_view relative);

// The temporary upload name for `relative`: ".<base>.<16 random hex>.part" in the same
// directory. Hidden and suffixed so that partner pollers (and ours) skip it.
std::string TempNameFor(std::string_view relative);
// True for a name TempNameFor() makes (the base name only): what an interrupted upload of
// ours leaves behind.
bool IsTempName(std::string_view name);

}  // namespace gateway::transport
