// The mapping engine (issue 4): exact decimals, paths, profiles and mappings with file:line
// errors, the golden pairs of every shipped mapping and the exception pack, every produced
// event checked against its JSON Schema, and the map/render/mapping commands end to end.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gateway/canonical/json_input.h"
#include "gateway/canonical/json_schema.h"
#include "gateway/mapping/decimal.h"
#include "gateway/mapping/golden.h"
#include "gateway/mapping/map_file.h"
#include "gateway/mapping/path.h"
#include "gateway/partners/profile.h"
#include "tests/support/run_command.h"
#include "tests/support/x12_text.h"

namespace {

namespace fs = std::filesystem;
using gateway::mapping::DecimalAdd;
using gateway::mapping::DecimalCompare;
using gateway::mapping::DecimalSubtract;
using gateway::mapping::NormalizeDecimal;
using nlohmann::json;
using x12test::RunCommand;
using x12test::TempDir;

const std::string kSrc = EDIGATE_SOURCE_DIR;
const std::string kBin = EDIGATE_BINARY;
const std::string kConfig = kSrc + "/config.example.yaml";

TEST(Decimal, NormalizesWithoutFloatingPoint) {
  EXPECT_EQ(*NormalizeDecimal("010.50"), "10.5");
  EXPECT_EQ(*NormalizeDecimal("-0.0"), "0");
  EXPECT_EQ(*NormalizeDecimal(".5"), "0.5");
  EXPECT_EQ(*NormalizeDecimal("+7"), "7");
  EXPECT_EQ(*NormalizeDecimal("1050", 2), "10.5");
  EXPECT_EQ(*NormalizeDecimal("5", 2), "0.05");
  EXPECT_EQ(*NormalizeDecimal("0.1000000000000000000000001"), "0.1000000000000000000000001");
  EXPECT_FALSE(NormalizeDecimal("1e3"));
  EXPECT_FALSE(NormalizeDecimal("12a"));
  EXPECT_FALSE(NormalizeDecimal(""));
  EXPECT_FALSE(NormalizeDecimal("."));
}

TEST(Decimal, ArithmeticIsExact) {
  EXPECT_EQ(*DecimalSubtract("10", "6"), "4");
  EXPECT_EQ(*DecimalSubtract("4", "6"), "-2");
  EXPECT_EQ(*DecimalSubtract("0.3", "0.1"), "0.2");  // 0.19999999999999998 in binary floating point
  EXPECT_EQ(*DecimalAdd("0.1", "0.2"), "0.3");
  EXPECT_EQ(*DecimalAdd("99999999999999999999", "1"), "100000000000000000000");
  EXPECT_EQ(*DecimalSubtract("-1.5", "-1.5"), "0");
  EXPECT_EQ(*DecimalCompare("2.50", "2.5"), 0);
  EXPECT_EQ(*DecimalCompare("-3", "2"), -1);
  EXPECT_FALSE(DecimalSubtract("x", "1"));
}

TEST(Path, ParsesQualifiersElementsAndComponents) {
  auto p = gateway::mapping::ParseX12Path("N1[N101=ST]/N3-01");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->steps.size(), 2u);
  EXPECT_EQ(p->steps[0].tag, "N1");
  ASSERT_EQ(p->steps[0].conditions.size(), 1u);
  EXPECT_EQ(p->steps[0].conditions[0].element, 1);
  EXPECT_EQ(p->steps[0].conditions[0].values, std::vector<std::string>{"ST"});
  EXPECT_EQ(p->element, 1);
  auto q = gateway::mapping::ParseX12Path("**/HL[HL03=I]");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->steps[0].descendant);
  EXPECT_EQ(q->element, 0);
  auto c = gateway::mapping::ParseX12Path("QTY[QTY01!=17|33]-03-1");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->steps[0].conditions[0].negate);
  EXPECT_EQ(c->steps[0].conditions[0].values.size(), 2u);
  EXPECT_EQ(c->component, 1);
  auto bad = gateway::mapping::ParseX12Path("N1[N201=ST]-02");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("N101"), std::string::npos) << bad.status().message();
}

