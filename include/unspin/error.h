// Errors raised by the unspin library. Library code never exits; it throws
// unspin::Error, whose code maps one-to-one onto the CLI's exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace unspin {

// Exit statuses are part of the CLI contract (see README "Exit codes").
enum class ErrorCode : int {
  kUsage = 2,        // bad command line or malformed request
  kIo = 3,           // missing file, directory given as file, read/write failure
  kInvalidUtf8 = 4,  // input is not valid UTF-8
  kBinaryInput = 5,  // input looks like a binary file (NUL bytes, control characters)
  kTooLarge = 6,     // input exceeds --max-input-bytes
  kEmptyInput = 7,   // input has no text
  kBadModel = 8,     // model file missing, truncated, foreign or wrong version
  kBadData = 9,      // malformed source data (ARPA, TSV, CSV, lexicon sources)
  // The model bundle was fitted for another LM, lexicon or feature version
  // (docs/LM.md, "The model bundle"); --uncalibrated runs anyway.
  kModelMismatch = 10,
  kInternal = 70,  // a bug: an invariant of unspin itself failed
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace unspin
