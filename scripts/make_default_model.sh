#!/bin/sh
# Rebuilds the embedded default model (resources/models/default) from scratch: a frozen random CLIP text
# encoder, then the VAE, then the UNet3D, each trained on synthetic captioned clips (subjects moving over
# photographs the camera pans across; core/media/synthetic_clips.h). See resources/models/default/README.md.
#
#   scripts/make_default_model.sh [BUILD_DIR] [MODEL_DIR]
#
# Environment: VAE_STEPS (1200), UNET_STEPS (8000), VAE_THREADS (2), UNET_THREADS (2: the clips of a step run
# side by side, one per core), WORK (MODEL_DIR/../.default-model-work).
# Both training stages keep resume checkpoints in WORK: re-running the script continues where a cancelled
# (Ctrl-C) or killed run stopped, bit-identically for the same thread count and build.
# Needs Debian's plasma-workspace-wallpapers (the background photographs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
model=${2:-$root/resources/models/default}
cli=$build/app/motionbooth-cli
work=${WORK:-$(dirname "$model")/.default-model-work}
data="--backgrounds $here/default-model/backgrounds.txt --sprites $here/default-model/sprites.txt --size 112x64"

[ -x "$cli" ] || { echo "make_default_model: $cli not found: build first" >&2; exit 1; }
[ -f /usr/share/wallpapers/Path/contents/images/1280x1024.jpg ] ||
    { echo "make_default_model: install plasma-workspace-wallpapers (the training photographs)" >&2; exit 1; }
mkdir -p "$work"

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