TEST(PartnerProfile, ErrorsNameFileLineAndKey) {
  TempDir dir;
  const std::string f = dir.Write("p.yaml",
                                  "id: acme\n"
                                  "x12:\n"
                                  "  ours: {qualifier: ZZ, id: OMS}\n"
                                  "  theirs: {qualifier: ZZZ, id: ACME}\n");
  auto p = gateway::partners::LoadPartnerProfile(f, dir.path());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find(f + ":4: x12.theirs.qualifier"), std::string::npos) << p.status().message();
  const std::string g = dir.Write("q.yaml", "id: acme\nformat: xml\ndeadlines: {ack_997: soon}\n");
  auto q = gateway::partners::LoadPartnerProfile(g, dir.path());
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find(g + ":3: deadlines.ack_997"), std::string::npos) << q.status().message();
  const std::string h = dir.Write("r.yaml", "id: acme\nformat: xml\ncode_tabels: {}\n");
  auto r = gateway::partners::LoadPartnerProfile(h, dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(h + ":3: code_tabels: unknown key"), std::string::npos) << r.status().message();
}

TEST(PartnerProfile, ExamplesLoad) {
  auto setup = gateway::mapping::LoadPartnerSetup(kConfig, "example-3pl");
  ASSERT_TRUE(setup.ok()) << setup.status().message();
  EXPECT_EQ(setup->profile.theirs.id, "RENO3PL");
  EXPECT_EQ(setup->inbound.size(), 6u);
  EXPECT_EQ(setup->outbound.count("940"), 1u);
  EXPECT_EQ(setup->profile.ack_deadline.count(), 4 * 3600);
  auto xml = gateway::mapping::LoadPartnerSetup(kConfig, "example-xml-3pl");
  ASSERT_TRUE(xml.ok()) << xml.status().message();
}

