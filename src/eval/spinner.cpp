// Placeholder until the evaluation harness lands.
