# setup.sh: sourced by ./test and ./bench. Installs the Debian packages the
# suite needs when they are missing, and configures and builds a build tree.

# Debian 12 package names; what each is for is in README.md.
PAB_PACKAGES=(
  cmake make gcc g++ clang libclang-rt-14-dev pkg-config python3 git
  libbenchmark-dev libbenchmark-tools python3-scipy
  libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev libpython3-dev
  gnuplot-nox
)

pab_missing_packages() {
  local p
  for p in "${PAB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# Installs what is missing; when not root, prints the exact command and fails.
pab_ensure_packages() {
  local missing
  missing=$(pab_missing_packages | tr '\n' ' ')
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