// A mapping with an error is refused with its file and line; a mapping error in a message
// names the mapping line, the field and the segment position.
TEST(Mapping, ErrorsPointAtTheMappingLineAndTheSegment) {
  TempDir dir;
  fs::create_directories(dir.path() + "/partners");
  fs::create_directories(dir.path() + "/mappings");
  dir.Write("config.yaml", "partners_dir: partners\nmappings_dir: mappings\n");
  dir.Write("partners/p.yaml",
            "id: p\nx12:\n  ours: {qualifier: ZZ, id: OMSGATEWAY}\n  theirs: {qualifier: ZZ, id: RENO3PL}\n"
            "mappings:\n  inbound:\n    \"945\": m.yaml\n");
  dir.Write("mappings/m.yaml",
            "mapping: m\ntransaction_set: \"945\"\ntype: shipment_confirmation\n"
            "data:\n  order_id: {path: W06-02, required: true}\n  lines:\n    each: LX/W12\n"
            "    fields:\n      sku: {path: W12-22, required: true}\n");
  auto setup = gateway::mapping::LoadPartnerSetup(dir.path() + "/config.yaml", "p");
  ASSERT_TRUE(setup.ok()) << setup.status().message();
  auto r = RunCommand({kBin, "map", "--config", dir.path() + "/config.yaml", "--partner", "p",
                       kSrc + "/examples/x12/945-shipments.edi"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("mappings/m.yaml:9: data.lines[0].sku: required value missing (W12-22 from segment 11 (W12))"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;

  dir.Write("mappings/m.yaml", "mapping: m\ntransaction_set: \"945\"\ntype: x\ndata:\n  a: {path: W06-02, lookup: nope}\n");
  auto bad = gateway::mapping::LoadPartnerSetup(dir.path() + "/config.yaml", "p");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("m.yaml:5: data.a.lookup: code table 'nope'"), std::string::npos)
      << bad.status().message();
  dir.Write("mappings/m.yaml", "mapping: m\ntransaction_set: \"945\"\ntype: x\ndata:\n  a: \"N1[N101=ST\"\n");
  auto bad_path = gateway::mapping::LoadPartnerSetup(dir.path() + "/config.yaml", "p");
  ASSERT_FALSE(bad_path.ok());
  EXPECT_NE(bad_path.status().message().find("m.yaml:5: path 'N1[N101=ST'"), std::string::npos)
      << bad_path.status().message();
}

// Every golden pair of every shipped mapping, the exception pack and the guide's example.
TEST(Golden, AllPairsPass) {
  for (const std::string dir : {"/tests/gateway/golden/example-3pl", "/tests/gateway/golden/example-xml-3pl",
                                "/tests/gateway/golden/example-merchant", "/docs/examples/acme-3pl/golden"}) {
    std::ostringstream out;
    auto sum = gateway::mapping::RunGoldenTests(kSrc + dir, out);
    ASSERT_TRUE(sum.ok()) << sum.status().message();
    EXPECT_EQ(sum->failed, 0) << out.str();
    EXPECT_GT(sum->passed, 0) << dir;
  }
}

class Collect : public gateway::mapping::InboundSink {
 public:
  void OnMapped(const gateway::mapping::MappedMessage& m) override { events.emplace_back(m.event); }
  void OnRejected(gateway::mapping::RejectedMessage r) override { rejected.push_back(r.what); }
  void OnWarning(const std::string&) override {}
  std::vector<std::string> events, rejected;
};

// Every event produced from the golden inputs and the examples validates against the JSON
// Schema of its type (docs/schemas), with the project's schema checker.
TEST(Schemas, EveryProducedEventValidates) {
  struct Dir {
    std::string path, config, partner;
  };
  const std::vector<Dir> dirs = {{kSrc + "/tests/gateway/golden/example-3pl", kConfig, "example-3pl"},
                                 {kSrc + "/examples/x12", kConfig, "example-3pl"},
                                 {kSrc + "/tests/gateway/golden/example-xml-3pl", kConfig, "example-xml-3pl"},
                                 {kSrc + "/tests/gateway/golden/example-merchant", kConfig, "example-merchant"},
                                 {kSrc + "/docs/examples/acme-3pl/golden", kSrc + "/docs/examples/acme-3pl/config.yaml",
                                  "acme-3pl"}};
  std::map<std::string, int> per_type;
  for (const Dir& d : dirs) {
    auto setup = gateway::mapping::LoadPartnerSetup(d.config, d.partner);
    ASSERT_TRUE(setup.ok()) << setup.status().message();
    for (const auto& e : fs::directory_iterator(d.path)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".edi" && ext != ".xml") continue;
      if (e.path().filename().string().find(".expected") != std::string::npos) continue;
      Collect c;
      ASSERT_TRUE(gateway::mapping::MapFile(e.path().string(), *setup, false, c).ok());
      for (const std::string& line : c.events) {
        const json event = json::parse(line);
        const std::string type = event["type"];
        const json* schema = gateway::canonical::CanonicalSchema(type);
        ASSERT_NE(schema, nullptr) << type;
        std::vector<std::string> errors;
        EXPECT_TRUE(gateway::canonical::CheckJsonSchema(*schema, event, &errors))
            << e.path() << ": " << (errors.empty() ? "" : errors[0]) << "\n" << line;
        ++per_type[type];
      }
    }
  }
  for (const char* t : {"shipment_confirmation", "ship_notice", "inventory_snapshot", "receipt_advice",
                        "order_acknowledgment", "fulfillment_order"}) {
    EXPECT_GT(per_type[t], 0) << t;
  }
  // The orders of the golden tests and examples against fulfillment_order.
  const json* schema = gateway::canonical::CanonicalSchema("fulfillment_order");
  ASSERT_NE(schema, nullptr);
  for (const std::string f : {"/examples/orders/SO-10047.json", "/tests/gateway/golden/example-3pl/940-order.json"}) {
    std::ifstream in(kSrc + f);
    std::stringstream text;
    text << in.rdbuf();
    auto order = gateway::canonical::ParseExactJson(text.str());  // 2.50 stays "2.50", not a double
    ASSERT_TRUE(order.ok());
    std::vector<std::string> errors;
    EXPECT_TRUE(gateway::canonical::CheckJsonSchema(*schema, *order, &errors, "#/$defs/data"))
        << f << ": " << (errors.empty() ? "" : errors[0]);
  }
}

// Every field of `order` is in `event_data` with the same value; numbers (quantities) compare
// as the exact decimals they denote ("2.50" and 2.5 are the same quantity).
void ExpectOrderWithin(const json& order, const json& event_data, const std::string& where) {
  if (order.is_object()) {
    ASSERT_TRUE(event_data.is_object()) << where << ": " << event_data;
    for (const auto& [k, v] : order.items()) {
      ASSERT_TRUE(event_data.contains(k)) << where << "." << k << " is missing: " << event_data;
      ExpectOrderWithin(v, event_data[k], where + "." + k);
    }
  } else if (order.is_array()) {
    ASSERT_TRUE(event_data.is_array() && event_data.size() == order.size()) << where << ": " << event_data;
    for (size_t i = 0; i < order.size(); ++i) ExpectOrderWithin(order[i], event_data[i], where + "[" + std::to_string(i) + "]");
  } else if (order.is_string() && event_data.is_string() && order.get<std::string>().find_first_not_of("0123456789.") == std::string::npos) {
    EXPECT_EQ(NormalizeDecimal(order.get<std::string>()).value_or("?"), event_data.get<std::string>()) << where;
  } else if (order.is_number() && event_data.is_string()) {
    EXPECT_EQ(NormalizeDecimal(order.dump()).value_or("?"), event_data.get<std::string>()) << where;
  } else {
    EXPECT_EQ(order, event_data) << where;
  }
}

// The two 940 mappings are each other's inverse: an order rendered as a 940 for a 3PL and read
// back as a merchant's 940 is the same order (as a fulfillment_order event).
TEST(Mapping940, ARenderedOrderMapsBackToTheSameOrder) {
  TempDir dir;
  const std::string second = R"({"order_id": "SO-77", "ship_to": {"name": "A. Buyer", "address_lines": ["9 Long Road"],
    "city": "Elko", "state": "NV", "postal_code": "89801"}, "warehouse": "RENO1",
    "lines": [{"line_number": 1, "sku": "BOLT-M8", "quantity": "0.125", "uom": "PK"},
              {"line_number": 7, "sku": "NUT-M8", "quantity": 1200, "uom": "CA", "description": "Nuts, M8, box of 100"}]})";
  std::ofstream(dir.path() + "/second.json") << second;
  // The least an order may have: no warehouse, date, carrier or purchase order.
  std::ofstream(dir.path() + "/least.json") << R"({"order_id": "SO-78", "ship_to": {"name": "B", "address_lines": ["1 A St"],
    "city": "Ely", "state": "NV", "postal_code": "89301"}, "lines": [{"line_number": 1, "sku": "X", "quantity": 1, "uom": "EA"}]})";
  for (const std::string& order_path :
       {kSrc + "/examples/orders/SO-10047.json", dir.path() + "/second.json", dir.path() + "/least.json"}) {
    SCOPED_TRACE(order_path);
    auto rendered = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl", order_path});
    ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
    std::ofstream(dir.path() + "/order.edi") << rendered.out;
    auto mapped = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-merchant", dir.path() + "/order.edi"});
    ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
    ASSERT_EQ(std::count(mapped.out.begin(), mapped.out.end(), '\n'), 1) << mapped.out;
    const json event = json::parse(mapped.out);
    EXPECT_EQ(event["type"], "fulfillment_order");
    const json order = json::parse(x12test::ReadFile(order_path));
    EXPECT_EQ(event["idempotencykey"], "example-merchant:940:" + order["order_id"].get<std::string>());
    ExpectOrderWithin(order, event["data"], "data");
  }
}

