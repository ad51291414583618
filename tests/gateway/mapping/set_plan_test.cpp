// SetPlan (the compiled mapping) against the Evaluator: for every set, clean or not, the sink
// sees the same callbacks with the same text whether sets go through the plan (and back to
// the Evaluator when it gives up) or through the Evaluator alone. The inputs are random 945s
// whose values take every form the transforms care about, a mapping that uses every rule
// kind, the shipped 945 and 856 mappings, and damaged copies of all of them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/mapping/inbound.h"
#include "gateway/mapping/map_file.h"
#include "tests/support/mapping_transcript.h"
#include "tests/support/x12_text.h"

namespace {

namespace fs = std::filesystem;
const std::string kSrc = EDIGATE_SOURCE_DIR;

using mappingtest::Transcript;

// A mapping with every rule kind and transform, over 945s.
const char* const kEveryRule = R"(mapping: every-rule
format: x12
direction: inbound
transaction_set: "945"
type: shipment_confirmation
idempotency_key: [order_id, shipment_id]
data:
  order_id: {path: W06-02, required: true}
  shipment_id: {path: W06-04, required: true}
  label: {concat: [W06-02, {value: "x"}, W06-04], separator: "/"}
  shouted: {path: "N1[N101=ST]-02", upper: true}
  both_names: {concat: ["N1[N101=ST]-02", "N1[N101=SF]-02"], separator: " & ", upper: true}
  ship_date: {path: W06-03, type: date}
  ship_time: {path: "G62[G6201=11]-04", type: time}
  stamp: {concat: [W06-03, "G62[G6201=11]-04"], separator: " ", type: datetime}
  implied: {path: W03-01, decimals: 2}
  weight: {path: W03-02, type: decimal}
  defaulted: {path: W06-06, default: "none"}
  fixed: {value: "fixed"}
  method: {path: W27-01, map: {M: "motor", A: "air"}, on_missing: keep}
  units: {sum: {each: "LX/W12", value: W12-03}, type: decimal}
  scac_if_motor: {path: W27-02, when: "W27-01 == M"}
  scac_unless_motor: {path: W27-02, when: "W27-01 != M"}
  codes: {collect: [W27-01, W06-01, W06-09]}
  carrier:
    when: "W27"
    fields:
      scac: {path: W27-02, lookup: carrier, on_missing: keep}
      service: W27-03
  lines:
    each: LX/W12
    fields:
      n: {index: true}
      line: {first: ["N9[N901=LI]-02", LX-01], type: integer}
      diff: {difference: [W12-02, W12-03]}
      diff_weight: {difference: [{path: W12-10, default: "0"}, {value: "0.25"}], type: decimal}
      weight: {path: W12-10, type: decimal}
      ordered: {path: W12-02, type: decimal}
      shipped: {path: W12-03, type: integer, on_missing: omit}
      uom: {path: W12-05, lookup: uom, on_missing: omit}
      uom_back: {path: W12-05, lookup: uom, reverse: true, on_missing: keep}
      shipped_flag: {path: W12-01, map: {CC: "Y", CL: "N"}, type: boolean, on_missing: omit}
      sku: {path: W12-08, trim: false}
      sku_upper: {path: W12-08, upper: true}
      status: {path: W12-01, lookup: status, on_missing: omit}
      substituted_for:
        when: "W12-01 in [IS, CS]"
        fields:
          sku: W12-18
      around: {fields: {sku: W12-08, carton: LX-01, order: W06-02}}
      tracking: {each: ["MAN[MAN01=GM]", "N9[N901=2I]"], item: {path: "MAN[MAN01=GM]-02"}}
      carton_numbers: {each: "LX", item: {path: LX-01, type: integer}}
      nothing: {each: "W27", fields: {a: W12-01}}
  cartons:
    each: ["N1[N101=ZZ]", LX]
    fields:
      n: LX-01
      sscc: "MAN-02"
      tracking: {first: ["N9[N901=2I]-02", "W12/N9[N901=2I]-02"]}
  statuses: {each: LX/W12, item: {path: W12-01, map: {CC: "Y"}, type: boolean, on_missing: omit}}
)";

