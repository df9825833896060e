# json.awk: flattens a JSON document into "path<TAB>value" lines (path like a.b[0].c),
# enough for metadata.json without needing jq. Strings lose their quotes; \n and \t
# become blanks, \" \\ \/ their character, other escapes stay as written.
{ TEXT = TEXT $0 "\n" }

END {
    POS = 1; LEN = length(TEXT)
    if (!parse_value("")) { print "json.awk: not valid JSON near character " POS > "/dev/stderr"; exit 1 }
    skip_blank()
    if (POS <= LEN) { print "json.awk: trailing text at character " POS > "/dev/stderr"; exit 1 }
}

function skip_blank() {
    while (POS <= LEN && index(" \t\r\n", substr(TEXT, POS, 1))) POS++
}

function parse_value(path,    c) {
    skip_blank()
    c = substr(TEXT, POS, 1)
    if (c == "{") return parse_object(path)
    if (c == "[") return parse_array(path)
    if (c == "\"") { if (!parse_string()) return 0; emit(path, STR); return 1 }
    if (match(substr(TEXT, POS), /^(-?[0-9][0-9.eE+-]*|true|false|null)/)) {
        emit(path, substr(TEXT, POS, RLENGTH)); POS += RLENGTH; return 1
    }
    return 0
}

function parse_object(path,    key, first) {
    POS++; first = 1
    for (;;) {
        skip_blank()
        if (substr(TEXT, POS, 1) == "}") { POS++; if (first) emit(path, "{}"); return 1 }
        if (!first) { if (substr(TEXT, POS, 1) != ",") return 0; POS++; skip_blank() }
        if (substr(TEXT, POS, 1) != "\"" || !parse_string()) return 0
        key = STR
        skip_blank()
        if (substr(TEXT, POS, 1) != ":") return 0
        POS++
        if (!parse_value(path == "" ? key : path "." key)) return 0
        first = 0
    }
}

function parse_array(path,    n) {
    POS++; n = 0
    for (;;) {
        skip_blank()
        if (substr(TEXT, POS, 1) == "]") { POS++; if (n == 0) emit(path, "[]"); return 1 }
        if (n > 0) { if (substr(TEXT, POS, 1) != ",") return 0; POS++ }
        if (!parse_value(path "[" n "]")) return 0
        n++
    }
}

function parse_string(    c, s) {
    POS++; s = ""
    while (POS <= LEN) {
        c = substr(TEXT, POS, 1)
        if (c == "\"") { POS++; STR = s; return 1 }
        if (c == "\\") {
            c = substr(TEXT, POS + 1, 1); POS += 2
            if (c == "n") s = s " "
            else if (c == "t") s = s " "
            else if (c == "\"" || c == "\\" || c == "/") s = s c
            else s = s "\\" c
            continue
        }
        s = s c; POS++
    }
    return 0
}

function emit(path, v) {
    gsub(/[\t\n]/, " ", v)
    print path "\t" v
}
