# setup.sh: sourced by ./test and ./bench. Installs the Debian packages the
# suite needs when they are missing, and configures and builds a build tree.

# Debian 12 package names, by what needs them; what each is for is in
# README.md. Each command asks only for the groups it uses, so ./bench never
# installs what only the tests need.
PAB_PACKAGES_PLOT=(python3 gnuplot-nox)
PAB_PACKAGES_BUILD=(
  cmake make gcc g++ pkg-config git
  libbenchmark-dev libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev libpython3-dev
)
# Tools the suite runs on the children: strace counts memory syscalls,
# valgrind (callgrind) counts instructions; Debian's CPython 3.11 is the
# interpreter `./bench record` and `./bench real` run (and their tests).
PAB_PACKAGES_TOOLS=(strace valgrind python3.11)
# Only ./test: the sanitizer and libFuzzer tree, and what its tests use.
PAB_PACKAGES_TEST=(clang libclang-rt-14-dev)

# pab_missing_packages PACKAGE...: those not installed, one per line.
pab_missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# pab_ensure_packages PACKAGE...: installs what is missing; when not root,
# prints the exact command and fails.
pab_ensure_packages() {
  local missing
  missing=$(pab_missing_packages "$@" | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  local cmd="apt-get install -y --no-install-recommends ${missing% }"
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages; run as root: apt-get update && $cmd" >&2
    return 1
  fi
  echo "installing: ${missing% }" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && $cmd -qq >&2
}

# pab_build DIR [cmake options...]: configures DIR (cheap when nothing
# changed, and it mends a tree whose last configure failed), then builds it.
pab_build() {
  local dir=$1; shift
  cmake -S "$PAB_ROOT" -B "$dir" "$@" >/dev/null || return 1
  cmake --build "$dir" -j "$(nproc)" >/dev/null
}
