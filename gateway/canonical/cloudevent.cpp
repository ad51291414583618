#include "gateway/canonical/cloudevent.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>

#include "gateway/canonical/json_text.h"

namespace gateway::canonical {

namespace {

// SHA-256 of a short text with a digest context and algorithm fetched once per thread: the
// one-shot SHA256() looks the algorithm up in OpenSSL's provider tables on every call, which
// costs more than hashing an idempotency key (one call per mapped set).
void Sha256Of(std::string_view text, unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  struct Hasher {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Hasher() {
      EVP_MD_CTX_free(ctx);
      EVP_MD_free(md);
    }
  };
  thread_local Hasher h;
  unsigned int len = 0;
  if (h.md == nullptr || h.ctx == nullptr || EVP_DigestInit_ex2(h.ctx, h.md, nullptr) != 1 ||
      EVP_DigestUpdate(h.ctx, text.data(), text.size()) != 1 || EVP_DigestFinal_ex(h.ctx, digest, &len) != 1) {
    std::abort();  // OpenSSL without SHA-256, or out of memory: nothing to recover
  }
}

}  // namespace

std::string EventIdFromKey(std::string_view key) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  Sha256Of(key, d);
  d[6] = static_cast<unsigned char>((d[6] & 0x0F) | 0x50);  // version 5 layout
  d[8] = static_cast<unsigned char>((d[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHex[d[i] >> 4]);
    id.push_back(kHex[d[i] & 15]);
  }
  return id;
}

void AppendCloudEvent(std::string& out, const Envelope& e, std::string_view data_json) {
  AppendCloudEventHead(out, e);
  out += data_json;
  out += '}';
}

void AppendCloudEventHead(std::string& out, const Envelope& e) {
  JsonBuffer buf(out);
  AppendCloudEventHead(buf, e);
}

void AppendCloudEventHead(JsonBuffer& out, const Envelope& e) {
  out += "{\"specversion\":\"1.0\",\"id\":";
  if (e.id.empty()) {
    AppendJsonString(out, EventIdFromKey(e.idempotency_key));
  } else {
    AppendJsonString(out, e.id);
  }
  // Partner ids are [A-Za-z0-9._-] (checked when a profile is loaded): nothing to escape.
  out += ",\"source\":\"edigate/";
  out += e.partner;
  out += '"';
  out += ",\"type\":";
  AppendJsonString(out, e.type);
  if (!e.time.empty()) {
    out += ",\"time\":";
    AppendJsonString(out, e.time);
  }
  out += ",\"datacontenttype\":\"application/json\",\"idempotencykey\":";
  AppendJsonString(out, e.idempotency_key);
  if (e.source != nullptr) {
    out += ",\"edisource\":{\"file\":";
    AppendJsonString(out, e.source->file);
    out += ",\"sha256\":";
    AppendJsonString(out, e.source->sha256);
    for (const auto& [k, v] : {std::pair<std::string_view, const std::string*>{",\"isa13\":", &e.source->isa13},
                               {",\"gs06\":", &e.source->gs06},
                               {",\"st02\":", &e.source->st02}}) {
      if (v->empty()) continue;
      out += k;
      AppendJsonString(out, *v);
    }
    out += '}';
  }
  out += ",\"data\":";
}

}  // namespace gateway::canonical
