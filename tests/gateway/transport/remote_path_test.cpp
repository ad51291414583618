#include <gtest/gtest.h>

#include "gateway/transport/remote_path.h"

namespace {

using namespace gateway::transport;

TEST(RemotePath, Normalizes) {
  EXPECT_EQ(*NormalizeRelative(""), "");
  EXPECT_EQ(*NormalizeRelative("."), "");
  EXPECT_EQ(*NormalizeRelative("a//b/./c/"), "a/b/c");
  EXPECT_EQ(*NormalizeRelative("in/x.edi"), "in/x.edi");
  EXPECT_EQ(*NormalizeRelative("..x/y.."), "..x/y..");
}

TEST(RemotePath, RefusesEscapes) {
  for (const char* bad : {"/abs", "..", "a/../b", "a/.."}) {
    EXPECT_EQ(NormalizeRelative(bad).status().code(), gateway::Code::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(NormalizeRelative(std::string_view("a\0b", 3)).ok());
}

TEST(RemotePath, JoinAndSplit) {
  EXPECT_EQ(JoinRoot("/srv/in", "a/b"), "/srv/in/a/b");
  EXPECT_EQ(JoinRoot("/srv/in/", ""), "/srv/in/");
  EXPECT_EQ(JoinRoot(".", "x"), "./x");
  EXPECT_EQ(ParentOf("a/b/c"), "a/b");
  EXPECT_EQ(ParentOf("c"), "");
  EXPECT_EQ(BaseName("a/b/c"), "c");
}

TEST(RemotePath, TempNamesAreHiddenUniqueAndInTheSameDirectory) {
  const std::string a = TempNameFor("out/940.edi");
  const std::string b = TempNameFor("out/940.edi");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("out/.940.edi.", 0), 0u) << a;
  EXPECT_TRUE(a.ends_with(".part")) << a;
  EXPECT_EQ(TempNameFor("x").rfind(".x.", 0), 0u);
}

}  // namespace

namespace {

// The daemon removes what interrupted uploads of ours left, and nothing else.
TEST(RemotePath, TempNamesAreRecognisedAndNothingElse) {
  const std::string temp = gateway::transport::TempNameFor("out/acme_997_000000001.edi");
  EXPECT_TRUE(gateway::transport::IsTempName(gateway::transport::BaseName(temp)));
  for (const char* other : {"acme_997_000000001.edi", ".acme.edi", ".acme.edi.part", ".x.0123456789abcdeg.part",
                            "x.0123456789abcdef.part", ".x.0123456789abcde.part", ".x_0123456789abcdef.part"}) {
    EXPECT_FALSE(gateway::transport::IsTempName(other)) << other;
  }
}

}  // namespace
