#!/usr/bin/env bash
# Installs the Debian packages nxpool builds and tests with, only when one is
# missing. Silent when everything is already there; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkgconf    # toolchain and build
  ccache                                        # cached rebuilds
  clang libclang-rt-14-dev                      # second compiler, sanitizers, libFuzzer
  libgtest-dev libgmock-dev                     # unit tests
  libfmt-dev                                    # formatting (GCC 12 has no <format>)
  libcli11-dev                                  # CLI parsing
  nlohmann-json3-dev                            # JSON in/out (compile_commands, JSON Lines, SARIF)
  libpugixml-dev                                # MSBuild XML
  libcapstone-dev                               # x64/ARM64 disassembly for the binary rule NX4006
  lld llvm                                      # lld-link, llvm-dlltool: the PE test driver images
  libtomlplusplus-dev libyaml-cpp-dev           # .nxpool.toml / .nxpool.yaml config files
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libbenchmark-dev libmimalloc-dev ripgrep hyperfine python3)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "nxpool: installing missing packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
