// Fuzz target: the .ulm loader and scorer on arbitrary bytes (a valid tiny
// model in the seed corpus lets mutations reach the body), and the Sphinx
// trie reader for inputs that start with its magic.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lm/sphinx_import.h"
#include "unspin/error.h"
#include "unspin/lm.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.substr(0, 19) == "Trie Language Model") {
    try {
      unspin::lm::read_sphinx_trie(bytes, "fuzz.lm.bin");
    } catch (const unspin::Error&) {
    }
    return 0;
  }
  // LanguageModel::open maps a file: write the input to a per-process one in
  // the temp folder, removed when this input is done (it used to be left
  // behind after every run).
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/unspin_fuzz_ulm_" + std::to_string(::getpid()) + ".ulm";
  }();
  struct RemoveAtExit {
    ~RemoveAtExit() { std::remove(path.c_str()); }
  } remove_at_exit;  // destroyed after the model below: the mapping is gone first
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    auto model = unspin::LanguageModel::open(path);
    const unspin::WordId limit = static_cast<unspin::WordId>(model->vocab_size() < 64 ? model->vocab_size() + 2 : 64);
    for (const char* w : {"the", "The", "<s>", "</s>", "", "zebra"}) model->vocab_id(w);
    unspin::LmState state = model->begin_sentence(), next;
    for (unspin::WordId id = 0; id < limit; ++id) {
      model->word(id);
      model->score(state, id, &next);
      state = next;
      model->score(model->null_context(), id, nullptr);
    }
    (void)state.hash();
  } catch (const unspin::Error&) {
  }
  return 0;
}