TEST(SchemaChecker, ReportsJsonPaths) {
  const json* schema = gateway::canonical::CanonicalSchema("shipment_confirmation");
  ASSERT_NE(schema, nullptr);
  json data = {{"order_id", "A"}, {"shipment_id", "B"}, {"ship_date", "2026-13-01"},
               {"lines", json::array({{{"line_number", 1}, {"sku", "S"}, {"quantity_shipped", 2.5},
                                       {"uom", "EA"}, {"status", "lost"}}})}};
  std::vector<std::string> errors;
  EXPECT_FALSE(gateway::canonical::CheckJsonSchema(*schema, data, &errors, "#/$defs/data"));
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  EXPECT_NE(all.find("$.ship_date: \"2026-13-01\" is not a valid date"), std::string::npos) << all;
  EXPECT_NE(all.find("$.lines[0].quantity_shipped: must be string"), std::string::npos) << all;
  EXPECT_NE(all.find("$.lines[0].status: must be one of"), std::string::npos) << all;
}

TEST(MapCommand, RejectedSetsGoToStderrAndExitOne) {
  auto r = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl",
                       kSrc + "/tests/gateway/golden/example-3pl/945-one-rejected.edi"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.err.find("REJECTED set 945 0002"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SE01 says"), std::string::npos) << r.err;
}

TEST(MapCommand, DataAfterTheLastIeaIsReportedAsSuchAndTheSetsAreStillMapped) {
  TempDir dir;
  const std::string good = x12test::ReadFile(kSrc + "/examples/x12/945-shipments.edi");
  const std::string path = dir.path() + "/trailing.edi";
  std::ofstream(path, std::ios::binary) << good << "\r\n\x1a";  // a DOS end-of-file mark
  auto r = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl", path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto clean = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl",
                                 kSrc + "/examples/x12/945-shipments.edi"});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  // Every set mapped all the same (edisource differs: another file name and hash).
  std::istringstream got(r.out), want(clean.out);
  size_t events = 0;
  for (std::string g, w; std::getline(want, w);) {
    ASSERT_TRUE(std::getline(got, g)) << r.out;
    EXPECT_EQ(json::parse(g)["data"], json::parse(w)["data"]);
    EXPECT_EQ(json::parse(g)["idempotencykey"], json::parse(w)["idempotencykey"]);
    ++events;
  }
  EXPECT_EQ(events, 2u);
  EXPECT_NE(r.err.find("REJECTED trailing.edi: data outside an interchange"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unexpected data after IEA"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not X12"), std::string::npos) << r.err;

  const std::string text = dir.path() + "/notes.txt";
  std::ofstream(text) << "shipping notes, not EDI\n";
  r = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl", text});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("REJECTED notes.txt: not X12"), std::string::npos) << r.err;
}

