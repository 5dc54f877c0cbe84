# shellcheck shell=bash
# platform_image NAME STAMP FUNCTION [ARGS...]: one image tarball of the local platform,
# $PLATFORM_IMAGES/NAME.tar, made by FUNCTION ROOTFS OUT.tar ARGS... (fill ROOTFS, then
# deploy/cluster/mkimage.py) and rebuilt only when STAMP changes; under a per-image lock like every
# tool of tools/lib/tools.sh. Source tools/lib/tools.sh and tools/versions/platform.sh first.
platform_image() {
  local name=$1 stamp=$2
  shift 2
  local out=$PLATFORM_IMAGES/$name.tar stampf=$PLATFORM_IMAGES/.$name.stamp
  mkdir -p "$PLATFORM_IMAGES"
  [[ -f "$out" && "$(cat "$stampf" 2>/dev/null)" == "$stamp" ]] && return 0
  (
    flock 9
    [[ -f "$out" && "$(cat "$stampf" 2>/dev/null)" == "$stamp" ]] && exit 0
    root=$(mktemp -d /tmp/flotilla-rootfs.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/fs/tmp" && chmod 1777 "$root/fs/tmp"
    "$1" "$root/fs" "$out.tmp" "${@:2}" || { rm -f "$out.tmp"; exit 1; }
    mv "$out.tmp" "$out" && echo "$stamp" >"$stampf"
  ) 9>"$FLOTILLA_CACHE/locks/image-$name.lock"
}
