# lib.awk: reading a results folder, shared by model.awk, report.awk and compare.awk.
# Portable awk (Debian's default is mawk): no gawk extensions.
#
# After load_run(palette_file, results_file):
#   NA, AN[i], AC[i], AFLOOR[i]   allocators in palette order, then in order of appearance
#   NW, WN[j]                     workloads in order of appearance
#   ST[i, j]                      status of the pair ("" when the run has no such pair)
#   VAL[i, j, column]             the figure, "" when missing, failed or not a number
#   HAVE[column]                  1 when results.csv has that column
#   notes: NNOTES, NOTE[k]        what could not be read, for stderr and the report

function csv_split(line, f,    n, i, c, field, quoted) {
    sub(/\r$/, "", line)
    n = 0; field = ""; quoted = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (quoted) {
            if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
            else if (c == "\"") quoted = 0
            else field = field c
        } else if (c == "\"") quoted = 1
        else if (c == ",") { f[++n] = field; field = "" }
        else field = field c
    }
    f[++n] = field
    return n
}

function is_number(s) {
    return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}

function add_note(msg) {
    if (msg in NOTE_SEEN) return
    NOTE_SEEN[msg] = 1
    NOTE[++NNOTES] = msg
}

# A colour for a name the palette does not list, derived from the name alone so that
# it stays the same from run to run whatever else was measured.
function fallback_colour(name,    h, i, k, n) {
    if (!ORD_READY) { for (k = 32; k < 127; k++) ORD[sprintf("%c", k)] = k; ORD_READY = 1 }
    n = split("#393b79 #637939 #8c6d31 #843c39 #7b4173 #3182bd #e6550d #31a354", FALLBACK, " ")
    h = 0
    for (i = 1; i <= length(name); i++) h = (h * 31 + ORD[substr(name, i, 1)]) % 65521
    return FALLBACK[h % n + 1]
}

function load_palette(file,    line, f, n) {
    NPAL = 0
    while ((getline line < file) > 0) {
        if (line ~ /^[ \t]*(#|$)/) continue
        n = split(line, f, /[ \t]+/)
        PAL_RANK[f[1]] = ++NPAL
        PAL_COLOUR[f[1]] = f[2]
        PAL_FLOOR[f[1]] = (n >= 3 && f[3] == "floor")
    }
    close(file)
}

function remember_allocator(name) {
    if (name in SEEN_ALLOC) return
    SEEN_ALLOC[name] = ++NSEEN
    SEEN_NAME[NSEEN] = name
}

function remember_workload(name) {
    if (name in WI) return
    WI[name] = ++NW
    WN[NW] = name
}

# Palette order first, so the legend order is the same in every run; unknown names after.
function order_allocators(    k, i, j, key, tmpname, tmpkey) {
    NA = 0
    for (k = 1; k <= NSEEN; k++) {
        AN[++NA] = SEEN_NAME[k]
        SORTKEY[NA] = (SEEN_NAME[k] in PAL_RANK) ? PAL_RANK[SEEN_NAME[k]] : 1000 + k
    }
    for (i = 2; i <= NA; i++) {
        tmpname = AN[i]; tmpkey = SORTKEY[i]
        for (j = i - 1; j >= 1 && SORTKEY[j] > tmpkey; j--) { AN[j + 1] = AN[j]; SORTKEY[j + 1] = SORTKEY[j] }
        AN[j + 1] = tmpname; SORTKEY[j + 1] = tmpkey
    }
    for (i = 1; i <= NA; i++) {
        AI[AN[i]] = i
        AC[i] = (AN[i] in PAL_COLOUR) ? PAL_COLOUR[AN[i]] : fallback_colour(AN[i])
        AFLOOR[i] = (AN[i] in PAL_FLOOR) ? PAL_FLOOR[AN[i]] : 0
    }
}

# Figures kept from results.csv; the plots and the report need no others.
function figure_columns(cols) {
    return split("ns_per_op ns_per_op_spread ops_per_sec repetitions ops_per_pass " \
                 "peak_rss_bytes mark_rss_bytes final_rss_bytes trimmed_rss_bytes " \
                 "live_bytes fragmentation", cols, " ")
}

function load_run(palette_file, results_file,    line, f, n, k, col, a, w, st, ncols, cols, rows, c) {
    load_palette(palette_file)
    if ((getline line < results_file) <= 0) return 0
    n = csv_split(line, f)
    for (k = 1; k <= n; k++) { col[f[k]] = k; HAVE[f[k]] = 1 }
    ncols = figure_columns(cols)
    for (c = 1; c <= ncols; c++)
        if (!(cols[c] in col)) add_note("results.csv has no " cols[c] " column")
    rows = 0
    while ((getline line < results_file) > 0) {
        if (line ~ /^[ \t\r]*$/) continue
        csv_split(line, f)
        a = f[col["allocator"]]; w = f[col["workload"]]; st = f[col["status"]]
        remember_allocator(a); remember_workload(w)
        RAW_STATUS[a, w] = st
        for (c = 1; c <= ncols; c++) {
            if (!(cols[c] in col)) continue
            RAW[a, w, cols[c]] = f[col[cols[c]]]
        }
        rows++
    }
    close(results_file)
    order_allocators()
    for (a = 1; a <= NA; a++) for (w = 1; w <= NW; w++) copy_pair(a, w, cols, ncols)
    return rows
}

function copy_pair(i, j, cols, ncols,    a, w, c, v) {
    a = AN[i]; w = WN[j]
    if (!((a, w) in RAW_STATUS)) { ST[i, j] = ""; return }
    ST[i, j] = RAW_STATUS[a, w]
    if (ST[i, j] != "ok") { add_note(a " / " w ": " ST[i, j]); return }
    for (c = 1; c <= ncols; c++) {
        if (!HAVE[cols[c]]) continue
        v = RAW[a, w, cols[c]]
        if (is_number(v)) VAL[i, j, cols[c]] = v + 0
        else add_note(a " / " w ": no " cols[c] (v == "" ? "" : " (\"" v "\")"))
    }
}

function has(i, j, column) { return ((i, j, column) in VAL) }

function mib(bytes) { return bytes / 1048576 }

# Three significant figures, without exponent notation for ordinary magnitudes.
function sig3(x,    ax) {
    ax = x < 0 ? -x : x
    if (ax >= 100) return sprintf("%.0f", x)
    if (ax >= 10) return sprintf("%.1f", x)
    if (ax >= 1) return sprintf("%.2f", x)
    if (ax == 0) return "0"
    return sprintf("%.3g", x)
}

# An integer with its thousands separated by commas: 1,234,567.
function grouped(x,    s, out) {
    s = sprintf("%.0f", x < 0 ? -x : x)
    out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    return (x < 0 ? "-" : "") s out
}

function human_bytes(b,    ab) {
    ab = b < 0 ? -b : b
    if (ab >= 1073741824) return sig3(b / 1073741824) " GiB"
    if (ab >= 1048576) return sig3(b / 1048576) " MiB"
    if (ab >= 1024) return sig3(b / 1024) " KiB"
    return sprintf("%d B", b)
}

function gp_quote(s) { gsub(/'/, "''", s); return "'" s "'" }

function file_safe(s) { gsub(/[^A-Za-z0-9_.+-]/, "_", s); return s }
