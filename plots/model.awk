# model.awk: turns a results folder into gnuplot data files and a list of gnuplot jobs.
# Run by plots/plot with lib.awk and -v palette= results= series= tmp= baseline=.
# Writes in tmp/: data/*.tsv, jobs (gnuplot script TAB the variables it reads),
# plots.list (what the report shows), notes (what was skipped), baseline (the one used).

BEGIN {
    if (load_run(palette, results) == 0) add_note("results.csv has no rows")
    JOBS = tmp "/jobs"; LIST = tmp "/plots.list"
    MAX_LABELLED_BARS = 150
    printf "" > JOBS; printf "" > LIST
    choose_baseline()
    throughput_plot()
    memory_plot("peak_rss", "peak_rss_bytes", "Peak RSS during the memory pass, above the baseline")
    memory_plot("final_rss", "final_rss_bytes", "RSS after everything was freed, above the baseline")
    fragmentation_plot()
    tradeoff_plot()
    series_plots()
    write_notes()
}

function choose_baseline() {
    BASE = (baseline in AI) ? AI[baseline] : 0
    if (!BASE) add_note("baseline allocator " baseline " is not in this run: throughput is drawn in absolute Mops/s")
    print (BASE ? baseline : "") > (tmp "/baseline")
    close(tmp "/baseline")
}

# From ns_per_op first, so that the ratios agree with the report's time margins;
# ops_per_sec (its reciprocal, rounded apart) only when ns_per_op is missing.
function throughput(i, j) {
    if (has(i, j, "ns_per_op") && VAL[i, j, "ns_per_op"] > 0) return 1e9 / VAL[i, j, "ns_per_op"]
    if (has(i, j, "ops_per_sec")) return VAL[i, j, "ops_per_sec"]
    return ""
}

function throughput_plot(    i, j, t, b) {
    if (!HAVE["ops_per_sec"] && !HAVE["ns_per_op"]) {
        add_note("throughput plot: results.csv has neither ops_per_sec nor ns_per_op")
        return
    }
    bars_begin()
    for (j = 1; j <= NW; j++) {
        b = BASE ? throughput(BASE, j) : 1e6
        if (BASE && b == "") add_note("throughput of " WN[j] " not drawn: the baseline " AN[BASE] " has no figure for it")
        for (i = 1; i <= NA; i++) {
            t = throughput(i, j)
            if (t != "" && b != "" && b > 0) bars_value(i, j, t / b)
            else bars_missing(i, j)
        }
    }
    if (BASE)
        bars_end("throughput", "Throughput relative to " AN[BASE] " (higher is faster)",
                 "throughput / " AN[BASE] "'s", 1, "%.2fx")
    else
        bars_end("throughput", "Throughput (higher is faster)", "million calls per second", 0, "")
}

function memory_plot(name, column, title,    i, j) {
    if (!HAVE[column]) { add_note(name " plot: results.csv has no " column " column"); return }
    bars_begin()
    for (j = 1; j <= NW; j++)
        for (i = 1; i <= NA; i++)
            if (has(i, j, column)) bars_value(i, j, mib(VAL[i, j, column]))
            else bars_missing(i, j)
    bars_end(name, title, "MiB", 0, "")
}

function fragmentation_plot(    i, j) {
    if (!HAVE["fragmentation"]) { add_note("fragmentation plot: results.csv has no fragmentation column"); return }
    bars_begin()
    for (j = 1; j <= NW; j++)
        for (i = 1; i <= NA; i++)
            if (has(i, j, "fragmentation")) bars_value(i, j, VAL[i, j, "fragmentation"])
            else bars_missing(i, j)
    bars_end("fragmentation", "Fragmentation: RSS at the measurement point / live requested bytes (1.0 is perfect)",
             "RSS / live bytes", 1, "%.2f")
}

# Bars: BAR_* collects one plot's values, bars_end decides the axis and writes the job.
function bars_begin(    k) {
    BAR_N = 0; BAR_MISSING_N = 0
    for (k in BAR_DRAWN) delete BAR_DRAWN[k]
}

function bar_x(i, j) { return (j - 1) + (i - (NA + 1) / 2) * (0.8 / NA) }

