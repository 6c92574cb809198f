#!/usr/bin/env bash
# scripts/device-check.sh OUT_DIR — the GPU check of MotionBooth's device path, in one run of at most 8 minutes.
#
# On a GPU machine whose python3 holds a CUDA torch (its LibTorch is used: torch.utils.cmake_prefix_path) and
# that has no Qt, OpenCV, FFmpeg, nlohmann-json or GoogleTest, it
#   1. builds the core-only configuration (-DMB_CORE_ONLY=ON) with all cores in build-core/;
#   2. runs the device-independent guards (fake-device and source-scan tests) and the core program's test;
#   3. stops with "no CUDA device" (exit 3) unless LibTorch sees one — after writing what it has;
#   4. runs the reference parity on CUDA: the test ml_test_device_parity in float32 with TF32 off at the CPU
#      tolerances × 10, and `motionbooth-core parity` in fp16 and bf16 (tolerances: core/ml/reference_parity.h);
#   5. benches one CFG step (batch 2) of the Zeroscope UNet config (random weights) at 576×320×24 in fp16:
#      ours (SDPA attention, then the explicit path for comparison) and, when diffusers' sources are carried,
#      diffusers' UNet3DConditionModel on the same GPU (peer-bench/bench_unet_cuda.py), with the ratio;
#   6. times a 50-step take of the Zeroscope architecture with random weights (noise-like frames: the timing
#      and the peak memory are what counts), ours end to end (text encoder, 50 UNet CFG steps, VAE decode) and
#      the peer's 50-step UNet + scheduler loop; and a 50-step subject fine-tune (bench-train: LoRA rank 4,
#      gradient checkpointing, 5 photos + a 24-frame clip, bf16/fp16 autocast) with its peak memory;
#   7. writes OUT_DIR/summary.txt and summary.json (and every step's log and JSON) and exits 0 when every check
#      passed, 1 when one failed, 3 without a CUDA device.
#
# What it needs beside the repository, looked for in $MB_THIRD_PARTY (default: third_party/ in the repository,
# which .git/info/exclude should ignore so that it is carried, not committed):
#   nlohmann/     include/nlohmann/… and share/cmake/nlohmann_json/… (Debian's nlohmann-json3-dev)
#   googletest/   GoogleTest's source tree (Debian's /usr/src/googletest); built here with the same compiler
#   peer-bench/   bench_unet_cuda.py (shared/tools/peer-bench), optional
#   peer/         src/diffusers/src and src/huggingface_hub/src at the pins of peer-bench/SETUP.md, optional
# `scripts/device-check.sh --pack DIR [PEER_SCRATCH]` fills DIR with these from this Debian machine (and from a
# peer-bench scratch folder made by peer-bench/setup.sh); carry DIR with the repository (device tool: `carry`)
# and point MB_THIRD_PARTY at it. Where the system has its own copies (a Debian developer machine) they are used
# when nothing is carried. Environment: MB_DEVICE_CHECK_JOBS (default: all cores), MB_BUILD_LOCK (a file to
# flock around the build, for shared machines), DEVICE_CHECK_BUDGET_S (default 480), DEVICE_CHECK_BUILD_S (the
# build's limit, default 300), PYTHON (default python3).
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ ${1:-} == --pack ]]; then
    DEST=${2:?usage: scripts/device-check.sh --pack DIR [PEER_SCRATCH]}
    mkdir -p "$DEST/nlohmann/include" "$DEST/nlohmann/share/cmake" "$DEST/peer-bench"
    cp -r /usr/include/nlohmann "$DEST/nlohmann/include/"
    cp -r /usr/share/cmake/nlohmann_json "$DEST/nlohmann/share/cmake/"
    rm -rf "$DEST/googletest" && cp -r /usr/src/googletest "$DEST/googletest"
    for f in "$ROOT/../shared/tools/peer-bench/bench_unet_cuda.py" /work/shared/tools/peer-bench/bench_unet_cuda.py; do
        [[ -f $f ]] && cp "$f" "$DEST/peer-bench/" && break
    done
    if [[ -n ${3:-} ]]; then
        mkdir -p "$DEST/peer/src"
        for s in diffusers huggingface_hub; do
            [[ -d $3/src/$s/src ]] && mkdir -p "$DEST/peer/src/$s" && cp -r "$3/src/$s/src" "$DEST/peer/src/$s/"
        done
        [[ -d $3/shim ]] && cp -r "$3/shim" "$DEST/peer/"
    fi
    du -sh "$DEST"
    exit 0
