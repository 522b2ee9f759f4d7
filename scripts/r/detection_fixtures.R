#!/usr/bin/env Rscript
# Generate comparison fixtures for ytcs.surveillance.detection from R `surveillance`.
#
# Usage (from the repository root):
#   Rscript scripts/r/detection_fixtures.R ytcs/surveillance/tests/fixtures/detection
#
# Writes three gzip'd CSV files into the output directory:
#   series.csv.gz   series_id,week_start,count        (missing weeks are simply absent rows)
#   configs.csv     config_id,method,cli_args,r_call  (how ytcs is called / what R was run with)
#   results.csv.gz  config_id,series_id,week_start,expected,upperbound,alarm  (R's output, NA = empty)
#
# Every series is handed to R as a regular weekly `sts` object (start = ISO year/week of its first
# row, frequency = 52, epochAsDate = FALSE); a missing week is an NA count.  When R stops with an error
# for the whole range (e.g. algo.farrington with an NA in a reference window, or a range that starts
# too early), the Farrington methods are re-run one week at a time so that every week R *can* compute
# is recorded (weeks where R errors stay NA); EARS is re-run from the first week with enough history.
suppressPackageStartupMessages(library(surveillance))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "ytcs/surveillance/tests/fixtures/detection"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
message("surveillance ", as.character(packageVersion("surveillance")), ", ", R.version.string)
set.seed(20240611)

# ---------------------------------------------------------------------------------------------
# Series generation
# ---------------------------------------------------------------------------------------------
iso_monday <- function(year, week) {
  jan4 <- as.Date(sprintf("%d-01-04", year))
  wd <- as.integer(format(jan4, "%u"))  # 1 = Monday
  jan4 - (wd - 1) + 7 * (week - 1)
}

seasonal_nb <- function(n, base, amp = 0.6, trend = 0, size = 5, phase = runif(1, 0, 2 * pi)) {
  t <- seq_len(n)
  mu <- base * exp(amp * sin(2 * pi * t / 52 + phase) + trend * t / 52)
  if (is.infinite(size)) rpois(n, mu) else rnbinom(n, mu = mu, size = size)
}

inject <- function(y, at, size, len = 4) {
  idx <- at:min(length(y), at + len - 1)
  y[idx] <- y[idx] + rpois(length(idx), size)
  y
}

series <- list()
add <- function(id, y, start_year = 2017, start_week = 1) {
  series[[id]] <<- list(y = y, start = c(start_year, start_week))
}

n7 <- 7 * 52
for (i in 1:8) {  # seasonal NB with trend, moderate counts, outbreaks near the end
  y <- seasonal_nb(n7, base = runif(1, 2, 15), trend = runif(1, -0.1, 0.15), size = runif(1, 1.5, 20))
  if (i %% 2 == 0) y <- inject(y, n7 - sample(5:60, 1), size = runif(1, 5, 40))
  add(sprintf("seasonal_%02d", i), y, 2016 + (i %% 3), sample(1:52, 1))
}
for (i in 1:4) {  # high counts
  y <- seasonal_nb(n7, base = runif(1, 80, 400), amp = 0.4, trend = runif(1, -0.05, 0.1), size = 30)
  if (i %% 2 == 1) y <- inject(y, n7 - sample(5:50, 1), size = runif(1, 100, 300))
  add(sprintf("high_%02d", i), y, 2016, sample(1:52, 1))
}
for (i in 1:6) {  # zero-heavy / sparse
  y <- seasonal_nb(n7, base = runif(1, 0.03, 0.5), amp = 0.8, size = 0.5)
  if (i %% 3 == 0) y <- inject(y, n7 - sample(3:40, 1), size = runif(1, 2, 8), len = 3)
  add(sprintf("sparse_%02d", i), y, 2017, sample(1:52, 1))
}
for (i in 1:3) {  # all zeros in the baseline, outbreak at the end
  y <- integer(n7)
  y[n7 - (0:(i + 1))] <- rpois(i + 2, 3 * i)
  add(sprintf("zeros_%02d", i), y, 2016, 10 * i)
}
add("zeros_all", integer(n7), 2018, 1)
for (i in 1:3) {  # zero-variance (constant) baselines, then a change
  y <- rep(as.integer(i * 2), n7)
  y[n7 - 0:2] <- y[n7 - 0:2] + c(0, i * 3, i)
  add(sprintf("constant_%02d", i), y, 2017, 20 * i)
}
for (n in c(20, 60, 100, 150, 160, 200, 265, 270, 300)) {  # short series: too little history
  add(sprintf("short_%03d", n), seasonal_nb(n, base = 6, size = 8), 2019, 30)
}
for (i in 1:4) {  # missing weeks (gaps in the CSV)
  y <- seasonal_nb(n7, base = runif(1, 3, 12), size = 6)
  holes <- sort(sample(30:(n7 - 1), 2 + i))
  if (i == 4) holes <- c(holes, n7 - 1)
  y[holes] <- NA
  add(sprintf("missing_%02d", i), y, 2016, sample(1:52, 1))
}
for (i in 1:4) {  # series crossing ISO years with 53 weeks (2015, 2020, 2026)
  y <- seasonal_nb(n7, base = runif(1, 2, 20), size = 10)
  y <- inject(y, n7 - sample(2:30, 1), size = 15)
  add(sprintf("iso53_%02d", i), y, c(2014, 2015, 2019, 2020)[i], c(40, 50, 45, 53)[i])
}
for (i in 1:6) {  # low counts around the 5-cases-in-4-weeks rule
  y <- seasonal_nb(n7, base = runif(1, 0.4, 1.3), amp = 0.3, size = 3)
  tail <- n7 - 11:0
  y[tail] <- sample(0:3, 12, replace = TRUE, prob = c(0.45, 0.3, 0.15, 0.1))
  add(sprintf("limit54_%02d", i), y, 2017, sample(1:52, 1))
}
for (i in 1:3) {  # big and small outbreaks in stable Poisson series
  y <- seasonal_nb(n7, base = runif(1, 4, 10), amp = 0.2, size = Inf)
  for (j in 1:3) y <- inject(y, n7 - 10 * j - sample(0:5, 1), size = c(3, 10, 30)[j] * i / 2, len = 2)
  add(sprintf("outbreak_%02d", i), y, 2016, 1)
}

