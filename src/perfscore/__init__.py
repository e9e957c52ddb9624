"""perfscore: score Chinese budget performance self-evaluations (预算绩效自评)."""
