# compare.awk: one verdict line per (workload, allocator) pair of two runs.
# Run by plots/compare with lib.awk and -v a_results= b_results= tested= (pairs given to
# compare.py, one a line) pvalues= (lines
# "pair TAB time p-value TAB repetitions in A TAB in B", from compare.py) alpha=
# a_name= b_name= tool_note= (why no U test was run, "" when it was).

BEGIN {
    read_run("A", a_results)
    read_run("B", b_results)
    read_pvalues()
    printf "compare: %s (B) against %s (A): ns/op B/A per pair; significance by a two-sided\n", b_name, a_name
    printf "Mann-Whitney U test over the repetitions' times (Google Benchmark's compare.py), alpha %s\n", alpha
    if (tool_note != "") print "compare: no U test: " tool_note
    row("workload", "allocator", "B/A", "verdict")
    for (k = 1; k <= NPAIRS; k++) verdict(PAIR[k])
    print_rows()
}

function read_run(run, file,    line, f, n, k, col, key) {
    getline line < file
    n = csv_split(line, f)
    for (k = 1; k <= n; k++) col[f[k]] = k
    while ((getline line < file) > 0) {
        if (line ~ /^[ \t\r]*$/) continue
        csv_split(line, f)
        key = f[col["allocator"]] "__" f[col["workload"]]
        if (!(key in SEEN)) {
            SEEN[key] = 1; PAIR[++NPAIRS] = key
            ALLOC[key] = f[col["allocator"]]; WORK[key] = f[col["workload"]]
        }
        STATUS[run, key] = f[col["status"]]
        NS[run, key] = ("ns_per_op" in col) ? f[col["ns_per_op"]] : ""
        OPP[run, key] = ("ops_per_pass" in col) ? f[col["ops_per_pass"]] : ""
        REPS[run, key] = ("repetitions" in col) ? f[col["repetitions"]] : "?"
    }
    close(file)
}

function read_pvalues(    line, f) {
    while ((getline line < tested) > 0) TESTED[line] = 1
    close(tested)
    while ((getline line < pvalues) > 0) {
        split(line, f, "\t")
        P[f[1]] = f[2]; N1[f[1]] = f[3]; N2[f[1]] = f[4]
    }
    close(pvalues)
}

# The smallest p-value a two-sided exact U test can reach with n1 and n2 samples:
# 2 / C(n1 + n2, n1). When even that is above alpha, no outcome could be significant.
function min_pvalue(n1, n2,    c, k) {
    c = 1
    for (k = 1; k <= n1; k++) c = c * (n2 + k) / k
    return 2 / c
}

function p_text(p) {
    if (p + 0 == 0) return "p<0.0001"
    return sprintf(p + 0 >= 0.01 ? "p=%.2f" : "p=%.2g", p)
}

function verdict(key,    sa, sb, a, b, ratio, text) {
    sa = ((("A", key) in STATUS)) ? STATUS["A", key] : ""
    sb = ((("B", key) in STATUS)) ? STATUS["B", key] : ""
    if (sa == "") { row(WORK[key], ALLOC[key], "-", "only in B"); return }
    if (sb == "") { row(WORK[key], ALLOC[key], "-", "only in A"); return }
    if (sa != "ok") { row(WORK[key], ALLOC[key], "-", "not compared: A " sa); return }
    if (sb != "ok") { row(WORK[key], ALLOC[key], "-", "not compared: B " sb); return }
    a = NS["A", key]; b = NS["B", key]
    if (!is_number(a) || !is_number(b) || a <= 0) { row(WORK[key], ALLOC[key], "-", "not compared: no ns_per_op"); return }
    ratio = sprintf("%.2fx", b / a)
    if (OPP["A", key] != OPP["B", key])
        text = "no U test: ops_per_pass differs (" OPP["A", key] " vs " OPP["B", key] "), so pass times differ in kind"
    else if (tool_note != "") text = "no U test"
    else if (!(key in TESTED)) text = "no U test: no gbench JSON for it in both runs"
    else if (!(key in P)) text = "too few repetitions to tell (" REPS["A", key] " vs " REPS["B", key] ")"
    else if (min_pvalue(N1[key], N2[key]) >= alpha)
        text = sprintf("too few repetitions to tell (%d vs %d: p cannot go below %.3g)", N1[key], N2[key], min_pvalue(N1[key], N2[key]))
    else if (P[key] + 0 < alpha) text = ((b + 0 < a + 0) ? "faster" : "slower") " (" p_text(P[key]) ")"
    else text = "no significant difference (" p_text(P[key]) ")"
    row(WORK[key], ALLOC[key], ratio, text)
}

function row(w, a, r, v) {
    NROWS++
    C1[NROWS] = w; C2[NROWS] = a; C3[NROWS] = r; C4[NROWS] = v
    if (length(w) > W1) W1 = length(w)
    if (length(a) > W2) W2 = length(a)
    if (length(r) > W3) W3 = length(r)
}

function print_rows(    k) {
    for (k = 1; k <= NROWS; k++)
        printf "%-" W1 "s  %-" W2 "s  %" W3 "s  %s\n", C1[k], C2[k], C3[k], C4[k]
}