# ---------------------------------------------------------------------------------------------
# Configurations: ytcs CLI arguments and the equivalent R call
# ---------------------------------------------------------------------------------------------
configs <- list(
  list(id = "farrington_default", method = "farrington", cli = "",
       ctl = list(b = 3, w = 3, alpha = 0.1)),
  list(id = "farrington_b2w2a01", method = "farrington", cli = "--b 2 --w 2 --alpha 0.01",
       ctl = list(b = 2, w = 2, alpha = 0.02)),
  list(id = "farrington_plain", method = "farrington",
       cli = "--no-reweight --no-trend --limit54 3 3 --powertrans 1/2",
       ctl = list(b = 3, w = 3, alpha = 0.1, reweight = FALSE, trend = FALSE, limit54 = c(3, 3),
                  powertrans = "1/2")),
  list(id = "farrington_b4w1none_last60", method = "farrington",
       cli = "--b 4 --w 1 --powertrans none --evaluate-last 60",
       ctl = list(b = 4, w = 1, alpha = 0.1, powertrans = "none"), last = 60),
  list(id = "farrington_last250", method = "farrington", cli = "--evaluate-last 250",
       ctl = list(b = 3, w = 3, alpha = 0.1), last = 250),
  list(id = "flexible_default", method = "farrington-flexible", cli = "",
       ctl = list(b = 5, w = 3, noPeriods = 10, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                  pThresholdTrend = 1, thresholdMethod = "nbPlugin", alpha = 0.05)),
  list(id = "flexible_b3p4w2a01", method = "farrington-flexible",
       cli = "--b 3 --no-periods 4 --w 2 --alpha 0.01",
       ctl = list(b = 3, w = 2, noPeriods = 4, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                  pThresholdTrend = 1, thresholdMethod = "nbPlugin", alpha = 0.01)),
  list(id = "flexible_delta", method = "farrington-flexible",
       cli = paste("--b 3 --no-periods 1 --p-threshold-trend 0.05 --past-weeks-not-included 3",
                   "--weights-threshold 1 --threshold-method delta"),
       ctl = list(b = 3, w = 3, noPeriods = 1, weightsThreshold = 1, pastWeeksNotIncluded = 3,
                  pThresholdTrend = 0.05, thresholdMethod = "delta", alpha = 0.05)),
  list(id = "flexible_muan_plain_last30", method = "farrington-flexible",
       cli = "--threshold-method muan --no-reweight --no-trend --limit54 0 4 --evaluate-last 30",
       ctl = list(b = 5, w = 3, noPeriods = 10, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
                  pThresholdTrend = 1, thresholdMethod = "muan", alpha = 0.05, reweight = FALSE,
                  trend = FALSE, limit54 = c(0, 4)), last = 30),
  list(id = "flexible_b4pw10_last150", method = "farrington-flexible",
       cli = "--b 4 --past-weeks-not-included 10 --weights-threshold 1 --powertrans 1/2 --evaluate-last 150",
       ctl = list(b = 4, w = 3, noPeriods = 10, weightsThreshold = 1, pastWeeksNotIncluded = 10,
                  pThresholdTrend = 1, thresholdMethod = "nbPlugin", alpha = 0.05, powertrans = "1/2"),
       last = 150),
  list(id = "c1_default", method = "ears-c1", cli = "", ctl = list(method = "C1", baseline = 7, alpha = 0.001)),
  list(id = "c2_default", method = "ears-c2", cli = "", ctl = list(method = "C2", baseline = 7, alpha = 0.001)),
  list(id = "c3_default", method = "ears-c3", cli = "", ctl = list(method = "C3", baseline = 7, alpha = 0.025)),
  list(id = "c1_b10_ms05", method = "ears-c1", cli = "--baseline 10 --min-sigma 0.5 --alpha 0.01",
       ctl = list(method = "C1", baseline = 10, minSigma = 0.5, alpha = 0.01)),
  list(id = "c2_b5_last40", method = "ears-c2", cli = "--baseline 5 --evaluate-last 40",
       ctl = list(method = "C2", baseline = 5, alpha = 0.001), last = 40),
  list(id = "c3_b5_ms1", method = "ears-c3", cli = "--baseline 5 --min-sigma 1 --alpha 0.05",
       ctl = list(method = "C3", baseline = 5, minSigma = 1, alpha = 0.05)),
  list(id = "c3_last52", method = "ears-c3", cli = "--evaluate-last 52",
       ctl = list(method = "C3", baseline = 7, alpha = 0.025), last = 52),
  list(id = "cusum_default", method = "cusum", cli = "", ctl = list(k = 1.04, h = 2.26, trans = "standard"),
       first = 2),
  list(id = "cusum_last104", method = "cusum", cli = "--evaluate-last 104",
       ctl = list(k = 1.04, h = 2.26, trans = "standard"), last = 104),
  list(id = "cusum_k05h4_last52", method = "cusum", cli = "--k 0.5 --h 4 --evaluate-last 52",
       ctl = list(k = 0.5, h = 4, trans = "standard"), last = 52),
  list(id = "cusum_rossi_last80", method = "cusum", cli = "--trans rossi --evaluate-last 80",
       ctl = list(k = 1.04, h = 2.26, trans = "rossi"), last = 80),
  list(id = "cusum_anscombe_m_last52", method = "cusum", cli = "--trans anscombe --m 4 --evaluate-last 52",
       ctl = list(k = 1.04, h = 2.26, trans = "anscombe", m = 4), last = 52)
)