// A 945 whose values vary the way partners' do: decimals written many ways, spaces around
// codes, lower case names, optional segments present or not, substitutions.
std::string Random945(std::mt19937& rng, int n) {
  const auto pick = [&](std::initializer_list<const char*> v) {
    return std::string(*(v.begin() + static_cast<long>(rng() % v.size())));
  };
  const std::string control = std::to_string(1000 + n);
  std::string b;
  b += "W06*" + pick({"N", "F", "J"}) + "*SO" + control + "*" + pick({"20261120", "20240229"}) + "*SH" +
       control + pick({"", "**PO77", "**  PO 77  "}) + "~\n";
  b += "N1*ST*" + pick({"acme store 12", "ACME  STORE", " Mixed Case "}) + "*92*S12~\n";
  if (rng() % 2) b += "N1*SF*" + pick({"west dc", "EAST"}) + "~\n";
  if (rng() % 3) b += "G62*11*20261120" + pick({"", "*8*1430", "*8*143015"}) + "~\n";
  if (rng() % 4) b += "W27*" + pick({"M", "A", "U"}) + "*" + pick({"UPSN", "FDEG", "ZZZZ"}) + "*GROUND~\n";
  const int cartons = 1 + static_cast<int>(rng() % 4);
  for (int c = 1; c <= cartons; ++c) {
    b += "LX*" + std::to_string(c) + "~\n";
    if (rng() % 3) b += "MAN*GM*0000123456789012345" + std::to_string(c % 10) + "~\n";
    const int lines = 1 + static_cast<int>(rng() % 3);
    for (int l = 0; l < lines; ++l) {
      const std::string status = pick({"CC", "CL", "CP", "IS", "BP", "XX"});
      std::vector<std::string> e(19);
      e[1] = status;
      e[2] = pick({"10", "010", "10.50", "0", "7", ""});
      e[3] = pick({"10", "3", "0", "12", "010", "10.5"});
      e[5] = pick({"EA", "CA", "CS", "ZZ", ""});
      e[7] = "SK";
      e[8] = pick({"SKU-1", " sku-2 ", "SKU 3"});
      if (rng() % 2) {
        e[10] = pick({"1.5", "2", "0.250", "10"});
        e[11] = "G";
        e[12] = "L";
      }
      if (status == "IS") {
        e[17] = "SK";
        e[18] = "OLD-9";
      }
      size_t last = e.size() - 1;
      while (e[last].empty()) --last;
      std::string w12 = "W12";
      for (size_t k = 1; k <= last; ++k) w12 += "*" + e[k];
      b += w12 + "~\n";
      if (rng() % 3 == 0) {
        const std::string q = pick({"LI", "2I", "LT"});
        b += "N9*" + q + "*" + (q == "LI" ? pick({"7", "12"}) : pick({"1Z99", "L1"})) + "~\n";
      }
    }
  }
  b += "W03*" + pick({"150", "1", "99999"}) + "*" + pick({"25.5", "25.50", "3"}) + "*LB~\n";
  size_t count = 2;
  for (char ch : b) count += ch == '~' ? 1 : 0;
  return "ST*945*" + control + "~\n" + b + "SE*" + std::to_string(count) + "*" + control + "~\n";
}

class SetPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = gateway::mapping::LoadPartnerSetup(kSrc + "/config.example.yaml", "example-3pl");
    ASSERT_TRUE(s.ok()) << s.status().message();
    setup_ = std::move(*s);
  }

  Transcript Map(const std::string& input, bool compiled, unsigned threads = 0) {
    gateway::mapping::InboundOptions options;
    options.profile = &setup_.profile;
    options.mappings = setup_.inbound;
    options.source.file = "in.edi";
    options.source.sha256 = std::string(64, 'b');
    options.map_threads = threads;
    options.compiled = compiled;
    return mappingtest::MapX12(input, options);
  }

  void UseEveryRuleMapping() {
    const fs::path dir = fs::path(::testing::TempDir()) / "set_plan_test";
    fs::create_directories(dir);
    const fs::path file = dir / "every-rule.yaml";
    std::ofstream(file) << kEveryRule;
    auto m = gateway::mapping::LoadMapping(file.string(), setup_.profile);
    ASSERT_TRUE(m.ok()) << m.status().message();
    setup_.inbound["945"] = *m;
  }

  gateway::mapping::PartnerSetup setup_;
};

