# gbench_merge.awk: merges several Google Benchmark JSON files (as its JSON writer lays
# them out: one key per line, the "benchmarks" array at two spaces' indent) into one
# document whose benchmark names are prefixed "<pair>/", so that one run of Google
# Benchmark's compare.py tests every pair. Arguments: pair=NAME FILE pair=NAME FILE ...
# Pairs whose file holds no benchmark object are listed on stderr, one per line.

BEGIN {
    for (k = 1; k < ARGC; k++) if (ARGV[k] ~ /^pair=/) found[substr(ARGV[k], 6)] = 0
    print "{\n  \"benchmarks\": ["
    objects = 0
}

FNR == 1 { in_list = 0 }

/^  "benchmarks": \[/ { in_list = 1; next }
in_list && /^  \]/ { in_list = 0; next }
in_list {
    line = $0
    if (line ~ /^    \{$/) { if (objects++) print "    ,"; found[pair]++ }
    if (line ~ /^    \},?$/) line = "    }"
    if (line ~ /^      "(name|run_name)": "/) sub(/": "/, "\": \"" pair "/", line)
    print line
}

END {
    print "  ]\n}"
    for (p in found) if (!found[p]) print p > "/dev/stderr"
}