# ---------------------------------------------------------------------------------------------
# Running R
# ---------------------------------------------------------------------------------------------
na_result <- function(n) list(expected = rep(NA_real_, n), upperbound = rep(NA_real_, n),
                              alarm = rep(NA_integer_, n))

default_range <- function(cfg, n) {
  if (!is.null(cfg$last)) return(max(1, n - cfg$last + 1):n)
  ctl <- cfg$ctl
  first <- switch(cfg$method,
    "farrington" = 52 * ctl$b - ctl$w,
    "farrington-flexible" = 52 * ctl$b + ctl$w + 1,
    "ears-c1" = ctl$baseline + 1, "ears-c2" = ctl$baseline + 3, "ears-c3" = ctl$baseline + 5,
    "cusum" = cfg$first)
  if (first > n) return(integer(0))
  first:n
}

ears_expected <- function(y, rng, method, baseline) {
  lag0 <- if (method == "C1") 1 else 3
  sapply(rng, function(k) mean(y[(k - lag0 - baseline + 1):(k - lag0)]))
}

run_once <- function(cfg, s, rng) {
  ctl <- cfg$ctl
  y <- as.vector(observed(s))
  out <- na_result(length(y))
  if (cfg$method == "farrington") {
    r <- farrington(s, control = modifyList(ctl, list(range = rng)))
    out$upperbound[rng] <- as.vector(upperbound(r))
    out$alarm[rng] <- as.integer(as.vector(alarms(r)))
    out$expected[rng] <- r@control$pd[, 2]
  } else if (cfg$method == "farrington-flexible") {
    r <- farringtonFlexible(s, control = modifyList(ctl, list(range = rng)))
    out$upperbound[rng] <- as.vector(upperbound(r))
    out$alarm[rng] <- as.integer(as.vector(alarms(r)))
    e <- as.vector(r@control$expected)
    e[is.na(as.vector(r@control$mu0Vector))] <- NA  # R leaves 0 there when no model could be fitted
    out$expected[rng] <- e
  } else if (startsWith(cfg$method, "ears")) {
    r <- earsC(s, control = modifyList(ctl, list(range = rng)))
    out$upperbound[rng] <- as.vector(upperbound(r))
    out$alarm[rng] <- as.integer(as.vector(alarms(r)))
    out$expected[rng] <- ears_expected(y, rng, ctl$method, ctl$baseline)
  } else if (cfg$method == "cusum") {
    r <- cusum(s, control = modifyList(ctl, list(range = rng)))
    out$upperbound[rng] <- as.vector(upperbound(r))
    out$alarm[rng] <- as.integer(as.vector(alarms(r)))
    out$expected[rng] <- as.vector(r@control$m)
  }
  out
}