std::string Random945s(std::mt19937& rng, int interchanges, int sets) {
  std::string out;
  for (int i = 0; i < interchanges; ++i) {
    std::vector<std::string> body;
    for (int k = 0; k < sets; ++k) body.push_back(Random945(rng, k));
    x12test::IsaFields isa;
    isa.control = std::to_string(200000000 + i);
    out += x12test::Interchange(body, "SW", isa, std::to_string(51 + i));
  }
  return out;
}

TEST_F(SetPlanTest, EveryRuleKindWritesWhatTheEvaluatorWrites) {
  UseEveryRuleMapping();
  std::mt19937 rng(7);
  const std::string input = Random945s(rng, 3, 120);
  const Transcript planned = Map(input, true);
  const Transcript evaluated = Map(input, false);
  EXPECT_EQ(evaluated.compiled, 0u);
  EXPECT_GT(planned.mapped, 150);
  EXPECT_GT(planned.rejected, 5);  // dates, numbers and codes the transforms refuse
  // The plan mapped the clean sets; the sets with errors went back to the Evaluator.
  EXPECT_EQ(planned.compiled, static_cast<size_t>(planned.mapped));
  ASSERT_EQ(planned.text, evaluated.text);
  // Every rule kind produced something somewhere.
  for (const char* field : {"\"label\":", "\"shouted\":", "\"both_names\":", "\"ship_time\":", "\"stamp\":",
                            "\"implied\":", "\"defaulted\":\"none\"", "\"units\":", "\"scac_if_motor\":",
                            "\"scac_unless_motor\":", "\"codes\":[", "\"n\":2", "\"diff\":", "\"diff_weight\":",
                            "\"uom_back\":", "\"shipped_flag\":true", "\"shipped_flag\":false", "\"substituted_for\":",
                            "\"around\":", "\"tracking\":[", "\"carton_numbers\":[", "\"nothing\":[]", "\"cartons\":[",
                            "\"statuses\":[true"}) {
    EXPECT_NE(planned.text.find(field), std::string::npos) << field;
  }
}

TEST_F(SetPlanTest, DamagedSetsGiveTheSameCallbacks) {
  UseEveryRuleMapping();
  std::mt19937 rng(11);
  const std::string clean = Random945s(rng, 2, 30);
  const std::string alphabet = "*~:>^ABZ019-. \x01ISW12LXN9MAN";
  size_t compiled = 0;
  for (int round = 0; round < 40; ++round) {
    std::string input = clean;
    x12test::Damage(&input, rng, 1 + static_cast<int>(rng() % 10), alphabet, "W12*CC*1.2.3*-0~");
    const Transcript planned = Map(input, true);
    compiled += planned.compiled;
    ASSERT_EQ(planned.text, Map(input, false).text) << "round " << round;
  }
  EXPECT_GT(compiled, 500u);
}

TEST_F(SetPlanTest, ShippedMappingsWriteWhatTheEvaluatorWrites) {
  // The example profile's 945 and 856 mappings (the 856 reads the HL tree with "**/" paths),
  // on threads as the daemon runs them, over clean and damaged input.
  std::string input;
  for (int i = 0; i < 6; ++i) {
    std::vector<std::string> body;
    const bool ship_notices = i % 2 == 1;
    for (int k = 0; k < 40; ++k) {
      const std::string control = std::to_string(3000 + k);
      body.push_back(ship_notices ? x12test::Set856(control, "SH" + std::to_string(i) + control)
                                  : x12test::Set945(control, "SO" + control, "SH" + std::to_string(i) + control, 1 + k % 6));
    }
    x12test::IsaFields isa;
    isa.control = std::to_string(300000000 + i);
    input += x12test::Interchange(body, ship_notices ? "SH" : "SW", isa, std::to_string(61 + i));
  }
  const Transcript planned = Map(input, true, 2);
  EXPECT_EQ(planned.mapped, 240);
  EXPECT_EQ(planned.compiled, 240u);
  ASSERT_EQ(planned.text, Map(input, false).text);
  std::mt19937 rng(13);
  for (int round = 0; round < 20; ++round) {
    std::string damaged = input;
    x12test::Damage(&damaged, rng, 1 + static_cast<int>(rng() % 8), "*~:HL0123SIOP LIN", "HL*9*99*I~");
    ASSERT_EQ(Map(damaged, true, 2).text, Map(damaged, false).text) << "round " << round;
  }
}

}  // namespace