function bars_value(i, j, v) {
    BAR_N++
    BAR_I[BAR_N] = i; BAR_X[BAR_N] = bar_x(i, j); BAR_V[BAR_N] = v; BAR_W[BAR_N] = j
}

function bars_missing(i, j) {
    if (ST[i, j] == "") return
    BAR_MISSING_N++
    BAR_MX[BAR_MISSING_N] = bar_x(i, j)
    BAR_MTEXT[BAR_MISSING_N] = (ST[i, j] == "ok") ? "no data" : "failed"
}

# Tics on a log axis: the coarsest of a few 1-2-5-like sets that still gives four tics.
function log_tics(lo, hi,    sets, s, m, n, k, e, v, spec, count) {
    sets[1] = "1"; sets[2] = "1 2 5"; sets[3] = "1 1.5 2 3 5 7"; sets[4] = "1 1.1 1.2 1.3 1.5 1.7 2 2.5 3 4 5 6 7 8 9"
    for (s = 1; s <= 4; s++) {
        n = split(sets[s], m, " "); spec = ""; count = 0
        for (e = int(log(lo) / log(10)) - 1; e <= int(log(hi) / log(10)) + 1; e++)
            for (k = 1; k <= n; k++) {
                v = m[k] * 10 ^ e
                if (v < lo || v > hi) continue
                spec = spec (count++ ? ", " : "") sprintf("%g", v)
            }
        if (count >= 4) break
    }
    return "(" spec ")"
}

# ratio_ref: the values are ratios for which 1.0 is the reference: bars grow from 1.
# label_format: printf format of the value printed on each bar ("" for three figures).
function bars_end(name, title, ylabel, ratio_ref, label_format,    k, lo, hi, logy, base, ymin, ymax, room, data, up, down, labely, text) {
    lo = ""; hi = ""
    for (k = 1; k <= BAR_N; k++) {
        if (lo == "" || BAR_V[k] < lo) lo = BAR_V[k]
        if (hi == "" || BAR_V[k] > hi) hi = BAR_V[k]
    }
    if (lo == "") { lo = ratio_ref ? 1 : 0; hi = 1 }
    if (ratio_ref) { if (lo > 1) lo = 1; if (hi < 1) hi = 1 }
    logy = (lo > 0 && (ratio_ref || hi / lo > 30))
    # Room beyond the longest bar for its rotated label.
    if (logy) {
        room = exp(0.16 * log(hi / lo) + 0.12)
        # Ratios that are all 1 or more need no room below 1 but that of a "failed" label.
        ymin = (ratio_ref && lo >= 1) ? 1 / exp(0.1 * log(room)) : lo / (ratio_ref ? room : 1.3)
        ymax = hi * room
        base = ratio_ref ? 1 : ymin
    } else {
        room = 0.16 * (hi - (lo < 0 ? lo : 0))
        ymin = (lo < 0) ? lo - room : 0; ymax = (hi > 0) ? hi + room : 1
        base = 0
    }
    data = tmp "/data/" name ".tsv"; up = tmp "/data/" name ".up.tsv"; down = tmp "/data/" name ".down.tsv"
    printf "" > data; printf "" > up; printf "" > down
    for (k = 1; k <= BAR_N; k++) {
        if (logy && BAR_V[k] <= 0) {
            add_note(AN[BAR_I[k]] " / " WN[BAR_W[k]] ": " name " value " BAR_V[k] " cannot be drawn on a log axis")
            continue
        }
        printf "%d\t%.6f\t%.9g\n", BAR_I[k], BAR_X[k], BAR_V[k] > data
        BAR_DRAWN[BAR_I[k]] = 1
        if (NA * NW > MAX_LABELLED_BARS) continue
        text = (label_format == "") ? sig3(BAR_V[k]) : sprintf(label_format, BAR_V[k])
        printf "%.6f\t%.9g\t%s\n", BAR_X[k], BAR_V[k], text > (BAR_V[k] >= base ? up : down)
    }
    labely = logy ? ymin * exp(0.02 * log(ymax / ymin)) : ymin + (ymax - ymin) * 0.02
    if (ratio_ref && lo >= 1) labely = 1
    for (k = 1; k <= BAR_MISSING_N; k++) printf "%.6f\t%.9g\t%s\n", BAR_MX[k], labely, BAR_MTEXT[k] > up
    close(data); close(up); close(down)
    job("bars", name, title, \
        "data=" gp_quote(data) "; up=" gp_quote(up) "; down=" gp_quote(down) \
        "; ylabel=" gp_quote(ylabel (logy ? " (log scale)" : "")) "; " workload_args() \
        "; logy=" logy "; yticks=" gp_quote(logy ? log_tics(ymin, ymax) : "") \
        "; ymin=" ymin "; ymax=" ymax "; base=" base "; ref=" (ratio_ref ? 1 : 0) \
        "; half=" (0.36 / NA) "; " legend_args(BAR_DRAWN), bars_width())
}

