#!/bin/sh
# Rebuilds the embedded default model (resources/models/default) from scratch: a frozen random CLIP text
# encoder, then the VAE, then the UNet3D, each trained on synthetic captioned clips (subjects moving over
# photographs the camera pans across; core/media/synthetic_clips.h). See resources/models/default/README.md.
#
#   scripts/make_default_model.sh [BUILD_DIR] [MODEL_DIR]            # from scratch
#   scripts/make_default_model.sh continue [BUILD_DIR] [MODEL_DIR]   # a further campaign segment
#
# `continue` trains the folder's UNet further from its shipped weights, together with the text encoder's
# layers (--from-weights --train-text-encoder), on 8-frame clips: one segment of the campaign that spans
# working sessions (resources/models/default/TRAINING.md lists the segments). SEGMENT_SEED (required) picks
# the segment's clips, so that segments see different data; SEGMENT_STEPS (default 4000). Within a segment
# the work folder's checkpoints resume bit-identically; across segments the optimizer restarts (warm-up
# 200 steps) from the shipped float32 moving average.
#
# Environment: VAE_STEPS (1200), UNET_STEPS (8000), VAE_THREADS (2), UNET_THREADS (2: the clips of a step run
# side by side, one per core), WORK (MODEL_DIR/../.default-model-work).
# Both training stages keep resume checkpoints in WORK: re-running the script continues where a cancelled
# (Ctrl-C) or killed run stopped, bit-identically for the same thread count and build.
# Needs Debian's plasma-workspace-wallpapers (the background photographs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mode=scratch
if [ "${1:-}" = continue ]; then
    mode=continue
    shift
fi
build=${1:-$root/build}
model=${2:-$root/resources/models/default}
cli=$build/app/motionbooth-cli
work=${WORK:-$(dirname "$model")/.default-model-work}
data="--backgrounds $here/default-model/backgrounds.txt --sprites $here/default-model/sprites.txt --size 112x64"

[ -x "$cli" ] || { echo "make_default_model: $cli not found: build first" >&2; exit 1; }
[ -f /usr/share/wallpapers/Path/contents/images/1280x1024.jpg ] ||
    { echo "make_default_model: install plasma-workspace-wallpapers (the training photographs)" >&2; exit 1; }
mkdir -p "$work"

if [ "$mode" = continue ]; then
    [ -n "${SEGMENT_SEED:-}" ] || { echo "make_default_model: set SEGMENT_SEED (a number no earlier segment used)" >&2; exit 1; }
    echo "== UNet + text encoder layers, segment seed $SEGMENT_SEED"
    # shellcheck disable=SC2086
    "$cli" pretrain unet "$model" $data --frames 8 --batch 2 --lr 3e-4 --warmup 200 --steps "${SEGMENT_STEPS:-4000}" \
        --threads "${UNET_THREADS:-1}" --seed "$SEGMENT_SEED" --work "$work/segment-$SEGMENT_SEED" --resume \
        --from-weights --train-text-encoder --checkpoint-every 200
    echo "== done: $model"
    exit 0
fi

echo "== text encoder (frozen, random, seed 0)"
"$cli" pretrain init "$model" --seed 0

echo "== VAE"
# shellcheck disable=SC2086
"$cli" pretrain vae "$model" $data --frames 8 --batch 2 --steps "${VAE_STEPS:-1200}" --threads "${VAE_THREADS:-2}" \
    --work "$work/vae" --resume

echo "== UNet"
# shellcheck disable=SC2086
"$cli" pretrain unet "$model" $data --frames 4 --batch 4 --lr 3e-4 --steps "${UNET_STEPS:-8000}" --threads "${UNET_THREADS:-2}" \
    --work "$work/unet" --resume

echo "== done: $model"
