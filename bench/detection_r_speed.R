#!/usr/bin/env Rscript
# R `surveillance` on a subset of the bench/detection_speed.py workload, extrapolated to 8,000 series.
#
#   python bench/detection_speed.py --export 40 bench/out/speed_subset.csv   # first 40 series, same seed
#   Rscript bench/detection_r_speed.R bench/out/speed_subset.csv [evaluate_last=104] [total_series=8000]
#
# Each method runs with the same settings as `ytcs detect` defaults (see docs/surveillance-detection.md)
# on the last `evaluate_last` weeks of every series; the per-series time is multiplied by the total.
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "bench/out/speed_subset.csv"
last <- if (length(args) >= 2) as.integer(args[2]) else 104L
total <- if (length(args) >= 3) as.integer(args[3]) else 8000L

d <- read.csv(path)
ids <- unique(d$series_id)
cat(sprintf("%s; surveillance %s; %d series x %d weeks, last %d evaluated\n", R.version.string,
            packageVersion("surveillance"), length(ids), sum(d$series_id == ids[1]), last))
methods <- list(
  "farrington-flexible" = function(s, rng) farringtonFlexible(s, control = list(
    range = rng, b = 5, w = 3, noPeriods = 10, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
    pThresholdTrend = 1, thresholdMethod = "nbPlugin", alpha = 0.05, glmWarnings = FALSE)),
  "farrington" = function(s, rng) farrington(s, control = list(range = rng, b = 3, w = 3, alpha = 0.1)),
  "ears-c1" = function(s, rng) earsC(s, control = list(range = rng, method = "C1")),
  "ears-c2" = function(s, rng) earsC(s, control = list(range = rng, method = "C2")),
  "ears-c3" = function(s, rng) earsC(s, control = list(range = rng, method = "C3")),
  "cusum" = function(s, rng) cusum(s, control = list(range = rng, k = 1.04, h = 2.26, trans = "standard"))
)
for (m in names(methods)) {
  t0 <- proc.time()[["elapsed"]]
  for (id in ids) {
    y <- d$count[d$series_id == id]
    s <- sts(observed = y, start = c(2017, 1), frequency = 52)
    rng <- (length(y) - last + 1):length(y)
    invisible(suppressWarnings(capture.output(methods[[m]](s, rng))))
  }
  per <- (proc.time()[["elapsed"]] - t0) / length(ids)
  cat(sprintf("%-20s %8.4f s/series  -> %9.1f s for %d series (one core)\n", m, per, per * total, total))
}
