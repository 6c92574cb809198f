#!/usr/bin/env bash
# MotionBooth Studio set-up on Debian 12: installs what is missing, builds, then either renders the demo
# (`demo`) or runs the whole test suite (`test`). The README's two commands call this; so does .ci/run.
#
#   scripts/bootstrap.sh demo   # install + build + render the demo project to out/demo-animatic.mp4
#   scripts/bootstrap.sh test   # install + build + run every test (CTest)
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail

mode=${1:-}
case "$mode" in
demo | test) ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/.."
root=$(pwd)
build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

# --- 1. Debian packages -------------------------------------------------------------------------------
packages=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6-dev libgl-dev
    libqcustomplot-dev
    libtorch-dev libopenblas0-pthread
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
    libopencv-dev
    nlohmann-json3-dev libgtest-dev
    xvfb xauth
    slurmctld slurmd slurm-client munge
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || {
            echo "error: these packages are missing and sudo is not available: ${missing[*]}" >&2
            exit 1
        }
        sudo="sudo"
    fi
    echo "== installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's LibTorch calls whatever libblas.so.3 is selected; the reference BLAS is ~25x slower than OpenBLAS.
blas=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)
case "$blas" in
*openblas*) ;;
*)
    echo "error: libblas.so.3 points at '${blas:-nothing}', not OpenBLAS. Run:" >&2
    echo "  sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3" >&2
    exit 1
    ;;
esac

# --- 2. Build ---------------------------------------------------------------------------------------------
echo "== configuring ($build)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
echo "== building with $jobs jobs"
if [ "$mode" = demo ]; then
    # The demo needs only the two programs, not the test suite.
    cmake --build "$build" -j "$jobs" --target motionbooth motionbooth-cli
else
    cmake --build "$build" -j "$jobs"
fi

# --- 3. Run -----------------------------------------------------------------------------------------------
if [ "$mode" = demo ]; then
    mkdir -p out
    "$build/app/motionbooth-cli" animatic resources/demo/demo.mbproj -o out/demo-animatic.mp4
    echo
    echo "The demo shot's animatic (storyboard preview) is at: $root/out/demo-animatic.mp4"
    echo "Open the demo project in the editor with:"
    echo "  $root/$build/app/motionbooth $root/resources/demo/demo.mbproj"
else
    echo "== testing"
    # The ML tests set their own thread counts; run tests one at a time so timings and memory stay sane.
    ctest --test-dir "$build" --output-on-failure --no-tests=error -j 1
fi
