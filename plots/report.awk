# report.awk: writes REPORT.md (to stdout) for a results folder.
# Run by plots/plot with lib.awk and -v palette= results= notes= plotlist= metaflat=
# stats= (stats.csv, "" when the run has none) baseline= (the baseline in use, "" for
# none) folder= (the folder's name). What it could not use of stats.csv it adds to notes.

BEGIN {
    load_run(palette, results)
    BASE = (baseline != "" && baseline in AI) ? AI[baseline] : 0
    read_plots()
    load_stats(stats)
    heading()
    run_facts()
    skipped()
    verdicts()
    time_section()
    memory_section()
    allocator_stats_section()
    workload_counters_section()
    tradeoff_section()
    series_section()
}

function read_plots(    line, f) {
    while ((getline line < plotlist) > 0) {
        split(line, f, "\t")
        PLOT_TITLE[f[1]] = f[2]
        if (f[1] ~ /^series_/) SERIES_PLOTS[++NSERIES] = f[1]
    }
    close(plotlist)
}

function heading(    i, j, ok, pairs) {
    ok = 0; pairs = 0
    for (i = 1; i <= NA; i++)
        for (j = 1; j <= NW; j++) {
            if (ST[i, j] != "") pairs++
            if (ST[i, j] == "ok") ok++
        }
    print "# pyallocbench report: " folder
    print ""
    print "Made by `plots/plot` from this results folder's files alone (`./bench plot` redraws it)."
    printf "%d allocators, %d workloads: %d of %d pairs measured. Times are medians over the\n", NA, NW, ok, pairs
    print "timed repetitions; RSS figures are above the child's RSS right after allocator init."
    print ""
}

function md_cell(s) { gsub(/\|/, "\\|", s); if (length(s) > 160) s = substr(s, 1, 157) "..."; return s }

function run_facts(    line, f, n) {
    print "## Run"
    print ""
    if (metaflat == "" || (getline line < metaflat) <= 0) {
        print "metadata.json is missing or unreadable: the machine and build are unknown."
        print ""
        return
    }
    print "| fact | value |"
    print "|---|---|"
    do {
        n = index(line, "\t")
        print "| " md_cell(substr(line, 1, n - 1)) " | " md_cell(substr(line, n + 1)) " |"
    } while ((getline line < metaflat) > 0)
    close(metaflat)
    print ""
}

function stats_note(msg) {
    if (msg in STATS_NOTE_SEEN) return
    STATS_NOTE_SEEN[msg] = 1
    STATS_NOTE[++NSTATS_NOTES] = msg
}

# stats.csv into VAL beside results.csv's figures: VAL[i, j, "workload:" counter] for what
# the workload reports of itself (WC_N[j] counters, WC_NAME[j, k] in the order reported)
# and VAL[i, j, "mark:" counter] for the allocator's common figures at the measurement
# point. A counter given twice keeps its first value: the common figures come first.
function load_stats(file,    line, f, col, k, n, a, w, phase, name, v) {
    if (file == "") { stats_note("no stats.csv: no workload counters or allocator statistics"); return }
    n = (getline line < file) > 0 ? csv_split(line, f) : 0
    for (k = 1; k <= n; k++) col[f[k]] = k
    if (!(("allocator" in col) && ("workload" in col) && ("phase" in col) && ("counter" in col) && ("value" in col))) {
        stats_note("stats.csv has no allocator, workload, phase, counter and value columns")
        close(file)
        return
    }
    while ((getline line < file) > 0) {
        if (line ~ /^[ \t\r]*$/) continue
        csv_split(line, f)
        a = f[col["allocator"]]; w = f[col["workload"]]; phase = f[col["phase"]]
        name = f[col["counter"]]; v = f[col["value"]]
        if (!(a in AI) || !(w in WI)) continue
        if (!is_number(v)) { stats_note("stats.csv: " a " / " w ": " phase " " name " is not a number (\"" v "\")"); continue }
        if (phase == "workload") remember_counter(AI[a], WI[w], name, v + 0)
        else if (phase == "mark" && name ~ /^(in_use|resident|mapped)_bytes$/) remember_figure(AI[a], WI[w], "mark:" name, v + 0)
    }
    close(file)
}

function remember_figure(i, j, column, v) {
    if (has(i, j, column)) return
    VAL[i, j, column] = v
    HAVE[column] = 1
}

function remember_counter(i, j, name, v) {
    if (!((j, name) in WC_SEEN)) { WC_SEEN[j, name] = 1; WC_NAME[j, ++WC_N[j]] = name }
    remember_figure(i, j, "workload:" name, v)
}

