#!/usr/bin/env bash
# Rebuilds MotionBooth Studio's demo and test assets from the recipes in the repository.
#
#   scripts/make_demo_assets.sh [subject] [background] [preservation] [testdata]
#
# With no argument every part is rebuilt. Parts:
#   subject       resources/demo/subject/photo_N.png + mask_N.png (N = 1..5), POV-Ray toy robot
#                 (recipe: resources/demo/scene/subject.pov + toy_robot.inc)
#   background    resources/demo/background.jpg, 1152x640, from Debian's plasma-workspace-wallpapers
#                 (wallpaper "Path" by Risto Saukonpää; see resources/demo/CREDITS.md)
#   preservation  resources/preservation/NAME.mp4 + NAME.txt, 24 frames, 256x144, 8 fps, H.264 yuv420p
#                 (recipes: resources/preservation/scenes/NAME.pov; caption = the CAPTIONS table below)
#   testdata      tests/data/images/: toy.png, toy_mask.png, toy_exif_rot90.jpg and broken files
#                 (needs the subject part's photo_1.png / mask_1.png)
#
# Needs (Debian 12): povray, imagemagick, ffmpeg, plasma-workspace-wallpapers; exiftool
# (libimage-exiftool-perl) is used only to double-check the EXIF tag when it is installed.
# Run by a developer, not by the build. Idempotent: the outputs are overwritten, pixel data is
# deterministic (POV-Ray single-threaded, fixed seeds) and PNG time stamps are left out.
#
# Environment: MB_POV_THREADS (default 1) and MB_NICE (default 15) keep the renders polite on a
# shared machine. A full run takes about three minutes on one core.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADS=${MB_POV_THREADS:-1}
NICE=${MB_NICE:-15}
WALLPAPER_DIR=/usr/share/wallpapers/Path
WALLPAPER=$WALLPAPER_DIR/contents/images/2560x1440.jpg

die() { echo "make_demo_assets: error: $*" >&2; exit 1; }
note() { echo "make_demo_assets: $*"; }

for tool in povray convert identify ffmpeg; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (apt-get install povray imagemagick ffmpeg)"
done

# POV-Ray's default I/O policy (/etc/povray/3.7/povray.conf) only lets it read the current
# directory and write under /tmp, so every render runs inside its scene folder and writes to
# a scratch folder under /tmp.
WORK=$(mktemp -d /tmp/mb-demo-assets.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# render SCENE_DIR SCENE OUT [povray options...]: one POV-Ray render, log kept on failure.
render() {
  local dir=$1 scene=$2 out=$3
  shift 3
  if ! (cd "$dir" && nice -n "$NICE" povray -D -V +WT"$THREADS" +FN8 +I"$scene" +O"$out" "$@") \
      >"$WORK/povray.log" 2>&1; then
    tail -n 20 "$WORK/povray.log" >&2
    die "POV-Ray failed on $dir/$scene"
  fi
}

# PNG writer options: no time stamps or other metadata, so reruns give identical files.
PNG_OPTS=(-strip -define png:exclude-chunks=date,time)

# ------------------------------------------------------------------------------- subject
make_subject() {
  local scene_dir=$ROOT/resources/demo/scene out_dir=$ROOT/resources/demo/subject
  mkdir -p "$out_dir"
  local v
  for v in 1 2 3 4 5; do
    note "subject view $v/5"
    # The photo: toy on the studio sweep, with radiosity and soft area-light shadows.
    render "$scene_dir" subject.pov "$WORK/photo_$v.png" +W512 +H512 +A0.1 +AM2 +R3 \
      Declare=View=$v Declare=Backdrop=1
    convert "$WORK/photo_$v.png" -alpha off "${PNG_OPTS[@]}" PNG24:"$out_dir/photo_$v.png"
    # The mask: same camera, toy alone, exact alpha (+UA); 255 where alpha > 127.
    render "$scene_dir" subject.pov "$WORK/alpha_$v.png" +W512 +H512 +A0.1 +AM2 +R3 +UA \
      Declare=View=$v Declare=Backdrop=0
    convert "$WORK/alpha_$v.png" -alpha extract -threshold 50% "${PNG_OPTS[@]}" \
      -define png:color-type=0 -define png:bit-depth=8 "$out_dir/mask_$v.png"
    check_mask "$out_dir/mask_$v.png"
  done
}

# check_mask FILE: 512x512 8-bit grayscale with only the values 0 and 255, both present.
check_mask() {
  local info
  info=$(identify -format '%w %h %[channels] %z %k' "$1")
  case $info in
    "512 512 gray 8 2") ;;
    *) die "$1: expected a 512x512 8-bit two-value grayscale mask, got '$info'" ;;
  esac
}

# ---------------------------------------------------------------------------- background
make_background() {
  note "background"
  [ -f "$WALLPAPER" ] || die "$WALLPAPER not found (apt-get install plasma-workspace-wallpapers)"
  # Fill 1152x640 (the source is 16:9, the target 9:5): scale to cover, crop the centre.
  convert "$WALLPAPER" -colorspace sRGB -filter Lanczos -resize 1152x640^ -gravity center \
    -extent 1152x640 -strip -sampling-factor 2x2 -quality 88 "$ROOT/resources/demo/background.jpg"
}

