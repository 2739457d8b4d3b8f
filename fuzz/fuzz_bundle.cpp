// Fuzz target: the model bundle's parser (fitted/bundle.h) and the engine's
// reading of its parameters (decode::FittedParams) on arbitrary bytes. The
// body checksum is set right before parsing, so that mutations reach the
// section directory and the trees instead of stopping at the checksum (a
// corrupt body is refused by the checksum in real use).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/checksum.h"
#include "decode/fitted_params.h"
#include "fitted/bundle.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  using unspin::fitted::BundleHeader;
  if (bytes.size() >= sizeof(BundleHeader)) {
    const std::uint64_t checksum = unspin::fnv1a64(std::string_view(bytes).substr(sizeof(BundleHeader)));
    std::memcpy(bytes.data() + offsetof(BundleHeader, body_checksum), &checksum, sizeof checksum);
  }
  try {
    const auto bundle = unspin::fitted::Bundle::parse(bytes, "fuzz.ubundle");
    for (const std::string& name : bundle->section_names()) {
      (void)bundle->text(name);
      for (std::size_t width : {1, 2, 16}) {
        try {
          const unspin::fitted::BoostedTrees& trees = bundle->trees(name, width);
          const std::vector<float> x(width, 0.5f);
          (void)trees.sum(x.data());
        } catch (const unspin::Error&) {
        }
      }
    }
    (void)unspin::fitted::check_bundle(*bundle, "0000000000000000", "0000000000000000");
    const unspin::decode::FittedParams params(bundle);
    (void)params.word_model.trees();
  } catch (const unspin::Error&) {
  }
  return 0;
}