function skipped(    line, n, k) {
    n = 0
    while ((getline line < notes) > 0) {
        if (n++ == 0) { print "## Skipped"; print "" }
        print "- " line
    }
    close(notes)
    for (k = 1; k <= NSTATS_NOTES; k++) {
        if (n++ == 0) { print "## Skipped"; print "" }
        print "- " STATS_NOTE[k]
        print STATS_NOTE[k] >> notes
    }
    close(notes)
    if (n) print ""
}

function floors_text(    i, s) {
    s = ""
    for (i = 1; i <= NA; i++) if (AFLOOR[i]) s = s (s == "" ? "" : ", ") AN[i]
    return s
}

# The allocator with the least VAL[., j, column] among real allocators (not floors),
# and the runner-up, in BEST/SECOND (0 when there is none).
function rank(j, column,    i) {
    BEST = 0; SECOND = 0
    for (i = 1; i <= NA; i++) {
        if (AFLOOR[i] || !has(i, j, column)) continue
        if (!BEST || VAL[i, j, column] < VAL[BEST, j, column]) { SECOND = BEST; BEST = i }
        else if (!SECOND || VAL[i, j, column] < VAL[SECOND, j, column]) SECOND = i
    }
}

function spread(i, j) { return has(i, j, "ns_per_op_spread") ? VAL[i, j, "ns_per_op_spread"] : 0 }

function time_margin(j,    b, s, gap, text) {
    b = VAL[BEST, j, "ns_per_op"]; s = VAL[SECOND, j, "ns_per_op"]
    text = sprintf("%.2fx faster than %s (%s ns)", s / b, AN[SECOND], sig3(s))
    gap = s - b
    if (gap < spread(BEST, j) || gap < spread(SECOND, j)) text = text ", within the repetitions' spread"
    if (BASE && BASE != BEST && BASE != SECOND && has(BASE, j, "ns_per_op"))
        text = text sprintf("; %.2fx faster than %s", VAL[BASE, j, "ns_per_op"] / b, AN[BASE])
    return text
}

# RSS readings a few microseconds apart differ by about 0.1 MiB: smaller gaps are noise.
function memory_margin(j,    b, s, text) {
    b = VAL[BEST, j, "peak_rss_bytes"]; s = VAL[SECOND, j, "peak_rss_bytes"]
    text = human_bytes(s - b) " less than " AN[SECOND] " (" human_bytes(s) ")"
    if (s - b < 104858) text = text ", within RSS noise (0.1 MiB)"
    return text
}

function verdicts(    j, floors) {
    print "## Fastest and smallest per workload"
    print ""
    floors = floors_text()
    if (floors != "") print floors " is a reference floor, not a choice, and is left out here; its figures are in the tables."
    if (BASE) print "Baseline: " AN[BASE] "."
    else print "No baseline allocator in this run."
    print ""
    print "| workload | fastest | ns/op | margin | smallest peak RSS | peak RSS | margin |"
    print "|---|---|---|---|---|---|---|"
    for (j = 1; j <= NW; j++) {
        printf "| %s ", WN[j]
        rank(j, "ns_per_op")
        if (!BEST) printf "| n/a | | "
        else printf "| %s | %s | %s ", AN[BEST], sig3(VAL[BEST, j, "ns_per_op"]), SECOND ? time_margin(j) : "only one measured"
        rank(j, "peak_rss_bytes")
        if (!BEST) printf "| n/a | | "
        else printf "| %s | %s | %s ", AN[BEST], human_bytes(VAL[BEST, j, "peak_rss_bytes"]), SECOND ? memory_margin(j) : "only one measured"
        print "|"
    }
    print ""
}

function image(name) {
    if (!(name in PLOT_TITLE)) return
    print "![" PLOT_TITLE[name] "](plots/" name ".png)"
    print ""
    print "[" name ".svg](plots/" name ".svg)"
    print ""
}

# Text of one table cell: why there is no figure, or the figure formatted by kind.
function cell(i, j, column, kind,    v) {
    if (ST[i, j] == "") return "not run"
    if (ST[i, j] != "ok") return "failed"
    if (!has(i, j, column)) return "n/a"
    v = VAL[i, j, column]
    if (kind == "bytes") return human_bytes(v)
    if (kind == "ns") return sig3(v) (has(i, j, "ns_per_op_spread") ? " (" sig3(VAL[i, j, "ns_per_op_spread"]) ")" : "")
    if (kind == "relative") return (BASE && has(BASE, j, column) && v > 0) ? sprintf("%.2fx", VAL[BASE, j, column] / v) : "n/a"
    if (kind == "mops") return sig3(v / 1e6)
    if (kind == "count") return v == int(v) ? grouped(v) : sig3(v)
    return sig3(v)
}