# Names travel as numbered variables (wl1, wl2, ...; read back with value()) because
# gnuplot's word lists split at blanks and a name may hold any character.
function workload_args(    j, s) {
    s = "nw=" NW
    for (j = 1; j <= NW; j++) s = s "; wl" j "=" gp_quote(WN[j])
    return s
}

# Every allocator of the run is in every legend, in the same order and colour; one
# without data in this plot says so.
function legend_args(drawn,    i, s, idx) {
    s = "na=" NA; idx = ""
    for (i = 1; i <= NA; i++) {
        s = s "; name" i "=" gp_quote(AN[i] ((i in drawn) ? "" : " (no data)")) "; colour" i "=" gp_quote(AC[i])
        if (i in drawn) idx = idx (idx == "" ? "" : " ") i
    }
    return s "; drawn=" gp_quote(idx)
}

function job(script, name, title, args, width) {
    printf "%s\t%s; width=%d; out=%s; title=%s\n", script, args, width ? width : 1280, gp_quote(tmp "/plots/" name), gp_quote(title) > JOBS
    printf "%s\t%s\n", name, title > LIST
}

function tradeoff_plot(    i, j, data, x, y, n, drawn, pts, k, xlo, xhi, ylo, yhi) {
    if (!HAVE["ns_per_op"] || !HAVE["peak_rss_bytes"]) {
        add_note("time against memory plot: results.csv lacks ns_per_op or peak_rss_bytes")
        return
    }
    data = tmp "/data/tradeoff.tsv"
    printf "" > data
    n = 0
    for (i = 1; i <= NA; i++)
        for (j = 1; j <= NW; j++) {
            if (!has(i, j, "ns_per_op") || !has(i, j, "peak_rss_bytes")) continue
            x = mib(VAL[i, j, "peak_rss_bytes"]); y = VAL[i, j, "ns_per_op"]
            if (x <= 0 || y <= 0) {
                add_note(AN[i] " / " WN[j] ": peak RSS " VAL[i, j, "peak_rss_bytes"] " B is not above the baseline; left out of the time against memory plot")
                continue
            }
            printf "%d\t%d\t%.9g\t%.9g\n", i, j, x, y > data
            drawn[i] = 1
            if (!n++) { xlo = xhi = x; ylo = yhi = y }
            if (x < xlo) xlo = x; if (x > xhi) xhi = x
            if (y < ylo) ylo = y; if (y > yhi) yhi = y
        }
    close(data)
    if (n == 0) { add_note("time against memory plot: no pair has both figures"); return }
    xlo /= 1.5; xhi *= 1.5; ylo /= 1.5; yhi *= 1.5
    split("7 5 9 11 13 15 6 4 8 10 12 14", pts, " ")
    k = ""
    for (j = 1; j <= NW; j++) k = k (j > 1 ? " " : "") pts[(j - 1) % 12 + 1]
    job("tradeoff", "tradeoff", "Time against memory: one point per allocator per workload (lower left is better)", \
        "data=" gp_quote(data) "; " workload_args() "; pts=" gp_quote(k) \
        "; xmin=" xlo "; xmax=" xhi "; xticks=" gp_quote(log_tics(xlo, xhi)) \
        "; ymin=" ylo "; ymax=" yhi "; yticks=" gp_quote(log_tics(ylo, yhi)) "; " legend_args(drawn))
}

