#include "decode/score.h"

#include "detect/detector.h"

namespace unspin::decode {

Score score_of(double log_lr, double base_rate, double verdict_threshold) {
  Score s;
  s.log_lr = log_lr;
  s.probability = detect::probability(log_lr, base_rate);
  s.verdict = s.probability >= verdict_threshold ? Verdict::kSpun : Verdict::kClean;
  return s;
}

}  // namespace unspin::decode