# -------------------------------------------------------------------------- preservation
# NAME|caption; the scene is resources/preservation/scenes/NAME.pov (animated by clock 0..1).
CAPTIONS=(
  "sphere_field_pan|a camera tracking sideways from left to right over a green meadow full of colourful glossy spheres"
  "rolling_ball|a red and white striped ball rolling from left to right across a wooden floor in front of a pale wall, static camera"
  "block_tower_orbit|a camera slowly orbiting a small tower of colourful wooden toy blocks standing on a table"
)

make_preservation() {
  local out_dir=$ROOT/resources/preservation scene_dir=$ROOT/resources/preservation/scenes
  mkdir -p "$out_dir"
  local entry name caption size
  for entry in "${CAPTIONS[@]}"; do
    name=${entry%%|*}
    caption=${entry#*|}
    note "preservation clip $name"
    rm -rf "$WORK/frames"
    mkdir -p "$WORK/frames"
    # 24 frames, clock 0..1 inclusive; POV-Ray numbers them f01.png .. f24.png.
    render "$scene_dir" "$name.pov" "$WORK/frames/f.png" +W256 +H144 +A0.1 +AM2 +R2 \
      +KFI1 +KFF24 +KI0 +KF1
    ffmpeg -nostdin -loglevel error -y -framerate 8 -i "$WORK/frames/f%02d.png" \
      -c:v libx264 -preset veryslow -crf 20 -pix_fmt yuv420p -threads 1 \
      -map_metadata -1 -fflags +bitexact -flags:v +bitexact -movflags +faststart \
      "$out_dir/$name.mp4"
    printf '%s\n' "$caption" >"$out_dir/$name.txt"
    size=$(stat -c %s "$out_dir/$name.mp4")
    [ "$size" -lt 153600 ] || die "$out_dir/$name.mp4 is $size bytes (limit 150 KB)"
  done
}

# ------------------------------------------------------------------------------ testdata
make_testdata() {
  note "test images"
  local src=$ROOT/resources/demo/subject out=$ROOT/tests/data/images
  [ -f "$src/photo_1.png" ] && [ -f "$src/mask_1.png" ] || die "run the subject part first"
  mkdir -p "$out"
  cp "$src/photo_1.png" "$out/toy.png"
  cp "$src/mask_1.png" "$out/toy_mask.png"
  # A PNG cut off inside its image data: valid signature and IHDR, truncated IDAT, no IEND.
  head -c 4000 "$src/photo_1.png" >"$out/corrupt.png"
  printf 'This is a text file with a .jpg name; it is not an image.\n' >"$out/not_an_image.jpg"
  : >"$out/empty.png"
  make_exif_rot90 "$src/photo_1.png" "$out/toy_exif_rot90.jpg"
}

# make_exif_rot90 UPRIGHT.png OUT.jpg: a JPEG whose pixels are stored rotated 90° counter-
# clockwise and that carries EXIF Orientation = 6 ("rotate 90° clockwise to display"), so a
# reader that honours the tag shows the upright image.
make_exif_rot90() {
  local upright=$1 out=$2 plain=$WORK/rot90_plain.jpg
  convert "$upright" -rotate -90 -strip -sampling-factor 2x2 -quality 90 "$plain"
  # ImageMagick 6 only rewrites an Orientation tag that already exists, so the EXIF segment is
  # written here: APP1 "Exif\0\0", big-endian TIFF header, IFD0 with one entry
  # (0x0112 Orientation, SHORT, count 1, value 6), no next IFD. It goes right after the JFIF APP0.
  local app1='\xff\xe1\x00\x22Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00'
  local head
  head=$(od -An -tx1 -N6 "$plain" | tr -d ' \n')
  case $head in
    ffd8ffe0*) ;;
    *) die "$plain: expected a JPEG starting with a JFIF APP0 segment, got $head" ;;
  esac
  local app0_len=$((16#${head:8:4}))
  {
    head -c $((4 + app0_len)) "$plain"
    printf "$app1"
    tail -c +$((5 + app0_len)) "$plain"
  } >"$out"
  local orientation
  orientation=$(identify -format '%[EXIF:Orientation]' "$out")
  [ "$orientation" = 6 ] || die "$out: EXIF Orientation reads '$orientation', expected 6"
  if command -v exiftool >/dev/null 2>&1; then
    orientation=$(exiftool -s3 -n -Orientation "$out")
    [ "$orientation" = 6 ] || die "$out: exiftool reads Orientation '$orientation', expected 6"
  fi
  # Honouring the tag must give back the upright picture (up to JPEG loss).
  convert "$out" -auto-orient "$WORK/rot90_upright.png"
  local rmse
  rmse=$(compare -metric RMSE "$WORK/rot90_upright.png" "$upright" null: 2>&1 || true)
  # compare prints "ABSOLUTE (NORMALISED)"; the normalised RMSE must be small.
  awk -v r="$rmse" 'BEGIN { gsub(/.*\(|\).*/, "", r); exit !(r + 0 < 0.03) }' ||
    die "$out: auto-oriented image differs from $upright (RMSE $rmse)"
  note "toy_exif_rot90.jpg honoured orientation vs upright: RMSE $rmse"
}

# ---------------------------------------------------------------------------------- main
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(subject background preservation testdata)
for part in "${parts[@]}"; do
  case $part in
    subject) make_subject ;;
    background) make_background ;;
    preservation) make_preservation ;;
    testdata) make_testdata ;;
    *) die "unknown part '$part' (subject, background, preservation, testdata)" ;;
  esac
done
note "done"
