#!/bin/sh
# System libraries the trainer and its tests need beyond PyPI, on Debian or Ubuntu:
#   libegl1 libegl-mesa0 libgl1-mesa-dri  OpenGL through EGL on Mesa's software rasteriser
#                                         (the camera views; no GPU needed, docs/PYBULLET_NOTES.md)
#   xvfb xauth                            a virtual screen for the window's end-to-end tests
#   imagemagick                           its `import` takes the screenshots those tests check
#   chromium                              a headless browser for the debrief page test
# Installs what is missing when this user can (root, or sudo without a password);
# otherwise says what to install and carries on (the tests that need them are skipped).
set -u
PACKAGES="libegl1 libegl-mesa0 libgl1-mesa-dri xvfb xauth imagemagick chromium fonts-dejavu-core"
command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install the equivalents of: $PACKAGES"; exit 0; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "system-deps: missing:$missing (install them with apt-get as root)"; exit 0; fi
echo "system-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