fi

OUT=${1:?usage: scripts/device-check.sh OUT_DIR   (or --pack DIR [PEER_SCRATCH])}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
exec > >(tee "$OUT/device-check.log") 2>&1
START=$SECONDS
BUDGET=${DEVICE_CHECK_BUDGET_S:-480}
JOBS=${MB_DEVICE_CHECK_JOBS:-$(nproc)}
TP=${MB_THIRD_PARTY:-$ROOT/third_party}
BUILD=${MB_DEVICE_BUILD:-$ROOT/build-core}
PY=${PYTHON:-python3}
ZS=$ROOT/tests/data/reference/zeroscope-keys
CORE=$BUILD/app/core/motionbooth-core
FAILED=()
declare -A RESULT

say() { printf '[device-check %3ds] %s\n' $((SECONDS - START)) "$*"; }
left() { echo $((BUDGET - (SECONDS - START))); }
# run NAME SECONDS CMD...: one step under a deadline, its output in OUT/NAME.log; records pass/fail.
run() {
    local name=$1 limit=$2
    shift 2
    local budget
    budget=$(left)
    if ((budget < 15)); then
        say "$name: skipped, the time budget is spent"
        RESULT[$name]=skipped
        return 1
    fi
    ((limit > budget - 5)) && limit=$((budget - 5))
    say "$name (at most ${limit} s): $*"
    timeout --kill-after=5 "$limit" "$@" >"$OUT/$name.log" 2>&1
    local rc=$?
    tail -n 25 "$OUT/$name.log" | sed 's/^/    /'
    if ((rc == 0)); then
        RESULT[$name]=pass
    else
        RESULT[$name]="fail (exit $rc$( ((rc == 124)) && echo ', timed out'))"
        FAILED+=("$name")
    fi
    return $rc
}
finish() {
    local code=$1 note=$2
    {
        echo "device-check: $note"
        echo "elapsed: $((SECONDS - START)) s of $BUDGET s"
        for k in $(printf '%s\n' "${!RESULT[@]}" | sort); do echo "  $k: ${RESULT[$k]}"; done
        [[ -f $OUT/ratio.txt ]] && cat "$OUT/ratio.txt"
    } | tee "$OUT/summary.txt"
    "$PY" - "$OUT" "$code" "$note" <<'EOF' 2>/dev/null || true
import json, os, sys
out, code, note = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = {"exit": code, "note": note, "steps": {}}
for line in open(os.path.join(out, "summary.txt")):
    if line.startswith("  ") and ": " in line:
        k, v = line.strip().split(": ", 1)
        s["steps"][k] = v
for f in ("bench-native-sdpa.json", "bench-native-explicit.json", "take-native.safetensors.json",
          "parity-fp16.json", "parity-bf16.json", "ratio.json"):
    p = os.path.join(out, f)
    if os.path.exists(p):
        s[f] = json.load(open(p))
p = os.path.join(out, "bench-peer.jsonl")
if os.path.exists(p):
    s["peer"] = [json.loads(l) for l in open(p) if l.strip()]
json.dump(s, open(os.path.join(out, "summary.json"), "w"), indent=2)
EOF
    exit "$code"
}

# ---------------------------------------------------------------------------------------------- 1. build
TORCH_DIR=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
ABI=$("$PY" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null || echo 1)
say "LibTorch: ${TORCH_DIR:-none in $PY, so the system one (find_package)}; C++ ABI $ABI; $JOBS build jobs"
PREFIX=$TORCH_DIR
CXXFLAGS_ABI="-D_GLIBCXX_USE_CXX11_ABI=$ABI"
mkdir -p "$BUILD"
if [[ -d $TP/nlohmann ]]; then
    PREFIX="$PREFIX;$TP/nlohmann"
    say "nlohmann-json: $TP/nlohmann"
