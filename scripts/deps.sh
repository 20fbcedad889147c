#!/usr/bin/env bash
# Shared by scripts/quickstart and scripts/test: make sure Debian's packages are installed.
# As root it installs what is missing; otherwise it prints the exact apt-get line and exits 2.
# Every dependency comes from Debian 12 (bookworm); nothing is downloaded at configure time.

FAULTLINE_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libboost-context-dev libsqlite3-dev catch2 libcli11-dev libtomlplusplus-dev libfmt-dev
  nlohmann-json3-dev libxxhash-dev libjemalloc-dev
  libglfw3-dev libimgui-dev libstb-dev libgl-dev libgl1-mesa-dri xvfb xauth
  libsimgrid-dev
)

faultline_missing_packages() {
  local missing=() p
  for p in "${FAULTLINE_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]}"
}

faultline_ensure_packages() {
  local missing
  missing=$(faultline_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "faultline: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 2
  fi
  echo "faultline: installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
}

# Configure (once) and build a preset. Usage: faultline_build PRESET [targets...]
faultline_build() {
  local preset=$1; shift
  local dir="build/$preset"
  if [ ! -f "$dir/build.ninja" ]; then
    cmake --preset "$preset" >"$dir.configure.log" 2>&1 || { mkdir -p build; cat "$dir.configure.log" >&2; exit 3; }
  fi
  # Two cores: -j2. ccache (when installed) makes rebuilds cheap.
  cmake --build "$dir" -j "${FAULTLINE_JOBS:-2}" ${1:+--target "$@"}
}