run_config <- function(cfg, s) {
  n <- length(observed(s))
  rng <- default_range(cfg, n)
  if (length(rng) == 0) return(na_result(n))
  res <- tryCatch(suppressWarnings(run_once(cfg, s, rng)), error = function(e) NULL)
  if (!is.null(res)) return(res)
  if (cfg$method == "cusum") return(na_result(n))  # the reference mean depends on the whole range
  if (startsWith(cfg$method, "ears")) {
    # earsC stops when the range starts too early; a one-week C3 range fails on its own (R drops a
    # matrix dimension), so re-run from the first week that has enough history instead.
    max_lag <- cfg$ctl$baseline + switch(cfg$ctl$method, C1 = 0, C2 = 2, C3 = 4)
    rng <- rng[rng > max_lag]
    if (length(rng) < 2) return(na_result(n))
    return(suppressWarnings(run_once(cfg, s, rng)))
  }
  out <- na_result(n)  # R failed for the whole range: record every week it can compute on its own
  for (k in rng) {
    one <- tryCatch(suppressWarnings(run_once(cfg, s, k)), error = function(e) NULL)
    if (!is.null(one)) {
      out$expected[k] <- one$expected[k]
      out$upperbound[k] <- one$upperbound[k]
      out$alarm[k] <- one$alarm[k]
    }
  }
  out
}

series_rows <- list()
result_rows <- list()
for (id in names(series)) {
  sr <- series[[id]]
  y <- sr$y
  dates <- iso_monday(sr$start[1], sr$start[2]) + 7 * (seq_along(y) - 1)
  keep <- !is.na(y)
  series_rows[[id]] <- data.frame(series_id = id, week_start = format(dates[keep]), count = y[keep])
  s <- sts(observed = y, start = sr$start, frequency = 52)
  for (cfg in configs) {
    res <- run_config(cfg, s)
    result_rows[[paste(cfg$id, id)]] <- data.frame(
      config_id = cfg$id, series_id = id, week_start = format(dates[keep]),
      expected = signif(res$expected[keep], 12), upperbound = signif(res$upperbound[keep], 12),
      alarm = res$alarm[keep])
  }
  message("done ", id)
}

cfg_df <- data.frame(
  config_id = sapply(configs, `[[`, "id"), method = sapply(configs, `[[`, "method"),
  cli_args = sapply(configs, `[[`, "cli"),
  r_call = sapply(configs, function(cfg) paste(deparse(c(cfg$ctl, list(last = cfg$last, first = cfg$first)),
                                                      width.cutoff = 500L), collapse = " ")))
write.csv(cfg_df, file.path(outdir, "configs.csv"), row.names = FALSE)
con <- gzfile(file.path(outdir, "series.csv.gz"), "w")
write.csv(do.call(rbind, series_rows), con, row.names = FALSE)
close(con)
con <- gzfile(file.path(outdir, "results.csv.gz"), "w")
write.csv(do.call(rbind, result_rows), con, row.names = FALSE, na = "")
close(con)
writeLines(c(paste("surveillance", as.character(packageVersion("surveillance"))), R.version.string),
           file.path(outdir, "VERSION"))