function table(title, column, kind,    i, j) {
    if (!HAVE[column]) return
    print "### " title
    print ""
    printf "| workload |"
    for (i = 1; i <= NA; i++) printf " %s |", AN[i]
    printf "\n|---|"
    for (i = 1; i <= NA; i++) printf "---:|"
    print ""
    for (j = 1; j <= NW; j++) {
        printf "| %s |", WN[j]
        for (i = 1; i <= NA; i++) printf " %s |", cell(i, j, column, kind)
        print ""
    }
    print ""
}

function time_section() {
    print "## Time"
    print ""
    image("throughput")
    table("Time per call: median ns (max - min over the repetitions)", "ns_per_op", "ns")
    table("Calls per second (millions)", "ops_per_sec", "mops")
    if (BASE) table("Throughput relative to " AN[BASE] " (higher is faster)", "ns_per_op", "relative")
}

function memory_section() {
    print "## Memory"
    print ""
    image("peak_rss")
    image("final_rss")
    image("fragmentation")
    table("Peak RSS during the memory pass", "peak_rss_bytes", "bytes")
    table("RSS at the measurement point", "mark_rss_bytes", "bytes")
    table("Live requested bytes at the measurement point", "live_bytes", "bytes")
    table("RSS after everything was freed", "final_rss_bytes", "bytes")
    table("RSS after the allocator's trim/purge", "trimmed_rss_bytes", "bytes")
    table("Fragmentation (RSS at the measurement point / live bytes; 1.0 is perfect)", "fragmentation", "plain")
}

function allocator_stats_section() {
    if (!HAVE["mark:in_use_bytes"] && !HAVE["mark:resident_bytes"] && !HAVE["mark:mapped_bytes"]) return
    print "## The allocators' own statistics at the measurement point"
    print ""
    print "What each allocator says of itself (`stats.csv`, phase `mark`); n/a where it does not say."
    print ""
    table("Bytes in use, as the allocator counts them", "mark:in_use_bytes", "bytes")
    table("Resident bytes of the allocator's own memory", "mark:resident_bytes", "bytes")
    table("Address space the allocator obtained from the OS", "mark:mapped_bytes", "bytes")
}

function workload_counters_section(    j, any) {
    any = 0
    for (j = 1; j <= NW; j++) if (WC_N[j]) any = 1
    if (!any) return
    print "## What the workloads report"
    print ""
    print "Figures each workload counts of itself over one pass (`stats.csv`, phase `workload`), in the order it reports them."
    print ""
    for (j = 1; j <= NW; j++) if (WC_N[j]) counter_table(j)
}

# One row per allocator that ran the workload, one column per counter.
function counter_table(j,    i, k, name) {
    print "### " WN[j]
    print ""
    counter_caption(j)
    printf "| allocator |"
    for (k = 1; k <= WC_N[j]; k++) printf " %s |", WC_NAME[j, k]
    printf "\n|---|"
    for (k = 1; k <= WC_N[j]; k++) printf "---:|"
    print ""
    for (i = 1; i <= NA; i++) {
        if (ST[i, j] == "") continue
        printf "| %s |", AN[i]
        for (k = 1; k <= WC_N[j]; k++) {
            name = WC_NAME[j, k]
            printf " %s |", cell(i, j, "workload:" name, name ~ /_bytes$/ ? "bytes" : "count")
        }
        print ""
    }
    print ""
}

# The question a workload's counters answer, where the report knows it.
function counter_caption(j) {
    if (!((j, "inplace_reallocs_moved") in WC_SEEN)) return
    print "Per allocator: how many of the in-place reallocs moved the block (`inplace_reallocs_moved` of `inplace_reallocs`) and how many bytes those moves copied (`inplace_moved_bytes`); `shared_copied_bytes` is what the program itself copied."
    print ""
}

function tradeoff_section() {
    if (!("tradeoff" in PLOT_TITLE)) return
    print "## Time against memory"
    print ""
    print "Colour is the allocator, shape the workload; lower left is faster and smaller."
    print ""
    image("tradeoff")
}

function series_section(    k) {
    if (!NSERIES) return
    print "## RSS over time"
    print ""
    print "The grey floor is the bytes the workload has requested and not freed; the gap above it is what the allocator holds beyond that."
    print ""
    for (k = 1; k <= NSERIES; k++) {
        print "### " substr(PLOT_TITLE[SERIES_PLOTS[k]], length("RSS over time: ") + 1)
        print ""
        image(SERIES_PLOTS[k])
    }
}