fi
if [[ -d $TP/googletest ]]; then
    # Built here, with this compiler and LibTorch's ABI, so the tests link against it.
    if [[ ! -f $BUILD/gtest-prefix/lib/cmake/GTest/GTestConfig.cmake && ! -f $BUILD/gtest-prefix/lib64/cmake/GTest/GTestConfig.cmake ]]; then
        run gtest-build 120 bash -c "cmake -S '$TP/googletest' -B '$BUILD/gtest-build' -DCMAKE_BUILD_TYPE=Release \
            -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON -DCMAKE_CXX_FLAGS='$CXXFLAGS_ABI' \
            -DCMAKE_INSTALL_PREFIX='$BUILD/gtest-prefix' && cmake --build '$BUILD/gtest-build' -j $JOBS && \
            cmake --install '$BUILD/gtest-build'" || finish 1 "GoogleTest from $TP/googletest did not build"
    fi
    PREFIX="$PREFIX;$BUILD/gtest-prefix"
    say "GoogleTest: built from $TP/googletest"
fi
LOCK=()
[[ -n ${MB_BUILD_LOCK:-} ]] && LOCK=(flock "$MB_BUILD_LOCK")
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)
[[ -f $BUILD/CMakeCache.txt ]] && GENERATOR=() # keep the generator of an existing build folder
TARGETS=(motionbooth-core ml_test_device_parity ml_test_device_guard ml_test_device_source_scan ml_test_core_program)
run configure 120 "${LOCK[@]}" cmake -S "$ROOT" -B "$BUILD" "${GENERATOR[@]}" -DMB_CORE_ONLY=ON \
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=$PREFIX" "-DCMAKE_CXX_FLAGS=$CXXFLAGS_ABI" ||
    finish 1 "the core-only configuration failed (see $OUT/configure.log)"
grep -E "LibTorch .* CUDA:" "$OUT/configure.log" | sed 's/^/    /'
run build "${DEVICE_CHECK_BUILD_S:-300}" "${LOCK[@]}" cmake --build "$BUILD" -j "$JOBS" --target "${TARGETS[@]}" ||
    finish 1 "the core-only build failed (see $OUT/build.log)"
if grep -q "warning:" "$OUT/build.log"; then
    RESULT[build-warnings]="$(grep -c 'warning:' "$OUT/build.log") (see build.log)"
    FAILED+=(build-warnings)
else
    RESULT[build-warnings]=none
fi

# ------------------------------------------------------------------------------- 2. device-independent
export OMP_WAIT_POLICY=PASSIVE
run test-device-guard 120 "$BUILD/tests/ml/ml_test_device_guard"
run test-source-scan 30 "$BUILD/tests/ml/ml_test_device_source_scan"
run test-core-program 120 "$BUILD/tests/ml/ml_test_core_program"

# --------------------------------------------------------------------------------------- 3. a GPU here?
"$CORE" devices | sed 's/^/    /'
if ! "$CORE" devices --require cuda >"$OUT/devices.log" 2>&1; then
    RESULT[cuda]="no CUDA device: $(tail -n 1 "$OUT/devices.log")"
    finish 3 "no CUDA device: $(tail -n 1 "$OUT/devices.log") — stopped after the CPU steps"
fi
RESULT[cuda]=$(grep -m1 "cuda:0" "$OUT/devices.log" | sed 's/^ *//')

# ---------------------------------------------------------------------------------------- 4. parity
run test-device-parity-cuda-fp32 120 env MB_TEST_DEVICE=cuda MB_TEST_DTYPE=fp32 \
    "$BUILD/tests/ml/ml_test_device_parity" --gtest_filter='DeviceParity.ReferenceOutputsOnTheTestDevice'
for t in fp16 bf16; do
    run "parity-$t" 90 "$CORE" parity --device cuda --dtype "$t" --json "$OUT/parity-$t.json"
done
run parity-fp32-sdpa-everywhere 90 "$CORE" parity --device cuda --dtype fp32 --attention sdpa

# ------------------------------------------------------------------------------------ 5. one UNet step
BENCH=(--config "$ZS/unet.config.json" --size 576x320 --frames 24 --device cuda --dtype fp16 --batch 2)
run bench-native-sdpa 150 "$CORE" bench-unet "${BENCH[@]}" --steps 5 --warmup 2 --json "$OUT/bench-native-sdpa.json"
run bench-native-explicit 120 "$CORE" bench-unet "${BENCH[@]}" --steps 3 --warmup 1 --attention explicit \
    --json "$OUT/bench-native-explicit.json"
