// The CloudEvent envelope writers: the head written into a JsonBuffer (as the X12 mapper does,
// in place in its held text) is the same text as the std::string form, a buffer resumed at an
// offset keeps what is before it, and event ids are the SHA-256 of the key in UUID layout.
#include <gtest/gtest.h>

#include <string>

#include "gateway/canonical/cloudevent.h"
#include "gateway/canonical/json_text.h"
#include "spool/sha256.h"

namespace {

using gateway::canonical::AppendCloudEventHead;
using gateway::canonical::EdiSource;
using gateway::canonical::Envelope;
using gateway::canonical::EventIdFromKey;
using gateway::canonical::JsonBuffer;

Envelope SampleEnvelope(const EdiSource* source) {
  Envelope e;
  e.partner = "example-3pl";
  e.type = "shipment_confirmation";
  e.time = "2024-01-02T06:45:00Z";
  e.idempotency_key = "example-3pl:945:SO\"1\\:SH\x01";  // characters that need escaping
  e.source = source;
  return e;
}

TEST(CloudEvent, HeadInAJsonBufferIsTheStringForm) {
  EdiSource source{"in \"1\".edi", std::string(64, 'a'), "000000001", "", "0001"};  // gs06 empty: left out
  const Envelope e = SampleEnvelope(&source);
  std::string expected;
  AppendCloudEventHead(expected, e);
  EXPECT_NE(expected.find("\"st02\":\"0001\""), std::string::npos);
  EXPECT_EQ(expected.find("gs06"), std::string::npos);

  std::string text = "before";
  JsonBuffer out(text, JsonBuffer::Scratch{}, 6);
  AppendCloudEventHead(out, e);
  EXPECT_EQ(out.view(), "before" + expected);
}

TEST(CloudEvent, ResumedBufferKeepsEarlierTextAndItsSize) {
  std::string text(100, 'x');
  {
    JsonBuffer out(text, JsonBuffer::Scratch{}, 10);
    out.append("{}");
    EXPECT_EQ(out.size(), 12u);
    EXPECT_EQ(out.view(), std::string(10, 'x') + "{}");
  }
  EXPECT_EQ(text.size(), 100u);  // scratch mode: the string's size is left alone
  JsonBuffer past_end(text, JsonBuffer::Scratch{}, 150);  // grows to the start first
  past_end.push_back('!');
  EXPECT_EQ(past_end.view().substr(150), "!");
}

TEST(CloudEvent, EventIdIsTheKeysSha256AsAVersion5Uuid) {
  for (const std::string key : {"a:945:1:2", "b:856:ctl:000000001:1:0001", "a:945:1:2"}) {
    std::string hex = spool::Sha256::Of(key).substr(0, 32);
    hex[12] = '5';  // version
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
    const std::string uuid =
        hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" + hex.substr(20);
    EXPECT_EQ(EventIdFromKey(key), uuid) << key;
  }
}

}  // namespace