TEST(MapCommand, PartnerOverridesTheSenderWithAWarning) {
  auto r = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl",
                       kSrc + "/docs/examples/acme-3pl/golden/acme-945.edi"});
  // Mapped with example-3pl's profile as asked; ACME's own status codes are not in its table.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("data.lines[0].status: code 'SH' is not in code table 'status'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warning: interchange 000007001: the sender is 01:123456789, not example-3pl's"),
            std::string::npos)
      << r.err;
}

TEST(MapCommand, ExplainNamesTheRules) {
  auto r = RunCommand({kBin, "map", "--config", kConfig, "--partner", "example-3pl", "--explain",
                       kSrc + "/examples/x12/945-shipments.edi"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("data.lines[1].quantity_shipped = 4  <- "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mappings/x12-004010/945.yaml:"), std::string::npos) << r.err;
}

TEST(RenderCommand, ValidOrderGivesA940AndBadOrderNamesJsonPaths) {
  auto ok = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl",
                        kSrc + "/examples/orders/SO-10047.json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("ISA*00*", 0), 0u) << ok.out;
  EXPECT_NE(ok.out.find("W01*2.5*CA**SK*MUG-RED-12~"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("W76*5.5~"), std::string::npos) << ok.out;
  // Rendered offline with a throwaway counter: control number 1, nothing consumed.
  EXPECT_NE(ok.out.find("*000000001*0*P*>~"), std::string::npos) << ok.out;
  auto bad = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl",
                         kSrc + "/tests/gateway/golden/example-3pl/940-bad-order.json"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(bad.out.empty());
  EXPECT_NE(bad.err.find("$.ship_to.postal_code: is required"), std::string::npos) << bad.err;
}

// X12 has no escape for a delimiter. In free text (`text: true` in the 940 mapping) a
// delimiter or control character becomes a space, with a warning naming the JSON path; in an
// identifier it refuses the order, because a changed order id or SKU would not match the 945.
TEST(RenderCommand, DelimitersInFreeTextAreReplacedAndInIdentifiersRefuseTheOrder) {
  TempDir dir;
  json order = json::parse(x12test::ReadFile(kSrc + "/examples/orders/SO-10047.json"));
  order["ship_to"]["name"] = "Lena *Ortiz* ~ Co > Sons";
  order["lines"][0]["description"] = "Tee\nblack\tM";
  const std::string text_order = dir.Write("text.json", order.dump());
  auto ok = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl", text_order});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("N1*ST*Lena  Ortiz    Co   Sons*92*C-55120~"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("G69*Tee black M~"), std::string::npos) << ok.out;
  EXPECT_NE(ok.err.find("warning: $.ship_to.name (N102): '*', '~', '>' cannot be sent in this partner's X12; "
                        "written as 'Lena  Ortiz    Co   Sons'"),
            std::string::npos)
      << ok.err;
  EXPECT_NE(ok.err.find("warning: $.lines[0].description (G6901): control character 0x0A, control character 0x09"),
            std::string::npos)
      << ok.err;
  const x12test::Collected v = x12test::ValidateText(ok.out);
  ASSERT_EQ(v.sets.size(), 1u);
  EXPECT_EQ(v.sets[0].status, 'A');

  order["lines"][1]["sku"] = "MUG*RED";
  auto refused = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl",
                             dir.Write("sku.json", order.dump())});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(refused.out.empty());
  EXPECT_NE(refused.err.find("$.lines[1].sku (W0105): '*' cannot be sent in this partner's X12 and this value is "
                             "not free text"),
            std::string::npos)
      << refused.err;

  // Under x12.charset ascii (the default) free text is transliterated; a character with no
  // ASCII form becomes in_data; an identifier outside ASCII refuses the order.
  order["lines"][1]["sku"] = "MUG-RED-12";
  order["ship_to"]["name"] = "Zo\u00eb M\u00fcller-\u0141ukasz \u2019s \u201cShop\u201d \u5e97";
  auto latin = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl",
                           dir.Write("latin.json", order.dump())});
  ASSERT_EQ(latin.exit_code, 0) << latin.err;
  EXPECT_NE(latin.out.find("N1*ST*Zoe Muller-Lukasz 's \"Shop\"*92*"), std::string::npos) << latin.out;
  EXPECT_NE(latin.err.find("'\u00fc' (U+00FC)"), std::string::npos) << latin.err;
  EXPECT_NE(latin.err.find("'\u5e97' (U+5E97)"), std::string::npos) << latin.err;
  order["lines"][1]["sku"] = "CAF\u00c9-1";
  auto accented_sku = RunCommand({kBin, "render", "--config", kConfig, "--partner", "example-3pl",
                                  dir.Write("accented-sku.json", order.dump())});
  EXPECT_EQ(accented_sku.exit_code, 1);
  EXPECT_NE(accented_sku.err.find("$.lines[1].sku (W0105): '\u00c9' (U+00C9) cannot be sent"), std::string::npos)
      << accented_sku.err;

  // x12.delimiters.in_data: reject refuses free text too.
  auto setup = gateway::mapping::LoadPartnerSetup(kConfig, "example-3pl");
  ASSERT_TRUE(setup.ok()) << setup.status().message();
  setup->profile.replace_in_data.reset();
  const gateway::mapping::RenderOutput r =
      gateway::mapping::RenderOrderText(*setup, x12test::ReadFile(text_order), gateway::mapping::RenderControl{});
  EXPECT_TRUE(r.order_invalid);
  EXPECT_TRUE(r.x12.empty());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("$.ship_to.name (N102)"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("in_data: reject"), std::string::npos) << r.errors[0];

  // x12.charset utf8 sends the letters as they are.
  auto utf8 = gateway::mapping::LoadPartnerSetup(kConfig, "example-3pl");
  ASSERT_TRUE(utf8.ok());
  utf8->profile.charset = "utf8";
  order["lines"][1]["sku"] = "MUG-RED-12";
  gateway::mapping::RenderControl control;
  control.date = "20261128";
  control.time = "1200";
  const gateway::mapping::RenderOutput u = gateway::mapping::RenderOrderText(*utf8, order.dump(), control);
  ASSERT_TRUE(u.errors.empty()) << u.errors[0];
  EXPECT_NE(u.x12.find("N1*ST*Zo\u00eb M\u00fcller-\u0141ukasz \u2019s \u201cShop\u201d \u5e97*92*"), std::string::npos)
      << u.x12;
  ASSERT_EQ(u.warnings.size(), 1u);  // the description's line break, not the name
  EXPECT_EQ(u.warnings[0].rfind("$.lines[0].description", 0), 0u) << u.warnings[0];

  // The setting is checked when the profile loads.
  std::string profile = x12test::ReadFile(kSrc + "/partners/example-3pl.yaml");
  profile = profile.substr(0, profile.find("\ntransport:") + 1);
  const std::string at = "suffix: \"\\n\"";
  ASSERT_NE(profile.find(at), std::string::npos);
  profile.replace(profile.find(at), at.size(), at + ", in_data: \"*\"");
  const std::string bad = dir.Write("bad.yaml", profile);
  auto p = gateway::partners::LoadPartnerProfile(bad, kSrc + "/mappings");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("x12.delimiters.in_data"), std::string::npos) << p.status().message();
}

TEST(MappingTestCommand, ReportsADiffOnMismatch) {
  TempDir dir;
  const std::string g = kSrc + "/tests/gateway/golden/example-3pl/";
  std::ifstream in(g + "945-over-shipped.expected.jsonl");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string expected = ss.str();
  const std::string from = "\"quantity_difference\":\"-2\"";
  expected.replace(expected.find(from), from.size(), "\"quantity_difference\":\"2\"");
  fs::copy_file(g + "945-over-shipped.edi", dir.path() + "/case.edi");
  dir.Write("case.expected.jsonl", expected);
  dir.Write("mapping-test.yaml", "config: " + kConfig + "\npartner: example-3pl\n");
  auto r = RunCommand({kBin, "mapping", "test", dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("FAIL case.edi"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("$.data.lines[0].quantity_difference: expected \"2\", got \"-2\""), std::string::npos) << r.out;
  auto all = RunCommand({kBin, "mapping", "test", kSrc + "/tests/gateway/golden/example-3pl"});
  EXPECT_EQ(all.exit_code, 0) << all.out;
}

}  // namespace