PEER_SCRIPT=""
for f in "$TP/peer-bench/bench_unet_cuda.py" "$ROOT/../shared/tools/peer-bench/bench_unet_cuda.py" \
    "$ROOT/shared/tools/peer-bench/bench_unet_cuda.py"; do
    [[ -f $f ]] && PEER_SCRIPT=$f && break
done
if [[ -n $PEER_SCRIPT && -d $TP/peer/src/diffusers/src ]]; then
    run bench-peer 200 env PYTHONUNBUFFERED=1 "$PY" "$PEER_SCRIPT" --scratch "$TP/peer" \
        --config "$ZS/unet.config.json" --frames 24 --size 576x320 --dtype fp16 --repeat 5 --loop-steps 50 \
        --json "$OUT/bench-peer.jsonl"
else
    RESULT[bench-peer]="skipped: diffusers' sources are not carried ($TP/peer/src/diffusers/src; peer-bench/SETUP.md)"
fi

# ----------------------------------------------------------------------------------- 6. a 50-step take
run take-native 200 "$CORE" generate --random-model "$ZS" --prompt "a corgi running on a beach at sunset" \
    --frames 24 --size 576x320 --steps 50 --guidance 9 --seed 1 --device cuda --dtype fp16 \
    -o "$OUT/take-native.safetensors"

# ------------------------------------------------------------------------------ 6b. a 50-step subject fine-tune
# The Zeroscope UNet config with random weights at 576x320: 5 photos + one 24-frame clip per step, LoRA rank 4
# with gradient checkpointing (what `train` picks for this config on a 16 GiB card), autocast as `auto` picks it
# (bf16 on compute capability >= 8.0, else fp16 with loss scaling); one warm-up step, then 50 timed.
run finetune-native 180 "$CORE" bench-train --config "$ZS/unet.config.json" --size 576x320 --frames 24 \
    --images 5 --lora 4 --checkpointing --device cuda --dtype auto --steps 50 --warmup 1 \
    --json "$OUT/finetune-native.json"

# ----------------------------------------------------------------------------------------- 7. summary
"$PY" - "$OUT" >"$OUT/ratio.txt" <<'EOF' 2>/dev/null || true
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name)
    return json.load(open(p)) if os.path.exists(p) else None
native = load("bench-native-sdpa.json")
explicit = load("bench-native-explicit.json")
take = load("take-native.safetensors.json")
finetune = load("finetune-native.json")
peer = None
p = os.path.join(out, "bench-peer.jsonl")
if os.path.exists(p):
    lines = [json.loads(l) for l in open(p) if l.strip()]
    peer = lines[-1] if lines else None
r = {}
if native:
    r["native_step_s"] = native["step_median_s"]; r["native_peak_gib"] = native["peak_alloc_gib"]
if explicit:
    r["native_explicit_step_s"] = explicit["step_median_s"]; r["native_explicit_peak_gib"] = explicit["peak_alloc_gib"]
if peer:
    r["peer_step_s"] = peer["step_median_s"]; r["peer_peak_gib"] = peer.get("peak_alloc_gib")
    r["peer_attention"] = peer.get("attn_processor"); r["peer_loop_50_s"] = peer.get("loop_s")
if native and peer:
    r["step_ratio_native_over_peer"] = native["step_median_s"] / peer["step_median_s"]
if take:
    r["take_50_steps_s"] = take["seconds"]; r["take_peak_gib"] = take["peak_alloc_gib"]
    r["take_latents_finite"] = take["latents_finite"]
if finetune:
    r["finetune_50_steps_s"] = finetune["steps_total_s"]; r["finetune_step_s"] = finetune["step_median_s"]
    r["finetune_peak_gib"] = finetune["peak_alloc_gib"]; r["finetune_dtype"] = finetune["dtype"]
json.dump(r, open(os.path.join(out, "ratio.json"), "w"), indent=2)
print("figures (fp16, 576x320x24, CFG batch 2, Zeroscope config with random weights):")
for k, v in r.items():
    print(f"  {k}: {v:.4g}" if isinstance(v, float) else f"  {k}: {v}")
EOF
if ((${#FAILED[@]})); then
    finish 1 "failed: ${FAILED[*]}"
fi
finish 0 "every check passed"
