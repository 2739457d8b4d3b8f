// The detector's fitted parameters (detect/detector.h), read from the model
// bundle's "detector.*" values (docs/LM.md, "The model bundle"). Fitted by
// `unspin-eval eval detect --fit` on the BUILD part of the corpora (never the
// eval part); the command, data and figures are in bench/RESULTS.md and in
// the section file data/fitted/detector.json.
#include "detect/detector.h"
#include "detect/evidence.h"
#include "fitted/bundle.h"

namespace unspin::detect {

DetectorParams DetectorParams::from_bundle(const fitted::Bundle& bundle) {
  DetectorParams p;
  p.screen = bundle.values("detector.screen", static_cast<long>(kScreenDims));
  p.full = bundle.values("detector.full", static_cast<long>(kFullDims));
  p.clean_unseen_rate = bundle.values("detector.clean_unseen_rate", kClasses * kClasses);
  const std::vector<double>& missing = bundle.values("detector.missing", 2);
  p.missing_a = missing[0];
  p.missing_b = missing[1];
  p.screen_pass = bundle.value("detector.screen_pass");
  return p;
}

}  // namespace unspin::detect
