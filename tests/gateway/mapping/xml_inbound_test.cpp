// XML partner files as Windows and .NET tools write them: a UTF-8 byte order mark, blank lines
// before the declaration, CRLF, UTF-16 with or without its byte order mark. Each is taken for
// XML (not rejected as "not X12") and maps to the same events as the plain UTF-8 file.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "gateway/mapping/inbound.h"
#include "tests/support/run_command.h"

namespace {

using gateway::mapping::LooksLikeXml;

const std::string kSrc = EDIGATE_SOURCE_DIR;

// `text` (ASCII) as UTF-16 code units, little or big endian.
std::string Utf16(const std::string& text, bool little_endian) {
  std::string out;
  for (char c : text) {
    out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
  }
  return out;
}

TEST(LooksLikeXml, TellsXmlFromX12InEveryUsualEncoding) {
  EXPECT_TRUE(LooksLikeXml("<?xml version=\"1.0\"?><a/>"));
  EXPECT_TRUE(LooksLikeXml("\xEF\xBB\xBF\r\n  <a/>"));
  EXPECT_TRUE(LooksLikeXml("\xFF\xFE" + Utf16("<?xml", true)));
  EXPECT_TRUE(LooksLikeXml("\xFE\xFF" + Utf16("\n<?xml", false)));
  EXPECT_TRUE(LooksLikeXml(Utf16("<?xml", true)));
  EXPECT_TRUE(LooksLikeXml(Utf16("<?xml", false)));
  EXPECT_FALSE(LooksLikeXml("ISA*00*          *00*"));
  EXPECT_FALSE(LooksLikeXml("\xEF\xBB\xBF\r\nISA*00*"));
  EXPECT_FALSE(LooksLikeXml(Utf16("ISA*00", true)));
  EXPECT_FALSE(LooksLikeXml(""));
  EXPECT_FALSE(LooksLikeXml("shipping notes"));
}

TEST(XmlInbound, Utf16AndBomFilesMapLikeTheUtf8File) {
  x12test::TempDir dir;
  const std::string path = kSrc + "/examples/xml/ship-confirmations.xml";
  const std::string utf8 = x12test::ReadFile(path);
  const auto map = [&](const std::string& file) {
    return x12test::RunCommand({EDIGATE_BINARY, "map", "--config", kSrc + "/config.example.yaml", "--partner",
                                "example-xml-3pl", file});
  };
  const auto want = map(path);
  ASSERT_EQ(want.exit_code, 0) << want.err;
  ASSERT_EQ(std::count(want.out.begin(), want.out.end(), '\n'), 2) << want.out;
  std::string declared16 = utf8;
  declared16.replace(declared16.find("encoding=\"UTF-8\""), 16, "encoding=\"UTF-16\"");
  const std::pair<const char*, std::string> variants[] = {
      {"bom.xml", "\xEF\xBB\xBF\r\n" + utf8},
      {"utf16le.xml", "\xFF\xFE" + Utf16(declared16, true)},
      {"utf16be.xml", "\xFE\xFF" + Utf16(declared16, false)},
  };
  for (const auto& [name, bytes] : variants) {
    SCOPED_TRACE(name);
    const std::string file = dir.path() + "/" + name;
    std::ofstream(file, std::ios::binary) << bytes;
    const auto got = map(file);
    ASSERT_EQ(got.exit_code, 0) << got.err;
    // The same events but for edisource (another file name and hash).
    std::string a = got.out, b = want.out;
    for (std::string* s : {&a, &b}) {
      for (size_t at = s->find("\"edisource\":"); at != std::string::npos; at = s->find("\"edisource\":", at + 1)) {
        s->erase(at, s->find('}', at) - at + 1);
      }
    }
    EXPECT_EQ(a, b);
  }
}

}  // namespace