function series_plots(    line, f, col, n, k, a, w, i, j, file, ops, rss, live, need) {
    if (series == "" || (getline line < series) <= 0) {
        add_note("no series.csv: no RSS-over-time plots")
        return
    }
    n = csv_split(line, f)
    for (k = 1; k <= n; k++) col[f[k]] = k
    split("allocator workload ops rss_bytes live_bytes", need, " ")
    for (k = 1; k <= 5; k++)
        if (!(need[k] in col)) { add_note("series.csv has no " need[k] " column: no RSS-over-time plots"); return }
    while ((getline line < series) > 0) {
        if (line ~ /^[ \t\r]*$/) continue
        csv_split(line, f)
        a = f[col["allocator"]]; w = f[col["workload"]]
        ops = f[col["ops"]]; rss = f[col["rss_bytes"]]; live = f[col["live_bytes"]]
        if (!(a in AI) || !(w in WI)) { add_note("series.csv: " a " / " w " is not in results.csv; left out"); continue }
        if (!is_number(ops) || !is_number(rss) || !is_number(live)) { add_note("series.csv: " a " / " w ": a row without numbers was left out"); continue }
        i = AI[a]; j = WI[w]
        file = tmp "/data/series_" j "_" i ".tsv"
        if (file != OPEN_SERIES) { if (OPEN_SERIES != "") close(OPEN_SERIES); OPEN_SERIES = file }
        printf "%.9g\t%.9g\t%.9g\n", ops, mib(rss), mib(live) >> file
        SERIES[j, i] = 1
        series_range(j, i, mib(rss), mib(live))
        if (!(j in SOPS) || ops + 0 > SOPS[j]) SOPS[j] = ops + 0
    }
    close(series)
    if (OPEN_SERIES != "") close(OPEN_SERIES)
    for (j = 1; j <= NW; j++) series_job(j)
}

function series_range(j, i, rss, live) {
    if (!((j, i) in SMAX) || rss > SMAX[j, i]) SMAX[j, i] = rss
    if (rss > 0 && (!(j in SMINPOS) || rss < SMINPOS[j])) SMINPOS[j] = rss
    if (live > 0 && (!(j in SMINPOS) || live < SMINPOS[j])) SMINPOS[j] = live
    if (!(j in SMIN) || rss < SMIN[j]) SMIN[j] = rss
}

function series_job(j,    i, drawn, first, lo, hi, logy, ymin, xdiv, xunit) {
    first = 0; lo = ""; hi = ""
    for (i = 1; i <= NA; i++) {
        if (!((j, i) in SERIES)) {
            if (ST[i, j] == "ok") add_note(AN[i] " / " WN[j] ": no RSS series")
            continue
        }
        drawn[i] = 1
        if (!first) first = i
        if (lo == "" || SMAX[j, i] < lo) lo = SMAX[j, i]
        if (hi == "" || SMAX[j, i] > hi) hi = SMAX[j, i]
    }
    if (!first) return
    # One allocator holding far more than the others would flatten them all on a linear axis.
    logy = (lo > 0 && hi / lo > 30 && (j in SMINPOS))
    ymin = logy ? SMINPOS[j] / 1.5 : (SMIN[j] < 0 ? SMIN[j] * 1.1 : 0)
    xdiv = 1; xunit = ""
    if (SOPS[j] >= 2e6) { xdiv = 1e6; xunit = " (millions)" }
    else if (SOPS[j] >= 2e3) { xdiv = 1e3; xunit = " (thousands)" }
    job("series", "series_" file_safe(WN[j]), "RSS over time: " WN[j], \
        "datadir=" gp_quote(tmp "/data") "; workload=" j "; first=" first \
        "; xdiv=" xdiv "; xlabel=" gp_quote("allocation calls made so far" xunit) \
        "; logy=" logy "; ymin=" ymin "; " legend_args(drawn))
}

function write_notes(    k) {
    printf "" > (tmp "/notes")
    for (k = 1; k <= NNOTES; k++) print NOTE[k] > (tmp "/notes")
    close(tmp "/notes")
}

# Wide enough for a value label on every bar: about 16 pixels a bar once there are many.
function bars_width(    bars) {
    bars = NA * NW
    if (bars <= 40) return 1280
    return bars > MAX_LABELLED_BARS ? 640 + 16 * MAX_LABELLED_BARS : 640 + 16 * bars
}
