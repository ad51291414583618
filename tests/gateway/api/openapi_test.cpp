// docs/openapi.yaml must parse and describe every route the server answers, with the shared
// error shape: the document is what the OMS team codes against.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <string>

namespace {

YAML::Node LoadSpec() {
  return YAML::LoadFile(std::string(EDIGATE_SOURCE_DIR) + "/docs/openapi.yaml");
}

TEST(ApiOpenApi, ParsesAndListsEveryRoute) {
  YAML::Node spec;
  ASSERT_NO_THROW(spec = LoadSpec());
  EXPECT_EQ(spec["openapi"].as<std::string>().substr(0, 2), "3.");
  const YAML::Node paths = spec["paths"];
  ASSERT_TRUE(paths.IsMap());
  EXPECT_TRUE(paths["/v1/fulfillment-orders"]["post"].IsMap());
  EXPECT_TRUE(paths["/v1/messages/{id}"]["get"].IsMap());
  EXPECT_TRUE(paths["/healthz"]["get"].IsMap());
  EXPECT_TRUE(paths["/readyz"]["get"].IsMap());
  EXPECT_TRUE(paths["/metrics"]["get"].IsMap());
}

TEST(ApiOpenApi, OrderContractFollowsTheIdempotencyDraft) {
  const YAML::Node post = LoadSpec()["paths"]["/v1/fulfillment-orders"]["post"];
  const YAML::Node responses = post["responses"];
  for (const char* code : {"202", "400", "401", "409", "413", "415", "422", "431"}) {
    EXPECT_TRUE(responses[code].IsDefined()) << code;
  }
  const YAML::Node content = post["requestBody"]["content"];
  const std::string data_ref = content["application/json"]["schema"]["$ref"].as<std::string>();
  const std::string event_ref =
      content["application/cloudevents+json"]["schema"]["$ref"].as<std::string>();
  EXPECT_EQ(data_ref.rfind("schemas/fulfillment_order.schema.json", 0), 0u) << data_ref;
  EXPECT_EQ(event_ref, "schemas/fulfillment_order.schema.json");
  // The referenced schema file exists next to the document.
  EXPECT_TRUE(std::filesystem::exists(std::string(EDIGATE_SOURCE_DIR) +
                                      "/docs/schemas/fulfillment_order.schema.json"));
}

TEST(ApiOpenApi, LocalReferencesResolve) {
  const YAML::Node spec = LoadSpec();
  int checked = 0;
  // Every "#/components/<kind>/<name>" reference names something that is defined.
  std::function<void(const YAML::Node&)> walk = [&](const YAML::Node& n) {
    if (n.IsMap()) {
      for (const auto& kv : n) {
        if (kv.first.as<std::string>() == "$ref") {
          const std::string ref = kv.second.as<std::string>();
          if (ref.rfind("#/components/", 0) != 0) continue;
          const std::string rest = ref.substr(std::string("#/components/").size());
          const auto slash = rest.find('/');
          ASSERT_NE(slash, std::string::npos) << ref;
          EXPECT_TRUE(spec["components"][rest.substr(0, slash)][rest.substr(slash + 1)].IsDefined())
              << ref;
          ++checked;
        } else {
          walk(kv.second);
        }
      }
    } else if (n.IsSequence()) {
      for (const auto& item : n) walk(item);
    }
  };
  walk(spec);
  EXPECT_GT(checked, 10);
  const YAML::Node error = spec["components"]["schemas"]["Error"];
  EXPECT_TRUE(error["properties"]["error"]["properties"]["code"].IsDefined());
  EXPECT_TRUE(error["properties"]["error"]["properties"]["message"].IsDefined());
}

}  // namespace
